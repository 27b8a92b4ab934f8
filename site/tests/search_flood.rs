//! A flood of distinct searches must not grow memory: the search cache is bounded in entries and
//! bytes. One million distinct queries (pages and API, a quarter asking for brotli) go through
//! the router after a warm-up of 100,000 that fills the cache many times over; resident memory
//! (VmRSS) must end within 10% of its reading after the warm-up. Slow (minutes), so it is run by hand in release and its figures
//! are recorded in BENCHMARKS.md:
//!
//! ```sh
//! cargo test --release -p site --test search_flood -- --ignored --nocapture
//! ```

use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use codebook_model::{EMBEDDED_CODES_YAML, load_str};
use site::search_cache::{MAX_BYTES, MAX_ENTRIES};
use site::{AppState, Site, router};
use tower::ServiceExt;

fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

const WORDS: [&str; 16] = [
    "token",
    "expired",
    "closed",
    "limit",
    "connection",
    "invalid",
    "proxy",
    "server",
    "client",
    "channel",
    "abnormal",
    "websocket",
    "gpu",
    "rate",
    "banned",
    "request",
];

/// The n-th distinct query: two real words (so that many have results to render) and a number.
fn query(n: u64) -> String {
    format!(
        "/{}search?q={}+{}+{}",
        if n.is_multiple_of(2) { "" } else { "api/" },
        WORDS[(n % 16) as usize],
        WORDS[(n / 16 % 16) as usize],
        n
    )
}

async fn run(app: &axum::Router, from: u64, to: u64) {
    for n in from..to {
        let mut request = Request::get(query(n));
        if n % 4 == 1 {
            request = request.header(header::ACCEPT_ENCODING, "gzip, deflate, br");
        } else if n % 4 == 2 {
            request = request.header(header::ACCEPT_ENCODING, "gzip");
        }
        let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        to_bytes(response.into_body(), usize::MAX).await.unwrap();
    }
}

/// Queries `from..to` on two tasks at once (the runtime's two worker threads).
async fn flood(app: &axum::Router, from: u64, to: u64) {
    let middle = from + (to - from) / 2;
    let tasks: Vec<_> = [(from, middle), (middle, to)]
        .into_iter()
        .map(|(start, end)| {
            let app = app.clone();
            tokio::spawn(async move { run(&app, start, end).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "minutes long; run by hand in release (see the module comment)"]
async fn a_million_distinct_queries_keep_memory_flat() {
    let state = AppState::new(Site::build(load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap()));
    let app = router(state.clone());
    // The warm-up fills the cache many times over, on as many threads as the flood, so that the
    // allocator's per-thread arenas reach their steady size before the first reading.
    let warm_up: u64 = 100_000;
    flood(&app, 0, warm_up).await;
    let (entries, bytes) = state.site.load().search_cache.usage();
    let start = rss_kb();
    eprintln!(
        "after {warm_up} warm-up queries: VmRSS {start} kB, cache {entries} entries / {} KB counted (bounds {MAX_ENTRIES} / {} KB)",
        bytes / 1024,
        MAX_BYTES / 1024
    );
    let total: u64 = 1_000_000;
    let started = Instant::now();
    flood(&app, warm_up, warm_up + total).await;
    let end = rss_kb();
    let (entries, bytes) = state.site.load().search_cache.usage();
    let growth = (end as f64 - start as f64) / start as f64;
    eprintln!(
        "{total} distinct queries in {:.1} s: VmRSS {start} kB -> {end} kB ({:+.1}%), cache {entries} entries / {} KB counted",
        started.elapsed().as_secs_f64(),
        growth * 100.0,
        bytes / 1024
    );
    assert!(entries <= MAX_ENTRIES && bytes <= MAX_BYTES);
    assert!(growth.abs() <= 0.10, "VmRSS moved {:+.1}% (limit 10%)", growth * 100.0);
}
