//! The served process against clients that never finish their request headers (slowloris): each
//! is cut off after the header-read timeout, and the portal keeps answering everyone else.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

mod support;

use support::Portal;

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    // A 300 ms header-read timeout.
    let portal = Portal::start::<&str>(&[], &[("CODEBOOK_HEADER_TIMEOUT_MS", "300")]);
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
    assert!(portal.get("/healthz").0.starts_with("HTTP/1.1 200"));
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
    assert!(portal.get("/healthz").0.starts_with("HTTP/1.1 200"));
}
