//! `codebook serve` and `codebook export` as a user runs them: the portal of a registry that is
//! not the shipped one, served on a port the system picks and exported as static files.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../codebook-codegen/tests/fixtures").join(name).join("codes.yaml")
}

/// Kills the portal it holds when the test ends, pass or fail.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn serve_shows_the_registry_it_is_given() {
    let codes = fixture("close_family_with_ranges_and_retired");
    let mut child = Command::new(env!("CARGO_BIN_EXE_codebook"))
        .args(["serve", "--addr", "127.0.0.1:0", "--codes"])
        .arg(&codes)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let served = Served(child);
    let port = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("serving on http://127.0.0.1:").map(|port| port.trim().parse::<u16>().unwrap())
        })
        .expect("codebook serve says where it listens");
    let answer = get(port, "/codes/chat-close/4001");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("Banned"), "the fixture's own code: {answer}");
    assert!(get(port, "/families/centrifugo-disconnect").starts_with("HTTP/1.1 404"));
    drop(served);
}

#[test]
fn export_writes_the_static_site_and_a_bad_registry_writes_nothing() {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("codebook-export-cli");
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_codebook"))
        .args(["export", "--out"])
        .arg(&out)
        .arg("--codes")
        .arg(fixture("close_family_with_ranges_and_retired"))
        .status()
        .unwrap();
    assert!(status.success());
    let page = std::fs::read_to_string(out.join("codes/chat-close/4001/index.html")).unwrap();
    assert!(page.contains("Banned"));

    let bad = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("codebook-export-cli-bad.yaml");
    std::fs::write(&bad, "version: 1.0.0\nfamilies: []\nnot_a_field: 1\n").unwrap();
    let other = out.with_extension("bad");
    let output = Command::new(env!("CARGO_BIN_EXE_codebook"))
        .args(["export", "--out"])
        .arg(&other)
        .arg("--codes")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("codebook-export-cli-bad.yaml:"), "a located error");
    assert!(!other.exists());
    std::fs::remove_dir_all(&out).unwrap();
}
