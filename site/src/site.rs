//! Everything the portal serves for one registry: pages, JSON, assets and the search index, each
//! as a [`Resource`] keyed by its URL path. The assets and the pages that do not grow with the
//! registry are rendered at build; the pages per code and per family ([`Page`]) too for a small
//! registry, else on their first request into a byte-bounded cache ([`Rendering`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use codebook_model::{BackoffHint, Code, Family, Registry, ReleaseHistory, Segment};
use serde::Serialize;
use serde_json::{Value, json};

use crate::bounded_cache::BoundedCache;
use crate::pages::{self, AssetUrls};
use crate::resource::{self, BrotliCache, Resource, content_hash};
use crate::search::SearchIndex;
use crate::search_cache::SearchCache;

const STYLE_CSS: &str = include_str!("../assets/style.css");
const SEARCH_JS: &str = include_str!("../assets/search.js");
const PORTAL_JS: &str = include_str!("../assets/portal.js");
const ICON_SVG: &str = include_str!("../assets/icon.svg");

pub struct Site {
    pub registry: Registry,
    /// Built with the site for serving ([`Site::build`]); an export never searches, so
    /// [`Site::build_for_export`] leaves it to be built on first use.
    search: OnceLock<SearchIndex>,
    pub assets: AssetUrls,
    /// The responses held for the site's life, by URL path: the assets, the home, changelog and
    /// SDK pages, and with [`Rendering::AtBuild`] every [`Page`].
    pub resources: HashMap<String, Arc<Resource>>,
    /// The 404 page.
    pub not_found: Resource,
    /// The search page of the static export, whose results the browser fills in.
    pub search_shell: String,
    /// Rendered search answers of this registry (a reload builds a new site, so a new cache).
    pub search_cache: SearchCache,
    /// The lazily built brotli variants of every response above, bounded in bytes.
    pub brotli_cache: BrotliCache,
    /// Pages rendered on request, bounded in bytes ([`PAGE_CACHE_BYTES`]).
    pages: BoundedCache<Page, Arc<Resource>>,
    /// Codes by name, for names that more than one family registers: `(family index, number)`.
    same_name: HashMap<String, Vec<(usize, u16)>>,
    rendering: Rendering,
    /// The registry's recorded releases (`CHANGELOG.md`), kept across reloads of the registry.
    pub releases: ReleaseHistory,
}

/// `/static/{stem}.{hash}.{extension}`: a new URL whenever the content changes.
fn hashed_url(stem: &str, extension: &str, body: &[u8]) -> String {
    format!("/static/{stem}.{}.{extension}", &content_hash(body)[..16])
}

/// A range segment as the JSON API shows it.
#[derive(Serialize)]
struct SegmentJson<'a> {
    from: u16,
    to: u16,
    scope: &'static str,
    behaviour: &'static str,
    label: &'a str,
}

impl<'a> SegmentJson<'a> {
    fn new(segment: &'a Segment) -> Self {
        SegmentJson {
            from: segment.from,
            to: segment.to,
            scope: segment.scope.as_str(),
            behaviour: segment.behaviour.as_str(),
            label: &segment.label,
        }
    }
}

/// A registered code as the JSON API shows it. Serialised straight from borrowed registry data:
/// building `serde_json::Value` trees for 10,000 codes would leave tens of MB of freed fragments.
#[derive(Serialize)]
struct CodeJson<'a> {
    family: &'a str,
    number: u16,
    registered: bool,
    name: &'a str,
    /// The exact text, or `null` when the sender builds it at run time.
    message: Option<&'a str>,
    /// What a text built at run time holds (absent for a fixed text).
    #[serde(skip_serializing_if = "Option::is_none")]
    message_varies: Option<&'a str>,
    /// Exact texts known for a varying text (absent for a fixed text).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    known_messages: &'a [String],
    behaviour: &'static str,
    description: &'a str,
    causes: &'a [String],
    local_only: bool,
    action: &'static str,
    backoff: Option<BackoffJson>,
    origin: &'static str,
    since: Option<&'a str>,
    deprecated: Option<&'a str>,
    doc_url: &'a str,
    /// The HTTP status the server answers with when it returns the code as a transport error.
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    /// The gRPC status then, as `{ "number": 5, "name": "NotFound" }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    grpc_status: Option<GrpcStatusJson>,
    /// The Prometheus counters that count the code (its family's), with the label holding it.
    #[serde(skip_serializing_if = "<[codebook_model::Metric]>::is_empty")]
    counted_by: &'a [codebook_model::Metric],
    range: SegmentJson<'a>,
    url: String,
}

