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

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail, ensure};
use codebook::{BackoffHint, Behaviour, CodeFamily, Jitter, Mulberry32, random_u32};
use serde::{Deserialize, Serialize};

use crate::test_suite::{run_step, workspace_root};

const TICK_MS: u64 = 100;

/// One runtime's fleet figures in a scenario: p50 and p99 in ms, and peak over mean arrivals.
type RuntimeFigures = (Runtime, Option<f64>, Option<f64>, Option<f64>);

/// What `cargo xtask herd` simulates.
pub struct Options {
    pub clients: usize,
    /// New sessions per second the server admits in the capacity scenario.
    pub capacity_per_second: usize,
    pub seed: u32,
    pub out: Option<PathBuf>,
}

/// One scenario as every runtime's program reads it.
#[derive(Clone, Serialize)]
pub struct Scenario {
    #[serde(skip)]
    pub name: &'static str,
    #[serde(skip)]
    pub title: String,
    pub family: &'static str,
    pub code: u16,
    pub clients: usize,
    /// Sessions admitted per 100 ms tick; 0: unlimited.
    pub capacity_per_tick: usize,
    /// `None`: the runtime's default (real) randomness.
    pub seed: Option<u32>,
}

/// What one run reports; times in milliseconds, -1 for "never".
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct RunResult {
    pub zero_delays: u64,
    pub terminal_reconnects: u64,
    pub gave_up: u64,
    pub stopped: u64,
    pub arrivals: Vec<u64>,
    pub first_delays: Vec<f64>,
    pub reconnected_at: Vec<f64>,
    #[serde(default)]
    pub elapsed_ms: f64,
}

impl RunResult {
    /// Equal in everything but the time the run took.
    fn same_outcome(&self, other: &RunResult) -> bool {
        RunResult { elapsed_ms: 0.0, ..self.clone() } == RunResult { elapsed_ms: 0.0, ..other.clone() }
    }
}

/// What a client does after a close, in the simulation's terms.
enum Next {
    Stop,
    GiveUp,
    Wait(u32),
}

/// The code's backoff hint (None: the action does not try again) and behaviour, from the
/// `codebook` crate's generated families.
fn classify(family: &str, code: u16) -> anyhow::Result<(Option<BackoffHint>, Behaviour)> {
    fn of<F: CodeFamily>(code: u16) -> (Option<BackoffHint>, Behaviour) {
        let classified = F::classify(code);
        (classified.backoff, classified.behaviour)
    }
    Ok(match family {
        "streaming-session" => of::<codebook::streaming_session::StreamingSession>(code),
        "centrifugo-disconnect" => of::<codebook::centrifugo_disconnect::CentrifugoDisconnect>(code),
        "centrifugo-error" => of::<codebook::centrifugo_error::CentrifugoError>(code),
        other => bail!("unknown family {other}"),
    })
}

/// The formula before the fix, for the "before" row: attempt `n` drew from
/// `[min, min(max, min * 2^n)]`, so attempt 0 had no jitter at all.
fn previous_formula(hint: &BackoffHint, attempt: u32, random: u32) -> u32 {
    let ceiling = (u64::from(hint.min_ms) << attempt.min(32)).min(u64::from(hint.max_ms)) as u32;
    match hint.jitter {
        Jitter::None => ceiling,
        Jitter::Full => {
            hint.min_ms
                + (f64::from(random) / 4_294_967_296.0 * (f64::from(ceiling - hint.min_ms) + 1.0)).floor() as u32
        }
    }
}

/// The Rust run, in-process: `formula_before_fix` swaps in [`previous_formula`].
pub fn simulate_rust(scenario: &Scenario, formula_before_fix: bool) -> anyhow::Result<RunResult> {
    let (hint, behaviour) = classify(scenario.family, scenario.code)?;
    let mut sources: Option<Vec<Mulberry32>> = scenario
        .seed
        .map(|seed| (0..scenario.clients).map(|client| Mulberry32::new(seed.wrapping_add(client as u32))).collect());
    let mut terminal_reconnects = 0;
    let mut next = |client: usize, attempt: u32, elapsed: u64| -> Next {
        let Some(hint) = hint else { return Next::Stop };
        if behaviour == Behaviour::Terminal {
            terminal_reconnects += 1;
        }
        let random = match &mut sources {
            Some(sources) => sources[client].next_u32(),
            None => random_u32(),
        };
        if formula_before_fix {
            return Next::Wait(previous_formula(&hint, attempt, random));
        }
        hint.delay_ms(attempt, elapsed, random).map_or(Next::GiveUp, Next::Wait)
    };
    let started = std::time::Instant::now();
    let mut result = simulate(scenario, &mut next)?;
    result.terminal_reconnects = terminal_reconnects;
    result.elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    Ok(result)
}

