//! The interop suite: a real Centrifugo driven by the official SDKs, with every code that arrives
//! checked against the generated TypeScript and Go bindings.
//!
//! Builds Centrifugo from the Go module proxy at the version `interop/server/go.mod` pins (cached
//! under `target/interop/`, keyed by that version and the `go.sum` hash, so a warm run starts in
//! seconds), writes a config with a fresh HMAC secret and API key, starts the server on a free
//! 127.0.0.1 port, runs the centrifuge-go runner (`interop/go`), the centrifuge-python runner
//! (`interop/python`, in the Python step's consumer venv), the centrifuge-java runner
//! (`interop/java`, compiled by Maven against the Java binding the bindings step installed) and
//! then the centrifuge-js runner (`interop/js`, which ends with SIGTERM to the server), stops the
//! server by PID and prints one table. A row that fails names its scenario and what disagreed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::command::{Step, run_step};
use crate::process::{self, Running};
use crate::workspace::{self, copy_dir};

/// The Centrifugo module the suite builds; its version is read from `interop/server/go.mod`.
const CENTRIFUGO_MODULE: &str = "github.com/centrifugal/centrifugo/v6";

/// One checked observation, as the runners print it (one JSON object per line).
#[derive(Deserialize, Debug)]
struct Row {
    sdk: String,
    scenario: String,
    arrived: String,
    codebook: String,
    sdk_did: String,
    ok: bool,
    #[serde(default)]
    problems: Vec<String>,
    /// What arrived, as the centrifuge-js runner saw it, for the Go binding's check.
    #[serde(default)]
    observed: Option<serde_json::Value>,
}

/// A Go command in `dir`, held to the modules `go.sum` pins.
fn go(args: &[&str], dir: &Path) -> Step {
    Step::go().args(args).dir(dir).env("GOFLAGS", "-mod=readonly")
}

/// The pinned Centrifugo version, from `interop/server/go.mod`.
fn pinned_version(server_dir: &Path) -> anyhow::Result<String> {
    let go_mod = std::fs::read_to_string(server_dir.join("go.mod")).context("reading interop/server/go.mod")?;
    go_mod
        .lines()
        .map(str::trim)
        .find_map(|line| {
            line.strip_prefix(CENTRIFUGO_MODULE).map(|rest| rest.split_whitespace().next().unwrap_or("").to_string())
        })
        .filter(|version| version.starts_with('v'))
        .context("interop/server/go.mod does not require github.com/centrifugal/centrifugo/v6")
}

/// The cached server binary, built first when missing.
fn centrifugo_binary(root: &Path) -> anyhow::Result<PathBuf> {
    let server_dir = root.join("interop/server");
    let version = pinned_version(&server_dir)?;
    let sum = std::fs::read(server_dir.join("go.sum")).context("reading interop/server/go.sum")?;
    let key: String = Sha256::digest(&sum).iter().take(6).map(|byte| format!("{byte:02x}")).collect();
    let binary = workspace::scratch("interop").join(format!("centrifugo-{version}-{key}"));
    if binary.exists() {
        eprintln!("==> Centrifugo {version}: cached {}", binary.display());
        return Ok(binary);
    }
    std::fs::create_dir_all(binary.parent().expect("has a parent"))?;
    let partial = binary.with_extension("partial");
    eprintln!("    Centrifugo {version}: cold build, a few minutes");
    let started = Instant::now();
    go(&["build", "-trimpath", "-o", workspace::text(&partial)?, CENTRIFUGO_MODULE], &server_dir).run()?;
    std::fs::rename(&partial, &binary)?;
    eprintln!("    built in {:.0} s", started.elapsed().as_secs_f64());
    Ok(binary)
}

