//! Phase 3, reload under load: a `--watch` portal whose `codes.yaml` is replaced by rename (every
//! other version invalid); every sampled `/api/codes` answer must be byte-equal to what a fresh
//! portal serves for a valid version, and versions never go backwards.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};

use super::portal::Portal;
use super::raw_http::{Outcome, connect, get_ok, read_reply, request_text};
use super::wrk::{describe, finish_wrk, mixed_requests, start_wrk, wrk_script};

// Phase 3: reload under load

pub(super) const REPLACEMENTS: usize = 100;
pub(super) const REPLACE_EVERY: Duration = Duration::from_millis(700);
pub(super) const MARKED_TITLE: &str = "title: Streaming session disconnect codes";

/// Version `index` of the watched file: even versions are the real registry with a numbered
/// family title, odd ones cycle through the bad-input corpus.
pub(super) fn version_bytes(index: usize, base: &str, corpus: &[Vec<u8>]) -> Vec<u8> {
    if index.is_multiple_of(2) {
        base.replacen(MARKED_TITLE, &format!("{MARKED_TITLE} (soak version {index})"), 1).into_bytes()
    } else {
        corpus[(index / 2) % corpus.len()].clone()
    }
}

pub(super) fn replace_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension("yaml.tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)?;
    Ok(())
}

/// Fetches /api/codes in a loop on one keep-alive connection; returns the sequence of distinct
/// bodies seen (consecutive repeats collapsed) and every non-200 status or broken exchange.
pub(super) fn sampler(port: u16, stop: Arc<AtomicBool>) -> (Vec<Vec<u8>>, u64, Vec<String>) {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut samples = 0;
    let mut problems = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline && problems.len() < 10 {
        let mut stream = match connect(port) {
            Ok(stream) => stream,
            Err(error) => {
                problems.push(format!("connect: {error}"));
                continue;
            }
        };
        for _ in 0..1000 {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            if let Err(error) = stream.write_all(request_text("/api/codes", &[]).as_bytes()) {
                problems.push(format!("write: {error}"));
                break;
            }
            match read_reply(&mut stream, 64 * 1024, &mut |_| {}) {
                Outcome::Complete(reply) if reply.status == 200 => {
                    samples += 1;
                    if seen.last() != Some(&reply.body) {
                        seen.push(reply.body);
                    }
                }
                Outcome::Complete(reply) => problems.push(format!("status {}", reply.status)),
                other => {
                    problems.push(format!("{other:?}"));
                    break;
                }
            }
        }
    }
    (seen, samples, problems)
}

