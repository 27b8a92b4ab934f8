//! Phase 4, scale (`cargo xtask soak --only scale`; not part of the default run): the portal and
//! the static export on synthetic registries of 10,000 and 100,000 codes, against issue 24's
//! targets, each figure printed with its ratio to the target:
//!
//! - start: process start to the first answered `/healthz`, wall and CPU (user + system from
//!   `/proc/PID/stat`), and VmRSS then;
//! - VmRSS after a crawl: every family page, `/api/codes`, and 20,000 code pages and code JSON
//!   spread over every family, asked with browser, gzip-only and no `Accept-Encoding` in turn;
//! - search that never blocks: `/healthz` timed alone (one request a millisecond), then while 8
//!   clients search distinct queries (cache misses) for 10 s; the searches' own latency;
//! - `site export`: wall, CPU and peak RSS (`/usr/bin/time`), files and bytes written, and the
//!   growth from 10,000 to 100,000 codes (linear is 10x).
//!
//! Search's CPU cost per query in process is `cargo bench -p site --bench search_scale`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};

use super::portal::Portal;
use super::raw_http::{Outcome, connect, read_reply, request_text};
use crate::synth;

/// Issue 24's targets.
const START_SECS: f64 = 2.0;
const CRAWL_RSS_MB: f64 = 300.0;
const HEALTHZ_P50_MS: f64 = 5.0;
const EXPORT_SECS: f64 = 60.0;
const EXPORT_MB: f64 = 500.0;

/// Code pages (and as many code JSON answers) a crawl asks for.
const CRAWL_CODES: usize = 10_000;
/// Clients searching at once, and for how long.
const SEARCHERS: usize = 8;
const SEARCH_SECS: u64 = 10;

pub(super) fn scale(site: &Path, scratch: &Path, summary: &mut String) -> anyhow::Result<()> {
    let mut exports = Vec::new();
    for count in [10_000, 100_000] {
        let codes = scratch.join(format!("synth-{count}.yaml"));
        std::fs::write(&codes, synth::registry_text(count))
            .with_context(|| format!("cannot write {}", codes.display()))?;
        let codes_arg = codes.to_str().context("UTF-8 scratch path")?;
        eprintln!("==> scale: {count} codes");
        let _ = writeln!(summary, "scale, {count} codes ({} MB registry):", file_mb(&codes));
        portal_at_scale(site, scratch, codes_arg, count, summary)?;
        let export = export_at_scale(site, scratch, codes_arg)?;
        let _ = writeln!(
            summary,
            "  site export: {:.1} s wall ({:.2}x the {EXPORT_SECS} s target), {:.1} s CPU (user {:.1} + sys {:.1}), \
             peak RSS {:.0} MB ({:.2}x the {EXPORT_MB} MB target); {} files, {:.0} MB",
            export.wall,
            export.wall / EXPORT_SECS,
            export.user + export.system,
            export.user,
            export.system,
            export.peak_mb,
            export.peak_mb / EXPORT_MB,
            export.files,
            export.bytes as f64 / 1e6,
        );
        exports.push(export);
        std::fs::remove_file(&codes).ok();
    }
    if let [small, large] = &exports[..] {
        let _ = writeln!(
            summary,
            "export growth for 10x the codes: {:.1}x wall, {:.1}x CPU, {:.1}x files, {:.1}x bytes (linear: 10x)",
            large.wall / small.wall,
            (large.user + large.system) / (small.user + small.system),
            large.files as f64 / small.files as f64,
            large.bytes as f64 / small.bytes as f64,
        );
    }
    Ok(())
}

fn file_mb(path: &Path) -> String {
    std::fs::metadata(path).map_or_else(|_| "?".into(), |meta| format!("{:.1}", meta.len() as f64 / 1e6))
}

