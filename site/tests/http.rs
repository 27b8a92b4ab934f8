//! The portal through its router, without a socket: routes, statuses, content types, headers,
//! ETags, hostile requests, markup injection from the registry, and reloading.

use std::io::Read;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, StatusCode, header};
use axum::response::Response;
use codebook_model::{EMBEDDED_CODES_YAML, load_str};
use site::{AppState, Site, router};
use tower::ServiceExt;

fn embedded_site() -> Site {
    Site::build(load_str("codes.yaml", EMBEDDED_CODES_YAML).expect("embedded registry is valid"))
}

fn hostile_site() -> Site {
    let source = include_str!("fixtures/hostile_markup.yaml");
    Site::build(load_str("hostile_markup.yaml", source).expect("fixture is a valid registry"))
}

fn app(site: Site) -> Router {
    router(AppState::new(site))
}

async fn send(app: &Router, request: Request<Body>) -> Response {
    app.clone().oneshot(request).await.expect("the router is infallible")
}

async fn get(app: &Router, uri: &str) -> Response {
    send(app, Request::get(uri).body(Body::empty()).expect("valid request")).await
}

async fn text(response: Response) -> String {
    let bytes = to_bytes(response.into_body(), usize::MAX).await.expect("body reads");
    String::from_utf8(bytes.to_vec()).expect("UTF-8 body")
}

