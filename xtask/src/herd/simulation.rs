//! The simulation, the same in all three languages (`herd.mjs` and `go/main.go` under
//! `xtask/herd/` repeat it): every client is closed at time 0 with the scenario's code. A client
//! whose code does not try again stops. Otherwise it draws its delay for attempt 0 (elapsed time
//! 0) and arrives after it. Arrivals are processed in 100 ms ticks, in order of arrival time then
//! client number; with unlimited capacity every arrival reconnects, with a capacity of K sessions
//! per second the server admits K/10 per tick and closes the rest with the same code again, so
//! they draw the next attempt's delay (elapsed: the arrival time) until the hint gives up. Seeded
//! mode gives client `i` its own `Mulberry32(seed + i)`, so the three runtimes must produce
//! identical arrays; default mode must agree within noise. This module is the Rust side, run
//! in-process, and the figures every run is judged by.

use anyhow::{bail, ensure};
use codebook::{BackoffHint, Behaviour, CodeFamily, Jitter, Mulberry32, random_u32};
use serde::{Deserialize, Serialize};

use std::path::PathBuf;

pub const TICK_MS: u64 = 100;

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
    pub fn same_outcome(&self, other: &RunResult) -> bool {
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
pub fn classify(family: &str, code: u16) -> anyhow::Result<(Option<BackoffHint>, Behaviour)> {
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