fn portal_at_scale(site: &Path, scratch: &Path, codes: &str, count: usize, summary: &mut String) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut portal =
        Portal::start_within(site, &["--codes", codes], &scratch.join("scale.log"), Duration::from_secs(300))?;
    let start_wall = started.elapsed().as_secs_f64();
    let start_cpu = portal.cpu_secs()?;
    let start_rss = portal.rss_kib()? as f64 / 1024.0;
    let _ = writeln!(
        summary,
        "  start: {start_wall:.2} s wall ({:.2}x the {START_SECS} s target), {start_cpu:.2} s CPU; VmRSS {start_rss:.0} MB",
        start_wall / START_SECS
    );

    let crawled = Instant::now();
    let requests = crawl(portal.port, count)?;
    let crawl_rss = portal.rss_kib()? as f64 / 1024.0;
    let _ = writeln!(
        summary,
        "  VmRSS after a crawl of {requests} requests ({:.1} s): {crawl_rss:.0} MB ({:.2}x the {CRAWL_RSS_MB} MB target)",
        crawled.elapsed().as_secs_f64(),
        crawl_rss / CRAWL_RSS_MB
    );

    let alone = time_healthz(portal.port, Duration::from_secs(2))?;
    let stop = Arc::new(AtomicBool::new(false));
    let searchers: Vec<_> = (0..SEARCHERS)
        .map(|client| {
            let (stop, port) = (Arc::clone(&stop), portal.port);
            thread::spawn(move || search_distinct(port, client, count, &stop))
        })
        .collect();
    let during = time_healthz(portal.port, Duration::from_secs(SEARCH_SECS));
    stop.store(true, Ordering::Relaxed);
    let mut searches = Vec::new();
    for searcher in searchers {
        searches.extend(searcher.join().map_err(|_| anyhow::anyhow!("a search client panicked"))??);
    }
    let during = during?;
    searches.sort_unstable_by(f64::total_cmp);
    let _ = writeln!(
        summary,
        "  /healthz p50 / p99: alone {:.3} / {:.3} ms; while {SEARCHERS} clients search distinct queries {:.3} / {:.3} ms \
         (p50 {:.3}x the {HEALTHZ_P50_MS} ms target)",
        percentile(&alone, 50.0),
        percentile(&alone, 99.0),
        percentile(&during, 50.0),
        percentile(&during, 99.0),
        percentile(&during, 50.0) / HEALTHZ_P50_MS,
    );
    let _ = writeln!(
        summary,
        "  search over HTTP, {SEARCHERS} clients, distinct queries: {} in {SEARCH_SECS} s, p50 / p99 {:.2} / {:.2} ms",
        searches.len(),
        percentile(&searches, 50.0),
        percentile(&searches, 99.0),
    );
    let rss = portal.rss_kib()? as f64 / 1024.0;
    let _ = writeln!(summary, "  VmRSS after the searches: {rss:.0} MB");
    portal.stop()?;
    Ok(())
}

/// One answer on a keep-alive connection; the connection is replaced when the server closes it.
fn fetch(
    stream: &mut Option<std::net::TcpStream>,
    port: u16,
    path: &str,
    headers: &[(String, String)],
) -> anyhow::Result<u16> {
    for _ in 0..2 {
        let connection = match stream {
            Some(connection) => connection,
            None => stream.insert(connect(port)?),
        };
        connection.write_all(request_text(path, headers).as_bytes())?;
        match read_reply(connection, 64 * 1024, &mut |_| {}) {
            Outcome::Complete(reply) => return Ok(reply.status),
            Outcome::Unanswered(_) => *stream = None,
            other => bail!("GET {path}: {other:?}"),
        }
    }
    bail!("GET {path}: no answer on two connections")
}

/// Every family page and handling page, `/api/codes`, then [`CRAWL_CODES`] code pages and their
/// JSON spread over every family, in three `Accept-Encoding`s by turn. Returns the requests made.
fn crawl(port: u16, count: usize) -> anyhow::Result<usize> {
    let families = count.div_ceil(1_000);
    let encodings: [&[(String, String)]; 3] = [
        &[("Accept-Encoding".to_string(), "gzip, deflate, br".to_string())],
        &[("Accept-Encoding".to_string(), "gzip".to_string())],
        &[],
    ];
    let mut stream = None;
    let mut requests = 0;
    let mut ask = |path: &str, turn: usize| -> anyhow::Result<()> {
        let status = fetch(&mut stream, port, path, encodings[turn % 3])?;
        ensure!(status == 200, "GET {path}: {status}");
        requests += 1;
        Ok(())
    };
    ask("/api/codes", 0)?;
    for family in 0..families {
        ask(&format!("/families/synthetic-{family}"), family)?;
        ask(&format!("/handling/synthetic-{family}"), family)?;
    }
    let step = (count / CRAWL_CODES).max(1);
    for (turn, index) in (0..count).step_by(step).enumerate() {
        let (family, offset) = (index / 1_000, index % 1_000);
        // Close families (even) register from 4000, error families from 1000 (`synth.rs`).
        let number = if family % 2 == 0 { 4000 } else { 1000 } + offset;
        ask(&format!("/codes/synthetic-{family}/{number}"), turn)?;
        ask(&format!("/api/codes/synthetic-{family}/{number}"), turn + 1)?;
    }
    Ok(requests)
}