fn simulate(scenario: &Scenario, next: &mut dyn FnMut(usize, u32, u64) -> Next) -> anyhow::Result<RunResult> {
    let n = scenario.clients;
    ensure!(n > 0 && n < 1 << 20, "clients must be from 1 to 2^20 - 1");
    let mut fleet = Fleet {
        result: RunResult { first_delays: vec![-1.0; n], reconnected_at: vec![-1.0; n], ..RunResult::default() },
        attempts: vec![0; n],
        buckets: Vec::new(),
    };
    for client in 0..n {
        fleet.closed(next, client, 0, None)?;
    }
    let mut tick = 0;
    while tick < fleet.buckets.len() {
        let mut keys = std::mem::take(&mut fleet.buckets[tick]);
        fleet.result.arrivals.push(keys.len() as u64);
        keys.sort_unstable();
        for (admitted, key) in keys.into_iter().enumerate() {
            let (at, client) = (key >> 20, (key & ((1 << 20) - 1)) as usize);
            if scenario.capacity_per_tick == 0 || admitted < scenario.capacity_per_tick {
                fleet.result.reconnected_at[client] = at as f64;
            } else {
                fleet.closed(next, client, at, Some(tick))?;
            }
        }
        tick += 1;
    }
    Ok(fleet.result)
}

/// The simulation's state: per client its attempt count, and arrivals by 100 ms tick, each as
/// `arrival time << 20 | client` so sorting orders by time, then client.
struct Fleet {
    result: RunResult,
    attempts: Vec<u32>,
    buckets: Vec<Vec<u64>>,
}

impl Fleet {
    /// Client `client` was closed with the scenario's code at `now` (while `tick` is processed).
    fn closed(
        &mut self,
        next: &mut dyn FnMut(usize, u32, u64) -> Next,
        client: usize,
        now: u64,
        tick: Option<usize>,
    ) -> anyhow::Result<()> {
        let delay = match next(client, self.attempts[client], now) {
            Next::Stop => {
                self.result.stopped += 1;
                return Ok(());
            }
            Next::GiveUp => {
                self.result.gave_up += 1;
                return Ok(());
            }
            Next::Wait(delay) => delay,
        };
        if delay == 0 {
            self.result.zero_delays += 1;
        }
        if self.attempts[client] == 0 {
            self.result.first_delays[client] = f64::from(delay);
        }
        self.attempts[client] += 1;
        let at = now + u64::from(delay);
        let bucket = (at / TICK_MS) as usize;
        ensure!(tick.is_none_or(|tick| bucket > tick), "a retry after {delay} ms lands in the tick being processed");
        if self.buckets.len() <= bucket {
            self.buckets.resize_with(bucket + 1, Vec::new);
        }
        self.buckets[bucket].push(at << 20 | client as u64);
        Ok(())
    }
}

/// The figures the report shows for one run.
#[derive(Debug)]
pub struct Figures {
    /// First tick and one past the last tick of the spread window.
    pub window_ticks: (usize, usize),
    pub peak_over_mean: Option<f64>,
    pub peak_per_tick: u64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// When the last client reconnected, if every client did.
    pub fleet_back_ms: Option<f64>,
    pub reconnected: usize,
}

