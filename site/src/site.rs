//! Everything the portal serves for one registry, rendered once: pages, JSON, assets and the
//! search index, each as a [`Resource`] keyed by its URL path.

use std::collections::HashMap;

use codebook_model::{BackoffHint, Code, Family, Registry, ReleaseHistory, Segment};
use serde::Serialize;
use serde_json::{Value, json};

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
    pub search: SearchIndex,
    pub assets: AssetUrls,
    /// Every prebuilt response, by URL path.
    pub resources: HashMap<String, Resource>,
    /// The 404 page.
    pub not_found: Resource,
    /// The search page of the static export, whose results the browser fills in.
    pub search_shell: String,
    /// Rendered search answers of this registry (a reload builds a new site, so a new cache).
    pub search_cache: SearchCache,
    /// The lazily built brotli variants of every response above, bounded in bytes.
    pub brotli_cache: BrotliCache,
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

fn html(body: String) -> Resource {
    Resource::new(resource::HTML, resource::REVALIDATE, body)
}

fn json_resource(value: &impl Serialize) -> Resource {
    Resource::new(
        resource::JSON,
        resource::REVALIDATE,
        codebook_model::text::escape_unsafe_in_json(
            &serde_json::to_string(value).expect("serialising plain data cannot fail"),
        )
        .into_bytes(),
    )
}

/// One unit of startup rendering, producing responses keyed by path.
type Job<'a> = Box<dyn FnOnce() -> Vec<(String, Resource)> + Send + 'a>;

impl Site {
    /// The site of a registry without a recorded release history.
    pub fn build(registry: Registry) -> Site {
        Site::build_with_history(registry, ReleaseHistory::default())
    }

