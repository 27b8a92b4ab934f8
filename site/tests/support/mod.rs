//! The one harness of the site's process tests: `site serve` started as a process on a port the
//! operating system picks, its log lines on a channel (tests wait on them, never on fixed sleeps),
//! killed by its own handle when the test ends.

// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Portal {
    child: Child,
    lines: mpsc::Receiver<String>,
    pub port: u16,
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Portal {
    /// `site serve --addr 127.0.0.1:0` with `args` and environment `env`, once it says where it
    /// serves.
    pub fn start<S: AsRef<OsStr>>(args: &[S], env: &[(&str, &str)]) -> Portal {
        let mut child = Command::new(env!("CARGO_BIN_EXE_site"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
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
    pub fn wait_for(&self, wanted: &str) -> String {
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

    /// Status line and body of `GET path` on a connection of its own.
    pub fn get(&self, path: &str) -> (String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("the portal listens");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("a UTF-8 answer");
        let (head, body) = answer.split_once("\r\n\r\n").expect("an answer head");
        (head.lines().next().unwrap_or_default().to_string(), body.to_string())
    }
}
