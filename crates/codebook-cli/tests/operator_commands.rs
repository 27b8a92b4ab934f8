//! The `codebook` binary's operator commands as a user runs them: `centrifugo check-config` and
//! `live-check`, their output and their exit statuses.

use std::io::{Read, Write};
use std::process::Command;

fn codebook(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_codebook"))
        .args(args)
        .args(["--codes", concat!(env!("CARGO_MANIFEST_DIR"), "/../../codes.yaml")])
        .output()
        .expect("the binary runs");
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("codebook-operator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_config_exits_by_severity_and_speaks_github() {
    let bad = write(
        "config.yaml",
        "client:\n  proxy:\n    connect:\n      http:\n        status_to_code_transforms:\n          - status_code: 409\n            to_error: {code: 3000, message: conflict}\n          - status_code: 410\n            to_disconnect: {code: 4444, reason: gone}\n",
    );
    let bad = bad.to_str().unwrap();
    let (status, out, _) = codebook(&["centrifugo", "check-config", bad]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains(&format!("{bad}:7:30: error: error 3000")), "{out}");
    assert!(out.contains(&format!("{bad}:9:35: warning: disconnect 4444")), "{out}");
    let (status, out, _) = codebook(&["centrifugo", "check-config", bad, "--format", "github"]);
    assert_eq!(status, 2);
    assert!(out.lines().next().unwrap().starts_with("::error file="), "{out}");

    let warning_only = write(
        "warn.json",
        r#"{"proxies":[{"http":{"status_to_code_transforms":[{"status_code":500,"to_disconnect":{"code":4600,"reason":"x"}}]}}]}"#,
    );
    let (status, out, _) =
        codebook(&["centrifugo", "check-config", warning_only.to_str().unwrap(), "--format", "json"]);
    assert_eq!(status, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["problems"][0]["path"], "proxies[0].http.status_to_code_transforms[0].to_disconnect.code");

    let (status, _, err) = codebook(&["centrifugo", "check-config", "/nonexistent/config.json"]);
    assert_eq!(status, 4);
    assert!(err.contains("cannot read"), "{err}");
    let broken = write("broken.toml", "a = [\n");
    assert_eq!(codebook(&["centrifugo", "check-config", broken.to_str().unwrap()]).0, 4);
    assert_eq!(codebook(&["centrifugo", "check-config", "--format", "xml", "x.json"]).0, 64);
}

/// Serves `answers` to successive requests, one per connection.
fn serve(answers: Vec<String>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((mut stream, _)) = listener.accept() else { return };
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    format!("http://{address}/metrics")
}

fn metrics(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn live_check_reports_fails_on_and_watches() {
    let first = "centrifugo_client_num_server_disconnects{code=\"3500\"} 1\ncentrifugo_client_num_server_disconnects{code=\"4444\"} 1\n";
    let url = serve(vec![metrics(first)]);
    let (status, out, _) = codebook(&["live-check", "--metrics", &url, "--format", "json"]);
    assert_eq!(status, 0, "an unregistered custom code is a warning: {out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["codes"][0]["name"], "InvalidToken");
    assert_eq!(json["codes"][1]["status"], "unregistered");

    let url = serve(vec![metrics(first)]);
    assert_eq!(codebook(&["live-check", "--metrics", &url, "--fail-on", "warning"]).0, 1);

    let later = "centrifugo_client_num_server_disconnects{code=\"3500\"} 3\ncentrifugo_client_num_server_disconnects{code=\"4444\"} 1\n";
    let url = serve(vec![metrics(first), metrics(later)]);
    let (status, out, _) = codebook(&["live-check", "--metrics", &url, "--watch", "1", "--interval", "1"]);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("changed: centrifugo-disconnect 3500 x1 -> x3"), "{out}");

    let url = serve(vec!["HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\n<html></html>".to_string()]);
    let (status, _, err) = codebook(&["live-check", "--metrics", &url]);
    assert_eq!(status, 4, "{err}");
    assert!(err.contains("not a Prometheus text exposition"), "{err}");

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/metrics", listener.local_addr().unwrap())
    };
    assert_eq!(codebook(&["live-check", "--metrics", &closed]).0, 2);
    let missing = write("none.log", "");
    let missing = missing.with_file_name("absent.log");
    let url = serve(vec![metrics(first)]);
    assert_eq!(codebook(&["live-check", "--metrics", &url, "--logs", missing.to_str().unwrap()]).0, 5);
}
