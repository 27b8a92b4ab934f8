//! A raw HTTP/1.1 client on std's `TcpStream`. It is deliberately raw: it must tell "closed before
//! any byte of the answer" from "closed in the middle of the answer", which a client library hides.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::bail;

// A raw HTTP/1.1 client

#[derive(Clone, Debug)]
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Reply {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// How one exchange ended.
#[derive(Debug)]
pub(super) enum Outcome {
    Complete(Reply),
    /// The connection ended before a single byte of the answer: the server never took the request
    /// (an idle keep-alive connection closed at shutdown, or a connect refused). HTTP clients
    /// retry these (RFC 9112, 9.3.1).
    Unanswered(String),
    /// The connection ended in the middle of an answer: what must never happen.
    CutOff {
        received: usize,
        why: String,
    },
}

pub(super) fn request_text(path: &str, headers: &[(String, String)]) -> String {
    let mut text = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        let _ = write!(text, "{name}: {value}\r\n");
    }
    text.push_str("\r\n");
    text
}

/// Reads one answer. `pace` runs before every read with the bytes received so far (slow readers
/// sleep in it); reads are at most `chunk` bytes.
pub(super) fn read_reply(stream: &mut TcpStream, chunk: usize, pace: &mut dyn FnMut(usize)) -> Outcome {
    let mut buffer = Vec::new();
    let mut piece = vec![0u8; chunk];
    let mut head: Option<(Reply, usize, Option<usize>)> = None;
    loop {
        if let Some((reply, head_len, length)) = &head {
            let body_len = buffer.len() - head_len;
            let done = match length {
                Some(length) => body_len >= *length,
                None => buffer.ends_with(b"0\r\n\r\n"),
            };
            if done {
                let mut reply = reply.clone();
                reply.body = buffer[*head_len..].to_vec();
                return Outcome::Complete(reply);
            }
        }
        pace(buffer.len());
        let read = match stream.read(&mut piece) {
            Ok(0) => Err("end of stream".to_string()),
            Ok(read) => Ok(read),
            Err(error) => Err(error.to_string()),
        };
        match read {
            Ok(read) => buffer.extend_from_slice(&piece[..read]),
            Err(why) if buffer.is_empty() => return Outcome::Unanswered(why),
            Err(why) => return Outcome::CutOff { received: buffer.len(), why },
        }
        if head.is_none()
            && let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n")
        {
            match parse_head(&buffer[..end]) {
                Some(reply) => {
                    let length = if reply.status == 304 || reply.status == 204 {
                        Some(0)
                    } else {
                        reply.header("content-length").and_then(|value| value.parse().ok())
                    };
                    head = Some((reply, end + 4, length));
                }
                None => return Outcome::CutOff { received: buffer.len(), why: "unparsable answer head".into() },
            }
        }
    }
}

pub(super) fn parse_head(head: &[u8]) -> Option<Reply> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    Some(Reply { status, headers, body: Vec::new() })
}

pub(super) fn connect(port: u16) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    Ok(stream)
}

/// One request on a new connection.
pub(super) fn get(port: u16, path: &str, headers: &[(String, String)]) -> std::io::Result<Outcome> {
    let mut stream = connect(port)?;
    stream.write_all(request_text(path, headers).as_bytes())?;
    Ok(read_reply(&mut stream, 64 * 1024, &mut |_| {}))
}

pub(super) fn get_ok(port: u16, path: &str) -> anyhow::Result<Reply> {
    match get(port, path, &[])? {
        Outcome::Complete(reply) if reply.status == 200 => Ok(reply),
        other => bail!("GET {path}: {other:?}"),
    }
}
