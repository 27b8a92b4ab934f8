//! `codebook live-check`: what codes a running server sends, read from its Prometheus endpoint
//! (and optionally its JSON logs), against the registry.
//!
//! Which counters count which family is registry data (`metrics:` of a family, with the label
//! holding the number), so this module knows no metric name. Each code seen is reported with its
//! count and what the registry says; unregistered, deprecated and retired numbers and numbers
//! outside every range rule are findings; for every counter of a reconnect/terminal family the
//! share of terminal codes is printed. The exposition is parsed by the `prometheus-parse` crate.
//! Centrifugo's JSON logs add the codes of "client command error" entries (a `code` field, read
//! in `centrifugo-error`) and the reasons of its disconnect entries (a `reason` field, found by
//! message in `centrifugo-disconnect`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead;
use std::time::Duration;

use codebook_model::{Behaviour, Registry, Scope};
use serde::Serialize;

/// The family of the `code` field of a Centrifugo "client command error" log entry.
pub const LOG_ERROR_FAMILY: &str = "centrifugo-error";
/// The family the `reason` of a Centrifugo disconnect log entry is looked up in.
pub const LOG_DISCONNECT_FAMILY: &str = "centrifugo-disconnect";

/// Exit statuses besides 0: a finding at the `--fail-on` level; the endpoint refused or could not
/// be reached; it did not answer in time; it answered something that is not a Prometheus text
/// exposition (or an HTTP error status); the log file could not be read.
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_UNREACHABLE: u8 = 2;
pub const EXIT_TIMEOUT: u8 = 3;
pub const EXIT_NOT_METRICS: u8 = 4;
pub const EXIT_LOGS: u8 = 5;

/// The largest exposition read (a Centrifugo node exports well under 1 MB).
const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Why a scrape failed; each has its own exit status.
#[derive(Debug)]
pub enum ScrapeError {
    Unreachable(String),
    Timeout(String),
    NotMetrics(String),
}

impl ScrapeError {
    pub fn exit_status(&self) -> u8 {
        match self {
            ScrapeError::Unreachable(_) => EXIT_UNREACHABLE,
            ScrapeError::Timeout(_) => EXIT_TIMEOUT,
            ScrapeError::NotMetrics(_) => EXIT_NOT_METRICS,
        }
    }
}

impl std::fmt::Display for ScrapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScrapeError::Unreachable(text) | ScrapeError::Timeout(text) | ScrapeError::NotMetrics(text) => {
                f.write_str(text)
            }
        }
    }
}

/// Fetches the exposition text of `url` within `timeout`.
pub fn fetch(url: &str, timeout: Duration) -> Result<String, ScrapeError> {
    let agent: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(timeout)).http_status_as_error(false).build().into();
    let failed = |error: ureq::Error| match error {
        ureq::Error::Timeout(_) => {
            ScrapeError::Timeout(format!("{url}: no answer within {:.1} s", timeout.as_secs_f64()))
        }
        ureq::Error::Io(ref io) if io.kind() == std::io::ErrorKind::TimedOut => {
            ScrapeError::Timeout(format!("{url}: no answer within {:.1} s", timeout.as_secs_f64()))
        }
        ureq::Error::BodyExceedsLimit(limit) => {
            ScrapeError::NotMetrics(format!("{url}: the answer is larger than {limit} bytes"))
        }
        ureq::Error::BadUri(text) => ScrapeError::Unreachable(format!("{url}: not a usable URL: {text}")),
        other => ScrapeError::Unreachable(format!("{url}: cannot fetch the metrics: {other}")),
    };
    let mut response = agent.get(url).call().map_err(failed)?;
    let status = response.status();
    if !status.is_success() {
        return Err(ScrapeError::NotMetrics(format!("{url}: answered HTTP {status}, not metrics")));
    }
    response.body_mut().with_config().limit(MAX_BODY_BYTES).read_to_string().map_err(failed)
}

/// One code seen, with what the registry says about it.
#[derive(Debug, Clone, Serialize)]
pub struct Seen {
    pub family: String,
    pub code: u16,
    /// The registered name, if registered.
    pub name: Option<String>,
    /// The largest count any one source gives (counters of one family count the same events
    /// from different sides, so they are not added up).
    pub count: u64,
    /// Count per source: each metric name, and `logs`.
    pub by_source: BTreeMap<String, u64>,
    pub behaviour: &'static str,
    pub action: &'static str,
    /// `registered`, `unregistered`, `deprecated`, `retired` or `outside-ranges`.
    pub status: &'static str,
    /// The registered message, or the label of the range the number falls in.
    pub meaning: String,
}

