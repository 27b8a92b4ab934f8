//! A response rendered once: its bytes, gzip and brotli variants when they are smaller, and a
//! strong ETag per variant, so a handler only picks a variant and compares an ETag.
//!
//! The gzip variant is built with the resource, and when it exists only it is kept: the
//! uncompressed bytes are inflated from it on the first request that wants them and kept from then
//! on. The brotli variant is built on the first request that prefers it (brotli at a useful
//! quality costs about as much as rendering the page, which would put a 10,000-code registry's
//! startup over a second) and kept in the site's [`BrotliCache`], bounded in bytes: an evicted
//! variant is built again, byte for byte the same, under the same ETag. Which variant a request
//! gets follows its `Accept-Encoding` with q-values; on equal q-values br beats gzip beats
//! identity.

use std::io::{Read, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use crate::bounded_cache::BoundedCache;

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";
pub const CSS: &str = "text/css; charset=utf-8";
pub const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
pub const SVG: &str = "image/svg+xml";
pub const ATOM: &str = "application/atom+xml; charset=utf-8";

/// Pages change when the registry does: revalidate every time (cheap with the ETag).
pub const REVALIDATE: &str = "no-cache";
/// Assets are named by their content hash, so a URL never changes meaning.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Bodies smaller than this are not worth a compressed variant.
const COMPRESS_MIN_BYTES: usize = 1024;

/// Brotli quality of the portal's lazily built variants: close to the best size for pages of a
/// few KB at a fraction of the time of the highest qualities.
const BROTLI_QUALITY: u32 = 5;

/// Most bytes of lazily built brotli variants a site keeps (bodies plus bookkeeping). A full crawl
/// of a 10,000-code registry's portal with `Accept-Encoding: br` then settles at about 96 MB
/// (BENCHMARKS.md, "Bounded brotli variants, quiet machine").
pub const BROTLI_CACHE_BYTES: usize = 2 * 1024 * 1024;
/// Most brotli variants a site keeps (the byte bound is the one that binds).
const BROTLI_CACHE_ENTRIES: usize = 1 << 20;
/// Bookkeeping counted per brotli variant: map and queue slots, the key, the `Bytes` handle, and
/// the allocator's rounding.
const BROTLI_ENTRY_OVERHEAD: usize = 128;

/// The brotli variants built so far, by the content hash of the bytes they compress (so equal
/// bodies share one). One per [`Site`](crate::Site), shared by all its resources.
pub struct BrotliCache(BoundedCache<u128, Bytes>, AtomicUsize);

/// After this many variants are built, the memory their compressors freed is handed back
/// ([`return_freed_memory`]): a crawl that builds every variant then stays near its startup
/// figure instead of keeping each worker thread's scratch. The request that triggers it pays for
/// the trim; a full crawl of 20,000 requests took as long with it as without (BENCHMARKS.md).
const BROTLI_BUILDS_PER_TRIM: usize = 1024;

impl Default for BrotliCache {
    fn default() -> Self {
        BrotliCache::new(BROTLI_CACHE_BYTES)
    }
}

impl BrotliCache {
    pub fn new(max_bytes: usize) -> Self {
        BrotliCache(
            BoundedCache::new(BROTLI_CACHE_ENTRIES, max_bytes, |_, body| body.len() + BROTLI_ENTRY_OVERHEAD),
            AtomicUsize::new(0),
        )
    }

    /// Counts one variant (or page rendered on request) built, handing freed memory back every
    /// [`BROTLI_BUILDS_PER_TRIM`]: renders on tokio's blocking pool spread over many threads,
    /// each keeping what it freed in its own allocator arena.
    pub(crate) fn built_one(&self) {
        if (self.1.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(BROTLI_BUILDS_PER_TRIM) {
            return_freed_memory();
        }
    }

    /// Variants and counted bytes held now.
    pub fn usage(&self) -> (usize, usize) {
        self.0.usage()
    }
}

/// Whether a resource's brotli variant is smaller than what it already holds: not known until
/// the first request that prefers brotli builds it.
const BROTLI_UNKNOWN: u8 = 0;
const BROTLI_SMALLER: u8 = 1;
const BROTLI_NOT_SMALLER: u8 = 2;

#[derive(Clone, Debug)]
struct Variant {
    body: Bytes,
    etag: HeaderValue,
}

/// A content coding the portal can answer with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

#[derive(Debug)]
pub struct Resource {
    content_type: HeaderValue,
    cache_control: HeaderValue,
    /// The uncompressed bytes: set from the start when there is no gzip variant, else on first use.
    identity: OnceLock<Bytes>,
    identity_etag: HeaderValue,
    identity_len: usize,
    gzip: Option<Variant>,
    /// The content hash, which keys the brotli variant in the site's [`BrotliCache`].
    hash: u128,
    /// [`BROTLI_UNKNOWN`], [`BROTLI_SMALLER`] or [`BROTLI_NOT_SMALLER`].
    brotli: AtomicU8,
    brotli_etag: HeaderValue,
    /// Whether the body is large enough to get compressed variants (and so a `Vary` header).
    compressible: bool,
    /// Whether the uncompressed bytes, once inflated, are kept: yes for a response held for the
    /// site's life, no for one in a bounded cache (its weight must not grow after it is counted).
    keeps_identity: bool,
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
        Resource::build(content_type, cache_control, body.into(), true)
    }

    /// A resource for a bounded cache: like [`Resource::new`], but a gzip-backed one inflates its
    /// uncompressed bytes for each request that wants them instead of keeping them, so it holds
    /// what [`Resource::max_bytes`] counted when it was stored.
    pub fn cached(content_type: &'static str, cache_control: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Resource::build(content_type, cache_control, body.into(), false)
    }

    fn build(content_type: &'static str, cache_control: &'static str, mut body: Vec<u8>, keeps_identity: bool) -> Self {
        // Thousands of pages live for the whole process: keep no spare capacity.
        body.shrink_to_fit();
        let body = Bytes::from(body);
        let hash_value = xxhash_rust::xxh3::xxh3_128(&body);
        let hash = format!("{hash_value:032x}");
        let compressible = body.len() >= COMPRESS_MIN_BYTES;
        let gzip = compressible
            .then(|| gzip(&body, Compression::fast()))
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
        let brotli = AtomicU8::new(if compressible { BROTLI_UNKNOWN } else { BROTLI_NOT_SMALLER });
        Resource {
            content_type: HeaderValue::from_static(content_type),
            cache_control: HeaderValue::from_static(cache_control),
            identity,
            identity_etag: etag(format!("\"{hash}\"")),
            identity_len,
            gzip,
            hash: hash_value,
            brotli,
            brotli_etag: etag(format!("\"{hash}-br\"")),
            compressible,
            keeps_identity,
        }
    }

    /// The uncompressed bytes without keeping them: a gzip-backed resource inflates into a
    /// buffer the caller drops (the static export walks every page once).
    pub fn uncompressed(&self) -> std::borrow::Cow<'_, [u8]> {
        match self.identity.get() {
            Some(body) => std::borrow::Cow::Borrowed(body),
            None => std::borrow::Cow::Owned(self.inflate()),
        }
    }

    /// The uncompressed bytes, kept once asked for (inflated again each time by a
    /// [`Resource::cached`] one).
    pub fn body(&self) -> Bytes {
        match self.identity.get() {
            Some(body) => body.clone(),
            None if !self.keeps_identity => Bytes::from(self.inflate()),
            None => self.identity.get_or_init(|| Bytes::from(self.inflate())).clone(),
        }
    }

    fn inflate(&self) -> Vec<u8> {
        let compressed = &self.gzip.as_ref().expect("a resource without its bytes has a gzip variant").body;
        let mut bytes = Vec::with_capacity(self.identity_len);
        GzDecoder::new(&compressed[..]).read_to_end(&mut bytes).expect("our own gzip output inflates");
        bytes
    }

    /// The brotli variant's body, from the cache or built now (the first request for it, or the
    /// first since it was evicted); `None` when brotli is not smaller than the best variant
    /// already held.
    fn brotli(&self, cache: &BrotliCache) -> Option<Bytes> {
        if self.brotli.load(Ordering::Relaxed) == BROTLI_NOT_SMALLER {
            return None;
        }
        if let Some(body) = cache.0.get(&self.hash) {
            return Some(body);
        }
        // A gzip-backed resource inflates into a temporary buffer: it goes on holding only its
        // compressed variants.
        let inflated;
        let body: &[u8] = match self.identity.get() {
            Some(body) => body,
            None => {
                inflated = self.inflate();
                &inflated
            }
        };
        let limit = self.gzip.as_ref().map_or(body.len(), |gzip| gzip.body.len());
        let compressed = brotli(body, BROTLI_QUALITY);
        cache.built_one();
        if compressed.len() >= limit {
            self.brotli.store(BROTLI_NOT_SMALLER, Ordering::Relaxed);
            return None;
        }
        self.brotli.store(BROTLI_SMALLER, Ordering::Relaxed);
        Some(cache.0.insert(self.hash, compressed.into()))
    }

    /// Bytes held in memory right now (brotli variants are held by the site's [`BrotliCache`]).
    pub fn stored_bytes(&self) -> usize {
        self.identity.get().map_or(0, Bytes::len) + self.gzip.as_ref().map_or(0, |gzip| gzip.body.len())
    }

    /// The most bytes this resource can come to hold, once every variant has been asked for:
    /// the uncompressed bytes, gzip, and a brotli variant that is only kept when smaller than gzip.
    pub fn max_bytes(&self) -> usize {
        match &self.gzip {
            Some(gzip) if self.keeps_identity => self.identity_len + 2 * gzip.body.len(),
            Some(gzip) => 2 * gzip.body.len(),
            None => 2 * self.identity_len,
        }
    }

    pub fn content_type(&self) -> &str {
        self.content_type.to_str().unwrap_or_default()
    }

    /// Answers with the best variant for the request, or 304 when the client already has it;
    /// a brotli variant comes from (or is built into) `brotli`, the site's cache.
    pub fn respond(&self, request: &HeaderMap, status: StatusCode, brotli: &BrotliCache) -> Response {
        let preference = if self.compressible { Preference::of(request) } else { Preference::IDENTITY_ONLY };
        let variant = match preference.best(self.gzip.is_some()) {
            // A revalidation of a known brotli variant is answered 304 without building it again.
            Coding::Brotli
                if status == StatusCode::OK
                    && self.brotli.load(Ordering::Relaxed) == BROTLI_SMALLER
                    && if_none_match(request, &self.brotli_etag) =>
            {
                Some((Bytes::new(), &self.brotli_etag, "br"))
            }
            Coding::Brotli => match self.brotli(brotli) {
                Some(body) => Some((body, &self.brotli_etag, "br")),
                None => self
                    .gzip
                    .as_ref()
                    .filter(|_| preference.gzip > 0)
                    .map(|gzip| (gzip.body.clone(), &gzip.etag, "gzip")),
            },
            Coding::Gzip => self.gzip.as_ref().map(|gzip| (gzip.body.clone(), &gzip.etag, "gzip")),
            Coding::Identity => None,
        };
        let etag = variant.as_ref().map_or(&self.identity_etag, |(_, etag, _)| *etag);
        let not_modified = status == StatusCode::OK && if_none_match(request, etag);
        // Room for these headers and the guard's, so the map never grows.
        let mut headers = HeaderMap::with_capacity(16);
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        if self.compressible {
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
            let coding = variant.as_ref().map(|(_, _, coding)| *coding);
            let body = variant.map_or_else(|| self.body(), |(body, _, _)| body);
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = status;
            headers.insert(header::CONTENT_TYPE, self.content_type.clone());
            if let Some(coding) = coding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            }
            response
        };
        *response.headers_mut() = headers;
        response
    }
}