#[derive(Serialize)]
struct GrpcStatusJson {
    number: u8,
    name: &'static str,
}

#[derive(Serialize)]
struct BackoffJson {
    min_ms: u32,
    max_ms: u32,
    jitter: &'static str,
    give_up_after_ms: Option<u32>,
}

impl BackoffJson {
    fn new(hint: &BackoffHint) -> Self {
        BackoffJson {
            min_ms: hint.min_ms,
            max_ms: hint.max_ms,
            jitter: hint.jitter.as_str(),
            give_up_after_ms: hint.give_up_after_ms,
        }
    }
}

impl<'a> CodeJson<'a> {
    fn new(family: &'a Family, code: &'a Code) -> Self {
        CodeJson {
            family: &family.id,
            number: code.number,
            registered: true,
            name: &code.name,
            message: code.message.fixed(),
            message_varies: code.message.varies(),
            known_messages: code.message.known(),
            behaviour: code.behaviour.as_str(),
            description: &code.description,
            causes: &code.causes,
            local_only: code.local_only,
            action: code.action.as_str(),
            backoff: code.backoff.as_ref().map(BackoffJson::new),
            origin: code.origin.as_str(),
            since: code.since.as_deref(),
            deprecated: code.deprecated.as_deref(),
            doc_url: &code.doc_url,
            http_status: code.http_status,
            grpc_status: code.grpc_status.map(|status| GrpcStatusJson { number: status.number(), name: status.name() }),
            counted_by: &family.metrics,
            range: SegmentJson::new(family.segment_of(code.number)),
            url: pages::code_url(family, code.number),
        }
    }
}

#[derive(Serialize)]
struct FamilyJson<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    description: &'a str,
    codes: Vec<CodeJson<'a>>,
}

#[derive(Serialize)]
struct RegistryJson<'a> {
    families: Vec<FamilyJson<'a>>,
}

/// What `/api/codes/{family}/{number}` says about a number `family` does not register.
pub fn unregistered_json(family: &Family, number: u16) -> Value {
    let classification = family.classify(number);
    json!({
        "family": family.id,
        "number": number,
        "registered": false,
        "behaviour": classification.behaviour.as_str(),
        "action": classification.segment.action.as_str(),
        "backoff": classification.segment.backoff.as_ref().map(BackoffJson::new),
        "range": SegmentJson::new(classification.segment),
        "retired": classification.retired.map(|retired| json!({"moved_to": retired.moved_to, "note": retired.note})),
        "summary": pages::unregistered_summary(family, number),
        "url": pages::code_url(family, number),
    })
}

#[derive(Serialize)]
struct IndexFamily<'a> {
    id: &'a str,
    title: &'a str,
    /// `[from, to, scope, behaviour, label, action]`
    segments: Vec<(u16, u16, &'static str, &'static str, &'a str, &'static str)>,
}

/// One code of the search index: `[family, number, name, message, behaviour, snake_name, text, action]`.
type IndexCode<'a> = (usize, u16, &'a str, &'a str, &'static str, &'a str, String, &'static str);

#[derive(Serialize)]
struct SearchIndexJson<'a> {
    /// The stemmer's suffixes and the typo rules, written once in `search.rs`.
    rules: &'static crate::search::Rules,
    families: Vec<IndexFamily<'a>>,
    codes: Vec<IndexCode<'a>>,
}