/// The text as askama escapes it in a page.
fn escape_html(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

fn content_type(response: &Response) -> &str {
    response.headers().get(header::CONTENT_TYPE).map_or("", |value| value.to_str().unwrap_or(""))
}

fn assert_security_headers(uri: &str, response: &Response) {
    let headers = response.headers();
    let csp = headers.get(header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{uri}: no CSP"));
    let csp = csp.to_str().expect("ASCII");
    assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"), "{uri}: {csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{uri}: {csp}");
    assert_eq!(headers.get(header::X_CONTENT_TYPE_OPTIONS).map(|v| v.as_bytes()), Some(&b"nosniff"[..]), "{uri}");
    assert!(headers.contains_key(header::REFERRER_POLICY), "{uri}: no Referrer-Policy");
}

#[tokio::test]
async fn every_route_answers_with_its_status_and_content_type() {
    let site = embedded_site();
    let assets = site.assets.clone();
    let app = app(site);
    let cases: Vec<(String, StatusCode, &str)> = vec![
        ("/".into(), StatusCode::OK, "text/html"),
        ("/healthz".into(), StatusCode::OK, "text/plain"),
        ("/families/centrifugo-disconnect".into(), StatusCode::OK, "text/html"),
        ("/codes/centrifugo-disconnect/3500".into(), StatusCode::OK, "text/html"),
        ("/codes/centrifugo-disconnect/4321".into(), StatusCode::OK, "text/html"),
        ("/codes/4321".into(), StatusCode::OK, "text/html"),
        ("/codes/3500".into(), StatusCode::TEMPORARY_REDIRECT, ""),
        ("/search?q=invalid+token".into(), StatusCode::OK, "text/html"),
        ("/search".into(), StatusCode::OK, "text/html"),
        ("/api/codes".into(), StatusCode::OK, "application/json"),
        ("/api/codes/centrifugo-disconnect/3500".into(), StatusCode::OK, "application/json"),
        ("/api/codes/centrifugo-disconnect/4321".into(), StatusCode::OK, "application/json"),
        ("/api/codes.json".into(), StatusCode::OK, "application/json"),
        ("/api/codes/centrifugo-disconnect/3500.json".into(), StatusCode::OK, "application/json"),
        ("/api/codes/nope/1".into(), StatusCode::NOT_FOUND, "application/json"),
        ("/api/search?q=3500".into(), StatusCode::OK, "application/json"),
        (assets.css.clone(), StatusCode::OK, "text/css"),
        (assets.js.clone(), StatusCode::OK, "text/javascript"),
        (assets.icon.clone(), StatusCode::OK, "image/svg+xml"),
        (assets.index.clone(), StatusCode::OK, "application/json"),
        ("/static/app.0000000000000000.js".into(), StatusCode::NOT_FOUND, "text/html"),
        ("/families/no-such-family".into(), StatusCode::NOT_FOUND, "text/html"),
        ("/codes/no-such-family/3500".into(), StatusCode::NOT_FOUND, "text/html"),
        ("/codes/centrifugo-disconnect/65536".into(), StatusCode::NOT_FOUND, "text/html"),
        ("/codes/centrifugo-disconnect/-1".into(), StatusCode::NOT_FOUND, "text/html"),
        ("/codes/banana".into(), StatusCode::NOT_FOUND, "text/html"),
        ("/no/such/page".into(), StatusCode::NOT_FOUND, "text/html"),
    ];
    for (uri, status, expected_type) in cases {
        let response = get(&app, &uri).await;
        assert_eq!(response.status(), status, "{uri}");
        assert!(content_type(&response).starts_with(expected_type), "{uri}: {}", content_type(&response));
        assert_security_headers(&uri, &response);
    }
}

#[tokio::test]
async fn every_registered_code_and_family_has_a_page() {
    let site = embedded_site();
    let registry = site.registry.clone();
    let app = app(site);
    for family in &registry.families {
        let page = text(get(&app, &format!("/families/{}", family.id)).await).await;
        for code in &family.codes {
            assert!(
                page.contains(&format!("href=\"/codes/{}/{}\"", family.id, code.number)),
                "{} {}",
                family.id,
                code.number
            );
            let response = get(&app, &format!("/codes/{}/{}", family.id, code.number)).await;
            assert_eq!(response.status(), StatusCode::OK);
            let page = text_of(&text(response).await);
            assert!(page.contains(&code.name), "{}", code.name);
            // The Rust snippet names the module include_codes! expands in the reader's crate, the enum
            // and the variant.
            let rust_path = format!("use crate::{}::{};", family.names.module, family.names.type_name);
            assert!(page.contains(&rust_path), "{}: {rust_path}", code.name);
            assert!(page.contains(&format!("{}::{}", family.names.type_name, code.names.variant)));
            assert!(page.contains(&format!("codebook.{}", code.names.go_constant)));
        }
    }
}

#[tokio::test]
async fn a_code_page_explains_its_behaviour_and_range() {
    let app = app(embedded_site());
    let page = text(get(&app, "/codes/centrifugo-disconnect/3500").await).await;
    assert!(page.contains("<title>3500 InvalidToken · codebook</title>"));
    assert!(page.contains("<code>invalid token</code>"));
    assert!(page.contains("badge terminal"));
    assert!(page.contains("3500-3999: Centrifugo terminal code, client stays disconnected"));
    assert!(page.contains("Possible causes"));
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    let code = registry.family("centrifugo-disconnect").unwrap().code(3500).unwrap();
    assert!(page.contains(&escape_html(code.action.advice())), "the model's advice for its action");
    assert!(page.contains(&format!("<code>{}</code>", code.action.as_str())));
    assert!(page.contains("data-copy=\"rust-3500-invalid-token\""));
}

/// A code whose action tries again shows its hint as an SVG of each retry's window, computed by
/// the model; a code that stops shows none. No script and no `style` attribute (the CSP forbids
/// inline styles).
#[tokio::test]
async fn a_retrying_code_page_draws_its_delay_windows() {
    let app = app(embedded_site());
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    for family in &registry.families {
        for code in &family.codes {
            let page = text(get(&app, &format!("/codes/{}/{}", family.id, code.number)).await).await;
            let charts = page.matches("<svg class=\"delay-chart\"").count();
            let Some(hint) = code.backoff else {
                assert_eq!(charts, 0, "{} {} does not try again", family.id, code.number);
                continue;
            };
            assert_eq!(charts, 1, "{} {}", family.id, code.number);
            let chart = &page[page.find("<svg class=\"delay-chart\"").unwrap()..page.find("</svg>").unwrap()];
            assert!(!chart.contains("style=") && !chart.contains("<script"), "{chart}");
            let first = hint.window(0);
            let words = codebook_model::duration_in_words;
            assert!(
                chart.contains(&format!("Retry 1: {} to {}", words(first.low_ms), words(first.high_ms))),
                "{chart}"
            );
            let last = hint.window(u32::MAX);
            assert!(
                chart.contains(&format!("and later: {} to {}", words(last.low_ms), words(last.high_ms))),
                "{chart}"
            );
            match hint.give_up_after_ms {
                Some(limit) => assert!(chart.contains(&format!("Gives up {} after the first failure.", words(limit)))),
                None => assert!(chart.contains("Never gives up on its own.")),
            }
        }
    }
    // 4001 (5 s doubling to 60 s): four windows, the first already spread over 5-10 s.
    let page = text(get(&app, "/codes/streaming-session/4001").await).await;
    assert_eq!(page.matches("<rect class=\"delay-window\"").count(), 4);
    assert!(page.contains("Retry 1: 5 s to 10 s"));
    // An unregistered number whose range reconnects draws its range's hint.
    let unregistered = text(get(&app, "/codes/centrifugo-disconnect/4321").await).await;
    assert_eq!(unregistered.matches("<svg class=\"delay-chart\"").count(), 1);
}

#[tokio::test]
async fn an_unregistered_number_answers_with_its_range() {
    let app = app(embedded_site());
    let page = text_of(&text(get(&app, "/codes/centrifugo-disconnect/4321").await).await);
    assert!(
        page.contains("4321: not registered in Centrifugo disconnect codes; 4000-4499 (application): Custom application code, client reconnects."),
        "{page}"
    );
    assert!(page.contains("CentrifugoDisconnect::classify(4321)"));
    let retired = text(get(&app, "/codes/centrifugo-disconnect/3002").await).await;
    assert!(retired.contains("3002 was retired and moved to 3500"), "{retired}");

    let json: serde_json::Value =
        serde_json::from_str(&text(get(&app, "/api/codes/centrifugo-disconnect/4321").await).await).unwrap();
    assert_eq!(json["registered"], false);
    assert_eq!(json["behaviour"], "reconnect");
    assert_eq!(json["range"]["from"], 4000);
    assert_eq!(json["range"]["to"], 4499);
}

#[tokio::test]
async fn a_bare_number_redirects_when_unique_and_lists_candidates_otherwise() {
    let app_embedded = app(embedded_site());
    let response = get(&app_embedded, "/codes/3500").await;
    assert_eq!(response.headers()[header::LOCATION], "/codes/centrifugo-disconnect/3500");

    // A static host's directory form of an address leads to the canonical one, query kept.
    let slash = get(&app_embedded, "/search/?q=3500").await;
    assert_eq!(slash.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(slash.headers()[header::LOCATION], "/search?q=3500");

    let nowhere = text(get(&app_embedded, "/codes/4321").await).await;
    assert!(nowhere.contains("No family registers 4321"));
    assert!(nowhere.contains("href=\"/codes/streaming-session/4321\""));
    assert!(nowhere.contains("href=\"/codes/centrifugo-disconnect/4321\""));

    let app_hostile = app(hostile_site());
    let response = get(&app_hostile, "/codes/4000").await;
    assert_eq!(response.status(), StatusCode::OK);
    let both = text(response).await;
    assert!(both.contains("href=\"/codes/hostile-close/4000\"") && both.contains("href=\"/codes/hostile-error/4000\""));
}

#[tokio::test]
async fn search_ranks_the_exact_code_first_and_applies_filters() {
    let app = app(embedded_site());
    let page = text(get(&app, "/search?q=invalid%20token").await).await;
    let first = page.find("href=\"/codes/").expect("a result");
    assert!(page[first..].starts_with("href=\"/codes/centrifugo-disconnect/3500\""), "{}", &page[first..first + 60]);

    let filtered = text(get(&app, "/search?q=expired&family=centrifugo-disconnect&behaviour=reconnect").await).await;
    assert!(
        filtered.contains("/codes/centrifugo-disconnect/3005") && !filtered.contains("/codes/centrifugo-error/110\"")
    );
    assert!(filtered.contains("<option value=\"centrifugo-disconnect\" selected>"));

    let none = text(get(&app, "/search?q=zzzz").await).await;
    assert!(none.contains("No codes match “zzzz”."));

    let json: serde_json::Value = serde_json::from_str(&text(get(&app, "/api/search?q=4321").await).await).unwrap();
    assert_eq!(json["results"].as_array().map(Vec::len), Some(0));
    let families = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap().families.len();
    assert_eq!(json["notes"].as_array().map(Vec::len), Some(families), "one note per family");
}

async fn get_with(app: &Router, uri: &str, headers: &[(header::HeaderName, &str)]) -> Response {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    send(app, request.body(Body::empty()).expect("valid request")).await
}

/// The body decoded from its `Content-Encoding`.
async fn decoded(response: Response) -> String {
    let coding = response.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_string());
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let mut out = String::new();
    match coding.as_deref() {
        None => out = String::from_utf8(bytes.to_vec()).unwrap(),
        Some("gzip") => {
            flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut out).unwrap();
        }
        Some("br") => {
            brotli::Decompressor::new(&bytes[..], 4096).read_to_string(&mut out).unwrap();
        }
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    }
    out
}

#[tokio::test]
async fn each_encoding_has_its_own_etag_and_304() {
    let app = app(embedded_site());
    for uri in
        ["/codes/centrifugo-disconnect/3500", "/api/codes", "/search?q=token+expired", "/api/search?q=connection"]
    {
        let plain = get(&app, uri).await;
        assert_eq!(plain.status(), StatusCode::OK, "{uri}");
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none(), "{uri}: no Accept-Encoding, no coding");
        assert_eq!(plain.headers()[header::VARY], "accept-encoding", "{uri}");
        let plain_etag = plain.headers()[header::ETAG].clone();
        assert!(plain_etag.to_str().unwrap().starts_with('"'), "{uri}: a strong ETag");
        let plain_body = decoded(plain).await;

        // (Accept-Encoding, the coding chosen)
        let cases = [
            ("gzip, deflate, br", Some("br")),
            ("br;q=0.5, gzip;q=0.8", Some("gzip")),
            ("gzip", Some("gzip")),
            ("br", Some("br")),
            ("gzip;q=0, br;q=0", None),
            ("identity", None),
            ("*", Some("br")),
            ("deflate", None),
        ];
        let mut etags = std::collections::BTreeMap::new();
        for (accept, coding) in cases {
            let response = get_with(&app, uri, &[(header::ACCEPT_ENCODING, accept)]).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri} {accept}");
            assert_eq!(
                response.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
                coding,
                "{uri} {accept}"
            );
            assert_eq!(response.headers()[header::VARY], "accept-encoding", "{uri} {accept}");
            let etag = response.headers()[header::ETAG].clone();
            if let Some(previous) = etags.insert(coding, etag.clone()) {
                assert_eq!(previous, etag, "{uri}: one ETag per variant");
            }
            assert_eq!(decoded(response).await, plain_body, "{uri} {accept}: every variant is the same page");

            // 304 only for the ETag of the variant this request would get.
            let revalidated = get_with(
                &app,
                uri,
                &[(header::ACCEPT_ENCODING, accept), (header::IF_NONE_MATCH, etag.to_str().unwrap())],
            )
            .await;
            assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED, "{uri} {accept}");
            assert_eq!(revalidated.headers()[header::ETAG], etag);
            assert_eq!(revalidated.headers()[header::VARY], "accept-encoding");
            assert_security_headers(uri, &revalidated);
            assert!(text(revalidated).await.is_empty());
        }
        assert_eq!(etags[&None], plain_etag);
        let distinct: std::collections::BTreeSet<_> = etags.values().collect();
        assert_eq!(distinct.len(), 3, "{uri}: identity, gzip and br have different ETags");
        // Another variant's ETag does not revalidate this one.
        let gzip_etag = etags[&Some("gzip")].to_str().unwrap().to_string();
        let crossed =
            get_with(&app, uri, &[(header::ACCEPT_ENCODING, "br"), (header::IF_NONE_MATCH, &gzip_etag)]).await;
        assert_eq!(crossed.status(), StatusCode::OK, "{uri}: the gzip ETag does not match the br variant");
        let stale = get_with(&app, uri, &[(header::IF_NONE_MATCH, "\"other\"")]).await;
        assert_eq!(stale.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn evicted_brotli_variants_are_rebuilt_byte_for_byte_under_the_same_etag() {
    // A budget that holds about one code page's brotli variant: every request for another page
    // evicts the last one, so each round below rebuilds every variant.
    let mut site = embedded_site();
    site.brotli_cache = site::resource::BrotliCache::new(4 * 1024);
    let state = AppState::new(site);
    let app = router(state.clone());
    let uris = ["/codes/centrifugo-disconnect/3500", "/codes/centrifugo-disconnect/3501", "/api/codes", "/"];
    let br = [(header::ACCEPT_ENCODING, "br")];
    let mut first = Vec::new();
    for uri in uris {
        let response = get_with(&app, uri, &br).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br", "{uri}");
        let etag = response.headers()[header::ETAG].clone();
        first.push((etag, to_bytes(response.into_body(), usize::MAX).await.unwrap()));
        let (_, bytes) = state.site.load().brotli_cache.usage();
        assert!(bytes <= 4 * 1024, "{uri}: {bytes} bytes held");
    }
    for _ in 0..2 {
        for (uri, (etag, body)) in uris.iter().zip(&first) {
            let response = get_with(&app, uri, &br).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert_eq!(&response.headers()[header::ETAG], etag, "{uri}: the same ETag after eviction");
            let plain = decoded(get(&app, uri).await).await;
            let again = to_bytes(response.into_body(), usize::MAX).await.unwrap();
            assert_eq!(&again, body, "{uri}: the same bytes after eviction");
            let mut inflated = String::new();
            brotli::Decompressor::new(&again[..], 4096).read_to_string(&mut inflated).unwrap();
            assert_eq!(inflated, plain, "{uri}: the br variant is the page");
            // Revalidation of an evicted variant: 304 under its ETag.
            let revalidated = get_with(
                &app,
                uri,
                &[(header::ACCEPT_ENCODING, "br"), (header::IF_NONE_MATCH, etag.to_str().unwrap())],
            )
            .await;
            assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED, "{uri}");
            assert_eq!(&revalidated.headers()[header::ETAG], etag, "{uri}");
        }
    }
    let (entries, bytes) = state.site.load().brotli_cache.usage();
    assert!(entries <= 1 && bytes <= 4 * 1024, "{entries} variants, {bytes} bytes held");
}

#[tokio::test]
async fn small_answers_have_no_variants() {
    let app = app(embedded_site());
    let response =
        get_with(&app, "/api/codes/centrifugo-disconnect/3500", &[(header::ACCEPT_ENCODING, "br, gzip")]).await;
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    assert!(response.headers().get(header::VARY).is_none(), "one variant: nothing varies");
}

#[tokio::test]
async fn repeated_searches_come_from_the_cache_and_a_reload_empties_it() {
    let state = AppState::new(embedded_site());
    let app = router(state.clone());
    let first = get(&app, "/search?q=invalid+token").await;
    let etag = first.headers()[header::ETAG].clone();
    let first = text(first).await;
    assert_eq!(state.site.load().search_cache.usage().0, 1);
    let again = get(&app, "/search?q=invalid+token&unused=1").await;
    assert_eq!(again.headers()[header::ETAG], etag, "parameters that change nothing share the entry");
    assert_eq!(text(again).await, first);
    assert_eq!(state.site.load().search_cache.usage().0, 1);
    get(&app, "/api/search?q=invalid+token").await;
    assert_eq!(state.site.load().search_cache.usage().0, 2, "the page and the API are cached apart");

    // A reload swaps in a new site with an empty cache: the answer follows the new registry.
    let changed = EMBEDDED_CODES_YAML.replace("message: invalid token", "message: token not valid");
    state.replace(Site::build(load_str("codes.yaml", &changed).expect("still valid")));
    assert_eq!(state.site.load().search_cache.usage().0, 0);
    let after = text(get(&app, "/api/search?q=token+not+valid").await).await;
    let json: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(json["results"][0]["number"], 3500);
    assert_eq!(json["results"][0]["tier"], "exact");
}

#[tokio::test]
async fn assets_are_immutable_and_pages_revalidate() {
    let site = embedded_site();
    let js = site.assets.js.clone();
    let app = app(site);
    let asset = get(&app, &js).await;
    assert!(asset.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    let page = get(&app, "/").await;
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-cache");
    let html = text(page).await;
    assert!(html.contains(&format!("<script src=\"{js}\" defer></script>")));
    assert!(!html.contains(" style="), "no inline style attributes");
}

#[tokio::test]
async fn hostile_requests_get_a_4xx_or_the_right_answer() {
    let app = app(embedded_site());
    // `http::Uri` cannot even hold more than 64 KB; a 1 MB target is refused by hyper before the
    // router (the socket-level check is in `cargo xtask test`). Just under that limit, the guard answers.
    let long_query = format!("/search?q={}", "a".repeat(60 * 1024));
    let uris = [
        "/static/..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/../../etc/passwd",
        "/../../etc/passwd",
        "/codes/%2e%2e/%2e%2e",
        "/codes/%ff%fe/1",
        "/families/%ff",
        "/search?q=%ff%fe%zz",
        "/search?q=a&q=b",
        "/api/search?q=%00%01",
        "/search?family=%3Cscript%3E&behaviour=nonsense",
        long_query.as_str(),
    ];
    for uri in uris {
        let response = get(&app, uri).await;
        let status = response.status();
        assert!(status.is_success() || status.is_client_error(), "{}: {status}", &uri[..uri.len().min(60)]);
        assert_security_headers(uri, &response);
    }
    assert_eq!(get(&app, &long_query).await.status(), StatusCode::URI_TOO_LONG);

    for method in [
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::from_bytes(b"BREW").unwrap(),
    ] {
        for uri in ["/", "/codes/centrifugo-disconnect/3500", "/search?q=x", "/nowhere"] {
            let response =
                send(&app, Request::builder().method(method.clone()).uri(uri).body(Body::empty()).unwrap()).await;
            assert!(response.status().is_client_error(), "{method} {uri}: {}", response.status());
            assert_security_headers(uri, &response);
        }
    }

    let head = send(&app, Request::head("/codes/centrifugo-disconnect/3500").body(Body::empty()).unwrap()).await;
    assert_eq!(head.status(), StatusCode::OK);
    assert!(content_type(&head).starts_with("text/html"));
    assert!(text(head).await.is_empty());
}

/// Every tag in `html` (the text between `<` and `>`), lower-cased.
fn tags(html: &str) -> Vec<String> {
    html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or("").to_lowercase()).collect()
}

/// The attribute names of a tag's text (`a href="x" class=y`), skipping quoted values, where
/// escaped registry text may spell anything.
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return names;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        names.push(rest[..end].to_string());
        rest = &rest[end..];
        if let Some(value) = rest.trim_start().strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..].find(quote).map_or("", |close| &value[close + 2..]),
                _ => value.find(char::is_whitespace).map_or("", |end| &value[end..]),
            };
        }
    }
}

