//! Phase 1, the soak: mixed traffic from wrk after a warm-up; no 5xx, no socket errors, and VmRSS
//! after the run within 10% of VmRSS after the warm-up.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::ensure;

use super::portal::Portal;
use super::wrk::{describe, finish_wrk, mixed_requests, start_wrk, wrk_script};

// Phase 1: soak

/// What the soak phase runs: wrk's connections, the measured seconds and the warm-up before them.
pub struct Load {
    pub connections: u32,
    pub duration_secs: u64,
    pub warmup_secs: u64,
}

pub(super) fn soak(site: &Path, scratch: &Path, options: &Load, summary: &mut String) -> anyhow::Result<()> {
    eprintln!(
        "==> soak: embedded registry, wrk -t2 -c{} for {} s after {} s of warm-up",
        options.connections, options.duration_secs, options.warmup_secs
    );
    let mut portal = Portal::start(site, &[], &scratch.join("soak.log"))?;
    let requests = mixed_requests(portal.port)?;
    let script = scratch.join("mixed.lua");
    std::fs::write(&script, wrk_script(&requests))?;
    let rss_start = portal.rss_kib()?;

    let warmup = finish_wrk(start_wrk(&script, portal.port, options.connections, options.warmup_secs)?)?;
    ensure!(warmup.statuses[5] == 0 && warmup.socket_errors == 0, "warm-up: {}", describe(&warmup));
    let rss_warm = portal.rss_kib()?;
    let run = finish_wrk(start_wrk(&script, portal.port, options.connections, options.duration_secs)?)?;
    let rss_after = portal.rss_kib()?;
    let stopped = portal.stop()?;

    let growth = (rss_after as f64 - rss_warm as f64) / rss_warm as f64 * 100.0;
    let _ = writeln!(
        summary,
        "soak ({} distinct requests, {} connections, {} s): {}\n  VmRSS: {:.1} MB at start, {:.1} MB after warm-up, {:.1} MB after the run ({growth:+.1}%); idle SIGTERM exit in {} ms",
        requests.len(),
        options.connections,
        options.duration_secs,
        describe(&run),
        rss_start as f64 / 1024.0,
        rss_warm as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        stopped.as_millis()
    );
    ensure!(run.statuses[5] == 0, "5xx answers during the soak: {}", describe(&run));
    ensure!(run.socket_errors == 0, "socket errors during the soak: {}", describe(&run));
    ensure!(run.statuses[2] > 0 && run.statuses[4] > 0, "the mix lacks 304s or 404s: {}", describe(&run));
    ensure!(growth.abs() <= 10.0, "VmRSS moved {growth:+.1}% between warm-up and the end of the run");
    Ok(())
}