/// Something the registry would not expect.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub family: String,
    pub code: Option<u16>,
    pub message: String,
}

/// The share of terminal codes among everything a counter of a reconnect/terminal family counted.
#[derive(Debug, Clone, Serialize)]
pub struct TerminalShare {
    pub metric: String,
    pub family: String,
    pub terminal: u64,
    pub total: u64,
    /// `terminal / total`, 0 when nothing was counted.
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Report {
    pub codes: Vec<Seen>,
    pub findings: Vec<Finding>,
    pub terminal_share: Vec<TerminalShare>,
    /// Samples read of the counters the registry names.
    pub samples_read: usize,
    pub log_lines_read: usize,
}

/// Counts gathered from the sources: (family, code) -> source -> count.
#[derive(Default, Debug, Clone)]
pub struct Tally {
    counts: BTreeMap<(String, u16), BTreeMap<String, u64>>,
    findings: Vec<Finding>,
    samples: usize,
    log_lines: usize,
}

impl Tally {
    fn add(&mut self, family: &str, code: u16, source: &str, count: u64) {
        *self.counts.entry((family.to_string(), code)).or_default().entry(source.to_string()).or_default() += count;
    }

    /// Counts every sample of a counter the registry names, from an exposition text. A line
    /// the parser cannot read makes the whole text "not metrics".
    pub fn add_exposition(&mut self, registry: &Registry, text: &str) -> Result<(), ScrapeError> {
        if let Some((number, line)) = text.lines().enumerate().find(|(_, line)| {
            let line = line.trim();
            !line.is_empty()
                && !line.starts_with('#')
                && matches!(prometheus_parse::LineInfo::parse(line), prometheus_parse::LineInfo::Ignored)
        }) {
            let shown: String = line.chars().take(80).collect();
            return Err(ScrapeError::NotMetrics(format!(
                "not a Prometheus text exposition: line {} reads {shown:?}",
                number + 1
            )));
        }
        let scrape = prometheus_parse::Scrape::parse(text.lines().map(|line| Ok(line.to_string())))
            .map_err(|error| ScrapeError::NotMetrics(format!("not a Prometheus text exposition: {error}")))?;
        for sample in &scrape.samples {
            let Some((family, metric)) = registry.family_counted_by(&sample.metric) else { continue };
            let value = match sample.value {
                prometheus_parse::Value::Counter(value)
                | prometheus_parse::Value::Untyped(value)
                | prometheus_parse::Value::Gauge(value) => value,
                _ => continue,
            };
            self.samples += 1;
            let Some(label) = sample.labels.get(&metric.label) else { continue };
            let Ok(code) = label.parse::<u16>() else {
                self.findings.push(Finding {
                    severity: Severity::Warning,
                    family: family.id.clone(),
                    code: None,
                    message: format!("{}{{{}={label:?}}} does not hold a code number", metric.name, metric.label),
                });
                continue;
            };
            if value.is_finite() && value >= 1.0 {
                self.add(&family.id, code, &metric.name, value as u64);
            }
        }
        Ok(())
    }

    /// Counts the codes of Centrifugo JSON log lines; lines that are not JSON objects are skipped.
    pub fn add_logs(&mut self, registry: &Registry, reader: impl BufRead) -> std::io::Result<()> {
        let errors = registry.family(LOG_ERROR_FAMILY);
        let disconnects = registry.family(LOG_DISCONNECT_FAMILY);
        // Centrifugo logs one close more than once (after the command, and when closing): a
        // client's reason counts once.
        let mut closes_seen = std::collections::HashSet::new();
        for line in reader.lines() {
            let line = line?;
            let Ok(serde_json::Value::Object(entry)) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            self.log_lines += 1;
            if let (Some(family), Some(code)) = (errors, entry.get("code").and_then(serde_json::Value::as_u64)) {
                match u16::try_from(code) {
                    Ok(code) => self.add(&family.id, code, "logs", 1),
                    Err(_) => self.findings.push(Finding {
                        severity: Severity::Error,
                        family: family.id.clone(),
                        code: None,
                        message: format!("a log entry carries code {code}, which no family can hold"),
                    }),
                }
            } else if let (Some(family), Some(reason)) =
                (disconnects, entry.get("reason").and_then(serde_json::Value::as_str))
            {
                let client = entry.get("client").and_then(serde_json::Value::as_str).unwrap_or("");
                if !client.is_empty() && !closes_seen.insert((client.to_string(), reason.to_string())) {
                    continue;
                }
                match family.message_lookups().iter().find(|(text, _)| *text == reason) {
                    Some((_, code)) => self.add(&family.id, *code, "logs", 1),
                    None => self.findings.push(Finding {
                        severity: Severity::Warning,
                        family: family.id.clone(),
                        code: None,
                        message: format!(
                            "a log entry disconnects with the reason {reason:?}, which no code of this family sends"
                        ),
                    }),
                }
            }
        }
        Ok(())
    }

