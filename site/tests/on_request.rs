//! Pages rendered on request (the way a large registry is served) answer exactly as pages
//! rendered at build: the same bytes, the same ETag for every variant, the same 304s and 404s;
//! the page cache stays within its byte bound; and an export of the on-request site holds the
//! same files as an export of the rendered-at-build one.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use codebook_model::{EMBEDDED_CODES_YAML, Registry, load_str};
use site::site::{PAGE_CACHE_BYTES, Rendering};
use site::{AppState, Site, router};
use tower::ServiceExt;

fn registry() -> Registry {
    load_str("codes.yaml", EMBEDDED_CODES_YAML).expect("embedded registry is valid")
}

/// The shipped release history, so the code pages' release lines are compared too.
fn history() -> codebook_model::ReleaseHistory {
    codebook_model::ReleaseHistory::read("CHANGELOG.md", codebook_model::EMBEDDED_CHANGELOG)
        .expect("shipped changelog reads")
}

/// Status, ETag, Content-Encoding and the decoded body of one request.
async fn fetch(
    app: &Router,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, String, String, Vec<u8>) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let header = |name| {
        response
            .headers()
            .get(name)
            .map_or(String::new(), |v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
    };
    let (etag, encoding) = (header(header::ETAG), header(header::CONTENT_ENCODING));
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
    let decoded = match encoding.as_str() {
        "gzip" => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut out).unwrap();
            out
        }
        "br" => {
            let mut out = Vec::new();
            brotli::Decompressor::new(&body[..], 4096).read_to_end(&mut out).unwrap();
            out
        }
        _ => body,
    };
    (status, etag, encoding, decoded)
}

#[tokio::test]
async fn pages_rendered_on_request_answer_as_pages_rendered_at_build() {
    let at_build = Site::build_with(registry(), history(), Rendering::AtBuild);
    let on_request = Site::build_with(registry(), history(), Rendering::OnRequest);
    assert_eq!(at_build.rendering(), Rendering::AtBuild);
    assert_eq!(Site::build(registry()).rendering(), Rendering::AtBuild, "the shipped registry is small");
    let mut paths: Vec<String> = at_build.resources.keys().cloned().collect();
    paths.sort();
    let pages = on_request.pages_to_render();
    assert!(pages.len() > 200, "every code page and its JSON: {}", pages.len());
    assert!(
        pages.iter().all(|(path, _)| !on_request.resources.contains_key(path) && at_build.resources.contains_key(path)),
        "on request, no page is held at build; at build, every one is"
    );
    assert_eq!(on_request.resources.len() + pages.len(), at_build.resources.len());
    let state = AppState::new(on_request);
    let (built, requested) = (router(AppState::new(at_build)), router(state.clone()));
    // Non-canonical and unregistered addresses take the same routes as before.
    paths.extend(
        ["/codes/centrifugo-disconnect/03500", "/codes/centrifugo-disconnect/4321", "/families/nope", "/families/"]
            .map(String::from),
    );
    for path in &paths {
        for encoding in [None, Some("gzip"), Some("br"), Some("gzip, deflate, br")] {
            let headers: Vec<_> = encoding.map(|value| (header::ACCEPT_ENCODING, value)).into_iter().collect();
            let expected = fetch(&built, path, &headers).await;
            let got = fetch(&requested, path, &headers).await;
            assert_eq!(got.0, expected.0, "{path} {encoding:?}: status");
            assert_eq!(got.1, expected.1, "{path} {encoding:?}: ETag");
            assert_eq!(got.2, expected.2, "{path} {encoding:?}: Content-Encoding");
            assert!(got.3 == expected.3, "{path} {encoding:?}: body differs");
            if !got.1.is_empty() {
                let mut revalidate = headers.clone();
                revalidate.push((header::IF_NONE_MATCH, got.1.as_str()));
                assert_eq!(fetch(&requested, path, &revalidate).await.0, StatusCode::NOT_MODIFIED, "{path}");
            }
        }
    }
    let (entries, bytes) = state.site.load().page_cache_usage();
    assert!(entries > 200 && bytes <= PAGE_CACHE_BYTES, "{entries} pages, {bytes} bytes cached");
}

/// Every file of an export under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn an_export_of_pages_rendered_on_request_equals_one_rendered_at_build() {
    let scratch = std::env::temp_dir().join(format!("site-export-on-request-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let written_at_build =
        site::export::export(&Site::build_with(registry(), history(), Rendering::AtBuild), &scratch.join("at-build"))
            .unwrap();
    let written_on_request = site::export::export(
        &Site::build_with(registry(), history(), Rendering::OnRequest),
        &scratch.join("on-request"),
    )
    .unwrap();
    assert_eq!(written_at_build, written_on_request);
    let (at_build, on_request) = (files(&scratch.join("at-build")), files(&scratch.join("on-request")));
    assert_eq!(at_build.keys().collect::<Vec<_>>(), on_request.keys().collect::<Vec<_>>());
    for (path, bytes) in &at_build {
        assert!(on_request[path] == *bytes, "{path} differs");
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}
