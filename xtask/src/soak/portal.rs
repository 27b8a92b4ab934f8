//! The portal process a soak phase drives: the release build started on a free port, read for its
//! memory, and stopped with SIGTERM.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};

use super::raw_http::{Outcome, get};
use crate::command::Step;
use crate::process::{self, Running};

/// A portal started here; killed by its own handle when dropped.
pub struct Portal {
    process: Running,
    pub port: u16,
    log: PathBuf,
}

impl Portal {
    /// `site serve` on a free port with `extra` arguments, once it answers `/healthz`.
    pub fn start(site: &Path, extra: &[&str], log: &Path) -> anyhow::Result<Self> {
        Portal::start_within(site, extra, log, Duration::from_secs(30))
    }

    /// [`Portal::start`], waiting at most `limit` for the first answer.
    pub fn start_within(site: &Path, extra: &[&str], log: &Path, limit: Duration) -> anyhow::Result<Self> {
        let port = process::free_port()?;
        let mut step = Step::new(site).args(["serve", "--addr", &format!("127.0.0.1:{port}")]).args(extra);
        step.command_mut().stdout(Stdio::null()).stderr(std::fs::File::create(log)?);
        let mut portal = Portal { process: Running::start("the portal", step)?, port, log: log.to_path_buf() };
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = portal.process.exited()? {
                bail!("the portal exited with {status} before answering:\n{}", portal.log_text());
            }
            if let Ok(Outcome::Complete(reply)) = get(port, "/healthz", &[])
                && reply.status == 200
            {
                return Ok(portal);
            }
            ensure!(Instant::now() < deadline, "the portal did not answer /healthz within {limit:?}");
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Resident memory in KiB, from `/proc/PID/status`.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.pid()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmRSS line")
    }

    /// CPU time used so far (user + system), from `/proc/PID/stat`.
    pub fn cpu_secs(&self) -> anyhow::Result<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.process.pid()))?;
        // Fields after the command name (which may hold spaces) close with its `)`.
        let fields: Vec<&str> = stat.rsplit_once(')').context("no command name")?.1.split_whitespace().collect();
        let ticks = |index: usize| fields.get(index).and_then(|field| field.parse::<f64>().ok()).context("short stat");
        // utime and stime, in clock ticks of 1/100 s (USER_HZ on Linux).
        Ok((ticks(11)? + ticks(12)?) / 100.0)
    }

    pub fn send_sigterm(&self) -> anyhow::Result<()> {
        self.process.send_sigterm()
    }

    /// Waits (at most `limit`, then 5 s more before giving up) for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> anyhow::Result<(Duration, ExitStatus)> {
        self.process.wait_exit(limit + Duration::from_secs(5))
    }

    /// SIGTERM, then the exit must be status 0 within 5 s.
    pub fn stop(&mut self) -> anyhow::Result<Duration> {
        self.send_sigterm()?;
        let (took, status) = self.wait_exit(Duration::from_secs(5))?;
        ensure!(status.success(), "the portal exited with {status}:\n{}", self.log_text());
        ensure!(took <= Duration::from_secs(5), "the portal took {took:?} to exit");
        Ok(took)
    }
}