/// Compiles the centrifuge-java runner from a copy of `interop/java` (Maven's `target/` stays out
/// of the source tree) and returns the classpath that runs it: its classes, then the runtime
/// classpath Maven wrote (the installed Java binding, centrifuge-java 0.4.1 and its dependencies).
fn java_runner(root: &Path) -> anyhow::Result<String> {
    let copy = workspace::scratch("interop/java-runner");
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&root.join("interop/java"), &copy)?;
    let started = Instant::now();
    // Maven's output is shown only when the build fails (quiet Maven 3.8 still prints colour resets).
    Step::new("mvn").args(["-B", "--no-transfer-progress", "-q", "compile"])
        .arg(crate::test_suite::python_java::codebook_version_property(root)?)
        .dir(&copy).quiet().context(
        "building interop/java (it needs the Java binding in the local Maven repository: run `cargo xtask test-bindings` first)",
    )?;
    eprintln!("    built in {:.1} s", started.elapsed().as_secs_f64());
    let dependencies = std::fs::read_to_string(copy.join("target/classpath.txt"))
        .context("interop/java's build wrote no classpath")?;
    let classes = copy.join("target/classes");
    Ok(format!("{}:{}", classes.to_str().context("non-UTF-8 path")?, dependencies.trim()))
}

/// A random hex string from the OS (secrets differ on every run).
fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut buffer = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buffer)?;
    Ok(buffer.iter().map(|byte| format!("{byte:02x}")).collect())
}

struct Settings {
    port: u16,
    grpc_port: u16,
    secret: String,
    api_key: String,
}

/// The server config the scenarios rely on (see each scenario in interop/js/scenarios.mjs).
fn config(settings: &Settings) -> serde_json::Value {
    serde_json::json!({
        "http_server": { "address": "127.0.0.1", "port": settings.port },
        "log": { "level": "warn" },
        "usage_stats": { "disabled": true },
        "health": { "enabled": true },
        "client": {
            "token": { "hmac_secret_key": settings.secret },
            "allowed_origins": ["*"],
            "stale_close_delay": "1s",
            "expired_close_delay": "1s",
            "user_connection_limit": 1,
            "channel_limit": 2
        },
        "channel": {
            "without_namespace": { "allow_subscribe_for_client": true },
            // `kept` keeps a history stream for the server API's unrecoverable-position call.
            "namespaces": [{ "name": "locked" }, { "name": "kept", "history_size": 10, "history_ttl": "60s" }]
        },
        "http_api": { "key": settings.api_key },
        "grpc_api": { "enabled": true, "address": "127.0.0.1", "port": settings.grpc_port, "key": settings.api_key },
        "prometheus": { "enabled": true },
        "shutdown": { "timeout": "3s" }
    })
}

fn wait_for_health(port: u16, server: &mut Running) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Some(status) = server.exited()? {
            bail!("Centrifugo exited during start-up with {status}");
        }
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Write;
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            if stream.write_all(b"GET /health HTTP/1.0\r\n\r\n").is_ok() {
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200") {
                    return Ok(());
                }
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("Centrifugo did not answer /health on 127.0.0.1:{port} within 20 s")
}

fn parse_rows(output: &[u8], runner: &str) -> anyhow::Result<Vec<Row>> {
    let text = String::from_utf8_lossy(output);
    let rows: Vec<Row> = text
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).with_context(|| format!("{runner} printed a bad row: {line}")))
        .collect::<anyhow::Result<_>>()?;
    if rows.is_empty() {
        bail!("{runner} reported nothing:\n{text}");
    }
    Ok(rows)
}

/// Every code the centrifuge-js runner saw is also checked by the Go binding (`interop/go check`):
/// a row passes only when both bindings agree with what arrived.
fn cross_check_with_go(runner: &Path, rows: &mut [Row]) -> anyhow::Result<()> {
    let mut input = Vec::new();
    for row in rows.iter().filter(|row| row.observed.is_some()) {
        serde_json::to_writer(&mut input, &serde_json::json!({ "scenario": row.scenario, "observed": row.observed }))?;
        input.push(b'\n');
    }
    let output = Step::new(runner).arg("check").input(input).rows()?;
    let verdicts = parse_rows(&output, "interop/go check")?;
    let expected = rows.iter().filter(|row| row.observed.is_some()).count();
    if verdicts.len() != expected {
        bail!("interop/go check answered {} of {expected} observations", verdicts.len());
    }
    let mut verdicts = verdicts.into_iter();
    for row in rows.iter_mut().filter(|row| row.observed.is_some()) {
        let verdict = verdicts.next().expect("counted");
        if verdict.scenario != row.scenario {
            bail!("interop/go check answered {:?} for {:?}", verdict.scenario, row.scenario);
        }
        row.codebook.push_str(if verdict.ok { " (Go binding agrees)" } else { " (Go binding DISAGREES)" });
        if !verdict.ok {
            row.ok = false;
            row.problems.extend(verdict.problems.into_iter().map(|problem| format!("Go binding: {problem}")));
        }
    }
    Ok(())
}