/// Gzip at `level` (the portal uses level 1: a few percent larger than the default level, but
/// three times faster, which keeps the startup of a 10,000-code registry under a second).
pub fn gzip(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3 + 64), level);
    encoder.write_all(bytes).expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

/// Hands the memory the allocator holds free back to the operating system. Rendering and
/// compressing on several threads leaves each thread's glibc arena holding what it freed (the
/// rendering scratch, the compressors' buffers) until asked. A no-op off Linux with glibc.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas; it touches no
    // live allocation and may be called from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Makes the allocator give every buffer of 256 KB or more its own mapping, returned to the
/// operating system when freed. glibc's default threshold grows to the size of the largest
/// mapped buffer freed (up to 32 MB), after which such buffers come from the heap and their
/// pages stay resident: a 100,000-code portal that renders on request (a 60 MB `/api/codes`,
/// 650 KB family pages) held 305 MB after a crawl with the default, 265 MB with this
/// (BENCHMARKS.md, "Portal at 100,000 codes"). A no-op off Linux with glibc.
pub fn map_large_buffers_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning for later allocations; glibc allows it
    // at any time from any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// Brotli at `quality` (0-11), with a window as large as the input needs and at least 256 KB.
///
/// Not smaller: with a window of 64 KB (`lgwin` 16) brotli 9.1.1 picks other hashers for
/// qualities 5-9, and a 13 KB page took 7.5 ms of CPU at quality 5 instead of 0.2 ms with a
/// 256 KB window, for 0.6% fewer bytes (BENCHMARKS.md, "Portal at 100,000 codes").
pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let window = (usize::BITS - bytes.len().max(1).leading_zeros()).clamp(MIN_BROTLI_WINDOW_BITS, 24);
    let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, window);
        writer.write_all(bytes).expect("writing to a Vec cannot fail");
    }
    out.shrink_to_fit();
    out
}

