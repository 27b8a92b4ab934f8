//! Phase 2, SIGTERM under load: wrk plus counting clients, slow readers and slow senders when the
//! signal arrives; then clients that stall for good. The portal must exit 0 within 5 s and cut
//! off no answer that had started.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};

use super::portal::Portal;
use super::raw_http::{Outcome, connect, get_ok, read_reply, request_text};
use super::wrk::{describe, finish_wrk, mixed_requests, start_wrk, wrk_script};

// Phase 2: SIGTERM under load

#[derive(Debug, Default)]
pub(super) struct Tally {
    complete: u64,
    /// Ended before the first byte of the answer, after SIGTERM (expected; clients retry).
    unanswered_after_signal: u64,
    /// Ended before the first byte of the answer while the portal was not stopping: a failure.
    unanswered_before_signal: Vec<String>,
    cut_off: Vec<String>,
    refused_after_signal: u64,
}

/// A client that sends keep-alive requests in a loop and classifies every exchange, until the
/// portal refuses connections after the signal (or 20 s pass).
pub(super) fn counting_client(port: u16, paths: Vec<String>, signalled: Arc<AtomicBool>, offset: usize) -> Tally {
    let mut tally = Tally::default();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut next = offset;
    'connections: while Instant::now() < deadline {
        let mut stream = match connect(port) {
            Ok(stream) => stream,
            Err(error) => {
                if signalled.load(Ordering::SeqCst) {
                    tally.refused_after_signal += 1;
                    break;
                }
                tally.unanswered_before_signal.push(format!("connect: {error}"));
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        for _ in 0..200 {
            let path = &paths[next % paths.len()];
            next += 1;
            let signalled_before = signalled.load(Ordering::SeqCst);
            if let Err(error) = stream.write_all(request_text(path, &[]).as_bytes()) {
                if signalled.load(Ordering::SeqCst) {
                    tally.unanswered_after_signal += 1;
                } else {
                    tally.unanswered_before_signal.push(format!("{path}: write: {error}"));
                }
                continue 'connections;
            }
            match read_reply(&mut stream, 64 * 1024, &mut |_| {}) {
                Outcome::Complete(_) => tally.complete += 1,
                Outcome::Unanswered(why) => {
                    if signalled.load(Ordering::SeqCst) {
                        tally.unanswered_after_signal += 1;
                    } else {
                        tally
                            .unanswered_before_signal
                            .push(format!("{path}: {why} (signalled before: {signalled_before})"));
                    }
                    continue 'connections;
                }
                Outcome::CutOff { received, why } => {
                    tally.cut_off.push(format!("{path}: {why} after {received} bytes"));
                    continue 'connections;
                }
            }
        }
    }
    tally
}

/// Sends a request for a large answer, reads its first 32 KiB, reports ready, waits for the
/// signal, then reads the rest at about 3 MB/s. Returns the outcome, the bytes still unread when
/// the signal was sent and when the answer was complete.
pub(super) fn slow_reader(
    port: u16,
    path: String,
    ready: mpsc::Sender<()>,
    signalled: Arc<AtomicBool>,
) -> (Outcome, usize, Instant) {
    let mut stream = match connect(port) {
        Ok(stream) => stream,
        Err(error) => return (Outcome::Unanswered(format!("connect: {error}")), 0, Instant::now()),
    };
    if let Err(error) = stream.write_all(request_text(&path, &[]).as_bytes()) {
        return (Outcome::Unanswered(format!("write: {error}")), 0, Instant::now());
    }
    let mut at_signal = None;
    let mut ready = Some(ready);
    let outcome = read_reply(&mut stream, 32 * 1024, &mut |received| {
        if received >= 32 * 1024 {
            if let Some(ready) = ready.take() {
                let _ = ready.send(());
                let deadline = Instant::now() + Duration::from_secs(30);
                while !signalled.load(Ordering::SeqCst) && Instant::now() < deadline {
                    thread::sleep(Duration::from_millis(2));
                }
                at_signal = Some(received);
            }
            thread::sleep(Duration::from_millis(10));
        }
    });
    let unread = match (&outcome, at_signal) {
        (Outcome::Complete(reply), Some(received)) => reply.body.len().saturating_sub(received),
        _ => 0,
    };
    (outcome, unread, Instant::now())
}

/// Sends the first half of a request head on a fresh connection, reports ready, and sends the rest
/// 300 ms after the signal.
pub(super) fn slow_sender(port: u16, path: String, ready: mpsc::Sender<()>, signalled: Arc<AtomicBool>) -> Outcome {
    let mut stream = match connect(port) {
        Ok(stream) => stream,
        Err(error) => return Outcome::Unanswered(format!("connect: {error}")),
    };
    let text = request_text(&path, &[("User-Agent".into(), "codebook-soak-slow-sender".into())]);
    let (first, rest) = text.split_at(text.len() / 2);
    if let Err(error) = stream.write_all(first.as_bytes()) {
        return Outcome::Unanswered(format!("write: {error}"));
    }
    let _ = ready.send(());
    let deadline = Instant::now() + Duration::from_secs(30);
    while !signalled.load(Ordering::SeqCst) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(2));
    }
    thread::sleep(Duration::from_millis(300));
    if let Err(error) = stream.write_all(rest.as_bytes()) {
        return Outcome::CutOff { received: 0, why: format!("second half of the request: {error}") };
    }
    match read_reply(&mut stream, 64 * 1024, &mut |_| {}) {
        // The request had started arriving before the signal: an empty close is a cut-off too.
        Outcome::Unanswered(why) => Outcome::CutOff { received: 0, why },
        other => other,
    }
}