/// Milliseconds of each `/healthz` answer, one request a millisecond on a keep-alive connection,
/// for `length`.
fn time_healthz(port: u16, length: Duration) -> anyhow::Result<Vec<f64>> {
    let mut stream = None;
    let mut samples = Vec::new();
    let until = Instant::now() + length;
    while Instant::now() < until {
        let asked = Instant::now();
        let status = fetch(&mut stream, port, "/healthz", &[])?;
        ensure!(status == 200, "/healthz answered {status}");
        samples.push(asked.elapsed().as_secs_f64() * 1e3);
        thread::sleep(Duration::from_millis(1));
    }
    samples.sort_unstable_by(f64::total_cmp);
    Ok(samples)
}

/// Searches distinct queries (each asked once, so each misses the cache) until `stop`; returns
/// each search's milliseconds.
fn search_distinct(port: u16, client: usize, count: usize, stop: &AtomicBool) -> anyhow::Result<Vec<f64>> {
    let families = count.div_ceil(1_000);
    let mut stream = None;
    let mut took = Vec::new();
    let mut n = 0usize;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        // Kinds by turn, as people type them: a message, a name, a message with a typo, a name
        // prefix, words every code holds plus a number.
        let seed = n * SEARCHERS + client;
        let (family, offset) = (seed % families, (seed / families) % 1_000);
        let query = match n % 5 {
            0 => format!("synthetic+{family}+code+{offset}"),
            1 => format!("Synthetic{family}Code{offset}"),
            2 => format!("sythetic+{family}+code+{offset}"),
            3 => format!("synthetic{family}code{}", offset / 10),
            _ => format!("second+synthetic+cause+{offset}+{client}"),
        };
        let asked = Instant::now();
        let status = fetch(&mut stream, port, &format!("/api/search?q={query}&n={seed}"), &[])?;
        ensure!(status == 200, "search {query}: {status}");
        took.push(asked.elapsed().as_secs_f64() * 1e3);
    }
    Ok(took)
}

/// The `percent` percentile of sorted samples.
fn percentile(sorted: &[f64], percent: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * percent / 100.0).round() as usize]
}

struct Export {
    wall: f64,
    user: f64,
    system: f64,
    peak_mb: f64,
    files: usize,
    bytes: u64,
}

/// `site export` under `/usr/bin/time`, then the export's files counted and removed.
fn export_at_scale(site: &Path, scratch: &Path, codes: &str) -> anyhow::Result<Export> {
    let out = scratch.join("export");
    let _ = std::fs::remove_dir_all(&out);
    let times = scratch.join("export.time");
    let site = site.to_str().context("UTF-8 target path")?;
    let out_arg = out.to_str().context("UTF-8 scratch path")?;
    let times_arg = times.to_str().context("UTF-8 scratch path")?;
    eprintln!("==> site export --codes {codes}");
    let status = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%e %U %S %M", "-o", times_arg, site, "export", "--codes", codes, "--out", out_arg])
        .status()
        .context("cannot run /usr/bin/time (apt-get install time)")?;
    ensure!(status.success(), "site export failed: {status}");
    let text = std::fs::read_to_string(&times)?;
    let fields: Vec<f64> =
        text.split_whitespace().rev().take(4).map(|field| field.parse().unwrap_or(f64::NAN)).collect();
    let [peak_kb, system, user, wall] = fields[..] else { bail!("unexpected /usr/bin/time output: {text}") };
    let (files, bytes) = count_files(&out)?;
    std::fs::remove_dir_all(&out).with_context(|| format!("cannot remove {}", out.display()))?;
    Ok(Export { wall, user, system, peak_mb: peak_kb / 1024.0, files, bytes })
}

fn count_files(dir: &Path) -> anyhow::Result<(usize, u64)> {
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let (inner_files, inner_bytes) = count_files(&entry.path())?;
            files += inner_files;
            bytes += inner_bytes;
        } else {
            files += 1;
            bytes += entry.metadata()?.len();
        }
    }
    Ok((files, bytes))
}
