//! The Markdown report of `cargo xtask herd`: every scenario on every runtime, the goals each
//! run is held to, the runtimes' agreement in default and seeded mode, and the arrivals of every
//! run as CSV beside the plots.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use super::plot::{plot, seconds};
use super::runners::{Programs, Runtime};
use super::simulation::{Figures, Options, Scenario, TICK_MS, classify, figures, scenarios};

/// One runtime's fleet figures in a scenario: p50 and p99 in ms, and peak over mean arrivals.
type RuntimeFigures = (Runtime, Option<f64>, Option<f64>, Option<f64>);

/// Runs every scenario and writes the report, CSV files and plots into `out`; returns the report
/// and the goals missed.
pub fn write(options: &Options, programs: &Programs, out: &Path) -> anyhow::Result<(String, Vec<String>)> {
    let mut report = String::new();
    let mut failures = Vec::new();
    let _ = writeln!(
        report,
        "# Herd simulation\n\n{} clients per scenario, 100 ms ticks, default (real) randomness per client unless seeded.\n",
        options.clients
    );
    for scenario in scenarios(options, None) {
        let (hint, _) = classify(scenario.family, scenario.code)?;
        let min_width = hint.map_or(0, |hint| hint.min_ms.max(1));
        let mut runtimes = vec![Runtime::Rust, Runtime::TypeScript, Runtime::Go, Runtime::CentrifugeJs];
        if scenario.name == "shutdown-3001" {
            runtimes.push(Runtime::RustBeforeFix);
        }
        let _ = writeln!(report, "## {}\n\n{}\n", scenario.name, scenario.title);
        if let Some(hint) = hint {
            let _ = writeln!(report, "Hint: {}\n", hint.describe());
        }
        let _ = writeln!(
            report,
            "| runtime | peak/mean (window) | peak per 100 ms | p50 | p99 | whole fleet back | reconnected | gave up | stopped | zero delays | reconnects on a terminal code | run time |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
        );
        let mut panels = Vec::new();
        let mut ours: Vec<RuntimeFigures> = Vec::new();
        for runtime in runtimes {
            eprintln!("==> herd {} on {}", scenario.name, runtime.label());
            let result = programs.run(runtime, &scenario)?;
            let width = if runtime == Runtime::CentrifugeJs { 500 } else { min_width };
            let figures = figures(&result, width);
            let (from, to) = figures.window_ticks;
            let _ = writeln!(
                report,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} ms |",
                runtime.label(),
                figures.peak_over_mean.map_or_else(
                    || "-".to_string(),
                    |ratio| format!("{ratio:.2} ({:.1}-{:.1} s)", from as f64 / 10.0, to as f64 / 10.0)
                ),
                figures.peak_per_tick,
                seconds(figures.p50_ms),
                seconds(figures.p99_ms),
                seconds(figures.fleet_back_ms),
                figures.reconnected,
                result.gave_up,
                result.stopped,
                result.zero_delays,
                result.terminal_reconnects,
                result.elapsed_ms,
            );
            if matches!(runtime, Runtime::Rust | Runtime::TypeScript | Runtime::Go) {
                if result.zero_delays != 0 {
                    failures.push(format!("{} {}: {} zero delays", scenario.name, runtime.label(), result.zero_delays));
                }
                if result.terminal_reconnects != 0 {
                    failures.push(format!(
                        "{} {}: {} reconnects on a terminal code",
                        scenario.name,
                        runtime.label(),
                        result.terminal_reconnects
                    ));
                }
                if figures.peak_over_mean.is_some_and(|ratio| ratio > 1.5) {
                    failures.push(format!(
                        "{} {}: peak/mean {:.2} > 1.5",
                        scenario.name,
                        runtime.label(),
                        figures.peak_over_mean.unwrap_or(0.0)
                    ));
                }
                ours.push((runtime, figures.p50_ms, figures.p99_ms, figures.peak_over_mean));
            }
            panels.push((runtime.label().to_string(), result.arrivals.clone(), figures));
        }
        // Agreement in default mode: the three runtimes' medians and 99th percentiles within 2%.
        let spread = |pick: &dyn Fn(&RuntimeFigures) -> Option<f64>| -> Option<f64> {
            let values: Vec<f64> = ours.iter().filter_map(pick).collect();
            let (low, high) = values.iter().fold((f64::INFINITY, 0.0f64), |(low, high), v| (low.min(*v), high.max(*v)));
            (values.len() == ours.len() && high > 0.0).then(|| (high - low) / high)
        };
        let (p50_spread, p99_spread) = (spread(&|row| row.1), spread(&|row| row.2));
        let _ = writeln!(
            report,
            "\nRuntimes agree: p50 within {}, p99 within {} of each other (goal: 2%).",
            p50_spread.map_or_else(|| "-".to_string(), |s| format!("{:.2}%", s * 100.0)),
            p99_spread.map_or_else(|| "-".to_string(), |s| format!("{:.2}%", s * 100.0)),
        );
        if p50_spread.is_some_and(|s| s > 0.02) || p99_spread.is_some_and(|s| s > 0.02) {
            failures.push(format!("{}: the runtimes disagree beyond 2%", scenario.name));
        }
        // Seeded mode: identical results in all three.
        let seeded = Scenario { seed: Some(options.seed), ..scenario.clone() };
        let rust = programs.run(Runtime::Rust, &seeded)?;
        let typescript = programs.run(Runtime::TypeScript, &seeded)?;
        let go = programs.run(Runtime::Go, &seeded)?;
        let identical = rust.same_outcome(&typescript) && rust.same_outcome(&go);
        let _ = writeln!(
            report,
            "Seeded mode (client i draws from Mulberry32({} + i)): Rust, TypeScript and Go results {}.\n",
            options.seed,
            if identical { "identical (every arrival count, first delay and reconnect time)" } else { "DIFFER" }
        );
        if !identical {
            failures.push(format!("{}: seeded runs differ between runtimes", scenario.name));
        }
        if panels.iter().any(|(_, arrivals, _)| arrivals.iter().any(|count| *count > 0)) {
            std::fs::write(out.join(format!("herd-{}.csv", scenario.name)), arrivals_csv(&panels))?;
            let svg = plot(&scenario, &panels);
            let file = format!("herd-{}.svg", scenario.name);
            std::fs::write(out.join(&file), svg).with_context(|| format!("cannot write {file}"))?;
            let _ =
                writeln!(report, "Plot: `{file}`; arrivals per 100 ms of every run: `herd-{}.csv`.\n", scenario.name);
        } else {
            let _ = writeln!(report, "No client reconnects in any runtime: nothing to plot.\n");
        }
    }
    let report_path = out.join("report.md");
    std::fs::write(&report_path, &report).with_context(|| format!("cannot write {}", report_path.display()))?;
    Ok((report, failures))
}

/// Arrivals per 100 ms tick, one column per run.
fn arrivals_csv(panels: &[(String, Vec<u64>, Figures)]) -> String {
    let ticks = panels.iter().map(|(_, arrivals, _)| arrivals.len()).max().unwrap_or(0);
    let mut csv = String::from("start_ms");
    for (label, _, _) in panels {
        let _ = write!(csv, ",\"{}\"", label.replace('"', "'"));
    }
    csv.push('\n');
    for tick in 0..ticks {
        let _ = write!(csv, "{}", tick as u64 * TICK_MS);
        for (_, arrivals, _) in panels {
            let _ = write!(csv, ",{}", arrivals.get(tick).copied().unwrap_or(0));
        }
        csv.push('\n');
    }
    csv
}