/// The compact index the browser searches: per code `[family, number, name, message, behaviour,
/// snake_name, text, action]`, where `text` is the normalised description and causes.
fn search_index_json(registry: &Registry) -> Vec<u8> {
    let families = registry
        .families
        .iter()
        .map(|family| IndexFamily {
            id: &family.id,
            title: &family.title,
            segments: family
                .segments
                .iter()
                .map(|s| (s.from, s.to, s.scope.as_str(), s.behaviour.as_str(), s.label.as_str(), s.action.as_str()))
                .collect(),
        })
        .collect();
    let mut codes = Vec::with_capacity(registry.code_count());
    for (index, family) in registry.families.iter().enumerate() {
        for code in family.codes_by_number() {
            codes.push((
                index,
                code.number,
                code.name.as_str(),
                crate::search::message_key(code),
                code.behaviour.as_str(),
                code.names.snake.as_str(),
                crate::search::normalize(&crate::search::searchable_text(code)),
                code.action.as_str(),
            ));
        }
    }
    serde_json::to_vec(&SearchIndexJson { rules: &crate::search::RULES, families, codes })
        .expect("serialising plain data cannot fail")
}

/// One range of a family as the 404 page reads it: what an unregistered number in it means.
#[derive(Serialize)]
struct RangeJson<'a> {
    from: u16,
    to: u16,
    scope: &'static str,
    behaviour: &'static str,
    label: &'a str,
    action: &'static str,
    advice: &'static str,
    backoff: Option<String>,
}

#[derive(Serialize)]
struct RetiredJson<'a> {
    number: u16,
    moved_to: Option<u16>,
    note: &'a str,
}

#[derive(Serialize)]
struct FamilyRangesJson<'a> {
    id: &'a str,
    title: &'a str,
    /// Registered numbers, so that the page never explains one of them as unregistered.
    codes: Vec<u16>,
    ranges: Vec<RangeJson<'a>>,
    retired: Vec<RetiredJson<'a>>,
}

/// `/static/ranges.{hash}.json`: every family's segments (the model's flattened, gap-free list),
/// retired numbers and registered numbers. The 404 page of the static export classifies
/// `/codes/{family}/{number}` from it in the browser, with the same words as the live portal's
/// number page; the browser only looks a number up in the segments, it derives no rule.
fn ranges_json(registry: &Registry) -> Vec<u8> {
    let families: Vec<FamilyRangesJson<'_>> = registry
        .families
        .iter()
        .map(|family| FamilyRangesJson {
            id: &family.id,
            title: &family.title,
            codes: family.codes_by_number().iter().map(|code| code.number).collect(),
            ranges: family
                .segments
                .iter()
                .map(|segment| RangeJson {
                    from: segment.from,
                    to: segment.to,
                    scope: segment.scope.as_str(),
                    behaviour: segment.behaviour.as_str(),
                    label: &segment.label,
                    action: segment.action.as_str(),
                    advice: segment.action.advice(),
                    backoff: segment.backoff.as_ref().map(BackoffHint::describe),
                })
                .collect(),
            retired: family
                .retired
                .iter()
                .map(|retired| RetiredJson { number: retired.number, moved_to: retired.moved_to, note: &retired.note })
                .collect(),
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "families": families })).expect("serialising plain data cannot fail")
}

/// A response that exists once per code or per family (and `/api/codes`, which grows with
/// them): rendered at build for a small registry, else on its first request and kept in the
/// site's bounded page cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// `/api/codes`: every code as JSON.
    ApiCodes,
    /// `/families/{family}`, by family index.
    Family(usize),
    /// `/handling/{family}`, by family index.
    Handling(usize),
    /// `/codes/{family}/{number}` of a registered code.
    Code(usize, u16),
    /// `/api/codes/{family}/{number}` of a registered code.
    CodeJson(usize, u16),
}

impl Page {
    /// Whether the page is JSON (else HTML).
    pub fn is_json(self) -> bool {
        matches!(self, Page::ApiCodes | Page::CodeJson(..))
    }
}