/// The smallest brotli window, as a power of two (256 KB); see [`brotli`].
const MIN_BROTLI_WINDOW_BITS: u32 = 18;

/// The q-values (in thousandths) a request's `Accept-Encoding` gives the codings we have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preference {
    pub brotli: u16,
    pub gzip: u16,
    pub identity: u16,
}

impl Preference {
    /// No `Accept-Encoding`: only the uncompressed bytes.
    const IDENTITY_ONLY: Preference = Preference { brotli: 0, gzip: 0, identity: 1000 };

    /// Reads every `Accept-Encoding` header (RFC 9110, 12.5.3): a coding not listed gets the
    /// q-value of `*`, or 0; identity stays acceptable unless refused by name or by `*;q=0`.
    pub fn of(request: &HeaderMap) -> Preference {
        let mut brotli = None;
        let mut gzip = None;
        let mut identity = None;
        let mut any = None;
        let mut seen = false;
        for value in request.get_all(header::ACCEPT_ENCODING) {
            seen = true;
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or_default().trim();
                if coding.is_empty() {
                    continue;
                }
                let q = parts
                    .filter_map(|param| {
                        let (name, value) = param.split_once('=')?;
                        name.trim().eq_ignore_ascii_case("q").then(|| parse_q(value.trim()))
                    })
                    .next_back()
                    .unwrap_or(1000);
                let slot = if coding.eq_ignore_ascii_case("br") {
                    &mut brotli
                } else if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                    &mut gzip
                } else if coding.eq_ignore_ascii_case("identity") {
                    &mut identity
                } else if coding == "*" {
                    &mut any
                } else {
                    continue;
                };
                // A coding listed twice keeps its highest q-value.
                *slot = Some(slot.unwrap_or(0).max(q));
            }
        }
        if !seen {
            return Preference::IDENTITY_ONLY;
        }
        Preference {
            brotli: brotli.or(any).unwrap_or(0),
            gzip: gzip.or(any).unwrap_or(0),
            identity: identity.or(any.filter(|&q| q == 0)).unwrap_or(1),
        }
    }

    /// The coding to answer with, given whether a gzip variant exists (brotli is built on demand).
    /// Highest q-value wins; on a tie br, then gzip, then identity. When every coding is refused
    /// the uncompressed bytes are sent anyway (the answer a client that refuses everything can
    /// still read best).
    pub fn best(&self, has_gzip: bool) -> Coding {
        let mut best = (self.identity, Coding::Identity);
        if has_gzip && self.gzip > 0 && self.gzip >= best.0 {
            best = (self.gzip, Coding::Gzip);
        }
        if self.brotli > 0 && self.brotli >= best.0 {
            best = (self.brotli, Coding::Brotli);
        }
        best.1
    }
}

