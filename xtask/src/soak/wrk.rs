//! The mixed workload, derived from whatever registry the portal serves, and wrk driving it: the
//! Lua script that cycles through the requests and counts answers by status class, and the
//! figures read back from wrk's report.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Child, Stdio};

use anyhow::{Context, ensure};

use super::raw_http::get_ok;
use crate::command::{Step, check_output};

// The mixed workload, derived from whatever registry the portal serves

pub(super) struct Request {
    pub(super) path: String,
    pub(super) headers: Vec<(String, String)>,
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
pub(super) fn mixed_requests(port: u16) -> anyhow::Result<Vec<Request>> {
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
pub(super) fn wrk_script(requests: &[Request]) -> String {
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

pub(super) fn lua_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The figures of one wrk run.
#[derive(Debug, Default)]
pub(super) struct WrkRun {
    pub(super) requests: u64,
    pub(super) per_second: f64,
    /// 1xx, 2xx, 304, other 3xx, 4xx, 5xx.
    pub(super) statuses: [u64; 6],
    pub(super) socket_errors: u64,
    pub(super) socket_error_line: String,
    pub(super) latency_ms: (f64, f64, f64),
}

pub(super) fn start_wrk(script: &Path, port: u16, connections: u32, seconds: u64) -> anyhow::Result<Child> {
    let mut wrk = Step::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "--timeout", "2s", "-s"])
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/"));
    wrk.command_mut().stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    wrk.spawn()
}

pub(super) fn finish_wrk(child: Child) -> anyhow::Result<WrkRun> {
    let output = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    check_output("wrk", &output)?;
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

pub(super) fn describe(run: &WrkRun) -> String {
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