/// Peak/mean over the spread window: from the smallest to the largest first delay, at least
/// `min_width_ms` wide, counted over the 100 ms ticks that lie wholly inside it.
pub fn figures(result: &RunResult, min_width_ms: u32) -> Figures {
    let first: Vec<f64> = result.first_delays.iter().copied().filter(|delay| *delay >= 0.0).collect();
    let mut reconnected: Vec<f64> = result.reconnected_at.iter().copied().filter(|at| *at >= 0.0).collect();
    reconnected.sort_by(f64::total_cmp);
    let quantile = |q: f64| -> Option<f64> {
        (!reconnected.is_empty()).then(|| reconnected[((reconnected.len() - 1) as f64 * q).round() as usize])
    };
    let (window_ticks, peak_over_mean) = if first.is_empty() {
        ((0, 0), None)
    } else {
        let low = first.iter().copied().fold(f64::INFINITY, f64::min) as u64;
        let high = (first.iter().copied().fold(0.0, f64::max) as u64).max(low + u64::from(min_width_ms));
        let (mut from, mut to) = (low.div_ceil(TICK_MS) as usize, ((high + 1) / TICK_MS) as usize);
        if to <= from {
            (from, to) = ((low / TICK_MS) as usize, (high / TICK_MS) as usize + 1);
        }
        let ticks: Vec<u64> = (from..to).map(|tick| result.arrivals.get(tick).copied().unwrap_or(0)).collect();
        let peak = ticks.iter().copied().max().unwrap_or(0) as f64;
        let mean = ticks.iter().sum::<u64>() as f64 / ticks.len() as f64;
        ((from, to), (mean > 0.0).then(|| peak / mean))
    };
    let everyone_back = reconnected.len() == result.reconnected_at.len();
    Figures {
        window_ticks,
        peak_over_mean,
        peak_per_tick: result.arrivals.iter().copied().max().unwrap_or(0),
        p50_ms: quantile(0.5),
        p99_ms: quantile(0.99),
        fleet_back_ms: everyone_back.then(|| reconnected.last().copied()).flatten(),
        reconnected: reconnected.len(),
    }
}

/// The three scenarios of the issue.
pub fn scenarios(options: &Options, seed: Option<u32>) -> Vec<Scenario> {
    let clients = options.clients;
    vec![
        Scenario {
            name: "shutdown-3001",
            title: format!("{clients} clients closed at once with centrifugo-disconnect 3001 \"shutdown\""),
            family: "centrifugo-disconnect",
            code: 3001,
            clients,
            capacity_per_tick: 0,
            seed,
        },
        Scenario {
            name: "capacity-4001",
            title: format!(
                "{clients} clients closed with streaming-session 4001 \"No Worker Node Available\"; the server admits {} new sessions/s and answers the rest 4001 again",
                options.capacity_per_second
            ),
            family: "streaming-session",
            code: 4001,
            clients,
            capacity_per_tick: (options.capacity_per_second / 10).max(1),
            seed,
        },
        Scenario {
            name: "terminal-3500",
            title: format!("{clients} clients closed with centrifugo-disconnect 3500 \"invalid token\""),
            family: "centrifugo-disconnect",
            code: 3500,
            clients,
            capacity_per_tick: 0,
            seed,
        },
    ]
}

/// The external programs, built once.
struct Programs {
    root: PathBuf,
    go_binary: PathBuf,
}

impl Programs {
    fn prepare(root: &Path, out: &Path) -> anyhow::Result<Programs> {
        let typescript = root.join("bindings/typescript");
        if !typescript.join("node_modules").exists() {
            run_step("npm", &["ci", "--no-audit", "--no-fund"], &typescript)?;
        }
        let tsc = typescript.join("node_modules/.bin/tsc");
        run_step(tsc.to_str().context("UTF-8 path")?, &["-p", "tsconfig.json"], &typescript)?;
        let herd = root.join("xtask/herd");
        run_step("npm", &["ci", "--no-audit", "--no-fund"], &herd)?;
        let go_binary = out.join("herd-go");
        let go_out = go_binary.to_str().context("UTF-8 path")?;
        eprintln!("==> go build -o {go_out} (in xtask/herd/go)");
        let status = Command::new("go")
            .args(["build", "-mod=mod", "-o", go_out, "."])
            .env("GOTOOLCHAIN", "local")
            .current_dir(herd.join("go"))
            .status()
            .context("cannot start go")?;
        ensure!(status.success(), "go build of the herd program failed: {status}");
        Ok(Programs { root: root.to_path_buf(), go_binary })
    }