pub(super) fn terminate_under_load(site: &Path, scratch: &Path, summary: &mut String) -> anyhow::Result<()> {
    const READERS: usize = 4;
    const SENDERS: usize = 4;
    const COUNTERS: usize = 8;
    eprintln!(
        "==> SIGTERM under load: wrk -c64, {COUNTERS} counting clients, {READERS} slow readers, {SENDERS} slow senders"
    );
    // A registry of 10,000 codes makes /api/codes (about 6 MB) larger than the socket buffers
    // (net.ipv4.tcp_wmem allows at most 4 MB, and a reader that does not read keeps its receive
    // buffer small), so the portal is still writing to the slow readers when the signal arrives.
    let codes = scratch.join("synthetic-10000.yaml");
    std::fs::write(&codes, crate::synth::registry_text(10_000))?;
    let mut portal =
        Portal::start(site, &["--codes", codes.to_str().context("UTF-8 path")?], &scratch.join("sigterm.log"))?;
    let port = portal.port;
    let requests = mixed_requests(port)?;
    let script = scratch.join("mixed-synthetic.lua");
    std::fs::write(&script, wrk_script(&requests))?;
    let big = get_ok(port, "/api/codes")?.body.len();

    let wrk = start_wrk(&script, port, 64, 8)?;
    let signalled = Arc::new(AtomicBool::new(false));
    let paths: Vec<String> = requests.iter().map(|request| request.path.clone()).collect();
    let counters: Vec<_> = (0..COUNTERS)
        .map(|offset| {
            let (paths, signalled) = (paths.clone(), signalled.clone());
            thread::spawn(move || counting_client(port, paths, signalled, offset * 3))
        })
        .collect();
    thread::sleep(Duration::from_secs(3));
    let (ready_tx, ready_rx) = mpsc::channel();
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (ready, signalled) = (ready_tx.clone(), signalled.clone());
            thread::spawn(move || slow_reader(port, "/api/codes".into(), ready, signalled))
        })
        .collect();
    let senders: Vec<_> = (0..SENDERS)
        .map(|index| {
            let (ready, signalled) = (ready_tx.clone(), signalled.clone());
            let path = paths[index % paths.len()].clone();
            thread::spawn(move || slow_sender(port, path, ready, signalled))
        })
        .collect();
    for _ in 0..READERS + SENDERS {
        ready_rx.recv_timeout(Duration::from_secs(20)).context("a slow client never got going")?;
    }

    // Set first: a client that sees its connection closed must already count it as after the signal.
    signalled.store(true, Ordering::SeqCst);
    portal.send_sigterm()?;
    let sent = Instant::now();
    let (took, status) = portal.wait_exit(Duration::from_secs(5))?;

    let mut tally = Tally::default();
    for counter in counters {
        let one = counter.join().expect("counting client");
        tally.complete += one.complete;
        tally.unanswered_after_signal += one.unanswered_after_signal;
        tally.refused_after_signal += one.refused_after_signal;
        tally.unanswered_before_signal.extend(one.unanswered_before_signal);
        tally.cut_off.extend(one.cut_off);
    }
    let mut unread_at_signal = Vec::new();
    let mut read_by_ms = Vec::new();
    for reader in readers {
        match reader.join().expect("slow reader") {
            (Outcome::Complete(reply), unread, done) if reply.status == 200 && reply.body.len() == big => {
                unread_at_signal.push(unread);
                read_by_ms.push(done.duration_since(sent).as_millis());
            }
            (Outcome::Complete(reply), _, _) => tally.cut_off.push(format!(
                "slow reader of /api/codes: status {}, {} of {big} bytes",
                reply.status,
                reply.body.len()
            )),
            (other, _, _) => tally.cut_off.push(format!("slow reader of /api/codes ({big} bytes): {other:?}")),
        }
    }
    let mut slow_senders_served = 0;
    for sender in senders {
        match sender.join().expect("slow sender") {
            Outcome::Complete(reply) if reply.status < 500 => slow_senders_served += 1,
            other => tally.cut_off.push(format!("slow sender: {other:?}")),
        }
    }
    let load = finish_wrk(wrk)?;
    let _ = writeln!(
        summary,
        "SIGTERM under load (10,000-code registry, /api/codes {} KB): exit status {} after {} ms\n  \
         counting clients: {} complete, {} cut off, {} unanswered before the signal; after it {} requests got no byte of answer \
         (sent on a keep-alive connection the portal closed after its last answer; clients retry these) and {} connects were refused\n  \
         slow readers: {}/{READERS} complete, {:?} KB still unread at the signal, fully read {:?} ms after it; slow senders: {slow_senders_served}/{SENDERS} served\n  \
         wrk alongside: {}",
        big / 1024,
        status.code().map_or("none".into(), |code| code.to_string()),
        took.as_millis(),
        tally.complete,
        tally.cut_off.len(),
        tally.unanswered_before_signal.len(),
        tally.unanswered_after_signal,
        tally.refused_after_signal,
        unread_at_signal.len(),
        unread_at_signal.iter().map(|bytes| bytes / 1024).collect::<Vec<_>>(),
        read_by_ms,
        describe(&load)
    );
    ensure!(status.success(), "the portal exited with {status} after SIGTERM:\n{}", portal.log_text());
    ensure!(took <= Duration::from_secs(5), "the portal took {took:?} to exit after SIGTERM");
    ensure!(tally.cut_off.is_empty(), "answers cut off by the shutdown:\n{}", tally.cut_off.join("\n"));
    ensure!(
        tally.unanswered_before_signal.is_empty(),
        "requests unanswered while the portal was up:\n{}",
        tally.unanswered_before_signal.join("\n")
    );
    ensure!(tally.complete > 0, "the counting clients completed nothing");
    ensure!(load.statuses[5] == 0, "5xx answers while shutting down: {}", describe(&load));
    Ok(())
}