    /// The site of a registry and its releases: the changelog lists them, each code page says in
    /// which release the code came and last changed, every pair of releases has a comparison
    /// page, and `/changelog.atom` is their feed.
    pub fn build_with_history(registry: Registry, releases: ReleaseHistory) -> Site {
        let index_json = search_index_json(&registry);
        let app_js = format!("{SEARCH_JS}\n{PORTAL_JS}").into_bytes();
        let ranges_json = ranges_json(&registry);
        let assets = AssetUrls {
            css: hashed_url("style", "css", STYLE_CSS.as_bytes()),
            js: hashed_url("app", "js", &app_js),
            icon: hashed_url("icon", "svg", ICON_SVG.as_bytes()),
            index: hashed_url("search-index", "json", &index_json),
            sdks: pages::sdks_page_exists(&registry),
            ranges: hashed_url("ranges", "json", &ranges_json),
            base_url: registry.doc_base_url.clone(),
            example: pages::ExampleCode::of(&registry),
        };
        let shell = pages::SearchView {
            query: "",
            family: None,
            behaviour: None,
            action: None,
            results: &crate::search::Results::default(),
            client_rendered: true,
        };
        let search_shell = pages::search_page(&registry, &shell, &assets);
        let not_found = html(pages::not_found_page("There is no page at this address.", &assets));

        let assets_ref = &assets;
        let registry_ref = &registry;
        let releases_ref = &releases;
        // Codes that share a name across families link each other (3014 InsufficientState is a
        // Centrifugo disconnect and the SDKs' own disconnected code).
        let mut by_name: HashMap<&str, Vec<(&Family, &codebook_model::Code)>> = HashMap::new();
        for family in &registry.families {
            for code in family.codes_by_number() {
                by_name.entry(code.name.as_str()).or_default().push((family, code));
            }
        }
        let by_name = &by_name;
        // The largest jobs first, so the code pages fill in around them on every core.
        let mut jobs: Vec<Job<'_>> = vec![
            Box::new(move || {
                let api = RegistryJson {
                    families: registry_ref
                        .families
                        .iter()
                        .map(|family| FamilyJson {
                            id: &family.id,
                            title: &family.title,
                            kind: family.kind.as_str(),
                            description: &family.description,
                            codes: family
                                .codes_by_number()
                                .into_iter()
                                .map(|code| CodeJson::new(family, code))
                                .collect(),
                        })
                        .collect(),
                };
                vec![("/api/codes".to_string(), json_resource(&api))]
            }),
            Box::new(move || {
                vec![
                    (assets_ref.index.clone(), Resource::new(resource::JSON, resource::IMMUTABLE, index_json)),
                    (assets_ref.ranges.clone(), Resource::new(resource::JSON, resource::IMMUTABLE, ranges_json)),
                ]
            }),
            Box::new(move || {
                vec![
                    (assets_ref.css.clone(), Resource::new(resource::CSS, resource::IMMUTABLE, STYLE_CSS)),
                    (assets_ref.js.clone(), Resource::new(resource::JAVASCRIPT, resource::IMMUTABLE, app_js)),
                    (assets_ref.icon.clone(), Resource::new(resource::SVG, resource::IMMUTABLE, ICON_SVG)),
                    ("/".to_string(), html(pages::index_page(registry_ref, assets_ref))),
                    (
                        "/changelog".to_string(),
                        html(pages::changelog_page(
                            registry_ref,
                            crate::releases::releases_section(registry_ref, releases_ref),
                            !releases_ref.releases.is_empty(),
                            assets_ref,
                        )),
                    ),
                ]
                .into_iter()
                .chain(crate::releases::atom_feed(registry_ref, releases_ref).map(|feed| {
                    ("/changelog.atom".to_string(), Resource::new(resource::ATOM, resource::REVALIDATE, feed))
                }))
                .chain(
                    crate::releases::compare_pages(registry_ref, releases_ref, assets_ref)
                        .into_iter()
                        .map(|(url, page)| (url, html(page))),
                )
                .chain(pages::sdks_page(registry_ref, assets_ref).map(|page| ("/sdks".to_string(), html(page))))
                .collect()
            }),
        ];
        for family in &registry.families {
            jobs.push(Box::new(move || {
                vec![
                    (format!("/families/{}", family.id), html(pages::family_page(family, assets_ref))),
                    (
                        pages::handling_url(family),
                        html(pages::handling_page(&registry_ref.bindings, family, assets_ref)),
                    ),
                ]
            }));
        }
        for family in &registry.families {
            for code in &family.codes {
                jobs.push(Box::new(move || {
                    let also_in = by_name[code.name.as_str()]
                        .iter()
                        .filter(|(other, _)| other.id != family.id)
                        .map(|(other, other_code)| pages::AlsoIn::new(other, other_code))
                        .collect();
                    vec![
                        (
                            pages::code_url(family, code.number),
                            html(pages::code_page(
                                registry_ref,
                                family,
                                code,
                                also_in,
                                releases_ref.code_history(&family.id, code.number),
                                assets_ref,
                            )),
                        ),
                        (pages::api_code_url(family, code.number), json_resource(&CodeJson::new(family, code))),
                    ]
                }));
            }
        }
        let resources = run_on_every_core(jobs);
        let search = SearchIndex::new(&registry);
        // The build rendered and compressed on every core; each thread's allocator arena keeps
        // what it freed until asked to give it back.
        resource::return_freed_memory();
        Site {
            registry,
            search,
            assets,
            resources,
            not_found,
            search_shell,
            search_cache: SearchCache::default(),
            brotli_cache: BrotliCache::default(),
            releases,
        }
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.registry.family(id)
    }
}

/// Runs the rendering jobs on every core (rendering and compressing 10,000 code pages must still
/// take well under a second) and collects their responses.
fn run_on_every_core(jobs: Vec<Job<'_>>) -> HashMap<String, Resource> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let expected = jobs.len() * 2;
    let queue = std::sync::Mutex::new(jobs.into_iter());
    let next = || queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).next();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    while let Some(job) = next() {
                        out.extend(job());
                    }
                    out
                })
            })
            .collect();
        let mut resources = HashMap::with_capacity(expected);
        for worker in workers {
            resources.extend(worker.join().expect("rendering a page does not panic"));
        }
        resources
    })
}
