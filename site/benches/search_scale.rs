//! Search at scale: distinct queries against a synthetic registry of 100,000 codes, in process
//! (the index against ranking every code, the baseline, in the same run), then over HTTP with
//! eight clients searching distinct queries while a ninth times `/healthz` (against `/healthz`
//! alone, in the same run).
//!
//! ```sh
//! cargo xtask synth --count 100000 --out target/bench/synth-100000.yaml
//! cargo bench -p site --bench search_scale -- "$PWD/target/bench/synth-100000.yaml"
//! ```
//!
//! The loader's file cap is below 100,000 synthetic codes, so the file is split at family
//! boundaries into parts that load, and their families are joined into one registry. Every
//! answer of the index is compared with the baseline's; a difference fails the run.
//! `SEARCH_SCALE_HTTP_CODES` sets the HTTP part's size (default 40,000 codes; a site of more
//! than 2,000 codes renders its pages on request); `SEARCH_SCALE_QUERIES` the number of
//! distinct queries (default 2,000).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use codebook_model::{MAX_SOURCE_BYTES, Registry, load_str};
use site::search::{Filters, SearchIndex};
use site::{AppState, Site, router};

fn main() {
    // `cargo test` runs bench targets too (without `--bench`): the run belongs to `cargo bench`.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("search_scale: a benchmark, run by `cargo bench -p site --bench search_scale`");
        return;
    }
    let path = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench/synth-100000.yaml").to_string());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!("cannot read {path} ({error}); write it with `cargo xtask synth --count 100000 --out {path}`")
    });
    let registry = load_in_parts(&text);
    let queries: usize = env_or("SEARCH_SCALE_QUERIES", 2_000);
    println!("registry: {} codes in {} families ({path})", registry.code_count(), registry.families.len());

    in_process(&registry, queries);
    let http_codes: usize = env_or("SEARCH_SCALE_HTTP_CODES", 40_000);
    if http_codes > 0 {
        over_http(registry, http_codes);
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

/// Loads a registry larger than the loader's cap: parts of whole families, joined.
fn load_in_parts(text: &str) -> Registry {
    let body = &text[text.find("families:\n").expect("a synthetic registry") + "families:\n".len()..];
    let mut families: Vec<&str> = Vec::new();
    let mut start = 0;
    for (offset, _) in body.match_indices("\n  - id: ") {
        families.push(&body[start..=offset]);
        start = offset + 1;
    }
    families.push(&body[start..]);
    let mut joined: Option<Registry> = None;
    let mut part = String::from("families:\n");
    let mut load = |part: &mut String| {
        let loaded = load_str("part.yaml", part).expect("every part of a synthetic registry loads");
        match &mut joined {
            Some(registry) => registry.families.extend(loaded.families),
            None => joined = Some(loaded),
        }
        *part = String::from("families:\n");
    };
    for family in families {
        if part.len() + family.len() > MAX_SOURCE_BYTES {
            load(&mut part);
        }
        part.push_str(family);
    }
    load(&mut part);
    joined.expect("at least one family")
}

/// A small deterministic generator (the queries must be the same on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % bound as u64) as usize
    }
}

/// Distinct queries of the kinds people type, over the synthetic registry's codes (`family`
/// and `offset` name a code; every word of a synthetic message is in every code).
fn queries(registry: &Registry, count: usize, seed: u64) -> Vec<(&'static str, String)> {
    let families = registry.families.len();
    let mut random = Lcg(seed);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    let mut attempt = 0usize;
    while out.len() < count {
        attempt += 1;
        let family = random.below(families);
        let offset = random.below(registry.families[family].codes.len());
        let number = registry.families[family].codes[offset].number;
        // Kinds take turns; a kind that runs out of distinct queries (numbers) gives way.
        let (kind, query) = match attempt % 8 {
            0 => ("message", format!("synthetic {family} code {offset}")),
            1 => ("name", format!("Synthetic{family}Code{offset}")),
            2 => ("number", number.to_string()),
            3 => ("message with a typo", format!("sythetic {family} code {offset}")),
            4 => ("name prefix", format!("synthetic{family}code{}", offset / 10)),
            5 => ("words of every code", format!("second synthetic cause {offset}")),
            6 => ("name with a typo", format!("synthetic{family}cod{offset}")),
            _ => ("unknown word", format!("zebra{family}x{offset}")),
        };
        if seen.insert(query.clone()) {
            out.push((kind, query));
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1e3)
}

fn summary(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "p50 {} / p99 {} / max {} ({} queries)",
        ms(percentile(times, 0.5)),
        ms(percentile(times, 0.99)),
        ms(times[times.len() - 1]),
        times.len()
    )
}