/// When the pages that grow with the registry are rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendering {
    /// Every page at build, held for the site's life: the fastest answers, for small registries.
    AtBuild,
    /// On the first request, then kept in the byte-bounded page cache: start and memory stay
    /// small for any registry.
    OnRequest,
}

/// Registries of at most this many codes are rendered at build ([`Rendering::AtBuild`]): the
/// shipped one takes a few milliseconds; 100,000 codes took a minute and 374 MB
/// (BENCHMARKS.md, "Portal at 100,000 codes").
pub const RENDER_AT_BUILD_MAX_CODES: usize = 2_000;

/// Most bytes of pages rendered on request that a site keeps (each counted with every variant
/// it can come to hold: about 2,000 code pages); entries are CLOCK-evicted like the other
/// caches. A page rendered again costs about 0.1 ms of CPU.
pub const PAGE_CACHE_BYTES: usize = 16 * 1024 * 1024;
/// Most pages kept (the byte bound is the one that binds).
const PAGE_CACHE_ENTRIES: usize = 1 << 20;
/// Bookkeeping counted per cached page: map and queue slots, the `Arc`, the headers.
const PAGE_ENTRY_OVERHEAD: usize = 256;

/// Where [`Site::lookup`] found a path.
pub enum Lookup {
    /// A response held for the site's life or found in the page cache.
    Held(Arc<Resource>),
    /// A page to render ([`Site::render_and_keep`]); handlers do it off the async workers.
    Render(Page),
    /// No page has that address.
    Missing,
}

impl Rendering {
    /// [`Rendering::AtBuild`] for registries up to [`RENDER_AT_BUILD_MAX_CODES`].
    pub fn for_registry(registry: &Registry) -> Rendering {
        if registry.code_count() <= RENDER_AT_BUILD_MAX_CODES { Rendering::AtBuild } else { Rendering::OnRequest }
    }
}

fn json_body(value: &impl Serialize) -> Vec<u8> {
    codebook_model::text::escape_unsafe_in_json(
        &serde_json::to_string(value).expect("serialising plain data cannot fail"),
    )
    .into_bytes()
}

impl Site {
    /// The site of a registry without a recorded release history.
    pub fn build(registry: Registry) -> Site {
        Site::build_with_history(registry, ReleaseHistory::default())
    }

    /// The site of a registry and its releases, rendered as [`Rendering::for_registry`] chooses:
    /// the changelog lists the releases, each code page says in which release the code came and
    /// last changed, every pair of releases has a comparison page, and `/changelog.atom` is their
    /// feed.
    pub fn build_with_history(registry: Registry, releases: ReleaseHistory) -> Site {
        let rendering = Rendering::for_registry(&registry);
        Site::build_with(registry, releases, rendering)
    }

    pub fn build_with(registry: Registry, releases: ReleaseHistory, rendering: Rendering) -> Site {
        if rendering == Rendering::OnRequest {
            resource::map_large_buffers_apart();
        }
        let (parts, search) = std::thread::scope(|scope| {
            // The search index is the largest part of a large registry's build: it is built on a
            // thread of its own while the assets and the small pages are rendered.
            let search = scope.spawn(|| SearchIndex::new(&registry));
            let parts = Parts::build(&registry, &releases, rendering);
            (parts, search.join().expect("building the search index does not panic"))
        });
        Site::assemble(registry, releases, rendering, parts, OnceLock::from(search))
    }

    /// The site for `site export`: pages rendered as the export writes them, and no search index
    /// (the export's search runs in the browser on the index JSON); at 100,000 codes the index
    /// is 1.6 s of CPU and 78 MB.
    pub fn build_for_export(registry: Registry, releases: ReleaseHistory) -> Site {
        let rendering = Rendering::for_registry(&registry);
        let parts = Parts::build(&registry, &releases, rendering);
        Site::assemble(registry, releases, rendering, parts, OnceLock::new())
    }

    /// The search index, built now if the site was built without it.
    pub fn search(&self) -> &SearchIndex {
        self.search.get_or_init(|| SearchIndex::new(&self.registry))
    }

