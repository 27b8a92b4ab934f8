//! `cargo xtask soak`: load, soak and fault checks of the portal's release build, run by hand (it
//! takes about four minutes and is not part of `cargo xtask test`). It lives next to the portal
//! (with `load.sh`) and is compiled into xtask as its `soak` module, which gives it xtask's
//! `run_step` and the synthetic registry. Three phases, each asserted:
//!
//! 1. **Soak**: mixed traffic (pages, search, API, 404s, conditional GETs) from wrk with 64
//!    connections for 60 s after a warm-up; zero 5xx, zero socket errors, and VmRSS after the run
//!    within 10% of VmRSS after the warm-up.
//! 2. **SIGTERM under load**: wrk plus clients of our own that count every exchange, slow readers
//!    holding a large response and slow senders halfway through their request head when the
//!    signal arrives; the process must exit 0 within 5 s and no response that had started may be
//!    cut off, nor any request still being read or written be dropped. Then clients that stall
//!    for good (half a request head, an answer never read) must not hold the exit past 5 s.
//! 3. **Reload under load**: a `--watch` portal whose `codes.yaml` is replaced 100 times by rename
//!    (every other version invalid); every `/api/codes` answer sampled meanwhile must be byte-equal
//!    to what a fresh portal serves for one of the valid versions, versions never go backwards,
//!    and nothing answers 5xx.
//!
//! The HTTP client here is deliberately raw (std `TcpStream`): it must tell "closed before any
//! byte of the answer" from "closed in the middle of the answer", which a client library hides.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};

use crate::test_suite::{run_step, workspace_root};

/// What `cargo xtask soak` measures; the defaults are the issue's figures.
pub struct Options {
    pub connections: u32,
    pub duration_secs: u64,
    pub warmup_secs: u64,
    /// Run one phase only: `soak`, `sigterm` or `reload`.
    pub only: Option<String>,
}

pub fn run(options: &Options) -> anyhow::Result<()> {
    let root = workspace_root();
    ensure_wrk(&root)?;
    run_step("cargo", &["build", "--quiet", "--release", "-p", "site"], &root)?;
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let site = target.join("release/site");
    let scratch = target.join("soak");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).with_context(|| format!("cannot create {}", scratch.display()))?;

    let wanted = |phase: &str| options.only.as_deref().is_none_or(|only| only == phase);
    ensure!(
        options.only.as_deref().is_none_or(|only| ["soak", "sigterm", "reload"].contains(&only)),
        "--only takes soak, sigterm or reload"
    );
    let mut summary = String::new();
    if wanted("soak") {
        soak(&site, &scratch, options, &mut summary)?;
    }
    if wanted("sigterm") {
        terminate_under_load(&site, &scratch, &mut summary)?;
        stalled_clients(&site, &scratch, &mut summary)?;
    }
    if wanted("reload") {
        reload_under_load(&site, &scratch, &root, &mut summary)?;
    }
    println!("\n== soak: every check passed\n{summary}");
    Ok(())
}

fn ensure_wrk(root: &Path) -> anyhow::Result<()> {
    if Command::new("wrk").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok() {
        return Ok(());
    }
    run_step("apt-get", &["update"], root)?;
    run_step("apt-get", &["install", "-y", "wrk"], root)
}

// ---------------------------------------------------------------------------------------------
// The portal process

/// A portal started here; stopped by its own handle when dropped.
struct Portal {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Portal {
    fn start(site: &Path, extra: &[&str], log: &Path) -> anyhow::Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(site)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?)
            .spawn()
            .with_context(|| format!("cannot start {}", site.display()))?;
        let mut portal = Portal { child, port, log: log.to_path_buf() };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = portal.child.try_wait()? {
                bail!("the portal exited with {status} before answering:\n{}", portal.log_text());
            }
            if let Ok(Outcome::Complete(reply)) = get(port, "/healthz", &[])
                && reply.status == 200
            {
                return Ok(portal);
            }
            ensure!(Instant::now() < deadline, "the portal did not answer /healthz within 30 s");
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Resident memory in KiB, from `/proc/PID/status`.
    fn rss_kib(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmRSS line")
    }

    fn send_sigterm(&self) -> anyhow::Result<()> {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status()?;
        ensure!(status.success(), "kill -TERM failed");
        Ok(())
    }