impl From<crate::test_suite::interop_operators::Checked> for Row {
    fn from(checked: crate::test_suite::interop_operators::Checked) -> Row {
        Row {
            sdk: checked.runner.to_string(),
            scenario: checked.scenario,
            arrived: checked.arrived,
            codebook: checked.codebook,
            sdk_did: "-".to_string(),
            ok: checked.problems.is_empty(),
            problems: checked.problems,
            observed: None,
        }
    }
}

/// A second server, fresh so its counters hold only the live-check scenario's traffic.
fn live_check_run(
    binary: &Path,
    runner: &Path,
    work: &Path,
    registry: &codebook_model::Registry,
) -> anyhow::Result<crate::test_suite::interop_operators::Checked> {
    let settings = Settings {
        port: process::free_port()?,
        grpc_port: process::free_port()?,
        secret: random_hex(16)?,
        api_key: random_hex(16)?,
    };
    let dir = work.join("live-check");
    std::fs::create_dir_all(&dir)?;
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, serde_json::to_vec_pretty(&config(&settings))?)?;
    let log = std::fs::File::create(dir.join("server.log"))?;
    let mut server = Step::new(binary).arg("-c").arg(&config_path).dir(&dir);
    server.command_mut().stdout(log.try_clone()?).stderr(log);
    let mut server = Running::start("Centrifugo (live-check)", server)?;
    wait_for_health(settings.port, &mut server)?;
    let env = [
        ("CENTRIFUGO_WS", format!("ws://127.0.0.1:{}/connection/websocket", settings.port)),
        ("CENTRIFUGO_API", format!("http://127.0.0.1:{}/api", settings.port)),
        ("CENTRIFUGO_API_KEY", settings.api_key.clone()),
        ("CENTRIFUGO_SECRET", settings.secret.clone()),
    ];
    let metrics = format!("http://127.0.0.1:{}/metrics", settings.port);
    crate::test_suite::interop_operators::live_check(runner, &metrics, &env, registry)
}

fn print_table(rows: &[Row]) {
    let headers = ["sdk", "scenario", "what arrived", "codebook answers", "what the SDK did"];
    let cells: Vec<[&str; 5]> =
        rows.iter().map(|row| [row.sdk.as_str(), &row.scenario, &row.arrived, &row.codebook, &row.sdk_did]).collect();
    let widths: Vec<usize> = (0..5)
        .map(|i| cells.iter().map(|row| row[i].chars().count()).chain([headers[i].len()]).max().unwrap_or(0).min(60))
        .collect();
    let line = |values: [&str; 5], mark: &str| {
        let cells: Vec<String> =
            values.iter().zip(&widths).map(|(value, width)| format!("{value:<width$}", width = *width)).collect();
        eprintln!("{mark} {}", cells.join(" | "));
    };
    line(headers, "  ");
    for (row, values) in rows.iter().zip(&cells) {
        line(*values, if row.ok { "ok" } else { "!!" });
    }
}

/// Every scenario an `sdk_behaviour` row of the registry names (the `/sdks` page's proof) that
/// printed no row, or a row that disagreed: one line each.
fn unproven_sdk_behaviour(registry: &codebook_model::Registry, rows: &[Row]) -> Vec<String> {
    let mut problems = Vec::new();
    for behaviour in &registry.sdk_behaviour {
        for proof in &behaviour.proven_by {
            let ran: Vec<&Row> = rows.iter().filter(|row| proof.matches(&row.sdk, &row.scenario)).collect();
            if ran.is_empty() {
                problems.push(format!(
                    "codes.yaml:{}: sdk_behaviour {:?} is proven by {} scenario {:?}, which printed no row (its runner is {})",
                    proof.location,
                    behaviour.situation,
                    proof.sdk.as_str(),
                    proof.scenario,
                    runner_source(proof.sdk)
                ));
            } else if ran.iter().any(|row| !row.ok) {
                problems.push(format!(
                    "codes.yaml:{}: sdk_behaviour {:?} is proven by {} scenario {:?}, which disagreed",
                    proof.location,
                    behaviour.situation,
                    proof.sdk.as_str(),
                    proof.scenario
                ));
            }
        }
    }
    problems
}