    fn assemble(
        registry: Registry,
        releases: ReleaseHistory,
        rendering: Rendering,
        parts: Parts,
        search: OnceLock<SearchIndex>,
    ) -> Site {
        // The build rendered and compressed on several threads; each thread's allocator arena
        // keeps what it freed until asked to give it back.
        resource::return_freed_memory();
        Site {
            registry,
            search,
            assets: parts.assets,
            resources: parts.resources,
            not_found: parts.not_found,
            search_shell: parts.search_shell,
            search_cache: SearchCache::default(),
            brotli_cache: BrotliCache::default(),
            pages: BoundedCache::new(PAGE_CACHE_ENTRIES, PAGE_CACHE_BYTES, |_, resource: &Arc<Resource>| {
                resource.max_bytes() + PAGE_ENTRY_OVERHEAD
            }),
            same_name: parts.same_name,
            rendering,
            releases,
        }
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.registry.family(id)
    }

    fn family_index(registry: &Registry, id: &str) -> Option<usize> {
        registry.families.iter().position(|family| family.id == id)
    }

    /// How this site renders the pages that grow with the registry.
    pub fn rendering(&self) -> Rendering {
        self.rendering
    }

    /// The page at `path`, if a page that grows with the registry has that address (only the
    /// canonical spelling: `/codes/x/03500` is not one).
    pub fn page_at(&self, path: &str) -> Option<Page> {
        page_at(&self.registry, path)
    }

    /// The response at `path`: held, cached, or to be rendered.
    pub fn lookup(&self, path: &str) -> Lookup {
        if let Some(resource) = self.resources.get(path) {
            return Lookup::Held(Arc::clone(resource));
        }
        match self.page_at(path) {
            Some(page) => match self.pages.get(&page) {
                Some(resource) => Lookup::Held(resource),
                None => Lookup::Render(page),
            },
            None => Lookup::Missing,
        }
    }

    /// Renders `page` and keeps it in the page cache (or returns the copy another request kept
    /// first).
    pub fn render_and_keep(&self, page: Page) -> Arc<Resource> {
        let (content_type, body) = self.render(page);
        self.brotli_cache.built_one();
        self.pages.insert(page, Arc::new(Resource::cached(content_type, resource::REVALIDATE, body)))
    }

    /// The response at `path`, rendered here when needed (tests and tools; the handlers render
    /// off the async workers).
    pub fn resource(&self, path: &str) -> Option<Arc<Resource>> {
        match self.lookup(path) {
            Lookup::Held(resource) => Some(resource),
            Lookup::Render(page) => Some(self.render_and_keep(page)),
            Lookup::Missing => None,
        }
    }

    /// Pages and counted bytes held in the page cache now.
    pub fn page_cache_usage(&self) -> (usize, usize) {
        self.pages.usage()
    }

    /// Every page that grows with the registry with its path, rendered now and not kept: what
    /// the static export writes besides [`Site::resources`] when pages are rendered on request.
    pub fn pages_to_render(&self) -> Vec<(String, Page)> {
        if self.rendering == Rendering::AtBuild {
            return Vec::new();
        }
        all_pages(&self.registry).map(|page| (page_path(&self.registry, page), page)).collect()
    }

    /// The content type and uncompressed bytes of `page`.
    pub fn render(&self, page: Page) -> (&'static str, Vec<u8>) {
        render_page(&self.registry, &self.releases, &self.assets, &self.same_name, page)
    }
}

/// What a build renders besides the registry and the search index.
struct Parts {
    assets: AssetUrls,
    resources: HashMap<String, Arc<Resource>>,
    not_found: Resource,
    search_shell: String,
    same_name: HashMap<String, Vec<(usize, u16)>>,
}