    /// What the registry says about everything counted.
    pub fn report(&self, registry: &Registry) -> Report {
        let mut report = Report {
            findings: self.findings.clone(),
            samples_read: self.samples,
            log_lines_read: self.log_lines,
            ..Report::default()
        };
        for ((family_id, code), by_source) in &self.counts {
            let Some(family) = registry.family(family_id) else { continue };
            let classified = family.classify(*code);
            let count = by_source.values().copied().max().unwrap_or(0);
            let (status, severity, note) = status_of(&classified);
            if let Some(severity) = severity {
                report.findings.push(Finding {
                    severity,
                    family: family.id.clone(),
                    code: Some(*code),
                    message: format!("{} {code} seen {count} time(s): {note}", family.id),
                });
            }
            report.codes.push(Seen {
                family: family.id.clone(),
                code: *code,
                name: classified.code.map(|code| code.name.clone()),
                count,
                by_source: by_source.clone(),
                behaviour: classified.behaviour.as_str(),
                action: classified.action().as_str(),
                status,
                meaning: classified
                    .code
                    .and_then(|code| code.message.fixed().map(str::to_string))
                    .unwrap_or_else(|| classified.segment.label.clone()),
            });
        }
        for family in registry.families.iter().filter(|family| family.is_disconnect_family()) {
            for metric in &family.metrics {
                let (mut terminal, mut total) = (0, 0);
                for ((family_id, code), by_source) in &self.counts {
                    if family_id != &family.id {
                        continue;
                    }
                    let Some(count) = by_source.get(&metric.name) else { continue };
                    total += count;
                    if family.classify(*code).behaviour == Behaviour::Terminal {
                        terminal += count;
                    }
                }
                let share = if total == 0 { 0.0 } else { terminal as f64 / total as f64 };
                report.terminal_share.push(TerminalShare {
                    metric: metric.name.clone(),
                    family: family.id.clone(),
                    terminal,
                    total,
                    share,
                });
            }
        }
        report.findings.sort_by(|a, b| (b.severity, &a.family, a.code).cmp(&(a.severity, &b.family, b.code)));
        report
    }
}

/// How a seen number stands in its family: (status, finding severity, what to say).
fn status_of(classified: &codebook_model::Classification<'_>) -> (&'static str, Option<Severity>, String) {
    if let Some(code) = classified.code {
        return match &code.deprecated {
            Some(instead) => ("deprecated", Some(Severity::Warning), format!("{} is deprecated: {instead}", code.name)),
            None => ("registered", None, String::new()),
        };
    }
    if let Some(retired) = classified.retired {
        let moved = retired.moved_to.map(|to| format!(" (now {to})")).unwrap_or_default();
        return ("retired", Some(Severity::Error), format!("a retired number{moved}: {}", retired.note));
    }
    if classified.segment.range_index.is_none() {
        return (
            "outside-ranges",
            Some(Severity::Error),
            format!("not registered and outside every range of the family ({})", classified.segment.label),
        );
    }
    let whose = if classified.segment.scope == Scope::Application { "custom code" } else { "number" };
    (
        "unregistered",
        Some(Severity::Warning),
        format!(
            "unregistered {whose} ({}; clients {})",
            classified.segment.label,
            behaviour_words(classified.behaviour)
        ),
    )
}

fn behaviour_words(behaviour: Behaviour) -> &'static str {
    match behaviour {
        Behaviour::Reconnect => "reconnect",
        Behaviour::Terminal => "stay disconnected",
        Behaviour::Temporary => "may retry",
        Behaviour::Permanent => "do not retry",
    }
}

pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "codes seen: {}", report.codes.len());
    for seen in &report.codes {
        let sources: Vec<String> = seen.by_source.iter().map(|(source, count)| format!("{source}={count}")).collect();
        let _ = writeln!(
            out,
            "  {} {} {} x{}: {} ({}, {}, {}) [{}]",
            seen.family,
            seen.code,
            seen.name.as_deref().unwrap_or("(unregistered)"),
            seen.count,
            seen.meaning,
            seen.status,
            seen.behaviour,
            seen.action,
            sources.join(", ")
        );
    }
    for share in &report.terminal_share {
        let _ = writeln!(
            out,
            "terminal closes: {} of {} ({:.1}%) counted by {}",
            share.terminal,
            share.total,
            share.share * 100.0,
            share.metric
        );
    }
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "{}: {}",
            match finding.severity {
                Severity::Warning => "warning",
                Severity::Error => "error",
            },
            finding.message
        );
    }
    out
}

pub fn render_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("serialisable") + "\n"
}

/// What changed between two tallies, as text lines (codes whose counts grew or appeared).
pub fn render_changes(before: &Report, after: &Report) -> String {
    let mut out = String::new();
    for seen in &after.codes {
        let previous = before.codes.iter().find(|old| old.family == seen.family && old.code == seen.code);
        match previous {
            None => {
                let _ = writeln!(
                    out,
                    "new: {} {} {} x{} ({})",
                    seen.family,
                    seen.code,
                    seen.name.as_deref().unwrap_or("(unregistered)"),
                    seen.count,
                    seen.status
                );
            }
            Some(old) if old.count != seen.count => {
                let _ = writeln!(out, "changed: {} {} x{} -> x{}", seen.family, seen.code, old.count, seen.count);
            }
            Some(_) => {}
        }
    }
    out
}

/// The options of one run.
pub struct Options {
    pub metrics: String,
    pub logs: Option<String>,
    pub fail_on: Severity,
    pub format: Format,
    pub watch: Option<Duration>,
    pub interval: Duration,
    pub timeout: Duration,
}

fn gather(registry: &Registry, options: &Options) -> Result<Tally, (u8, String)> {
    let mut tally = Tally::default();
    let text = fetch(&options.metrics, options.timeout).map_err(|error| (error.exit_status(), error.to_string()))?;
    tally
        .add_exposition(registry, &text)
        .map_err(|error| (error.exit_status(), format!("{}: {error}", options.metrics)))?;
    if let Some(logs) = &options.logs {
        let result = if logs == "-" {
            tally.add_logs(registry, std::io::stdin().lock())
        } else {
            std::fs::File::open(logs).and_then(|file| tally.add_logs(registry, std::io::BufReader::new(file)))
        };
        result.map_err(|error| (EXIT_LOGS, format!("{logs}: cannot read the logs: {error}")))?;
    }
    Ok(tally)
}

fn status_for(report: &Report, fail_on: Severity) -> u8 {
    if report.findings.iter().any(|finding| finding.severity >= fail_on) { EXIT_FINDINGS } else { 0 }
}

/// The whole command; returns the exit status.
pub fn command(registry: &Registry, options: &Options) -> u8 {
    let first = match gather(registry, options) {
        Ok(tally) => tally.report(registry),
        Err((status, message)) => {
            eprintln!("codebook live-check: {message}");
            return status;
        }
    };
    print!(
        "{}",
        match options.format {
            Format::Text => render_text(&first),
            Format::Json => render_json(&first),
        }
    );
    let Some(watch) = options.watch else { return status_for(&first, options.fail_on) };
    let mut last = first;
    // A bounded watch: one poll per interval that fits in the watch, each printing what changed;
    // the logs are read once.
    let scrape_only = scrape_only(options);
    let polls = (watch.as_secs_f64() / options.interval.as_secs_f64()).floor() as u64;
    for _ in 0..polls {
        std::thread::sleep(options.interval);
        match gather(registry, &scrape_only) {
            Ok(tally) => {
                let report = tally.report(registry);
                let changes = render_changes(&last, &report);
                match options.format {
                    Format::Text if !changes.is_empty() => print!("{changes}"),
                    Format::Json => {
                        println!("{}", serde_json::json!({ "changes": changes.lines().collect::<Vec<_>>() }))
                    }
                    _ => {}
                }
                last = report;
            }
            Err((status, message)) => {
                eprintln!("codebook live-check: {message}");
                return status;
            }
        }
    }
    status_for(&last, options.fail_on)
}

/// The options of the later polls of a watch: the metrics only (the logs were read once).
fn scrape_only(options: &Options) -> Options {
    Options {
        metrics: options.metrics.clone(),
        logs: None,
        fail_on: options.fail_on,
        format: options.format,
        watch: None,
        interval: options.interval,
        timeout: options.timeout,
    }
}

#[cfg(test)]
#[path = "live_check_tests.rs"]
mod tests;