/// The runner that plays an SDK's scenarios, as its source file.
pub fn runner_source(sdk: codebook_model::Sdk) -> &'static str {
    match sdk {
        codebook_model::Sdk::CentrifugeJs => "interop/js/scenarios.mjs",
        codebook_model::Sdk::CentrifugeGo => "interop/go/main.go",
        codebook_model::Sdk::CentrifugePython => "interop/python/scenarios.py",
        codebook_model::Sdk::CentrifugeJava => "interop/java/src/main/java/interop/Scenarios.java",
    }
}

/// Runs the whole suite; fails naming every scenario whose row disagreed.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let binary = centrifugo_binary(root)?;
    let js_dir = root.join("interop/js");
    run_step("npm", &["ci", "--no-audit", "--no-fund", "--loglevel=error"], &js_dir)?;
    let go_dir = root.join("interop/go");
    let runner = workspace::scratch("interop/go-runner");
    go(&["build", "-o", workspace::text(&runner)?, "."], &go_dir).run()?;
    let java_classpath = java_runner(root)?;

    let serverapi_runner = crate::test_suite::interop_operators::build_runner(root)?;
    let registry = codebook_model::load_path(&root.join("codes.yaml")).map_err(|error| anyhow::anyhow!("{error}"))?;

    let settings = Settings {
        port: process::free_port()?,
        grpc_port: process::free_port()?,
        secret: random_hex(16)?,
        api_key: random_hex(16)?,
    };
    let work = workspace::scratch("interop/run");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let config_path = work.join("config.json");
    std::fs::write(&config_path, serde_json::to_vec_pretty(&config(&settings))?)?;
    let log = std::fs::File::create(work.join("server.log"))?;
    eprintln!("    Centrifugo on 127.0.0.1:{}", settings.port);
    let mut server = Step::new(&binary).arg("-c").arg(&config_path).dir(&work);
    server.command_mut().stdout(log.try_clone()?).stderr(log);
    let mut server = Running::start("Centrifugo", server)?;
    wait_for_health(settings.port, &mut server)?;
    let pid = server.child.id().to_string();
    let env = [
        ("CENTRIFUGO_WS", format!("ws://127.0.0.1:{}/connection/websocket", settings.port)),
        ("CENTRIFUGO_API", format!("http://127.0.0.1:{}/api", settings.port)),
        ("CENTRIFUGO_API_KEY", settings.api_key.clone()),
        ("CENTRIFUGO_SECRET", settings.secret.clone()),
        ("CENTRIFUGO_PID", pid),
        ("CENTRIFUGO_GRPC", format!("127.0.0.1:{}", settings.grpc_port)),
    ];

    let mut rows = Vec::new();
    let output = Step::new(&runner).envs(env.clone()).rows()?;
    rows.extend(parse_rows(&output, "interop/go")?);
    eprintln!("==> interop/serverapi (HTTP and gRPC server API, both error modes)");
    let operators = crate::test_suite::interop_operators::server_api(&serverapi_runner, &env, &registry)?;
    rows.extend(operators.into_iter().map(Row::from));
    eprintln!("==> codebook centrifugo check-config against centrifugo checkconfig");
    let operators = crate::test_suite::interop_operators::check_config(&binary, &work, &registry)?;
    rows.extend(operators.into_iter().map(Row::from));
    eprintln!("==> codebook live-check against a second, fresh server with Prometheus on");
    rows.push(Row::from(live_check_run(&binary, &serverapi_runner, &work, &registry)?));
    // centrifuge-python, in the consumer venv the Python/Java step made (the installed wheel).
    let python = workspace::scratch("python-wheel/consumer-venv/bin/python");
    if !python.exists() {
        bail!("{} is missing: run `cargo xtask test-bindings` first", python.display());
    }
    let output = Step::new(&python)
        .args(["-B", "-I", "scenarios.py"])
        .dir(root.join("interop/python"))
        .envs(env.clone())
        .rows()?;
    rows.extend(parse_rows(&output, "interop/python")?);
    let java_started = Instant::now();
    let output = Step::new("java")
        .args(["-cp", &java_classpath, "interop.Scenarios"])
        .dir(workspace::scratch("interop/java-runner"))
        .envs(env.clone())
        .rows()?;
    rows.extend(parse_rows(&output, "interop/java")?);
    eprintln!("    ran in {:.1} s", java_started.elapsed().as_secs_f64());
    eprintln!("==> the code-labelled counters of the running server");
    let metrics_url = format!("http://127.0.0.1:{}/metrics", settings.port);
    rows.push(Row::from(crate::test_suite::interop_operators::counted_metrics(&metrics_url, &registry)?));
    let output = Step::new("node").arg("scenarios.mjs").dir(&js_dir).envs(env).rows()?;
    let mut js_rows = parse_rows(&output, "interop/js")?;
    cross_check_with_go(&runner, &mut js_rows)?;
    rows.extend(js_rows);

    // The last scenario sent SIGTERM; give the server its shutdown timeout, then stop it by PID.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.exited()?.is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(server);

    print_table(&rows);
    let mut failures: Vec<String> = rows
        .iter()
        .filter(|row| !row.ok)
        .map(|row| format!("{} / {}: {}", row.sdk, row.scenario, row.problems.join("; ")))
        .collect();
    failures.extend(unproven_sdk_behaviour(&registry, &rows));
    eprintln!("    interop suite: {} rows in {:.1} s", rows.len(), started.elapsed().as_secs_f64());
    if !failures.is_empty() {
        bail!("the interop suite disagreed with the real Centrifugo and SDKs:\n{}", failures.join("\n"));
    }
    Ok(())
}

