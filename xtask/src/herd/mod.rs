//! `cargo xtask herd`: what a backoff hint does to a fleet. 100,000 simulated clients are closed
//! at once and reconnect through the real runtimes' delay functions: Rust in-process (`codebook`),
//! TypeScript on the built binding under node (`xtask/herd/herd.mjs`) and Go through the Go module
//! (`xtask/herd/go`), each client with its own draws from the runtime's default random source.
//! centrifuge-js 5.7.4's own backoff, taken verbatim from its build, runs in the same command as
//! the anchor. A benchmark, run by hand; not part of `cargo xtask test`.
//!
//! The simulation, the same in all three languages: every client is closed at time 0 with the
//! scenario's code. A client whose code does not try again stops. Otherwise it draws its delay for
//! attempt 0 (elapsed time 0) and arrives after it. Arrivals are processed in 100 ms ticks, in
//! order of arrival time then client number; with unlimited capacity every arrival reconnects,
//! with a capacity of K sessions per second the server admits K/10 per tick and closes the rest
//! with the same code again, so they draw the next attempt's delay (elapsed: the arrival time)
//! until the hint gives up. Seeded mode gives client `i` its own `Mulberry32(seed + i)`, so the
//! three runtimes must produce identical arrays; default mode must agree within noise.
//!
//! `simulation.rs` is the simulation and its figures, `runners.rs` the programs of the other
//! runtimes, `report.rs` the Markdown report and CSV, `plot.rs` the SVG plots.

mod plot;
mod report;
mod runners;
mod simulation;

use std::path::Path;

use anyhow::{Context, bail, ensure};

use crate::workspace;
use runners::{Programs, Runtime};
pub use simulation::Options;
use simulation::scenarios;

pub fn run(options: &Options) -> anyhow::Result<()> {
    let out = options.out.clone().unwrap_or_else(|| workspace::scratch("herd"));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let programs = Programs::prepare(&workspace::root(), &out)?;
    let (report, failures) = report::write(options, &programs, &out)?;
    println!("{report}");
    eprintln!("==> report and plots in {}", out.display());
    if !failures.is_empty() {
        bail!("herd goals missed:\n{}", failures.join("\n"));
    }
    Ok(())
}

/// The part of `cargo xtask test`: every scenario with 3,000 seeded clients (capacity 300/s) on
/// the Rust, TypeScript and Go runtimes must give identical results, with no zero delay and no
/// reconnect on a terminal code. A few seconds; the full run with plots is `cargo xtask herd`.
pub fn smoke(root: &Path) -> anyhow::Result<()> {
    eprintln!("==> herd smoke run: seeded fleets on Rust, TypeScript and Go must agree exactly");
    let out = workspace::scratch("herd-smoke");
    let programs = Programs::prepare_without_anchor(root, &out)?;
    let options = Options { clients: 3_000, capacity_per_second: 300, seed: 7, out: None };
    for scenario in scenarios(&options, Some(options.seed)) {
        let rust = programs.run(Runtime::Rust, &scenario)?;
        for runtime in [Runtime::TypeScript, Runtime::Go] {
            let other = programs.run(runtime, &scenario)?;
            ensure!(
                rust.same_outcome(&other),
                "{}: {} differs from Rust with the same seeds",
                scenario.name,
                runtime.label()
            );
        }
        ensure!(rust.zero_delays == 0 && rust.terminal_reconnects == 0, "{}: {rust:?}", scenario.name);
        ensure!(
            rust.stopped + rust.gave_up + rust.reconnected_at.iter().filter(|at| **at >= 0.0).count() as u64 == 3_000
        );
    }
    Ok(())
}
