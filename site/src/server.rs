//! The HTTP side: one [`router`] over the current [`Site`], small handlers that look up held or
//! cached responses (rendering a missing page off the async workers), and a guard that adds the security headers to every answer.

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::pages::{self, SearchView};
use crate::resource::{self, Resource};
use crate::search::{Filters, parse_action, parse_behaviour};
use crate::search_cache::{Answer, Key};
use crate::site::{Lookup, Site, unregistered_json};

/// Longest request target accepted; a search query needs far less.
pub const MAX_URI_BYTES: usize = 4096;
/// Longest query searched, in characters; the rest is ignored.
pub use crate::search::MAX_QUERY_CHARS;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What handlers share: the current site, swapped whole when the registry is reloaded.
#[derive(Clone)]
pub struct AppState {
    pub site: Arc<ArcSwap<Site>>,
}

impl AppState {
    pub fn new(site: Site) -> Self {
        AppState { site: Arc::new(ArcSwap::from_pointee(site)) }
    }

    /// Replaces the site atomically; requests in flight finish on the old one.
    pub fn replace(&self, site: Site) {
        self.site.store(Arc::new(site));
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(prebuilt))
        .route("/healthz", get(healthz))
        .route("/families/{family}", get(prebuilt))
        .route("/changelog", get(prebuilt))
        .route("/changelog.atom", get(prebuilt))
        .route("/changelog/compare/{range}", get(prebuilt))
        .route("/sdks", get(prebuilt))
        .route("/handling/{family}", get(prebuilt))
        .route("/codes/{code}", get(code_by_number))
        .route("/codes/{family}/{code}", get(code_in_family))
        .route("/search", get(search_page))
        .route("/api/codes", get(prebuilt))
        .route("/api/codes.json", get(api_codes_json))
        .route("/api/codes/{family}/{code}", get(api_code))
        .route("/api/search", get(api_search))
        .route("/static/{file}", get(prebuilt))
        .fallback(fallback)
        .layer(middleware::from_fn(guard))
        .with_state(state)
}