/// A page's text without tags, entities decoded: what a reader sees of the coloured examples.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn assert_no_live_markup(what: &str, html: &str, script_url: &str) {
    for tag in tags(html) {
        if tag.starts_with("script") {
            assert_eq!(tag, format!("script src=\"{script_url}\" defer"), "{what}: a script tag");
        }
        assert!(!tag.contains("javascript:"), "{what}: <{tag}>");
        for name in attribute_names(&tag) {
            assert!(!name.starts_with("on"), "{what}: event attribute in <{tag}>");
        }
        assert!(!tag.starts_with("img"), "{what}: <{tag}>");
    }
}

#[tokio::test]
async fn markup_in_the_registry_never_reaches_a_page_as_html() {
    let site = hostile_site();
    let script_url = site.assets.js.clone();
    let mut pages: Vec<String> = site
        .resources
        .iter()
        .filter(|(_, resource)| resource.content_type().starts_with("text/html"))
        .map(|(path, _)| path.clone())
        .collect();
    pages.extend([
        "/search?q=script".to_string(),
        "/search?q=4000".into(),
        "/codes/hostile-close/4321".into(),
        "/codes/4000".into(),
        "/codes/4321".into(),
    ]);
    assert!(pages.len() >= 8, "{pages:?}");
    let app = app(site);
    let mut seen_escaped = false;
    for uri in &pages {
        let response = get(&app, uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let html = text(response).await;
        assert_no_live_markup(uri, &html, &script_url);
        seen_escaped |= html.contains("&lt;script&gt;");
    }
    assert!(seen_escaped, "the injected text is shown, escaped");
    assert!(pages.iter().any(|uri| uri == "/changelog"), "the changelog is checked too");
    let changelog = text(get(&app, "/changelog").await).await;
    for shown in
        ["alert(\"since\")", "alert(\"deprecated\")", "alert(\"change\")", "alert(\"retired\")", "onmouseover=alert(1)"]
    {
        assert!(changelog.contains(&escape_html(shown)), "{shown} is shown escaped on the changelog");
    }
    let code = text(get(&app, "/codes/hostile-close/4000").await).await;
    assert!(code.contains("click me"), "the link text survives without its href");
}

#[test]
fn the_markup_check_catches_what_it_must() {
    let script = "/static/app.js";
    let caught = |html: &str| std::panic::catch_unwind(|| assert_no_live_markup("probe", html, script)).is_err();
    assert!(caught("<p>x</p><script>alert(1)</script>"));
    assert!(caught("<img src=x onerror=alert(1)>"));
    assert!(caught("<a href=\"javascript:alert(1)\">x</a>"));
    assert!(caught("<b onmouseover=\"x\">y</b>"));
    assert!(!caught("<script src=\"/static/app.js\" defer></script><p>&lt;script&gt; onerror=x javascript:</p>"));
}

#[tokio::test]
async fn a_watched_registry_swaps_in_valid_edits_and_keeps_the_last_good_one() {
    use site::watch::{LastSeen, Reload, check_once};
    let dir = std::env::temp_dir().join(format!("site-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("codes.yaml");
    std::fs::write(&path, EMBEDDED_CODES_YAML).unwrap();
    let state = AppState::new(embedded_site());
    let app = router(state.clone());
    let mut last = LastSeen::built_from(&path, EMBEDDED_CODES_YAML.as_bytes());

    assert_eq!(check_once(&path, &state, &mut last).await, Reload::Unchanged);
    // Touched but not changed: the metadata differs, the content does not, nothing is rebuilt.
    std::fs::write(&path, EMBEDDED_CODES_YAML).unwrap();
    assert_eq!(check_once(&path, &state, &mut last).await, Reload::Unchanged);

    let broken = EMBEDDED_CODES_YAML.replacen("name: InvalidToken", "name: invalid token", 1);
    std::fs::write(&path, &broken).unwrap();
    match check_once(&path, &state, &mut last).await {
        Reload::Rejected(message) => assert!(message.contains("codes.yaml:"), "located message: {message}"),
        other => panic!("an invalid edit must be rejected, got {other:?}"),
    }
    assert!(
        text(get(&app, "/codes/centrifugo-disconnect/3500").await).await.contains("InvalidToken"),
        "last good site still served"
    );

    let renamed = EMBEDDED_CODES_YAML.replacen("name: InvalidToken", "name: TokenInvalid", 1);
    std::fs::write(&path, &renamed).unwrap();
    assert!(matches!(check_once(&path, &state, &mut last).await, Reload::Swapped { .. }));
    assert!(text(get(&app, "/codes/centrifugo-disconnect/3500").await).await.contains("TokenInvalid"));

    // The watched path becomes a FIFO: refused once with a message, never opened (a read would block).
    std::fs::remove_file(&path).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&path).status().unwrap().success());
    match check_once(&path, &state, &mut last).await {
        Reload::Rejected(message) => assert!(message.contains("not a regular file"), "{message}"),
        other => panic!("a FIFO must be refused, got {other:?}"),
    }
    assert_eq!(check_once(&path, &state, &mut last).await, Reload::Unchanged, "reported once, not every look");
    assert!(text(get(&app, "/codes/centrifugo-disconnect/3500").await).await.contains("TokenInvalid"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_codes_file_refuses_to_start_with_a_located_message() {
    let dir = std::env::temp_dir().join(format!("site-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("codes.yaml");
    std::fs::write(&path, EMBEDDED_CODES_YAML.replacen("name: InvalidToken", "name: invalid token", 1)).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_site"))
        .args(["serve", "--addr", "127.0.0.1:0", "--codes"])
        .arg(&path)
        .output()
        .expect("the site binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let located = format!("{}:", path.display());
    assert!(stderr.contains(&located) && stderr.contains("problem"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_code_page_states_its_backoff_in_words() {
    let app = app(embedded_site());
    let page = text(get(&app, "/codes/streaming-session/4001").await).await;
    assert!(page.contains("Wait 5 s, doubling to 60 s, with full jitter; give up after 30 min."), "{page}");
    assert!(page.contains("<code>wait_for_capacity</code>"));
    // An unregistered number shows the action and the hint its range implies.
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    let family = registry.family("centrifugo-disconnect").unwrap();
    let segment = family.classify(4321).segment;
    let number = text(get(&app, "/codes/centrifugo-disconnect/4321").await).await;
    assert!(number.contains(&format!("<code>{}</code>", segment.action.as_str())), "{number}");
    assert!(number.contains(&segment.backoff.as_ref().expect("a reconnecting range has a hint").describe()));
}

#[test]
fn durations_read_in_the_largest_exact_unit() {
    use codebook_model::duration_in_words;
    let cases = [
        (1, "1 ms"),
        (250, "250 ms"),
        (1_000, "1 s"),
        (1_500, "1.5 s"),
        (60_000, "60 s"),
        (600_000, "10 min"),
        (86_400_000, "24 h"),
    ];
    for (ms, words) in cases {
        assert_eq!(duration_in_words(ms), words, "{ms} ms");
    }
}

/// The `data-action` of every row of the family table, in order.
fn row_actions(page: &str) -> Vec<&str> {
    page.split(" data-behaviour=")
        .skip(1)
        .filter_map(|row| row.split("data-action=\"").nth(1)?.split('"').next())
        .collect()
}

#[tokio::test]
async fn the_family_table_has_an_action_column_and_filter() {
    let app = app(embedded_site());
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    let family = registry.family("centrifugo-disconnect").unwrap();
    let page = text(get(&app, "/families/centrifugo-disconnect").await).await;
    assert!(page.contains("<th scope=\"col\">Action</th>"));
    let expected: Vec<&str> = family.codes_by_number().iter().map(|code| code.action.as_str()).collect();
    assert_eq!(row_actions(&page), expected);
    assert!(page.contains("<td data-label=\"Action\"><code>reauthenticate</code></td>"));
    // The filter offers exactly the actions the family's codes carry, and submits to /search.
    assert!(page.contains("<select id=\"filter-action\" name=\"action\">"));
    assert!(page.contains("<option value=\"refresh_token_then_reconnect\">"));
    assert!(!page.contains("<option value=\"wait_for_capacity\">"), "no code of the family waits for capacity");
    // The unregistered ranges say what a client does with their numbers too.
    for segment in &family.segments {
        let item = format!("({}; action <code>{}</code>)", segment.scope.as_str(), segment.action.as_str());
        assert!(page.contains(&item), "{item}");
    }

    // Without JavaScript the form lands on /search, which applies the action filter.
    let filtered =
        text(get(&app, "/search?q=&family=centrifugo-disconnect&action=refresh_token_then_reconnect").await).await;
    let wanted: Vec<u16> = family
        .codes_by_number()
        .iter()
        .filter(|code| code.action.as_str() == "refresh_token_then_reconnect")
        .map(|code| code.number)
        .collect();
    assert!(wanted.len() >= 2, "{wanted:?}");
    assert!(filtered.contains(&format!("{} matching codes", wanted.len())), "{filtered}");
    for code in family.codes_by_number() {
        let link = format!("href=\"/codes/centrifugo-disconnect/{}\"", code.number);
        assert_eq!(filtered.contains(&link), wanted.contains(&code.number), "{}", code.number);
    }
    assert!(filtered.contains("<option value=\"refresh_token_then_reconnect\" selected>"));
    // Across families, and with an unknown action ignored rather than failing.
    let all: serde_json::Value =
        serde_json::from_str(&text(get(&app, "/api/search?action=reauthenticate").await).await).unwrap();
    let families: Vec<&str> =
        all["results"].as_array().unwrap().iter().map(|hit| hit["family"].as_str().unwrap()).collect();
    assert!(families.contains(&"centrifugo-error") && families.contains(&"centrifugo-disconnect"), "{families:?}");
    let bogus = get(&app, "/search?q=3500&action=%3Cscript%3E").await;
    assert_eq!(bogus.status(), StatusCode::OK);
    assert!(text(bogus).await.contains("href=\"/codes/centrifugo-disconnect/3500\""));
}

fn history_site() -> Site {
    let source = include_str!("fixtures/history.yaml");
    Site::build(load_str("history.yaml", source).expect("fixture is a valid registry"))
}

#[tokio::test]
async fn the_changelog_lists_history_and_retired_numbers_per_family() {
    let site = history_site();
    let index_has_link = {
        let app = app(embedded_site());
        let index = text(get(&app, "/").await).await;
        let changelog = get(&app, "/changelog").await;
        assert_eq!(changelog.status(), StatusCode::OK);
        assert!(content_type(&changelog).starts_with("text/html"));
        let shipped = text(changelog).await;
        // The shipped registry has retired numbers: 3002 moved to 3500.
        assert!(shipped.contains("<a href=\"/codes/centrifugo-disconnect/3002\"><strong>3002</strong></a>, moved to <a href=\"/codes/centrifugo-disconnect/3500\">3500</a>"), "{shipped}");
        // Every breaking-change rule, the fleet rules included, with its category and purpose.
        let version = load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap().version;
        assert!(shipped.contains(&format!("Registry version <strong>{version}</strong>")), "{shipped}");
        for rule in codebook_model::BREAK_RULES {
            let row = format!(
                "<tr id=\"rule-{id}\"><td><code>{id}</code></td><td>{}</td><td>{}</td></tr>",
                rule.category.as_str(),
                escape_html(rule.purpose),
                id = rule.id
            );
            assert!(shipped.contains(&row), "{row}");
        }
        assert!(shipped.contains("<code>BACKOFF_MIN_NO_DECREASE</code></td><td>behaviour</td>"));
        index.contains("href=\"/changelog\"")
    };
    assert!(index_has_link, "the index links the changelog");

    let app = app(site);
    let page = text(get(&app, "/changelog").await).await;
    let (game_close, game_error) = page.split_once("id=\"changelog-game-error\"").expect("a section per family");
    // Only codes with history are listed, in number order, each with every field.
    assert!(!game_close.contains("/codes/game-close/4000\""), "4000 has no history");
    let token = game_close.find("href=\"/codes/game-close/4001\"").expect("4001 is listed");
    let reauth = game_close.find("href=\"/codes/game-close/4003\"").expect("4003 is listed");
    assert!(token < reauth);
    assert!(
        game_close.contains("<td data-label=\"Since\">2.1</td>")
            && game_close.contains("<td data-label=\"Deprecated\">Use 4003 instead.</td>")
    );
    assert!(game_close.contains("<li><strong>2.1</strong>: Introduced for long sessions.</li><li><strong>3.0</strong>: Deprecated in favour of 4003.</li>"));
    assert!(game_close.contains("<td data-label=\"Since\">3.0</td>"));
    // Retired numbers, sorted, with where they moved and why.
    let moved = game_close
        .find("<a href=\"/codes/game-close/4002\"><strong>4002</strong></a>, moved to <a href=\"/codes/game-close/4003\">4003</a>: Token problems became terminal and moved to 4003.")
        .expect("4002 moved to 4003");
    let dropped = game_close
        .find("<a href=\"/codes/game-close/4009\"><strong>4009</strong></a>: Never sent by any released server.")
        .expect("4009 retired");
    assert!(moved < dropped);
    assert!(game_error.contains("No history recorded.") && !game_close.contains("No history recorded."));

    // The code page carries the same history.
    let code = text(get(&app, "/codes/game-close/4001").await).await;
    assert!(
        code.contains("<dt>Since</dt><dd>2.1</dd>") && code.contains("<dt>Deprecated</dt><dd>Use 4003 instead.</dd>"),
        "{code}"
    );
    assert!(code.contains("<li>2.1: Introduced for long sessions.</li><li>3.0: Deprecated in favour of 4003.</li>"));
}

#[tokio::test]
async fn every_family_has_a_handling_page_with_a_complete_loop() {
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    let app = app(embedded_site());
    let bindings = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bindings");
    for family in &registry.families {
        let uri = format!("/handling/{}", family.id);
        let response = get(&app, &uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_security_headers(&uri, &response);
        let html = text(response).await;
        let page = text_of(&html);
        let names = &family.names;
        // The loop calls the bindings by the names they export.
        let typescript_binding =
            std::fs::read_to_string(bindings.join(format!("typescript/src/{}.ts", family.id))).unwrap();
        let go_binding = std::fs::read_to_string(bindings.join(format!("go/codebook/{}.go", names.module))).unwrap();
        assert!(go_binding.contains(&format!("func Classify{}(code uint16)", names.type_name)));
        let typescript_call = if family.is_disconnect_family() {
            assert!(typescript_binding.contains(&format!("export const {}Family:", names.lower_camel)));
            assert!(
                page.contains(&format!("codebook.ClassifyCloseError(err, codebook.Classify{})", names.type_name)),
                "{uri}"
            );
            format!("classifyCloseEvent({}Family, event)", names.lower_camel)
        } else {
            assert!(typescript_binding.contains(&format!("export function classify{}(code: number)", names.type_name)));
            assert!(page.contains(&format!("var coded codebook.{}Error", names.type_name)), "{uri}");
            format!("classify{}(code)", names.type_name)
        };
        assert!(page.contains(&typescript_call), "{uri}: {typescript_call}");
        for piece in [
            "delayMs(classified.backoff, attempt, Date.now() - firstFailureAt, randomU32())",
            "attempt += 1;",
            "classified.Backoff.Delay(attempt, time.Since(firstFailure), rand.Uint32())",
        ] {
            assert!(page.contains(piece), "{uri}: {piece}");
        }
        assert!(
            html.contains(&format!("data-copy=\"loop-ts-{}\"", names.module))
                && html.contains(&format!("data-copy=\"loop-go-{}\"", names.module))
        );
        // One branch for each action the family's codes and ranges carry, and none for the others.
        for action in codebook_model::Action::ALL {
            let used = family.codes.iter().any(|code| code.action == action)
                || family.segments.iter().any(|segment| segment.action == action);
            let typescript_case = format!("case \"{}\":", action.as_str());
            assert_eq!(page.contains(&typescript_case), used, "{uri}: {}", action.as_str());
            assert_eq!(
                html.contains(&format!("<td data-label=\"Action\"><code>{}</code>", action.as_str())),
                used,
                "{uri}: row of {}",
                action.as_str()
            );
        }
        let family_page = text(get(&app, &format!("/families/{}", family.id)).await).await;
        assert!(family_page.contains(&format!("href=\"{uri}\"")), "the family page links its handling page");
    }
    let streaming_html = text(get(&app, "/handling/streaming-session").await).await;
    let streaming = text_of(&streaming_html);
    assert!(
        streaming.contains("case \"wait_for_capacity\": // 4001 NoWorkerNodeAvailable\n        app.showWaitScreen();"),
        "{streaming}"
    );
    assert!(
        streaming
            .contains("case codebook.ActionWaitForCapacity: // 4001 NoWorkerNodeAvailable\n\t\t\tapp.ShowWaitScreen()")
    );
    assert!(
        streaming_html.contains(
            "<td data-label=\"Codes\"><a href=\"/codes/streaming-session/4001\">4001 NoWorkerNodeAvailable</a></td>"
        ),
        "the table links each code"
    );
    let disconnect = text_of(&text(get(&app, "/handling/centrifugo-disconnect").await).await);
    assert!(disconnect.contains("await app.refreshToken();") && disconnect.contains("app.signIn();"));
    assert!(!disconnect.contains("showWaitScreen"), "no code of the family waits for capacity");
    let code = text(get(&app, "/codes/centrifugo-disconnect/3500").await).await;
    assert!(code.contains("href=\"/handling/centrifugo-disconnect\""), "code pages link the loop");
    assert_eq!(get(&app, "/handling/nope").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_code_page_says_who_sends_it_and_its_problem_type_url() {
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    let app = app(embedded_site());
    let family = registry.family("streaming-session").unwrap();
    let abnormal = family.code(1006).unwrap();
    assert_eq!(abnormal.origin.as_str(), "user_agent");
    let page = text(get(&app, "/codes/streaming-session/1006").await).await;
    assert!(page.contains("never on the wire, so a server must not send it"), "{page}");
    assert!(page.contains("(origin <code>user_agent</code>)"));
    assert!(page.contains(&format!("<code>{}</code>", escape_html(&abnormal.doc_url))));
    let server = text(get(&app, "/codes/centrifugo-disconnect/3500").await).await;
    assert!(server.contains("<dd>The server. <span class=\"meta\">(origin <code>server</code>)</span>"), "{server}");
    assert!(!server.contains("never on the wire"));
}

/// The server API family is listed, and its pages and JSON say what the server answers in the
/// transport error mode; every code of a counted family names its Prometheus counters, read from
/// the registry.
#[tokio::test]
async fn code_pages_give_transport_statuses_and_the_counters_that_count_them() {
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    let app = app(embedded_site());
    let index = text(get(&app, "/").await).await;
    assert!(index.contains("href=\"/families/centrifugo-server-api-error\""), "{index}");
    let page = text(get(&app, "/codes/centrifugo-server-api-error/112").await).await;
    assert!(page.contains("<dt>As a transport error</dt><dd>HTTP 416, gRPC OutOfRange (11)"), "{page}");
    assert!(page.contains("<code>centrifugo_api_command_errors_total{error=&#34;112&#34;}</code>"), "{page}");
    let disconnect = text(get(&app, "/codes/centrifugo-disconnect/3500").await).await;
    for metric in &registry.family("centrifugo-disconnect").unwrap().metrics {
        assert!(
            disconnect.contains(&format!("<code>{}{{{}=&#34;3500&#34;}}</code>", metric.name, metric.label)),
            "{}",
            metric.name
        );
    }
    assert!(!disconnect.contains("As a transport error"));
    let json: serde_json::Value =
        serde_json::from_str(&text(get(&app, "/api/codes/centrifugo-server-api-error/102").await).await).unwrap();
    assert_eq!(json["http_status"], 404);
    assert_eq!(json["grpc_status"]["name"], "NotFound");
    assert_eq!(json["grpc_status"]["number"], 5);
    assert_eq!(json["counted_by"][0]["name"], "centrifugo_api_command_errors_total");
    assert_eq!(json["counted_by"][0]["label"], "error");
}

#[tokio::test]
async fn code_pages_say_where_a_client_meets_the_code_and_sdks_page_compares() {
    let app = app(embedded_site());
    let invalid_token = text(get(&app, "/codes/centrifugo-disconnect/3500").await).await;
    assert!(invalid_token.contains("<dt>Where a client meets it</dt>"));
    assert!(invalid_token.contains("<li>The code and reason of a WebSocket close frame.</li>"), "close frame");
    assert!(invalid_token.contains("<li>A Disconnect push"), "Disconnect push");
    assert!(invalid_token.contains("href=\"/sdks\""));
    let never_sent = text(get(&app, "/codes/centrifugo-disconnect/3000").await).await;
    assert!(never_sent.contains("Nowhere: the server only records it"));
    let reply = text(get(&app, "/codes/centrifugo-error/113").await).await;
    assert!(reply.contains("The error of a reply to one command."));
    let sdk = text(get(&app, "/codes/centrifuge-sdk-disconnected/0").await).await;
    assert!(sdk.contains("official SDK&#39;s disconnected event (centrifuge-js client.on(&#34;disconnected&#34;), centrifuge-go OnDisconnected)"), "SDK event");

    let response = get(&app, "/sdks").await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = text(response).await;
    // The rows answer from the registry: 4500 stops, 3014 refreshes the token, an SDK event
    // family's number is read where its range hands it (102 in an unsubscribed event).
    assert!(page.contains("centrifugo-disconnect (Custom application code, client stays disconnected): stop"), "4500");
    assert!(page.contains("centrifugo-disconnect (3014 StateInvalidated): refresh_token_then_reconnect"), "3014");
    assert!(page.contains("centrifuge-sdk-disconnected (0 DisconnectCalled): stop"), "disconnectCalled");
    assert!(page.contains("centrifugo-error (102 UnknownChannel)"), "102 read in the server's family");
    // One column per SDK the rows describe, and each row names the scenario that proves it.
    for sdk in ["centrifuge-js", "centrifuge-go", "centrifuge-python", "centrifuge-java"] {
        assert!(page.contains(&format!("<th scope=\"col\">{sdk}</th>")), "{sdk}");
    }
    assert!(page.contains("Proven by <code>centrifuge-js: API disconnect 4500 with a reason</code>"));
    assert!(page.contains("onDisconnected with the server&#39;s code."), "centrifuge-java's column");
    assert_eq!(page.matches("Differs on purpose").count(), 1);
}

/// The `/sdks` page prints the registry's `sdk_behaviour` rows and nothing else: another registry's
/// rows give another page, and a registry without rows has none.
#[tokio::test]
async fn the_sdks_page_is_the_registrys_rows() {
    let rows = "\nsdk_behaviour:\n  - situation: A made-up close\n    answer: {family: centrifugo-error, code: 101}\n    sdks:\n      centrifuge-go: Does something only this registry says.\n    proven_by:\n      - {sdk: centrifuge-go, scenario: invalid token}\n";
    let start = EMBEDDED_CODES_YAML.find("\nsdk_behaviour:").expect("the shipped registry has rows");
    let source = format!("{}{rows}", &EMBEDDED_CODES_YAML[..start]);
    let page = text(get(&app(Site::build(load_str("codes.yaml", &source).unwrap())), "/sdks").await).await;
    assert!(page.contains("A made-up close") && page.contains("Does something only this registry says."));
    assert!(page.contains("<th scope=\"col\">centrifuge-go</th>"));
    assert!(!page.contains("<th scope=\"col\">centrifuge-js</th>"), "no row describes centrifuge-js");
    assert!(!page.contains("3014"), "no row of the shipped registry is left");
    let without = &EMBEDDED_CODES_YAML[..start];
    let response = get(&app(Site::build(load_str("codes.yaml", without).unwrap())), "/sdks").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_forgives_typos_and_offers_the_corrected_query() {
    let app = app(embedded_site());
    let page = text(get(&app, "/search?q=invlaid%20tokn").await).await;
    let first = page.find("/codes/centrifugo-disconnect/3500").expect("3500 is found despite the typos");
    assert!(page.find("/codes/centrifugo-error/101").is_none_or(|other| first < other), "3500 ranks first");
    assert!(
        page.contains(r#"Did you mean <a id="suggestion-link" href="/search?q=invalid%20token">invalid token</a>?"#)
    );
    let api = text(get(&app, "/api/search?q=invlaid%20tokn").await).await;
    let json: serde_json::Value = serde_json::from_str(&api).expect("JSON");
    assert_eq!(json["suggestion"], "invalid token");
    assert_eq!(json["results"][0]["url"], "/codes/centrifugo-disconnect/3500");
    assert_eq!(json["results"][0]["tier"], "typo");
    // A query the registry answers as typed offers nothing, and the hidden paragraph stays hidden.
    let page = text(get(&app, "/search?q=invalid%20token").await).await;
    assert!(page.contains(r#"<p class="suggestion" id="suggestion" hidden>"#));
}

#[tokio::test]
async fn same_name_codes_name_their_family_and_link_each_other() {
    let app = app(embedded_site());
    let page = text(get(&app, "/search?q=insufficient%20state").await).await;
    for (url, family) in [
        ("/codes/centrifugo-disconnect/3010", "Centrifugo disconnect codes"),
        ("/codes/centrifugo-unsubscribe/2500", "Centrifugo unsubscribe codes"),
    ] {
        let link = format!(
            r#"<a href="{url}"><span class="number">{}</span> InsufficientState <span class="family">in {family}</span></a>"#,
            url.rsplit('/').next().unwrap()
        );
        assert!(page.contains(&link), "{link} in the results");
    }
    // A result whose name is its own keeps the family beside the link.
    let page = text(get(&app, "/search?q=3500").await).await;
    assert!(!page.contains(r#"<span class="family">"#));
    let code = text(get(&app, "/codes/centrifugo-disconnect/3010").await).await;
    assert!(code.contains(
        r#"<a href="/codes/centrifugo-unsubscribe/2500"><span class="number">2500</span> InsufficientState in Centrifugo unsubscribe codes</a>"#
    ));
    let code = text(get(&app, "/codes/centrifugo-disconnect/3500").await).await;
    assert!(!code.contains("Same name in other families"));
}

#[tokio::test]
async fn pages_describe_themselves_and_name_their_canonical_address_with_a_base_url() {
    // Without `doc_base_url` there is no canonical address to name, but every page is described.
    let plain = app(embedded_site());
    let page = text(get(&plain, "/codes/centrifugo-disconnect/3500").await).await;
    assert!(!page.contains("rel=\"canonical\""));
    assert!(page.contains("<meta name=\"description\" content=\"3500 InvalidToken: "), "{page}");
    assert!(page.contains("<meta property=\"og:title\" content=\"3500 InvalidToken\">"));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary\">"));

    let source = format!("doc_base_url: \"https://docs.example.com/errors\"\n{EMBEDDED_CODES_YAML}");
    let based = app(Site::build(load_str("codes.yaml", &source).expect("valid with a base URL")));
    for (path, canonical) in [
        ("/", "https://docs.example.com/errors/"),
        ("/families/centrifugo-error", "https://docs.example.com/errors/families/centrifugo-error"),
        ("/codes/centrifugo-error/109", "https://docs.example.com/errors/codes/centrifugo-error/109"),
        ("/codes/centrifugo-error/4321", "https://docs.example.com/errors/codes/centrifugo-error/4321"),
        ("/search?q=token", "https://docs.example.com/errors/search"),
    ] {
        let page = text(get(&based, path).await).await;
        assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")), "{path}");
        assert!(page.contains(&format!("<meta property=\"og:url\" content=\"{canonical}\">")), "{path}");
        let description =
            page.split("<meta name=\"description\" content=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!((20..=160).contains(&description.chars().count()), "{path}: {description}");
    }
}

#[tokio::test]
async fn registry_text_in_meta_tags_stays_text() {
    let app = app(hostile_site());
    let registry = load_str("hostile_markup.yaml", include_str!("fixtures/hostile_markup.yaml")).unwrap();
    for family in &registry.families {
        let page = text(get(&app, &format!("/families/{}", family.id)).await).await;
        let head = page.split("</head>").next().unwrap();
        for tag in tags(head) {
            assert!(!tag.starts_with("script") || tag.starts_with("script src=\"/static/"), "<{tag}>");
            assert!(!tag.starts_with("img"), "<{tag}>");
        }
        let description =
            head.split("<meta name=\"description\" content=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(!description.contains('<') && !description.contains('>'), "{description}");
    }
}

#[tokio::test]
async fn code_pages_show_the_code_as_it_arrives_and_examples_as_coloured_tabs() {
    let app = app(embedded_site());
    let html = text(get(&app, "/codes/centrifugo-error/111").await).await;
    let page = text_of(&html);
    assert!(page.contains("What you will see"));
    assert!(
        page.contains("{\"id\":1,\"error\":{\"code\":111,\"message\":\"too many requests\",\"temporary\":true}}"),
        "{page}"
    );
    // One tab per example, each pointing at its panel; hidden until the script makes them tabs.
    let tabs = html.matches("<button type=\"button\" class=\"tab\"").count();
    assert_eq!(tabs, html.matches("<div class=\"panel\" id=\"panel-").count());
    assert!(tabs >= 5 && html.contains("<div class=\"tabs\" data-tabs hidden>"));
    assert!(html.contains("<span class=\"tok-k\">"), "examples are coloured");
    // Wide code scrolls in a focusable, labelled region.
    assert!(html.contains("<pre tabindex=\"0\" role=\"group\" aria-label=\"Go example\">"));
    // Table rows and headings carry anchors.
    let family = text(get(&app, "/families/centrifugo-error").await).await;
    assert!(family.contains("<tr id=\"code-111\"") && family.contains("href=\"#code-111\""));
    assert!(html.contains("<a class=\"anchor\" href=\"#seen-heading\""));
}

#[tokio::test]
async fn the_404_page_points_at_the_ranges_the_export_classifies_with() {
    let site = embedded_site();
    let ranges_url = site.assets.ranges.clone();
    let app = app(site);
    let page = text(get(&app, "/no/such/page").await).await;
    assert!(page.contains(&format!("data-ranges=\"{ranges_url}\"")), "{page}");
    let ranges: serde_json::Value = serde_json::from_str(&text(get(&app, &ranges_url).await).await).unwrap();
    let family = ranges["families"].as_array().unwrap().iter().find(|f| f["id"] == "centrifugo-disconnect").unwrap();
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
    let model = registry.family("centrifugo-disconnect").unwrap();
    // The model's segments, one for one, with what the portal says about each.
    assert_eq!(family["ranges"].as_array().unwrap().len(), model.segments.len());
    let segment = model.segment_of(3999);
    let range = family["ranges"].as_array().unwrap().iter().find(|r| r["from"] == segment.from).unwrap();
    assert_eq!(range["label"], segment.label.as_str());
    assert_eq!(range["action"], segment.action.as_str());
    assert_eq!(range["advice"], segment.action.advice());
    assert!(family["codes"].as_array().unwrap().iter().any(|n| n == 3500));
    assert!(family["retired"].as_array().unwrap().iter().any(|r| r["number"] == 3002 && r["moved_to"] == 3500));
}

/// A registry of its own that uses a Disconnect push but names no SDK event: the portal says
/// nothing of the official SDKs, and its examples come from its own codes.
const PUSHED_ONLY: &str = r#"
families:
  - id: game-close
    title: Game close codes
    kind: websocket_close
    delivered_in: [close_frame, disconnect_push]
    description: |
      Codes a game server closes a session with.
    ranges:
      - from: 4000
        to: 4999
        scope: application
        label: The game's own code
        reconnect: false
    fallback:
      label: Anything else
      reconnect: true
    codes:
      - code: 4100
        name: MatchOver
        message: match over
        reconnect: false
        description: |
          The match ended.
        causes:
          - The last round finished
"#;

#[tokio::test]
async fn a_registry_without_sdk_events_gets_no_sdk_page_and_its_own_examples() {
    let pushed = app(Site::build(load_str("codes.yaml", PUSHED_ONLY).unwrap()));
    assert_eq!(get(&pushed, "/sdks").await.status(), StatusCode::NOT_FOUND);
    let home = text(get(&pushed, "/").await).await;
    assert!(!home.contains("href=\"/sdks\""), "no footer link to a page that does not exist");
    assert!(home.contains("placeholder=\"4100, match over…\""), "the search example is the registry's own code");
    let code = text(get(&pushed, "/codes/game-close/4100").await).await;
    assert!(!code.contains("/sdks") && !code.to_lowercase().contains("centrifug"));
    let missing = text(get(&pushed, "/no-such-page").await).await;
    assert!(missing.contains("href=\"/codes/4100\"") && !missing.contains("3500"));
    // The shipped registry keeps its page: its families say the SDKs report their codes.
    assert_eq!(get(&app(embedded_site()), "/sdks").await.status(), StatusCode::OK);
}