impl Parts {
    fn build(registry: &Registry, releases: &ReleaseHistory, rendering: Rendering) -> Parts {
        let index_json = search_index_json(registry);
        let app_js = format!("{SEARCH_JS}\n{PORTAL_JS}").into_bytes();
        let ranges_json = ranges_json(registry);
        let assets = AssetUrls {
            css: hashed_url("style", "css", STYLE_CSS.as_bytes()),
            js: hashed_url("app", "js", &app_js),
            icon: hashed_url("icon", "svg", ICON_SVG.as_bytes()),
            index: hashed_url("search-index", "json", &index_json),
            sdks: pages::sdks_page_exists(registry),
            ranges: hashed_url("ranges", "json", &ranges_json),
            base_url: registry.doc_base_url.clone(),
            example: pages::ExampleCode::of(registry),
        };
        let shell = pages::SearchView {
            query: "",
            family: None,
            behaviour: None,
            action: None,
            results: &crate::search::Results::default(),
            client_rendered: true,
        };
        let search_shell = pages::search_page(registry, &shell, &assets);
        let not_found = html(pages::not_found_page("There is no page at this address.", &assets));
        // Codes that share a name across families link each other (3014 InsufficientState is a
        // Centrifugo disconnect and the SDKs' own disconnected code).
        let mut by_name: HashMap<&str, Vec<(usize, u16)>> = HashMap::new();
        for (index, family) in registry.families.iter().enumerate() {
            for code in &family.codes {
                by_name.entry(code.name.as_str()).or_default().push((index, code.number));
            }
        }
        let same_name: HashMap<String, Vec<(usize, u16)>> = by_name
            .into_iter()
            .filter(|(_, codes)| codes.len() > 1)
            .map(|(name, codes)| (name.to_string(), codes))
            .collect();
        let mut resources: Vec<(String, Resource)> = vec![
            (assets.index.clone(), Resource::new(resource::JSON, resource::IMMUTABLE, index_json)),
            (assets.ranges.clone(), Resource::new(resource::JSON, resource::IMMUTABLE, ranges_json)),
            (assets.css.clone(), Resource::new(resource::CSS, resource::IMMUTABLE, STYLE_CSS)),
            (assets.js.clone(), Resource::new(resource::JAVASCRIPT, resource::IMMUTABLE, app_js)),
            (assets.icon.clone(), Resource::new(resource::SVG, resource::IMMUTABLE, ICON_SVG)),
            ("/".to_string(), html(pages::index_page(registry, &assets))),
            (
                "/changelog".to_string(),
                html(pages::changelog_page(
                    registry,
                    crate::releases::releases_section(registry, releases),
                    !releases.releases.is_empty(),
                    &assets,
                )),
            ),
        ];
        if let Some(feed) = crate::releases::atom_feed(registry, releases) {
            resources.push(("/changelog.atom".to_string(), Resource::new(resource::ATOM, resource::REVALIDATE, feed)));
        }
        resources.extend(
            crate::releases::compare_pages(registry, releases, &assets)
                .into_iter()
                .map(|(url, page)| (url, html(page))),
        );
        if let Some(page) = pages::sdks_page(registry, &assets) {
            resources.push(("/sdks".to_string(), html(page)));
        }
        let mut parts = Parts {
            assets,
            resources: resources.into_iter().map(|(path, resource)| (path, Arc::new(resource))).collect(),
            not_found,
            search_shell,
            same_name,
        };
        if rendering == Rendering::AtBuild {
            let rendered = run_on_every_core(registry, releases, &parts, all_pages(registry).collect());
            parts.resources.extend(rendered.into_iter().map(|(path, resource)| (path, Arc::new(resource))));
        }
        parts
    }
}

fn html(body: String) -> Resource {
    Resource::new(resource::HTML, resource::REVALIDATE, body)
}

/// Every page that grows with the registry, largest first (so that rendering them on every core
/// ends with the small ones filling in).
fn all_pages(registry: &Registry) -> impl Iterator<Item = Page> + '_ {
    let families = registry.families.iter().enumerate();
    std::iter::once(Page::ApiCodes)
        .chain(families.clone().flat_map(|(index, _)| [Page::Family(index), Page::Handling(index)]))
        .chain(families.flat_map(|(index, family)| {
            family
                .codes
                .iter()
                .flat_map(move |code| [Page::Code(index, code.number), Page::CodeJson(index, code.number)])
        }))
}