/// A q-value in thousandths (`1`, `0.5`, `0.001`); anything malformed counts as 0 (refused).
fn parse_q(text: &str) -> u16 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = fraction.len() <= 3 && fraction.bytes().all(|b| b.is_ascii_digit());
    match whole {
        "0" if digits => {
            fraction.bytes().chain(std::iter::repeat(b'0')).take(3).fold(0, |q, b| q * 10 + u16::from(b - b'0'))
        }
        "1" if fraction.bytes().all(|b| b == b'0') && fraction.len() <= 3 => 1000,
        _ => 0,
    }
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

    fn best(accept: &'static str) -> Coding {
        Preference::of(&headers(&[(header::ACCEPT_ENCODING, accept)])).best(true)
    }

    #[test]
    fn accept_encoding_q_values_choose_the_coding() {
        assert_eq!(best("gzip, deflate, br"), Coding::Brotli, "equal q: br first");
        assert_eq!(best("gzip, deflate, br, zstd"), Coding::Brotli);
        assert_eq!(best("br;q=0.5, GZIP;q=0.8"), Coding::Gzip);
        assert_eq!(best("br;q=1.0, gzip;q=0.5"), Coding::Brotli);
        assert_eq!(best("gzip;q=0"), Coding::Identity);
        assert_eq!(best("br;q=0, gzip"), Coding::Gzip);
        assert_eq!(best("identity"), Coding::Identity);
        assert_eq!(best("*"), Coding::Brotli);
        assert_eq!(best("*;q=0.5, identity"), Coding::Identity, "identity listed at 1 beats * at 0.5");
        assert_eq!(best("gzip;q=0.3, identity;q=0.2"), Coding::Gzip);
        assert_eq!(best("gzip;q=0.001"), Coding::Gzip, "an unlisted identity ranks below any listed coding");
        assert_eq!(best("br;q=abc, gzip;q=2"), Coding::Identity, "malformed q-values refuse the coding");
        assert_eq!(best("deflate"), Coding::Identity);
        assert_eq!(Preference::of(&HeaderMap::new()).best(true), Coding::Identity);
        assert_eq!(Preference::of(&headers(&[(header::ACCEPT_ENCODING, "br")])).best(false), Coding::Brotli);
        assert_eq!(Preference::of(&headers(&[(header::ACCEPT_ENCODING, "gzip")])).best(false), Coding::Identity);
    }

    #[test]
    fn q_values_parse_in_thousandths() {
        for (text, q) in [
            ("1", 1000),
            ("1.000", 1000),
            ("0", 0),
            ("0.5", 500),
            ("0.05", 50),
            ("0.001", 1),
            ("0.", 0),
            ("1.5", 0),
            ("0.0001", 0),
            ("-1", 0),
            ("", 0),
        ] {
            assert_eq!(parse_q(text), q, "{text:?}");
        }
    }

    #[test]
    fn if_none_match_accepts_lists_and_weak_tags() {
        let tag = HeaderValue::from_static("\"abc\"");
        assert!(if_none_match(&headers(&[(header::IF_NONE_MATCH, "\"x\", \"abc\"")]), &tag));
        assert!(if_none_match(&headers(&[(header::IF_NONE_MATCH, "W/\"abc\"")]), &tag));
        assert!(!if_none_match(&headers(&[(header::IF_NONE_MATCH, "\"abcd\"")]), &tag));
    }

    #[test]
    fn brotli_round_trips() {
        let text = "the same sentence again and again. ".repeat(200);
        let compressed = brotli(text.as_bytes(), BROTLI_QUALITY);
        assert!(compressed.len() < text.len() / 10);
        let mut back = Vec::new();
        brotli::Decompressor::new(&compressed[..], 4096).read_to_end(&mut back).expect("valid brotli");
        assert_eq!(back, text.as_bytes());
    }
}