/// Rejects oversized request targets and puts the security headers on every response.
async fn guard(request: Request, next: Next) -> Response {
    let target_len = request.uri().path_and_query().map_or(0, |target| target.as_str().len());
    let mut response = if target_len > MAX_URI_BYTES {
        (StatusCode::URI_TOO_LONG, "request target too long\n").into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Pages, JSON and assets by path: held since startup, found in the page cache, or rendered now.
/// (The whole request is taken, rather than a `HeaderMap`, because that extractor clones every
/// header.)
async fn prebuilt(State(state): State<AppState>, request: Request) -> Response {
    let site = state.site.load_full();
    match page_response(&site, request.uri().path(), request.headers()).await {
        Some(response) => response,
        None => not_found(&site, request.headers()),
    }
}

/// The answer for the page at `path`, or `None` when no page has that address. A page that is
/// neither held nor cached is rendered on tokio's blocking pool (a family page or `/api/codes` of
/// a large registry takes milliseconds to seconds) and kept in the site's page cache.
async fn page_response(site: &Arc<Site>, path: &str, headers: &HeaderMap) -> Option<Response> {
    let resource = match site.lookup(path) {
        Lookup::Held(resource) => resource,
        Lookup::Render(page) => {
            let rendering = Arc::clone(site);
            match off_the_runtime(move || rendering.render_and_keep(page)).await {
                Some(resource) => resource,
                None => return Some(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
            }
        }
        Lookup::Missing => return None,
    };
    Some(resource.respond(headers, StatusCode::OK, &site.brotli_cache))
}

fn not_found(site: &Site, headers: &HeaderMap) -> Response {
    site.not_found.respond(headers, StatusCode::NOT_FOUND, &site.brotli_cache)
}

/// A 404 page that says what was wrong with the address.
fn not_found_because(site: &Site, message: String) -> Response {
    (StatusCode::NOT_FOUND, Html(pages::not_found_page(message, &site.assets))).into_response()
}

async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let site = state.site.load();
    // `/families/x/` as a static host serves it: send it to the canonical address.
    let path = request.uri().path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        if site.resources.contains_key(trimmed) || site.page_at(trimmed).is_some() || trimmed == "/search" {
            let target = match request.uri().query() {
                Some(query) => format!("{trimmed}?{query}"),
                None => trimmed.to_string(),
            };
            return Redirect::permanent(&target).into_response();
        }
    }
    not_found(&site, request.headers())
}

/// Parses the code number of a path; `None` when it is not one (see [`not_a_number`]).
fn parse_number(text: &str) -> Option<u16> {
    text.parse::<u16>().ok()
}

/// The 404 page for a path segment that is not a code number.
fn not_a_number(site: &Site, text: &str) -> Response {
    not_found_because(
        site,
        format!("“{}” is not a code number: codes are whole numbers from 0 to 65535.", truncate(text, 40)),
    )
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

fn unknown_family(site: &Site, id: &str) -> Response {
    let known: Vec<&str> = site.registry.families.iter().map(|family| family.id.as_str()).collect();
    not_found_because(site, format!("There is no family “{}”. Families: {}.", truncate(id, 60), known.join(", ")))
}

async fn code_in_family(State(state): State<AppState>, request: Request) -> Response {
    let site = state.site.load_full();
    // Fast path, before any decoding: a registered code's canonical address is its page's key.
    if let Some(response) = page_response(&site, request.uri().path(), request.headers()).await {
        return response;
    }
    let (mut parts, _) = request.into_parts();
    let (family_id, code) = match Path::<(String, String)>::from_request_parts(&mut parts, &state).await {
        Ok(Path(params)) => params,
        Err(rejection) => return rejection.into_response(),
    };
    let headers = &parts.headers;
    let Some(family) = site.family(&family_id) else { return unknown_family(&site, &family_id) };
    let Some(number) = parse_number(&code) else { return not_a_number(&site, &code) };
    match page_response(&site, &pages::code_url(family, number), headers).await {
        Some(response) => response,
        None => Html(pages::number_page(&site.registry.bindings, family, number, &site.assets)).into_response(),
    }
}

async fn code_by_number(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let site = state.site.load();
    let Some(number) = parse_number(&code) else { return not_a_number(&site, &code) };
    let mut owners = site.registry.families.iter().filter(|family| family.code(number).is_some());
    match (owners.next(), owners.next()) {
        (Some(family), None) => Redirect::temporary(&pages::code_url(family, number)).into_response(),
        _ => Html(pages::candidates_page(&site.registry, number, &site.assets)).into_response(),
    }
}

/// `/api/codes.json`, the export's file name of `/api/codes`.
async fn api_codes_json(State(state): State<AppState>, request: Request) -> Response {
    let site = state.site.load_full();
    match page_response(&site, "/api/codes", request.headers()).await {
        Some(response) => response,
        None => not_found(&site, request.headers()),
    }
}

async fn api_code(
    State(state): State<AppState>,
    Path((family_id, code)): Path<(String, String)>,
    request: Request,
) -> Response {
    let site = state.site.load_full();
    let headers = request.headers();
    let Some(family) = site.family(&family_id) else {
        return (StatusCode::NOT_FOUND, Json(json!({"error": format!("no family {:?}", truncate(&family_id, 60))})))
            .into_response();
    };
    let code = code.strip_suffix(".json").unwrap_or(&code);
    let Ok(number) = code.parse::<u16>() else {
        return (StatusCode::NOT_FOUND, Json(json!({"error": "codes are whole numbers from 0 to 65535"})))
            .into_response();
    };
    match page_response(&site, &pages::api_code_url(family, number), headers).await {
        Some(response) => response,
        None => Json(unregistered_json(family, number)).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    family: String,
    #[serde(default)]
    behaviour: String,
    #[serde(default)]
    action: String,
}

impl SearchParams {
    fn query(&self) -> String {
        truncate(&self.q, MAX_QUERY_CHARS)
    }

    fn filters(&self) -> Filters {
        Filters {
            family: Some(self.family.trim()).filter(|id| !id.is_empty()).map(str::to_string),
            behaviour: parse_behaviour(self.behaviour.trim()),
            action: parse_action(self.action.trim()),
        }
    }
}

/// The cached answer to a search, or on a miss the key to render and store it under.
/// (A malformed query string is the rare path, so its response travels boxed.)
fn cached_search(site: &Site, answer: Answer, request: &Request) -> Result<Result<Arc<Resource>, Key>, Box<Response>> {
    let Query(params) =
        Query::<SearchParams>::try_from_uri(request.uri()).map_err(|rejection| Box::new(rejection.into_response()))?;
    let key = Key { answer, query: params.query(), filters: params.filters() };
    Ok(match site.search_cache.get(&key) {
        Some(resource) => Ok(resource),
        None => Err(key),
    })
}

async fn search_page(State(state): State<AppState>, request: Request) -> Response {
    let site = state.site.load_full();
    let key = match cached_search(&site, Answer::Page, &request) {
        Err(rejection) => return *rejection,
        Ok(Ok(resource)) => return resource.respond(request.headers(), StatusCode::OK, &site.brotli_cache),
        Ok(Err(miss)) => miss,
    };
    let rendering = Arc::clone(&site);
    let page = off_the_runtime(move || {
        let site = rendering;
        let results = site.search().search(&site.registry, &key.query, &key.filters);
        let view = SearchView {
            query: &key.query,
            family: key.filters.family.as_deref(),
            behaviour: key.filters.behaviour,
            action: key.filters.action,
            results: &results,
            client_rendered: false,
        };
        let page = Resource::new(
            resource::HTML,
            resource::REVALIDATE,
            pages::search_page(&site.registry, &view, &site.assets),
        );
        site.search_cache.insert(key, page)
    })
    .await;
    match page {
        Some(page) => page.respond(request.headers(), StatusCode::OK, &site.brotli_cache),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Runs a search on tokio's blocking pool, so that ranking a query never holds up the runtime's
/// workers (and with them `/healthz` and every prebuilt page). `None` if the task panicked.
async fn off_the_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(work).await.ok()
}

async fn api_search(State(state): State<AppState>, request: Request) -> Response {
    let site = state.site.load_full();
    let key = match cached_search(&site, Answer::Api, &request) {
        Err(rejection) => return *rejection,
        Ok(Ok(resource)) => return resource.respond(request.headers(), StatusCode::OK, &site.brotli_cache),
        Ok(Err(miss)) => miss,
    };
    let rendering = Arc::clone(&site);
    let answer = off_the_runtime(move || {
        let site = rendering;
        let results = site.search().search(&site.registry, &key.query, &key.filters);
        let hits: Vec<_> = results
            .hits
            .iter()
            .map(|hit| {
                let family = &site.registry.families[hit.family];
                let code = &family.codes[hit.code];
                json!({
                    "family": family.id,
                    "family_title": family.title,
                    "number": code.number,
                    "name": code.name,
                    "message": code.message,
                    "behaviour": code.behaviour.as_str(),
                    "tier": hit.tier,
                    "url": pages::code_url(family, code.number),
                })
            })
            .collect();
        let notes: Vec<_> = results
            .notes
            .iter()
            .map(|note| unregistered_json(&site.registry.families[note.family], note.number))
            .collect();
        let body = serde_json::to_vec(
            &json!({"query": key.query, "results": hits, "notes": notes, "suggestion": results.suggestion}),
        )
        .expect("serialising plain data cannot fail");
        site.search_cache.insert(key, Resource::new(resource::JSON, resource::REVALIDATE, body))
    })
    .await;
    match answer {
        Some(answer) => answer.respond(request.headers(), StatusCode::OK, &site.brotli_cache),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