fn page_path(registry: &Registry, page: Page) -> String {
    match page {
        Page::ApiCodes => "/api/codes".to_string(),
        Page::Family(index) => format!("/families/{}", registry.families[index].id),
        Page::Handling(index) => pages::handling_url(&registry.families[index]),
        Page::Code(index, number) => pages::code_url(&registry.families[index], number),
        Page::CodeJson(index, number) => pages::api_code_url(&registry.families[index], number),
    }
}

fn page_at(registry: &Registry, path: &str) -> Option<Page> {
    if path == "/api/codes" {
        return Some(Page::ApiCodes);
    }
    if let Some(id) = path.strip_prefix("/families/") {
        return Site::family_index(registry, id).map(Page::Family);
    }
    if let Some(id) = path.strip_prefix("/handling/") {
        return Site::family_index(registry, id).map(Page::Handling);
    }
    let (json, rest) = match path.strip_prefix("/api/codes/") {
        Some(rest) => (true, rest),
        None => (false, path.strip_prefix("/codes/")?),
    };
    let (id, number_text) = rest.split_once('/')?;
    let family = Site::family_index(registry, id)?;
    let number: u16 = number_text.parse().ok()?;
    if number.to_string() != number_text || registry.families[family].code(number).is_none() {
        return None;
    }
    Some(if json { Page::CodeJson(family, number) } else { Page::Code(family, number) })
}

/// The content type and bytes of `page`; `same_name` holds the codes whose name another family
/// registers too (see [`Parts`]).
fn render_page(
    registry: &Registry,
    releases: &ReleaseHistory,
    assets: &AssetUrls,
    same_name: &HashMap<String, Vec<(usize, u16)>>,
    page: Page,
) -> (&'static str, Vec<u8>) {
    match page {
        Page::ApiCodes => {
            let api = RegistryJson {
                families: registry
                    .families
                    .iter()
                    .map(|family| FamilyJson {
                        id: &family.id,
                        title: &family.title,
                        kind: family.kind.as_str(),
                        description: &family.description,
                        codes: family.codes_by_number().into_iter().map(|code| CodeJson::new(family, code)).collect(),
                    })
                    .collect(),
            };
            (resource::JSON, json_body(&api))
        }
        Page::Family(index) => (resource::HTML, pages::family_page(&registry.families[index], assets).into_bytes()),
        Page::Handling(index) => {
            (resource::HTML, pages::handling_page(&registry.bindings, &registry.families[index], assets).into_bytes())
        }
        Page::Code(index, number) => {
            let family = &registry.families[index];
            let code = family.code(number).expect("a page names a registered code");
            let also_in = same_name
                .get(code.name.as_str())
                .into_iter()
                .flatten()
                .filter(|(other, _)| *other != index)
                .filter_map(|&(other, other_number)| {
                    let other = &registry.families[other];
                    other.code(other_number).map(|other_code| pages::AlsoIn::new(other, other_code))
                })
                .collect();
            let history = releases.code_history(&family.id, code.number);
            (resource::HTML, pages::code_page(registry, family, code, also_in, history, assets).into_bytes())
        }
        Page::CodeJson(index, number) => {
            let family = &registry.families[index];
            let code = family.code(number).expect("a page names a registered code");
            (resource::JSON, json_body(&CodeJson::new(family, code)))
        }
    }
}

/// Renders `pages` on every core (rendering and compressing 2,000 code pages stays well under a
/// second) and returns them by path, each with its variants.
fn run_on_every_core(
    registry: &Registry,
    releases: &ReleaseHistory,
    parts: &Parts,
    pages: Vec<Page>,
) -> Vec<(String, Resource)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    while let Some(&page) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let (content_type, body) =
                            render_page(registry, releases, &parts.assets, &parts.same_name, page);
                        out.push((page_path(registry, page), Resource::new(content_type, resource::REVALIDATE, body)));
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().expect("rendering a page does not panic")).collect()
    })
}