pub(super) fn reload_under_load(site: &Path, scratch: &Path, root: &Path, summary: &mut String) -> anyhow::Result<()> {
    const SAMPLERS: usize = 4;
    eprintln!(
        "==> reload under load: {REPLACEMENTS} replacements every {REPLACE_EVERY:?}, wrk -c60, {SAMPLERS} samplers of /api/codes"
    );
    let base = std::fs::read_to_string(root.join("codes.yaml"))?;
    ensure!(base.contains(MARKED_TITLE), "codes.yaml no longer has `{MARKED_TITLE}`; pick another marker");
    let corpus_dir = root.join("crates/codebook-model/tests/invalid");
    let mut corpus_paths: Vec<PathBuf> =
        std::fs::read_dir(&corpus_dir)?.map(|entry| entry.map(|entry| entry.path())).collect::<Result<_, _>>()?;
    corpus_paths.retain(|path| path.extension().is_some_and(|ext| ext == "yaml"));
    corpus_paths.sort();
    let corpus: Vec<Vec<u8>> = corpus_paths.iter().map(std::fs::read).collect::<Result<_, _>>()?;

    let dir = scratch.join("watch");
    std::fs::create_dir_all(&dir)?;
    let watched = dir.join("codes.yaml");
    replace_atomically(&watched, &version_bytes(0, &base, &corpus))?;
    let mut portal = Portal::start(
        site,
        &["--codes", watched.to_str().context("UTF-8 path")?, "--watch"],
        &scratch.join("watch.log"),
    )?;
    let port = portal.port;
    let requests = mixed_requests(port)?;
    let script = scratch.join("mixed-watch.lua");
    std::fs::write(&script, wrk_script(&requests))?;
    let seconds = (REPLACE_EVERY * REPLACEMENTS as u32).as_secs() + 4;
    let wrk = start_wrk(&script, port, 64 - SAMPLERS as u32, seconds)?;
    let stop = Arc::new(AtomicBool::new(false));
    let samplers: Vec<_> = (0..SAMPLERS)
        .map(|_| {
            let stop = stop.clone();
            thread::spawn(move || sampler(port, stop))
        })
        .collect();

    for index in 1..=REPLACEMENTS {
        thread::sleep(REPLACE_EVERY);
        replace_atomically(&watched, &version_bytes(index, &base, &corpus))?;
    }
    thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::SeqCst);
    let mut sequences = Vec::new();
    let mut samples = 0;
    let mut problems = Vec::new();
    for sampler in samplers {
        let (seen, count, trouble) = sampler.join().expect("sampler");
        sequences.push(seen);
        samples += count;
        problems.extend(trouble);
    }
    let load = finish_wrk(wrk)?;
    portal.stop()?;
    let log = portal.log_text();
    let swapped = log.lines().filter(|line| line.starts_with("reloaded ")).count();
    let rejected = log.lines().filter(|line| line == &"still serving the last good registry").count();

    // What a fresh portal serves for each valid version.
    let mut reference: HashMap<Vec<u8>, usize> = HashMap::new();
    let single = dir.join("single.yaml");
    for index in (0..=REPLACEMENTS).step_by(2) {
        std::fs::write(&single, version_bytes(index, &base, &corpus))?;
        let fresh =
            Portal::start(site, &["--codes", single.to_str().context("UTF-8 path")?], &scratch.join("reference.log"))?;
        reference.insert(get_ok(fresh.port, "/api/codes")?.body, index);
    }
    ensure!(reference.len() == REPLACEMENTS / 2 + 1, "valid versions do not give distinct /api/codes");

    let mut versions_seen = std::collections::BTreeSet::new();
    let mut backwards = Vec::new();
    for (number, sequence) in sequences.iter().enumerate() {
        let mut previous = 0;
        for body in sequence {
            match reference.get(body) {
                Some(&version) => {
                    if version < previous {
                        backwards.push(format!("sampler {number}: version {version} after {previous}"));
                    }
                    previous = version;
                    versions_seen.insert(version);
                }
                None => problems.push(format!(
                    "sampler {number}: an /api/codes body ({} bytes) that no valid version gives: {}",
                    body.len(),
                    String::from_utf8_lossy(&body[..body.len().min(200)])
                )),
            }
        }
        if sequence.last().and_then(|body| reference.get(body)) != Some(&REPLACEMENTS) {
            problems.push(format!("sampler {number} did not end on the last valid version"));
        }
    }
    let _ = writeln!(
        summary,
        "reload under load: {REPLACEMENTS} replacements by rename every {} ms ({} valid, {} invalid); the portal logged {swapped} reloads and {rejected} rejections\n  \
         {samples} /api/codes samples, all byte-equal to a fresh portal's answer for a valid version; {} of {} valid versions observed, never backwards\n  \
         wrk alongside: {}",
        REPLACE_EVERY.as_millis(),
        REPLACEMENTS / 2,
        REPLACEMENTS / 2,
        versions_seen.len(),
        REPLACEMENTS / 2 + 1,
        describe(&load)
    );
    ensure!(problems.is_empty(), "reload problems:\n{}", problems.join("\n"));
    ensure!(backwards.is_empty(), "a sampler saw an older registry after a newer one:\n{}", backwards.join("\n"));
    ensure!(load.statuses[5] == 0 && load.socket_errors == 0, "during reloads: {}", describe(&load));
    ensure!(
        versions_seen.len() >= REPLACEMENTS / 2 * 9 / 10,
        "only {} valid versions were ever served",
        versions_seen.len()
    );
    ensure!(rejected > 0 && swapped > 0, "the watcher neither swapped nor rejected: {swapped} / {rejected}");
    Ok(())
}
