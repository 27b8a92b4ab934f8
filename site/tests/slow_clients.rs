//! The served process against clients that never finish their request headers (slowloris): each
//! is cut off after the header-read timeout, and the portal keeps answering everyone else.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The portal on a free port with a 300 ms header-read timeout; killed when dropped.
struct Portal {
    child: Child,
    port: u16,
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Portal {
    let mut child = Command::new(env!("CARGO_BIN_EXE_site"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("CODEBOOK_HEADER_TIMEOUT_MS", "300")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the site binary starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("piped"));
    let mut line = String::new();
    while !line.contains("serving on http://127.0.0.1:") {
        line.clear();
        assert!(stderr.read_line(&mut line).expect("stderr is readable") > 0, "the portal exited before serving");
    }
    let port = line.trim().rsplit(':').next().and_then(|port| port.parse().ok()).expect("a port");
    std::thread::spawn(move || for _ in stderr.lines() {});
    Portal { child, port }
}

fn healthz(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: codebook\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let portal = start();
    let mut stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", portal.port)).unwrap();
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: codebook\r\nX-Slow: ").unwrap();
            // A read that blocks this long means the portal kept the connection.
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            stream
        })
        .collect();
    // Everyone else is still served while the stalled clients hang on.
    assert!(healthz(portal.port).starts_with("HTTP/1.1 200"));
    let started = Instant::now();
    for stream in &mut stalled {
        let mut rest = Vec::new();
        // The portal closes the connection (possibly after a 408): the read ends instead of timing out.
        match stream.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(error) => assert_ne!(error.kind(), std::io::ErrorKind::WouldBlock, "a stalled client was kept open"),
        }
    }
    assert!(started.elapsed() < Duration::from_secs(10), "stalled clients were kept for {:?}", started.elapsed());
    assert!(healthz(portal.port).starts_with("HTTP/1.1 200"));
}
