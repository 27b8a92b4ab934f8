//! `cargo xtask soak`: load, soak and fault checks of the portal's release build, run by hand (it
//! takes about six minutes and is not part of `cargo xtask test`). Three phases, each asserted, one
//! module each (`load.rs`, `sigterm.rs`, `reload.rs`), driving the portal (`portal.rs`) with wrk
//! (`wrk.rs`) and a raw HTTP client (`raw_http.rs`):
//!
//! 1. **Soak**: mixed traffic (pages, search, API, 404s, conditional GETs) from wrk with 64
//!    connections for 60 s after a warm-up; zero 5xx, zero socket errors, and VmRSS after the run
//!    within 10% of VmRSS after the warm-up.
//! 2. **SIGTERM under load**: wrk plus clients of our own that count every exchange, slow readers
//!    holding a large response and slow senders halfway through their request head when the
//!    signal arrives; the process must exit 0 within 5 s and no response that had started may be
//!    cut off, nor any request still being read or written be dropped. Then clients that stall
//!    for good (half a request head, an answer never read) must not hold the exit past 5 s.
//! 3. **Reload under load**: a `--watch` portal whose `codes.yaml` is replaced 100 times by rename
//!    (every other version invalid); every `/api/codes` answer sampled meanwhile must be byte-equal
//!    to what a fresh portal serves for one of the valid versions, versions never go backwards,
//!    and nothing answers 5xx.
//! 4. **Scale** (`--only scale`, not in the default run): start, memory after a crawl, `/healthz`
//!    while 8 clients search, and `site export` at 10,000 and 100,000 codes, printed against
//!    issue 24's targets (`scale.rs`).

pub mod load;
mod portal;
mod raw_http;
mod reload;
mod scale;
mod sigterm;
mod wrk;

use anyhow::{Context, ensure};

use crate::command::run_step;
use crate::process;
use crate::workspace;

/// What `cargo xtask soak` measures; the defaults are the figures.
pub struct Options {
    pub load: load::Load,
    /// Run one phase only: `soak`, `sigterm` or `reload`.
    pub only: Option<String>,
}

pub fn run(options: &Options) -> anyhow::Result<()> {
    let root = workspace::root();
    process::ensure_debian_packages(&["/usr/bin/wrk"], &["wrk"])?;
    run_step("cargo", &["build", "--quiet", "--release", "-p", "site"], &root)?;
    let site = workspace::scratch("release/site");
    let scratch = workspace::scratch("soak");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).with_context(|| format!("cannot create {}", scratch.display()))?;

    let wanted = |phase: &str| options.only.as_deref().is_none_or(|only| only == phase);
    ensure!(
        options.only.as_deref().is_none_or(|only| ["soak", "sigterm", "reload", "scale"].contains(&only)),
        "--only takes soak, sigterm, reload or scale"
    );
    if options.only.as_deref() == Some("scale") {
        let mut summary = String::new();
        scale::scale(&site, &scratch, &mut summary)?;
        println!("\n== scale (issue 24's targets)\n{summary}");
        return Ok(());
    }
    let mut summary = String::new();
    if wanted("soak") {
        load::soak(&site, &scratch, &options.load, &mut summary)?;
    }
    if wanted("sigterm") {
        sigterm::terminate_under_load(&site, &scratch, &mut summary)?;
        sigterm::stalled_clients(&site, &scratch, &mut summary)?;
    }
    if wanted("reload") {
        reload::reload_under_load(&site, &scratch, &root, &mut summary)?;
    }
    println!("\n== soak: every check passed\n{summary}");
    Ok(())
}