#[cfg(test)]
mod sdk_behaviour_tests {
    use super::*;

    fn row(sdk: &str, scenario: &str, ok: bool) -> Row {
        Row {
            sdk: sdk.into(),
            scenario: scenario.into(),
            arrived: String::new(),
            codebook: String::new(),
            sdk_did: String::new(),
            ok,
            problems: Vec::new(),
            observed: None,
        }
    }

    fn registry() -> codebook_model::Registry {
        codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap()
    }

    /// Each scenario a row of `/sdks` names is a scenario its runner plays: its name is written
    /// in the runner's source as a string (the suite itself then requires the row to pass).
    #[test]
    fn every_sdks_row_names_a_scenario_its_runner_plays() {
        let registry = registry();
        let root = crate::workspace::root();
        assert!(!registry.sdk_behaviour.is_empty());
        for behaviour in &registry.sdk_behaviour {
            for proof in &behaviour.proven_by {
                let source = std::fs::read_to_string(root.join(runner_source(proof.sdk))).unwrap();
                let named = [format!("\"{}\"", proof.scenario), format!("\"{} (", proof.scenario)]
                    .iter()
                    .any(|quoted| source.contains(quoted.as_str()))
                    // The centrifuge-js runner builds its `API disconnect <code>, empty reason` names.
                    || (proof.sdk == codebook_model::Sdk::CentrifugeJs
                        && proof.scenario.strip_prefix("API disconnect ").and_then(|rest| rest.strip_suffix(", empty reason")).is_some_and(|code| {
                            source.contains("`API disconnect ${code}, empty reason`") && source.contains(&format!("[{code}, "))
                        }));
                assert!(
                    named,
                    "{}: {:?} is no scenario of {}",
                    proof.location,
                    proof.scenario,
                    runner_source(proof.sdk)
                );
            }
        }
    }

    #[test]
    fn a_scenario_that_did_not_run_or_disagreed_fails_the_suite() {
        let registry = registry();
        let mut rows: Vec<Row> = Vec::new();
        for behaviour in &registry.sdk_behaviour {
            for proof in &behaviour.proven_by {
                let version = if proof.sdk == codebook_model::Sdk::CentrifugeGo { "v0.12.1" } else { "1" };
                rows.push(row(&format!("{} {version}", proof.sdk.as_str()), &proof.scenario, true));
            }
        }
        assert_eq!(unproven_sdk_behaviour(&registry, &rows), Vec::<String>::new());
        let invalid = rows
            .iter()
            .position(|row| row.sdk.starts_with("centrifuge-python") && row.scenario == "invalid token")
            .unwrap();
        rows[invalid].ok = false;
        rows.retain(|row| row.scenario != "app calls disconnect()");
        let problems = unproven_sdk_behaviour(&registry, &rows);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("\"invalid token\", which disagreed")), "{problems:?}");
        assert!(
            problems.iter().any(|p| p.contains("\"app calls disconnect()\", which printed no row")),
            "{problems:?}"
        );
    }
}