/// Clients that never finish: one stops halfway through its request head, one never reads its
/// 6 MB answer. Graceful shutdown must not wait for them forever: exit 0 within 5 s anyway.
pub(super) fn stalled_clients(site: &Path, scratch: &Path, summary: &mut String) -> anyhow::Result<()> {
    eprintln!("==> SIGTERM with stalled clients");
    let codes = scratch.join("synthetic-10000.yaml");
    let mut portal =
        Portal::start(site, &["--codes", codes.to_str().context("UTF-8 path")?], &scratch.join("stalled.log"))?;
    let mut half_head = connect(portal.port)?;
    half_head.write_all(b"GET /api/codes HTTP/1.1\r\nHost: 127.0")?;
    let mut never_reads = connect(portal.port)?;
    never_reads.write_all(request_text("/api/codes", &[]).as_bytes())?;
    thread::sleep(Duration::from_millis(500));
    portal.send_sigterm()?;
    let (took, status) = portal.wait_exit(Duration::from_secs(5))?;
    drop((half_head, never_reads));
    let _ = writeln!(
        summary,
        "SIGTERM with a client stalled halfway through its request and one that never reads its answer: exit status {} after {} ms",
        status.code().map_or("none".into(), |code| code.to_string()),
        took.as_millis()
    );
    ensure!(status.success(), "the portal exited with {status}:\n{}", portal.log_text());
    ensure!(took <= Duration::from_secs(5), "stalled clients held the portal {took:?} after SIGTERM");
    Ok(())
}
