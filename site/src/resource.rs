//! A response rendered once: its bytes, a gzip variant when that is smaller, and strong ETags, so
//! a handler only picks a variant and compares an ETag.
//!
//! When a gzip variant exists, only it is kept; the uncompressed bytes are inflated from it on the
//! first request that does not accept gzip and kept from then on. Browsers always accept gzip, so
//! a 10,000-code registry fits in well under 100 MB, and both variants still cost a lookup.

use std::io::{Read, Write};
use std::sync::OnceLock;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";
pub const CSS: &str = "text/css; charset=utf-8";
pub const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
pub const SVG: &str = "image/svg+xml";

/// Pages change when the registry does: revalidate every time (cheap with the ETag).
pub const REVALIDATE: &str = "no-cache";
/// Assets are named by their content hash, so a URL never changes meaning.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Bodies smaller than this are not worth a gzip variant.
const GZIP_MIN_BYTES: usize = 1024;

#[derive(Clone, Debug)]
struct Variant {
    body: Bytes,
    etag: HeaderValue,
}

#[derive(Clone, Debug)]
pub struct Resource {
    content_type: HeaderValue,
    cache_control: HeaderValue,
    /// The uncompressed bytes: set from the start when there is no gzip variant, else on first use.
    identity: OnceLock<Bytes>,
    identity_etag: HeaderValue,
    identity_len: usize,
    gzip: Option<Variant>,
}

/// A 128-bit content hash in hex, used for ETags and asset file names.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

fn etag(text: String) -> HeaderValue {
    HeaderValue::try_from(text).expect("a quoted hex digest is a valid header value")
}

impl Resource {
    pub fn new(content_type: &'static str, cache_control: &'static str, body: impl Into<Vec<u8>>) -> Self {
        let mut body: Vec<u8> = body.into();
        // Thousands of pages live for the whole process: keep no spare capacity.
        body.shrink_to_fit();
        let body = Bytes::from(body);
        let hash = content_hash(&body);
        let gzip = (body.len() >= GZIP_MIN_BYTES)
            .then(|| gzip(&body))
            .filter(|compressed| compressed.len() < body.len())
            .map(|mut compressed| {
                compressed.shrink_to_fit();
                compressed
            })
            .map(|compressed| Variant { body: compressed.into(), etag: etag(format!("\"{hash}-gz\"")) });
        let identity_len = body.len();
        let identity = OnceLock::new();
        if gzip.is_none() {
            identity.get_or_init(|| body);
        }
        Resource {
            content_type: HeaderValue::from_static(content_type),
            cache_control: HeaderValue::from_static(cache_control),
            identity,
            identity_etag: etag(format!("\"{hash}\"")),
            identity_len,
            gzip,
        }
    }

    /// The uncompressed bytes (what the static export writes).
    pub fn body(&self) -> &Bytes {
        self.identity.get_or_init(|| {
            let compressed = &self.gzip.as_ref().expect("a resource without its bytes has a gzip variant").body;
            let mut bytes = Vec::with_capacity(self.identity_len);
            GzDecoder::new(&compressed[..]).read_to_end(&mut bytes).expect("our own gzip output inflates");
            Bytes::from(bytes)
        })
    }

    /// Bytes held in memory right now.
    pub fn stored_bytes(&self) -> usize {
        self.identity.get().map_or(0, Bytes::len) + self.gzip.as_ref().map_or(0, |gzip| gzip.body.len())
    }

    pub fn content_type(&self) -> &str {
        self.content_type.to_str().unwrap_or_default()
    }

    /// Answers with the best variant for the request, or 304 when the client already has it.
    pub fn respond(&self, request: &HeaderMap, status: StatusCode) -> Response {
        let gzip = self.gzip.as_ref().filter(|_| accepts_gzip(request));
        let etag = gzip.map_or(&self.identity_etag, |gzip| &gzip.etag);
        let not_modified = status == StatusCode::OK && if_none_match(request, etag);
        // Room for these headers and the guard's, so the map never grows.
        let mut headers = HeaderMap::with_capacity(16);
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        if self.gzip.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        if status == StatusCode::OK {
            headers.insert(header::ETAG, etag.clone());
        }
        let mut response = if not_modified {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            let body = gzip.map_or_else(|| self.body(), |gzip| &gzip.body);
            let mut response = Response::new(Body::from(body.clone()));
            *response.status_mut() = status;
            headers.insert(header::CONTENT_TYPE, self.content_type.clone());
            if gzip.is_some() {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            response
        };
        *response.headers_mut() = headers;
        response
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // Level 1: a few percent larger than the default level, but three times faster, which keeps
    // the startup of a 10,000-code registry under a second.
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::fast());
    encoder.write_all(bytes).expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

/// True when `Accept-Encoding` lists gzip (or `*`) without `q=0`.
fn accepts_gzip(request: &HeaderMap) -> bool {
    request.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).any(|value| {
        value.split(',').any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|param| {
                let param = param.trim();
                param.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
    })
}

/// True when `If-None-Match` names `etag` (or is `*`).
fn if_none_match(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let wanted = etag.as_bytes();
    request.get_all(header::IF_NONE_MATCH).iter().any(|value| {
        value.as_bytes().split(|&b| b == b',').any(|tag| {
            let tag = tag.trim_ascii();
            tag == b"*" || tag == wanted || tag.strip_prefix(b"W/") == Some(wanted)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_static(value))).collect()
    }

    #[test]
    fn gzip_is_chosen_only_when_accepted() {
        assert!(accepts_gzip(&headers(&[(header::ACCEPT_ENCODING, "gzip, deflate, br")])));
        assert!(accepts_gzip(&headers(&[(header::ACCEPT_ENCODING, "br;q=1.0, GZIP;q=0.5")])));
        assert!(!accepts_gzip(&headers(&[(header::ACCEPT_ENCODING, "gzip;q=0")])));
        assert!(!accepts_gzip(&headers(&[(header::ACCEPT_ENCODING, "identity")])));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn if_none_match_accepts_lists_and_weak_tags() {
        let tag = HeaderValue::from_static("\"abc\"");
        assert!(if_none_match(&headers(&[(header::IF_NONE_MATCH, "\"x\", \"abc\"")]), &tag));
        assert!(if_none_match(&headers(&[(header::IF_NONE_MATCH, "W/\"abc\"")]), &tag));
        assert!(!if_none_match(&headers(&[(header::IF_NONE_MATCH, "\"abcd\"")]), &tag));
    }
}