    /// Waits (at most `limit`, then 5 s more before giving up) for the process to exit.
    fn wait_exit(&mut self, limit: Duration) -> anyhow::Result<(Duration, ExitStatus)> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok((started.elapsed(), status));
            }
            ensure!(
                started.elapsed() < limit + Duration::from_secs(5),
                "the portal is still running {:?} after SIGTERM",
                started.elapsed()
            );
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// SIGTERM, then the exit must be status 0 within 5 s.
    fn stop(&mut self) -> anyhow::Result<Duration> {
        self.send_sigterm()?;
        let (took, status) = self.wait_exit(Duration::from_secs(5))?;
        ensure!(status.success(), "the portal exited with {status}:\n{}", self.log_text());
        ensure!(took <= Duration::from_secs(5), "the portal took {took:?} to exit");
        Ok(took)
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client

#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// How one exchange ended.
#[derive(Debug)]
enum Outcome {
    Complete(Reply),
    /// The connection ended before a single byte of the answer: the server never took the request
    /// (an idle keep-alive connection closed at shutdown, or a connect refused). HTTP clients
    /// retry these (RFC 9112, 9.3.1).
    Unanswered(String),
    /// The connection ended in the middle of an answer: what must never happen.
    CutOff {
        received: usize,
        why: String,
    },
}

fn request_text(path: &str, headers: &[(String, String)]) -> String {
    let mut text = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        let _ = write!(text, "{name}: {value}\r\n");
    }
    text.push_str("\r\n");
    text
}

/// Reads one answer. `pace` runs before every read with the bytes received so far (slow readers
/// sleep in it); reads are at most `chunk` bytes.
fn read_reply(stream: &mut TcpStream, chunk: usize, pace: &mut dyn FnMut(usize)) -> Outcome {
    let mut buffer = Vec::new();
    let mut piece = vec![0u8; chunk];
    let mut head: Option<(Reply, usize, Option<usize>)> = None;
    loop {
        if let Some((reply, head_len, length)) = &head {
            let body_len = buffer.len() - head_len;
            let done = match length {
                Some(length) => body_len >= *length,
                None => buffer.ends_with(b"0\r\n\r\n"),
            };
            if done {
                let mut reply = reply.clone();
                reply.body = buffer[*head_len..].to_vec();
                return Outcome::Complete(reply);
            }
        }
        pace(buffer.len());
        let read = match stream.read(&mut piece) {
            Ok(0) => Err("end of stream".to_string()),
            Ok(read) => Ok(read),
            Err(error) => Err(error.to_string()),
        };
        match read {
            Ok(read) => buffer.extend_from_slice(&piece[..read]),
            Err(why) if buffer.is_empty() => return Outcome::Unanswered(why),
            Err(why) => return Outcome::CutOff { received: buffer.len(), why },
        }
        if head.is_none()
            && let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n")
        {
            match parse_head(&buffer[..end]) {
                Some(reply) => {
                    let length = if reply.status == 304 || reply.status == 204 {
                        Some(0)
                    } else {
                        reply.header("content-length").and_then(|value| value.parse().ok())
                    };
                    head = Some((reply, end + 4, length));
                }
                None => return Outcome::CutOff { received: buffer.len(), why: "unparsable answer head".into() },
            }
        }
    }
}

fn parse_head(head: &[u8]) -> Option<Reply> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    Some(Reply { status, headers, body: Vec::new() })
}

fn connect(port: u16) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    Ok(stream)
}

/// One request on a new connection.
fn get(port: u16, path: &str, headers: &[(String, String)]) -> std::io::Result<Outcome> {
    let mut stream = connect(port)?;
    stream.write_all(request_text(path, headers).as_bytes())?;
    Ok(read_reply(&mut stream, 64 * 1024, &mut |_| {}))
}

