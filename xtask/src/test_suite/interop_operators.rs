//! The interop suite's part for the people who run Centrifugo: the server API's errors, the config
//! check and the live check, each against the real server.
//!
//! * Server API: `interop/serverapi` (built from a copy with the server's own `github.com/centrifugal/centrifugo/v6/internal/apiproto`
//!   generated files beside it, taken from the pinned module) calls the HTTP and the gRPC API in
//!   the default and the transport error mode; every answer's code, message and HTTP or gRPC
//!   status is checked against `centrifugo-server-api-error` in the registry.
//! * check-config: configs in JSON, YAML and TOML that `codebook centrifugo check-config` passes
//!   must pass `centrifugo checkconfig` too; a config with error code 3000 and disconnect 4444
//!   fails the check with both located (and passes Centrifugo's own check, which is the point).
//! * live-check: a fresh server with Prometheus on sees one connection closed with 3500 and one
//!   disconnected through the server API with 4444; the live check's JSON report must list
//!   exactly those two, 3500 as InvalidToken and 4444 as unregistered.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use codebook_cli::{centrifugo_config, live_check};
use codebook_model::Registry;

use crate::command::Step;
use crate::workspace;
use serde::Deserialize;

/// The family the server API's answers are read in.
const SERVER_API_FAMILY: &str = "centrifugo-server-api-error";

/// The code each server API scenario of `interop/serverapi` makes the server answer with, by the
/// registry's name. 100 (a fault inside the server) and 113 (no call of v6.9.1 returns it) are
/// not reachable from outside.
const EXPECTED: [(&str, &str); 5] = [
    ("publish to an unknown namespace", "UnknownChannel"),
    ("rpc with no such method", "NotFound"),
    ("publish without a channel", "BadRequest"),
    ("presence where presence is off", "NotAvailable"),
    ("history from a position the stream lost", "UnrecoverablePosition"),
];

/// One answer of the server API, as `interop/serverapi` prints it.
#[derive(Deserialize, Debug)]
struct Observation {
    scenario: String,
    protocol: String,
    mode: String,
    code: u32,
    message: String,
    #[serde(default)]
    http_status: Option<u16>,
    grpc_status: u32,
    #[serde(default)]
    problem: Option<String>,
}

/// A checked row for the suite's table: (scenario, what arrived, what codebook says, problems).
pub struct Checked {
    pub runner: &'static str,
    pub scenario: String,
    pub arrived: String,
    pub codebook: String,
    pub problems: Vec<String>,
}

fn go(args: &[&str], dir: &Path) -> Step {
    Step::go().args(args).dir(dir).env("GOFLAGS", "-mod=readonly")
}

/// Builds `interop/serverapi` from a copy with the pinned server's `github.com/centrifugal/centrifugo/v6/internal/apiproto` generated
/// files (`api.pb.go`, `api_grpc.pb.go`, `raw.go`) in its `apiproto` package: Go forbids
/// importing an internal package from another module, so the client is the server's own code,
/// copied, never re-generated.
pub fn build_runner(root: &Path) -> anyhow::Result<PathBuf> {
    let server_dir = root.join("interop/server");
    go(&["mod", "download", "github.com/centrifugal/centrifugo/v6"], &server_dir).run()?;
    let listed = go(&["list", "-m", "-f", "{{.Dir}}", "github.com/centrifugal/centrifugo/v6"], &server_dir).quiet()?;
    let module = PathBuf::from(listed.trim());
    let copy = workspace::scratch("interop/serverapi-runner");
    let _ = std::fs::remove_dir_all(&copy);
    workspace::copy_dir(&root.join("interop/serverapi"), &copy)?;
    let package = copy.join("apiproto");
    std::fs::create_dir_all(&package)?;
    for file in ["api.pb.go", "api_grpc.pb.go", "raw.go"] {
        let text = std::fs::read(module.join("internal/apiproto").join(file))
            .with_context(|| format!("reading internal/apiproto/{file} of {}", module.display()))?;
        std::fs::write(package.join(file), text)?;
    }
    let binary = workspace::scratch("interop/serverapi");
    go(&["build", "-o", workspace::text(&binary)?, "."], &copy).run()?;
    Ok(binary)
}