    /// The Go program built for the smoke run (the TypeScript binding is built by then).
    fn prepare_without_anchor(root: &Path, out: &Path) -> anyhow::Result<Programs> {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        let go_binary = out.join("herd-go");
        let status = Command::new("go")
            .args(["build", "-mod=mod", "-o", go_binary.to_str().context("UTF-8 path")?, "."])
            .env("GOTOOLCHAIN", "local")
            .current_dir(root.join("xtask/herd/go"))
            .status()
            .context("cannot start go")?;
        ensure!(status.success(), "go build of the herd program failed: {status}");
        Ok(Programs { root: root.to_path_buf(), go_binary })
    }

    fn run(&self, runtime: Runtime, scenario: &Scenario) -> anyhow::Result<RunResult> {
        let json = serde_json::to_string(scenario)?;
        let output = match runtime {
            Runtime::Rust => return simulate_rust(scenario, false),
            Runtime::RustBeforeFix => return simulate_rust(scenario, true),
            Runtime::TypeScript | Runtime::CentrifugeJs => {
                let mut value: serde_json::Value = serde_json::from_str(&json)?;
                value["policy"] = (if runtime == Runtime::CentrifugeJs { "centrifuge-js" } else { "binding" }).into();
                let dist = self.root.join("bindings/typescript/dist/index.js");
                Command::new("node")
                    .arg(self.root.join("xtask/herd/herd.mjs"))
                    .arg(dist.to_str().context("UTF-8 path")?)
                    .arg(value.to_string())
                    .output()
                    .context("cannot start node")?
            }
            Runtime::Go => {
                Command::new(&self.go_binary).arg(&json).output().context("cannot start the Go herd program")?
            }
        };
        ensure!(
            output.status.success(),
            "the {} herd run failed: {}",
            runtime.label(),
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout)
            .with_context(|| format!("the {} herd run wrote bad JSON", runtime.label()))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Runtime {
    Rust,
    TypeScript,
    Go,
    CentrifugeJs,
    RustBeforeFix,
}

impl Runtime {
    fn label(self) -> &'static str {
        match self {
            Runtime::Rust => "Rust (random_u32)",
            Runtime::TypeScript => "TypeScript (randomU32)",
            Runtime::Go => "Go (RandomUint32)",
            Runtime::CentrifugeJs => "anchor: centrifuge-js 5.7.4",
            Runtime::RustBeforeFix => "before the fix (attempt 0 unjittered)",
        }
    }
}

fn seconds(ms: Option<f64>) -> String {
    ms.map_or_else(|| "-".to_string(), |ms| format!("{:.2} s", ms / 1_000.0))
}

pub fn run(options: &Options) -> anyhow::Result<()> {
    let root = workspace_root();
    let out = options.out.clone().unwrap_or_else(|| root.join("target/herd"));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let programs = Programs::prepare(&root, &out)?;
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
    let out =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from).join("herd-smoke");
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

/// Arrivals per 100 ms over time, one panel per run, on a shared time axis; each panel scaled to
/// its own peak (written beside it). Long runs are drawn at most 400 columns wide, each column the
/// largest tick it covers, so a peak is never averaged away.
fn plot(scenario: &Scenario, panels: &[(String, Vec<u64>, Figures)]) -> String {
    const WIDTH: f64 = 640.0;
    const LEFT: f64 = 60.0;
    const PANEL: f64 = 70.0;
    const GAP: f64 = 28.0;
    const COLUMNS: usize = 400;
    let ticks = panels.iter().map(|(_, arrivals, _)| arrivals.len()).max().unwrap_or(1).max(1);
    let per_column = ticks.div_ceil(COLUMNS);
    let columns = ticks.div_ceil(per_column);
    let column_width = WIDTH / columns as f64;
    let height = 40.0 + panels.len() as f64 * (PANEL + GAP) + 20.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<text x=\"{LEFT}\" y=\"18\" font-size=\"13\">Arrivals per 100 ms: {}</text>\n",
        xml(&scenario.title),
        xml(scenario.name),
        w = LEFT + WIDTH + 20.0,
    );
    for (index, (label, arrivals, figures)) in panels.iter().enumerate() {
        let top = 40.0 + index as f64 * (PANEL + GAP);
        let base = top + PANEL;
        let values: Vec<u64> = (0..columns)
            .map(|column| arrivals.iter().skip(column * per_column).take(per_column).copied().max().unwrap_or(0))
            .collect();
        let peak = values.iter().copied().max().unwrap_or(0).max(1) as f64;
        let mut path = format!("M{LEFT:.0},{base:.0}");
        for (column, value) in values.iter().enumerate() {
            let x = LEFT + column as f64 * column_width;
            let y = base - *value as f64 / peak * PANEL;
            let _ = write!(path, "V{y:.1}H{:.1}", x + column_width);
        }
        let _ = write!(path, "V{base:.0}Z");
        let ratio = figures.peak_over_mean.map_or_else(String::new, |ratio| format!(", peak/mean {ratio:.2}"));
        let _ = writeln!(
            svg,
            "<text x=\"{LEFT}\" y=\"{:.0}\">{}{ratio}, p99 {}</text>\n<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>\n<text x=\"{:.0}\" y=\"{base:.0}\" text-anchor=\"end\">0</text>\n<path d=\"{path}\" fill=\"#4a7ebb\"/>\n<line x1=\"{LEFT}\" y1=\"{base:.0}\" x2=\"{:.0}\" y2=\"{base:.0}\" stroke=\"#444\"/>",
            top - 4.0,
            xml(label),
            seconds(figures.p99_ms),
            LEFT - 4.0,
            top + 8.0,
            peak as u64,
            LEFT - 4.0,
            LEFT + WIDTH,
        );
    }
    let axis = 40.0 + panels.len() as f64 * (PANEL + GAP) - GAP + 14.0;
    let total_seconds = ticks as f64 / 10.0;
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0]
        .into_iter()
        .find(|step| total_seconds / step <= 10.0)
        .unwrap_or(1_800.0);
    let mut second = 0.0;
    while second <= total_seconds {
        let x = LEFT + second / total_seconds * WIDTH;
        let _ = writeln!(svg, "<text x=\"{x:.0}\" y=\"{axis:.0}\" text-anchor=\"middle\">{second} s</text>");
        second += step;
    }
    svg.push_str("</svg>\n");
    svg
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(seed: Option<u32>) -> Vec<Scenario> {
        scenarios(&Options { clients: 20_000, capacity_per_second: 2_000, seed: 1, out: None }, seed)
    }

    /// A small in-process run of every scenario: the fleet spreads, nothing waits zero, nothing
    /// reconnects on a terminal code, and the formula before the fix is caught herding.
    #[test]
    fn the_rust_runtime_spreads_a_small_fleet() {
        let [shutdown, capacity, terminal] = <[Scenario; 3]>::try_from(small(None)).ok().unwrap();
        let result = simulate_rust(&shutdown, false).unwrap();
        let figures = figures(&result, 5_000);
        assert_eq!(result.zero_delays, 0);
        assert_eq!(figures.reconnected, 20_000);
        assert!(figures.peak_over_mean.unwrap() < 1.5, "{figures:?}");
        // Delays are whole milliseconds in [5000, 10000]: the window's first whole tick is 50, or
        // 51 when no client drew exactly 5000 ms (about 2% of runs); its end is 100, or 99 when no
        // client drew 9999 or 10000.
        let (from, to) = figures.window_ticks;
        assert!((50..=51).contains(&from) && (99..=100).contains(&to), "{figures:?}");
        let before = super::figures(&simulate_rust(&shutdown, true).unwrap(), 5_000);
        assert!(before.peak_over_mean.unwrap() > 10.0, "{before:?}");

        let result = simulate_rust(&capacity, false).unwrap();
        assert_eq!((result.zero_delays, result.terminal_reconnects), (0, 0));
        let figures = super::figures(&result, 5_000);
        assert!(figures.fleet_back_ms.unwrap() >= 10_000.0, "{figures:?}");
        assert!(result.arrivals.len() > 100);

        let result = simulate_rust(&terminal, false).unwrap();
        assert_eq!((result.stopped, result.terminal_reconnects), (20_000, 0));
        assert!(result.arrivals.is_empty());
    }

    #[test]
    fn seeded_runs_repeat_exactly() {
        let scenario = &small(Some(7))[1];
        assert!(simulate_rust(scenario, false).unwrap().same_outcome(&simulate_rust(scenario, false).unwrap()));
    }
}