/// CPU time of this thread: the work a query did, without the time another process held the core
/// (the benchmark machine is shared, and preemption would otherwise decide the high percentiles).
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread CPU clock is readable");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn in_process(registry: &Registry, count: usize) {
    let started = Instant::now();
    let index = SearchIndex::new(registry);
    println!("index built in {}", ms(started.elapsed()));
    let filters = Filters::default();
    let queries = queries(registry, count, 2026);
    // Warm the caches and the allocator once.
    for (_, query) in queries.iter().take(50) {
        index.search(registry, query, &filters);
    }
    let mut by_kind: Vec<(&str, Vec<Duration>, Vec<Duration>)> = Vec::new();
    let mut all = Vec::with_capacity(queries.len());
    let mut all_cpu = Vec::with_capacity(queries.len());
    let mut baseline = Vec::new();
    let mut indexed_sample = Vec::new();
    for (position, (kind, query)) in queries.iter().enumerate() {
        let (started, cpu_started) = (Instant::now(), thread_cpu_time());
        let results = index.search(registry, query, &filters);
        let (took, cpu) = (started.elapsed(), thread_cpu_time() - cpu_started);
        all.push(took);
        all_cpu.push(cpu);
        match by_kind.iter_mut().find(|(name, _, _)| name == kind) {
            Some((_, times, cpu_times)) => {
                times.push(took);
                cpu_times.push(cpu);
            }
            None => by_kind.push((kind, vec![took], vec![cpu])),
        }
        // The baseline ranks every code; one query in ten keeps the run short.
        if position % 10 == 0 {
            let started = Instant::now();
            let expected = index.search_exhaustive(registry, query, &filters);
            baseline.push(started.elapsed());
            indexed_sample.push(took);
            assert_eq!(results, expected, "the index and the baseline differ on {query:?}");
        }
    }
    println!("in process, {} codes, distinct queries, wall time | CPU time of the thread:", registry.code_count());
    for (kind, times, cpu_times) in &mut by_kind {
        println!("  {kind:<22} {} | {}", summary(times), summary(cpu_times));
    }
    println!("  {:<22} {} | {}", "all", summary(&mut all), summary(&mut all_cpu));
    let index_p50 = percentile(&sorted(&indexed_sample), 0.5);
    let baseline_p50 = percentile(&sorted(&baseline), 0.5);
    println!(
        "  baseline (rank every code), same {} queries: {}; index / baseline at p50: {:.4}",
        baseline.len(),
        summary(&mut baseline),
        index_p50.as_secs_f64() / baseline_p50.as_secs_f64()
    );
}

fn sorted(times: &[Duration]) -> Vec<Duration> {
    let mut times = times.to_vec();
    times.sort();
    times
}

/// One keep-alive HTTP/1.1 connection that reads whole answers.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("the portal listens");
        stream.set_nodelay(true).expect("nodelay");
        Client { reader: BufReader::new(stream) }
    }

    /// Sends one GET and reads the whole answer; returns its status.
    fn get(&mut self, target: &str) -> u16 {
        let request = format!("GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n");
        self.reader.get_mut().write_all(request.as_bytes()).expect("request sent");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line.split_whitespace().nth(1).and_then(|code| code.parse().ok()).expect("a status");
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("a header");
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).expect("the body");
        status
    }
}

/// `/healthz` latencies from one client, one request every millisecond, until `stop`.
fn probe(port: u16, stop: &AtomicBool, at_most: usize) -> Vec<Duration> {
    let mut client = Client::connect(port);
    let mut times = Vec::new();
    while !stop.load(Ordering::Relaxed) && times.len() < at_most {
        let started = Instant::now();
        assert_eq!(client.get("/healthz"), 200);
        times.push(started.elapsed());
        std::thread::sleep(Duration::from_millis(1));
    }
    times
}

fn encode(query: &str) -> String {
    query
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn over_http(mut registry: Registry, codes: usize) {
    let mut kept = 0;
    registry.families.retain(|family| {
        kept += family.codes.len();
        kept <= codes
    });
    let count = registry.code_count();
    let queries = Arc::new(queries(&registry, 20_000, 7));
    let started = Instant::now();
    let site = Site::build(registry);
    println!("over HTTP, {count} codes: site built in {}", ms(started.elapsed()));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("a port");
    let port = listener.local_addr().expect("an address").port();
    runtime.spawn(async move { axum::serve(listener, router(AppState::new(site))).await });

    let stop = AtomicBool::new(false);
    let mut alone = probe(port, &stop, 2_000);
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let searchers: Vec<_> = (0..8)
        .map(|_| {
            let (next, stop, queries) = (Arc::clone(&next), Arc::clone(&stop), Arc::clone(&queries));
            std::thread::spawn(move || {
                let mut client = Client::connect(port);
                let mut times = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let (_, query) = &queries[next.fetch_add(1, Ordering::Relaxed) % queries.len()];
                    let started = Instant::now();
                    assert_eq!(client.get(&format!("/search?q={}", encode(query))), 200);
                    times.push(started.elapsed());
                }
                times
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let stopper = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(6));
            stop.store(true, Ordering::Relaxed);
        })
    };
    let mut loaded = probe(port, &stop, usize::MAX);
    stopper.join().expect("the stopper ends");
    let mut searches: Vec<Duration> = searchers.into_iter().flat_map(|s| s.join().expect("a searcher ends")).collect();
    let asked = next.load(Ordering::Relaxed);
    println!("  /healthz alone:                        {}", summary(&mut alone));
    println!("  /healthz while 8 clients search:       {}", summary(&mut loaded));
    println!(
        "  /healthz p50 under search / alone:     {:.2}",
        percentile(&loaded, 0.5).as_secs_f64() / percentile(&alone, 0.5).as_secs_f64()
    );
    println!(
        "  search over HTTP, 8 clients, distinct: {} ({} asked, {} distinct queries)",
        summary(&mut searches),
        asked,
        queries.len()
    );
}
