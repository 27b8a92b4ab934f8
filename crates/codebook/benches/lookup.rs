//! Lookup speed of the generated enums against the `http` crate's status codes, in one run.
//!
//! Each pair measures one call, the way a client handles one close or error: every iteration takes
//! the next number of a fixed list of 64 (known and unknown mixed, through `black_box` so nothing
//! is constant-folded or vectorised), on both sides. Pairs: `from_code` vs `StatusCode::from_u16`;
//! known-code-and-text vs `from_u16` plus `canonical_reason`; classifying an unregistered number
//! (`behaviour_of`) vs `from_u16` plus a class predicate; the wire message vs
//! `canonical_reason`; `Display` into a reused buffer. After criterion has measured everything,
//! the bench prints ours / http for each pair from criterion's own estimates (below 1.0 means
//! faster than `http`). Run: `cargo bench -p codebook --bench lookup`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;

use codebook::centrifugo_disconnect::CentrifugoDisconnect;
use criterion::{Criterion, criterion_group};

/// 64 close codes: every registered disconnect code plus unregistered ones from every range.
fn close_numbers() -> Vec<u16> {
    let mut numbers: Vec<u16> = CentrifugoDisconnect::ALL.iter().map(|code| code.code()).collect();
    let mut unknown = 2990u16;
    while numbers.len() < 64 {
        numbers.push(unknown);
        unknown = unknown.wrapping_add(97);
    }
    numbers
}

/// 64 HTTP statuses: every known one first, then unknown valid numbers.
fn http_numbers() -> Vec<u16> {
    let mut numbers: Vec<u16> =
        (100..600).filter(|n| http::StatusCode::from_u16(*n).unwrap().canonical_reason().is_some()).collect();
    numbers.truncate(40);
    let mut unknown = 109u16;
    while numbers.len() < 64 {
        numbers.push(unknown);
        unknown += 13;
    }
    numbers
}

/// Times one call of `call` per iteration, on the next of 64 inputs (`inputs` repeated) each time.
fn one_call_each<T: Copy, R>(bencher: &mut criterion::Bencher<'_>, inputs: &[T], mut call: impl FnMut(T) -> R) {
    let cycle: Vec<T> = inputs.iter().copied().cycle().take(64).collect();
    let mut next = 0;
    bencher.iter(|| {
        next = (next + 1) & 63;
        call(black_box(cycle[next]))
    })
}

fn from_code(c: &mut Criterion) {
    let (ours, theirs) = (close_numbers(), http_numbers());
    let mut group = c.benchmark_group("from_code");
    group.bench_function("codebook", |b| one_call_each(b, &ours, |n| CentrifugoDisconnect::from_code(n).is_some()));
    group.bench_function("http", |b| one_call_each(b, &theirs, |n| http::StatusCode::from_u16(n).is_ok()));
    group.finish();
}

/// The question a client asks of a number: is it known, and what is its text?
fn lookup_message(c: &mut Criterion) {
    let (ours, theirs) = (close_numbers(), http_numbers());
    let mut group = c.benchmark_group("lookup_message");
    group.bench_function("codebook", |b| {
        one_call_each(b, &ours, |n| CentrifugoDisconnect::from_code(n).map(CentrifugoDisconnect::message))
    });
    group.bench_function("http", |b| {
        one_call_each(b, &theirs, |n| http::StatusCode::from_u16(n).ok().and_then(|s| s.canonical_reason()))
    });
    group.finish();
}

fn classify_unknown(c: &mut Criterion) {
    let ours: Vec<u16> =
        close_numbers().into_iter().filter(|n| CentrifugoDisconnect::from_code(*n).is_none()).collect();
    let theirs: Vec<u16> = http_numbers().into_iter().skip(40).collect();
    let mut group = c.benchmark_group("classify_unknown");
    group.bench_function("codebook", |b| {
        one_call_each(b, &ours, |n| CentrifugoDisconnect::behaviour_of(n).should_reconnect())
    });
    group.bench_function("http", |b| {
        one_call_each(b, &theirs, |n| http::StatusCode::from_u16(n).is_ok_and(|s| s.is_client_error()))
    });
    group.finish();
}

fn message(c: &mut Criterion) {
    let ours: Vec<CentrifugoDisconnect> = CentrifugoDisconnect::ALL.to_vec();
    let theirs: Vec<http::StatusCode> =
        http_numbers().into_iter().take(ours.len()).map(|n| http::StatusCode::from_u16(n).unwrap()).collect();
    let mut group = c.benchmark_group("message");
    group.bench_function("codebook", |b| one_call_each(b, &ours, |code| code.message().len()));
    group.bench_function("http", |b| one_call_each(b, &theirs, |status| status.canonical_reason().map_or(0, str::len)));
    group.finish();
}

fn display(c: &mut Criterion) {
    let ours: Vec<CentrifugoDisconnect> = CentrifugoDisconnect::ALL.to_vec();
    let theirs: Vec<http::StatusCode> =
        http_numbers().into_iter().take(ours.len()).map(|n| http::StatusCode::from_u16(n).unwrap()).collect();
    let mut group = c.benchmark_group("display");
    let mut buffer = String::with_capacity(256);
    group.bench_function("codebook", |b| {
        one_call_each(b, &ours, |code| {
            buffer.clear();
            write!(buffer, "{code}").unwrap();
            buffer.len()
        })
    });
    group.bench_function("http", |b| {
        one_call_each(b, &theirs, |status| {
            buffer.clear();
            write!(buffer, "{status}").unwrap();
            buffer.len()
        })
    });
    group.finish();
}

criterion_group!(benches, from_code, lookup_message, classify_unknown, message, display);

fn point_estimate(group: &str, function: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let path = target.join("criterion").join(group).join(function).join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    println!("\n{:<18} {:>14} {:>14} {:>8}", "pair", "codebook (ns)", "http (ns)", "ratio");
    for group in ["from_code", "lookup_message", "classify_unknown", "message", "display"] {
        if let (Some(ours), Some(theirs)) = (point_estimate(group, "codebook"), point_estimate(group, "http")) {
            println!("{group:<18} {ours:>14.1} {theirs:>14.1} {:>8.2}", ours / theirs);
        }
    }
}