/// Runs the server API scenarios and checks every answer against the registry.
pub fn server_api(runner: &Path, env: &[(&str, String)], registry: &Registry) -> anyhow::Result<Vec<Checked>> {
    let family = registry.family(SERVER_API_FAMILY).context("the registry has no server API family")?;
    let output = Command::new(runner)
        .envs(env.iter().map(|(key, value)| (*key, value.as_str())))
        .stderr(Stdio::inherit())
        .output()
        .context("running interop/serverapi")?;
    if !output.status.success() {
        bail!("interop/serverapi failed with {}", output.status);
    }
    let observations: Vec<Observation> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).with_context(|| format!("interop/serverapi printed {line}")))
        .collect::<anyhow::Result<_>>()?;
    if observations.len() != EXPECTED.len() * 4 {
        bail!("interop/serverapi answered {} observations, expected {}", observations.len(), EXPECTED.len() * 4);
    }
    let mut rows = Vec::new();
    for seen in observations {
        let mut problems: Vec<String> = seen.problem.iter().cloned().collect();
        let expected = EXPECTED.iter().find(|(scenario, _)| *scenario == seen.scenario).map(|(_, name)| *name);
        let code = u16::try_from(seen.code).ok().and_then(|number| family.code(number));
        let codebook = match code {
            Some(code) => {
                if Some(code.name.as_str()) != expected {
                    problems.push(format!("expected {expected:?}, the server answered {} ({})", seen.code, code.name));
                }
                if code.message.fixed() != Some(seen.message.as_str()) {
                    problems.push(format!("message {:?}, registered {:?}", seen.message, code.message.fixed()));
                }
                let (http, grpc) = if seen.mode == "transport" {
                    (code.http_status, code.grpc_status.map(|status| u32::from(status.number())))
                } else {
                    // The default mode answers the error inside a successful reply.
                    (Some(200), Some(0))
                };
                if seen.protocol == "http" && seen.http_status != http {
                    problems.push(format!("HTTP status {:?}, registry says {http:?}", seen.http_status));
                }
                if seen.protocol == "grpc" && Some(seen.grpc_status) != grpc {
                    problems.push(format!("gRPC status {}, registry says {grpc:?}", seen.grpc_status));
                }
                let statuses = match (code.http_status, code.grpc_status) {
                    (Some(http), Some(grpc)) => format!("HTTP {http}, gRPC {}", grpc.name()),
                    _ => "no transport status".to_string(),
                };
                format!("{} {:?} ({statuses})", code.name, code.message.fixed().unwrap_or_default())
            }
            None => {
                problems.push(format!("{} is not registered in {SERVER_API_FAMILY}", seen.code));
                "unregistered".to_string()
            }
        };
        let status = match seen.protocol.as_str() {
            "http" => format!("HTTP {}", seen.http_status.unwrap_or(0)),
            _ => format!("gRPC {}", seen.grpc_status),
        };
        rows.push(Checked {
            runner: "server API",
            scenario: format!("{} ({} {} mode)", seen.scenario, seen.protocol, seen.mode),
            arrived: format!("{} {:?}, {status}", seen.code, seen.message),
            codebook,
            problems,
        });
    }
    Ok(rows)
}

/// The config every format of the passing check is written from: registered codes with their
/// registered texts.
const GOOD_CONFIGS: [(&str, &str); 3] = [
    (
        "good.json",
        r#"{
  "client": {
    "token": {"hmac_secret_key": "interop-secret"},
    "proxy": {
      "connect": {
        "enabled": true,
        "endpoint": "http://127.0.0.1:9/centrifugo/connect",
        "http": {
          "status_to_code_transforms": [
            {"status_code": 403, "to_error": {"code": 103, "message": "permission denied"}},
            {"status_code": 404, "to_disconnect": {"code": 3501, "reason": "bad request"}}
          ]
        }
      }
    },
    "connect_code_to_unidirectional_disconnect": {
      "enabled": true,
      "transforms": [{"code": 109, "to": {"code": 3500, "reason": "invalid token"}}]
    }
  }
}
"#,
    ),
    (
        "good.yaml",
        "client:\n  token:\n    hmac_secret_key: interop-secret\n  proxy:\n    connect:\n      enabled: true\n      endpoint: http://127.0.0.1:9/centrifugo/connect\n      http:\n        status_to_code_transforms:\n          - status_code: 429\n            to_error:\n              code: 111\n              message: too many requests\n              temporary: true\n",
    ),
    (
        "good.toml",
        "[client.token]\nhmac_secret_key = \"interop-secret\"\n\n[client.proxy.connect]\nenabled = true\nendpoint = \"http://127.0.0.1:9/centrifugo/connect\"\n\n[[client.proxy.connect.http.status_to_code_transforms]]\nstatus_code = 403\nto_error = { code = 103, message = \"permission denied\" }\n",
    ),
];

