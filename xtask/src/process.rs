//! Processes xtask starts and must stop: the portal, nginx, Centrifugo, chromedriver and a static
//! file server, each on a free 127.0.0.1 port, stopped by their own PID (SIGTERM when the test
//! needs a graceful exit, a kill when the handle is dropped on a failure), and the Debian packages
//! a step installs when a program is missing.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure};

use crate::command::Step;

/// A process started here; killed by its own handle when dropped, pass or fail.
pub struct Running {
    pub name: String,
    pub child: Child,
}

impl Running {
    /// Starts `step` in the background with no stdin.
    pub fn start(name: &str, mut step: Step) -> anyhow::Result<Self> {
        step.command_mut().stdin(Stdio::null());
        Ok(Running { name: name.to_string(), child: step.spawn()? })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, if it has exited.
    pub fn exited(&mut self) -> anyhow::Result<Option<ExitStatus>> {
        Ok(self.child.try_wait()?)
    }

    /// Sends SIGTERM to this process's PID.
    pub fn send_sigterm(&self) -> anyhow::Result<()> {
        Step::new("kill").args(["-TERM", &self.pid().to_string()]).quiet().map(drop)
    }

    /// Waits at most `limit` for the process to exit; how long it took and its status.
    pub fn wait_exit(&mut self, limit: Duration) -> anyhow::Result<(Duration, ExitStatus)> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok((started.elapsed(), status));
            }
            ensure!(started.elapsed() < limit, "{} is still running {limit:?} after SIGTERM", self.name);
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// SIGTERM, then a clean exit (status 0) within `limit`: graceful shutdown, not a kill.
    pub fn stop_gracefully(mut self, limit: Duration) -> anyhow::Result<Duration> {
        self.send_sigterm()?;
        let (took, status) = self.wait_exit(limit)?;
        if !status.success() {
            bail!("{} exited with {status} on SIGTERM", self.name);
        }
        Ok(took)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None))
            && let Err(error) = self.child.kill()
        {
            eprintln!("cannot stop {}: {error}", self.name);
        }
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Waits up to 20 s for something to listen on 127.0.0.1:`port`.
pub fn wait_for_port(name: &str, port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("{name} did not listen on 127.0.0.1:{port}")
}

/// Installs Debian `packages` with apt-get when any of the `programs` (paths) is missing; never a
/// download from elsewhere.
pub fn ensure_debian_packages(programs: &[&str], packages: &[&str]) -> anyhow::Result<()> {
    if programs.iter().all(|program| Path::new(program).exists()) {
        return Ok(());
    }
    Step::new("apt-get").arg("update").run()?;
    Step::new("apt-get").args(["install", "-y"]).args(packages).run()
}
