//! `site serve --watch` as a process, end to end: a registry replaced by rename is picked up, an
//! invalid replacement is rejected with its located message while the last good registry keeps
//! being served. Waits are on the portal's own log lines, never on fixed sleeps. The long version
//! (100 replacements under load) is `cargo xtask soak --only reload`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use codebook_model::EMBEDDED_CODES_YAML;

const TITLE: &str = "title: Streaming session disconnect codes";

/// The portal, killed by its own handle when the test ends, with its stderr lines on a channel.
struct Portal {
    child: Child,
    lines: mpsc::Receiver<String>,
    port: u16,
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Portal {
    fn start(codes: &Path) -> Portal {
        let mut child = Command::new(env!("CARGO_BIN_EXE_site"))
            .args(["serve", "--addr", "127.0.0.1:0", "--watch", "--codes"])
            .arg(codes)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the site binary starts");
        let stderr = child.stderr.take().expect("piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut portal = Portal { child, lines, port: 0 };
        let serving = portal.wait_for("serving on http://127.0.0.1:");
        let address = serving.lines().last().expect("the serving line");
        portal.port = address.rsplit(':').next().and_then(|port| port.trim().parse().ok()).expect("a port");
        portal
    }

    /// The next log line containing `wanted` (at most 30 s away); every line in between is returned
    /// too, so located messages can be checked.
    fn wait_for(&self, wanted: &str) -> String {
        let mut seen = String::new();
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no log line with {wanted:?}; log so far:\n{seen}"));
            seen.push_str(&line);
            seen.push('\n');
            if line.contains(wanted) {
                return seen;
            }
        }
    }

    /// Status and body of `GET /api/codes`.
    fn api_codes(&self) -> (String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("the portal listens");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(b"GET /api/codes HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("a UTF-8 answer");
        let (head, body) = answer.split_once("\r\n\r\n").expect("an answer head");
        (head.lines().next().unwrap_or_default().to_string(), body.to_string())
    }
}

fn replace_atomically(path: &Path, contents: &[u8]) {
    let temporary = path.with_extension("yaml.tmp");
    std::fs::write(&temporary, contents).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

fn title_served(body: &str) -> String {
    let registry: serde_json::Value = serde_json::from_str(body).expect("/api/codes is JSON");
    registry["families"][0]["title"].as_str().expect("a title").to_string()
}

#[test]
fn a_watched_registry_replaced_by_rename_is_served_and_a_bad_one_is_rejected() {
    let dir = std::env::temp_dir().join(format!("site-watch-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let codes = dir.join("codes.yaml");
    assert!(EMBEDDED_CODES_YAML.contains(TITLE));
    replace_atomically(&codes, EMBEDDED_CODES_YAML.as_bytes());
    let portal = Portal::start(&codes);
    let (status, body) = portal.api_codes();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(title_served(&body), "Streaming session disconnect codes");

    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/codebook-model/tests/invalid/duplicate_code.yaml");
    replace_atomically(&codes, &std::fs::read(bad).unwrap());
    let log = portal.wait_for("still serving the last good registry");
    assert!(log.contains(&format!("{}:27:15: duplicate code 3000", codes.display())), "{log}");
    assert_eq!(portal.api_codes(), (status.clone(), body), "the last good registry is still served whole");

    let edited = EMBEDDED_CODES_YAML.replacen(TITLE, &format!("{TITLE}, edited"), 1);
    replace_atomically(&codes, edited.as_bytes());
    portal.wait_for("reloaded");
    let (status, body) = portal.api_codes();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(title_served(&body), "Streaming session disconnect codes, edited");
    drop(portal);
    std::fs::remove_dir_all(&dir).ok();
}