const BAD_CONFIG: &str = r#"{
  "client": {
    "token": {"hmac_secret_key": "interop-secret"},
    "proxy": {
      "connect": {
        "enabled": true,
        "endpoint": "http://127.0.0.1:9/centrifugo/connect",
        "http": {
          "status_to_code_transforms": [
            {"status_code": 409, "to_error": {"code": 3000, "message": "conflict"}},
            {"status_code": 410, "to_disconnect": {"code": 4444, "reason": "gone"}}
          ]
        }
      }
    }
  }
}
"#;

fn centrifugo_checkconfig(binary: &Path, file: &Path) -> anyhow::Result<bool> {
    let output = Command::new(binary).arg("checkconfig").arg("-c").arg(file).output()?;
    Ok(output.status.success())
}

/// check-config against `centrifugo checkconfig`.
pub fn check_config(binary: &Path, work: &Path, registry: &Registry) -> anyhow::Result<Vec<Checked>> {
    let mut rows = Vec::new();
    for (name, text) in GOOD_CONFIGS {
        let file = work.join(name);
        std::fs::write(&file, text)?;
        let root = centrifugo_config::parse_config(&file, text).map_err(anyhow::Error::msg)?;
        let problems = centrifugo_config::check(registry, &root).map_err(anyhow::Error::msg)?;
        let centrifugo_passes = centrifugo_checkconfig(binary, &file)?;
        let mut row_problems: Vec<String> =
            problems.iter().map(|p| format!("check-config: {}:{}: {}", p.line, p.column, p.message)).collect();
        if !centrifugo_passes {
            row_problems.push("check-config passes it but `centrifugo checkconfig` does not".to_string());
        }
        rows.push(Checked {
            runner: "check-config",
            scenario: format!("registered codes ({name})"),
            arrived: format!("centrifugo checkconfig: {}", if centrifugo_passes { "passes" } else { "FAILS" }),
            codebook: format!("{} problem(s)", problems.len()),
            problems: row_problems,
        });
    }
    let file = work.join("bad.json");
    std::fs::write(&file, BAD_CONFIG)?;
    let root = centrifugo_config::parse_config(&file, BAD_CONFIG).map_err(anyhow::Error::msg)?;
    let problems = centrifugo_config::check(registry, &root).map_err(anyhow::Error::msg)?;
    let located: Vec<(centrifugo_config::Severity, u32, u32, &str)> =
        problems.iter().map(|p| (p.severity, p.line, p.column, p.path.as_str())).collect();
    let expected = [
        (
            centrifugo_config::Severity::Error,
            10,
            55,
            "client.proxy.connect.http.status_to_code_transforms[0].to_error.code",
        ),
        (
            centrifugo_config::Severity::Warning,
            11,
            60,
            "client.proxy.connect.http.status_to_code_transforms[1].to_disconnect.code",
        ),
    ];
    let mut row_problems = Vec::new();
    if located != expected {
        row_problems.push(format!("check-config found {located:?}, expected {expected:?}"));
    }
    if centrifugo_config::exit_status(&problems) != centrifugo_config::EXIT_ERRORS {
        row_problems.push("check-config does not fail the config".to_string());
    }
    let centrifugo_passes = centrifugo_checkconfig(binary, &file)?;
    rows.push(Checked {
        runner: "check-config",
        scenario: "error code 3000 and disconnect 4444 (bad.json)".to_string(),
        arrived: format!(
            "centrifugo checkconfig: {}",
            if centrifugo_passes { "passes (it checks no code)" } else { "fails" }
        ),
        codebook: problems
            .iter()
            .map(|p| format!("{}:{}:{} {}", p.line, p.column, p.severity.as_str(), p.code.unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", "),
        problems: row_problems,
    });
    Ok(rows)
}

/// live-check against a fresh server with Prometheus on: the JSON report lists exactly 3500
/// (InvalidToken) and 4444 (unregistered).
pub fn live_check(
    runner: &Path,
    metrics_url: &str,
    env: &[(&str, String)],
    registry: &Registry,
) -> anyhow::Result<Checked> {
    let output = Command::new(runner)
        .arg("livecheck")
        .envs(env.iter().map(|(key, value)| (*key, value.as_str())))
        .stderr(Stdio::inherit())
        .output()
        .context("running interop/serverapi livecheck")?;
    if !output.status.success() {
        bail!("interop/serverapi livecheck failed with {}", output.status);
    }
    let traffic = String::from_utf8_lossy(&output.stdout).trim().replace('\n', " ");
    let text = live_check::fetch(metrics_url, std::time::Duration::from_secs(5)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tally = live_check::Tally::default();
    tally.add_exposition(registry, &text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let report: serde_json::Value = serde_json::from_str(&live_check::render_json(&tally.report(registry)))?;
    let codes: Vec<(String, u64, String, String)> = report["codes"]
        .as_array()
        .context("codes")?
        .iter()
        .map(|seen| {
            (
                seen["family"].as_str().unwrap_or("").to_string(),
                seen["code"].as_u64().unwrap_or(0),
                seen["name"].as_str().unwrap_or("-").to_string(),
                seen["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = vec![
        ("centrifugo-disconnect".to_string(), 3500, "InvalidToken".to_string(), "registered".to_string()),
        ("centrifugo-disconnect".to_string(), 4444, "-".to_string(), "unregistered".to_string()),
    ];
    let mut problems = Vec::new();
    if codes != expected {
        problems.push(format!("live-check reported {codes:?}, expected {expected:?}"));
    }
    Ok(Checked {
        runner: "live-check",
        scenario: "Prometheus after 3500 and a server API 4444".to_string(),
        arrived: traffic,
        codebook: codes
            .iter()
            .map(|(_, code, name, status)| format!("{code} {name} ({status})"))
            .collect::<Vec<_>>()
            .join(", "),
        problems,
    })
}

/// Counters whose `code` label holds something other than a code of the registry: the scrape
/// handler's own HTTP statuses.
const NOT_CODE_COUNTERS: [&str; 1] = ["promhttp_metric_handler_requests_total"];

/// The full list of code-labelled counters on the running server (after the SDK runners made it
/// send replies with errors, disconnects, unsubscribes and server API errors): each must be one a
/// family of the registry names in `metrics`, and each the registry names must be there.
pub fn counted_metrics(metrics_url: &str, registry: &Registry) -> anyhow::Result<Checked> {
    let text = live_check::fetch(metrics_url, std::time::Duration::from_secs(5)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|line| Ok(line.to_string())))?;
    let mut labelled = std::collections::BTreeSet::new();
    for sample in &scrape.samples {
        for label in ["code", "error"] {
            if sample.labels.get(label).is_some_and(|value| value.parse::<u16>().is_ok()) {
                labelled.insert(sample.metric.clone());
            }
        }
    }
    let named: std::collections::BTreeSet<String> =
        registry.families.iter().flat_map(|family| family.metrics.iter().map(|metric| metric.name.clone())).collect();
    let mut problems = Vec::new();
    for metric in &labelled {
        if !named.contains(metric) && !NOT_CODE_COUNTERS.contains(&metric.as_str()) {
            problems.push(format!("{metric} is labelled with codes but no family lists it in `metrics`"));
        }
    }
    for metric in &named {
        if !labelled.contains(metric) {
            problems.push(format!("the registry lists {metric}, which the server did not export after the runners"));
        }
    }
    Ok(Checked {
        runner: "metrics",
        scenario: "every code-labelled counter of the running server".to_string(),
        arrived: labelled.iter().cloned().collect::<Vec<_>>().join(", "),
        codebook: format!("{} counters in the registry", named.len()),
        problems,
    })
}