fn get_ok(port: u16, path: &str) -> anyhow::Result<Reply> {
    match get(port, path, &[])? {
        Outcome::Complete(reply) if reply.status == 200 => Ok(reply),
        other => bail!("GET {path}: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The mixed workload, derived from whatever registry the portal serves

struct Request {
    path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn new(path: impl Into<String>) -> Self {
        Request { path: path.into(), headers: Vec::new() }
    }

    fn with(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// Pages, search, API, assets, 404s and conditional GETs (with the ETags the portal gives now).
fn mixed_requests(port: u16) -> anyhow::Result<Vec<Request>> {
    let index = get_ok(port, "/api/codes")?;
    let registry: serde_json::Value = serde_json::from_slice(&index.body).context("/api/codes is not JSON")?;
    let families = registry["families"].as_array().context("/api/codes has no families")?;
    let mut requests = vec![Request::new("/"), Request::new("/api/codes").with("Accept-Encoding", "gzip")];
    for family in families.iter().take(3) {
        let id = family["id"].as_str().context("family id")?;
        let codes = family["codes"].as_array().context("family codes")?;
        requests.push(Request::new(format!("/families/{id}")).with("Accept-Encoding", "gzip, br"));
        for code in codes.iter().step_by(codes.len().div_ceil(3).max(1)) {
            let number = code["number"].as_u64().context("code number")?;
            requests.push(Request::new(format!("/codes/{id}/{number}")));
            requests.push(Request::new(format!("/api/codes/{id}/{number}")));
            requests.push(Request::new(format!("/codes/{number}")));
        }
        requests.push(Request::new(format!("/codes/{id}/65000")));
        requests.push(Request::new(format!("/api/codes/{id}/65000")));
        requests.push(Request::new(format!("/search?q=code&family={id}")));
    }
    let first_code = &families[0]["codes"][0];
    let name = first_code["name"].as_str().unwrap_or("code");
    requests.push(Request::new(format!("/search?q={name}")));
    requests.push(Request::new("/search?q=token+expired&behaviour=reconnect"));
    requests.push(Request::new("/api/search?q=reconnect"));
    requests.push(Request::new(format!("/api/search?q={}", first_code["number"])));
    for missing in ["/no-such-page", "/families/no-such-family", "/api/codes/no-such-family/1", "/codes/x/not-a-number"]
    {
        requests.push(Request::new(missing));
    }
    let home = get_ok(port, "/")?;
    let html = String::from_utf8_lossy(&home.body);
    if let Some(start) = html.find("/static/style.") {
        let end = html[start..].find('"').map_or(html.len(), |end| start + end);
        requests.push(Request::new(&html[start..end]).with("Accept-Encoding", "gzip"));
    }
    for path in ["/", "/api/codes", &requests[3].path.clone()] {
        let reply = get_ok(port, path)?;
        let etag = reply.header("etag").with_context(|| format!("{path} has no ETag"))?;
        requests.push(Request::new(path).with("If-None-Match", etag));
    }
    Ok(requests)
}

/// A wrk script cycling through `requests` and counting answers by status class in every thread.
fn wrk_script(requests: &[Request]) -> String {
    let mut script = String::from("local requests = {}\nfunction init(args)\n");
    for request in requests {
        let headers: Vec<String> = request
            .headers
            .iter()
            .map(|(name, value)| format!("[{}] = {}", lua_string(name), lua_string(value)))
            .collect();
        let _ = writeln!(
            script,
            "  table.insert(requests, wrk.format(\"GET\", {}, {{{}}}))",
            lua_string(&request.path),
            headers.join(", ")
        );
    }
    script.push_str(
        r#"  counter = math.random(#requests)
  s1xx, s2xx, s304, s3xx, s4xx, s5xx = 0, 0, 0, 0, 0, 0
end
function request()
  counter = counter % #requests + 1
  return requests[counter]
end
function response(status, headers, body)
  if status == 304 then s304 = s304 + 1
  elseif status >= 500 then s5xx = s5xx + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 300 then s3xx = s3xx + 1
  elseif status >= 200 then s2xx = s2xx + 1
  else s1xx = s1xx + 1 end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local total = {0, 0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    for i, name in ipairs({"s1xx", "s2xx", "s304", "s3xx", "s4xx", "s5xx"}) do
      total[i] = total[i] + (thread:get(name) or 0)
    end
  end
  io.write(string.format("SOAK-STATUS 1xx=%d 2xx=%d 304=%d 3xx=%d 4xx=%d 5xx=%d\n", total[1], total[2], total[3], total[4], total[5], total[6]))
  io.write(string.format("SOAK-LATENCY p50=%.1f p99=%.1f max=%.1f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"#,
    );
    script
}

fn lua_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The figures of one wrk run.
#[derive(Debug, Default)]
struct WrkRun {
    requests: u64,
    per_second: f64,
    /// 1xx, 2xx, 304, other 3xx, 4xx, 5xx.
    statuses: [u64; 6],
    socket_errors: u64,
    socket_error_line: String,
    latency_ms: (f64, f64, f64),
}

fn start_wrk(script: &Path, port: u16, connections: u32, seconds: u64) -> anyhow::Result<Child> {
    Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--timeout", "2s", "-s"])
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start wrk")
}

fn finish_wrk(child: Child) -> anyhow::Result<WrkRun> {
    let output = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    ensure!(output.status.success(), "wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
    let mut run = WrkRun::default();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            run.per_second = rest.trim().parse().unwrap_or(0.0);
        } else if line.contains("requests in") {
            run.requests = line.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            run.socket_error_line = rest.trim().to_string();
            run.socket_errors =
                rest.split(',').filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok()).sum();
        } else if let Some(rest) = line.strip_prefix("SOAK-STATUS") {
            for (slot, item) in rest.split_whitespace().enumerate().take(6) {
                run.statuses[slot] = item.split('=').nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
            }
        } else if let Some(rest) = line.strip_prefix("SOAK-LATENCY") {
            let values: Vec<f64> =
                rest.split_whitespace().filter_map(|item| item.split('=').nth(1)?.parse().ok()).collect();
            if let [p50, p99, max] = values[..] {
                run.latency_ms = (p50, p99, max);
            }
        }
    }
    ensure!(run.requests > 0 && run.statuses.iter().sum::<u64>() > 0, "cannot read wrk's report:\n{text}");
    Ok(run)
}

fn describe(run: &WrkRun) -> String {
    let [_, ok, not_modified, redirect, missing, server_error] = run.statuses;
    format!(
        "{} requests ({:.0}/s): 2xx {ok}, 304 {not_modified}, other 3xx {redirect}, 4xx {missing}, 5xx {server_error}; \
         socket errors {}; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        run.requests,
        run.per_second,
        if run.socket_errors == 0 { "0".to_string() } else { run.socket_error_line.clone() },
        run.latency_ms.0,
        run.latency_ms.1,
        run.latency_ms.2
    )
}

// ---------------------------------------------------------------------------------------------
// Phase 1: soak

fn soak(site: &Path, scratch: &Path, options: &Options, summary: &mut String) -> anyhow::Result<()> {
    eprintln!(
        "==> soak: embedded registry, wrk -t2 -c{} for {} s after {} s of warm-up",
        options.connections, options.duration_secs, options.warmup_secs
    );
    let mut portal = Portal::start(site, &[], &scratch.join("soak.log"))?;
    let requests = mixed_requests(portal.port)?;
    let script = scratch.join("mixed.lua");
    std::fs::write(&script, wrk_script(&requests))?;
    let rss_start = portal.rss_kib()?;

    let warmup = finish_wrk(start_wrk(&script, portal.port, options.connections, options.warmup_secs)?)?;
    ensure!(warmup.statuses[5] == 0 && warmup.socket_errors == 0, "warm-up: {}", describe(&warmup));
    let rss_warm = portal.rss_kib()?;
    let run = finish_wrk(start_wrk(&script, portal.port, options.connections, options.duration_secs)?)?;
    let rss_after = portal.rss_kib()?;
    let stopped = portal.stop()?;

    let growth = (rss_after as f64 - rss_warm as f64) / rss_warm as f64 * 100.0;
    let _ = writeln!(
        summary,
        "soak ({} distinct requests, {} connections, {} s): {}\n  VmRSS: {:.1} MB at start, {:.1} MB after warm-up, {:.1} MB after the run ({growth:+.1}%); idle SIGTERM exit in {} ms",
        requests.len(),
        options.connections,
        options.duration_secs,
        describe(&run),
        rss_start as f64 / 1024.0,
        rss_warm as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        stopped.as_millis()
    );
    ensure!(run.statuses[5] == 0, "5xx answers during the soak: {}", describe(&run));
    ensure!(run.socket_errors == 0, "socket errors during the soak: {}", describe(&run));
    ensure!(run.statuses[2] > 0 && run.statuses[4] > 0, "the mix lacks 304s or 404s: {}", describe(&run));
    ensure!(growth.abs() <= 10.0, "VmRSS moved {growth:+.1}% between warm-up and the end of the run");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Phase 2: SIGTERM under load

#[derive(Debug, Default)]
struct Tally {
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
fn counting_client(port: u16, paths: Vec<String>, signalled: Arc<AtomicBool>, offset: usize) -> Tally {
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
fn slow_reader(
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
fn slow_sender(port: u16, path: String, ready: mpsc::Sender<()>, signalled: Arc<AtomicBool>) -> Outcome {
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

fn terminate_under_load(site: &Path, scratch: &Path, summary: &mut String) -> anyhow::Result<()> {
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
fn stalled_clients(site: &Path, scratch: &Path, summary: &mut String) -> anyhow::Result<()> {
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

// ---------------------------------------------------------------------------------------------
// Phase 3: reload under load

const REPLACEMENTS: usize = 100;
const REPLACE_EVERY: Duration = Duration::from_millis(700);
const MARKED_TITLE: &str = "title: Streaming session disconnect codes";

/// Version `index` of the watched file: even versions are the real registry with a numbered
/// family title, odd ones cycle through the bad-input corpus.
fn version_bytes(index: usize, base: &str, corpus: &[Vec<u8>]) -> Vec<u8> {
    if index.is_multiple_of(2) {
        base.replacen(MARKED_TITLE, &format!("{MARKED_TITLE} (soak version {index})"), 1).into_bytes()
    } else {
        corpus[(index / 2) % corpus.len()].clone()
    }
}

fn replace_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension("yaml.tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)?;
    Ok(())
}

/// Fetches /api/codes in a loop on one keep-alive connection; returns the sequence of distinct
/// bodies seen (consecutive repeats collapsed) and every non-200 status or broken exchange.
fn sampler(port: u16, stop: Arc<AtomicBool>) -> (Vec<Vec<u8>>, u64, Vec<String>) {
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

fn reload_under_load(site: &Path, scratch: &Path, root: &Path, summary: &mut String) -> anyhow::Result<()> {
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
