//! Everything the portal serves for one registry, rendered once: pages, JSON, assets and the
//! search index, each as a [`Resource`] keyed by its URL path.

use std::collections::HashMap;

use codebook_model::{Code, Family, Registry, Segment};
use serde_json::{Value, json};

use crate::pages::{self, AssetUrls};
use crate::resource::{self, Resource, content_hash};
use crate::search::SearchIndex;

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
}

/// `/static/{stem}.{hash}.{extension}`: a new URL whenever the content changes.
fn hashed_url(stem: &str, extension: &str, body: &[u8]) -> String {
    format!("/static/{stem}.{}.{extension}", &content_hash(body)[..16])
}

fn segment_json(segment: &Segment) -> Value {
    json!({
        "from": segment.from,
        "to": segment.to,
        "scope": segment.scope.as_str(),
        "behaviour": segment.behaviour.as_str(),
        "label": segment.label,
    })
}

fn code_json(family: &Family, code: &Code) -> Value {
    json!({
        "family": family.id,
        "number": code.number,
        "registered": true,
        "name": code.name,
        "message": code.message,
        "behaviour": code.behaviour.as_str(),
        "description": code.description,
        "causes": code.causes,
        "local_only": code.local_only,
        "range": segment_json(family.segment_of(code.number)),
        "url": pages::code_url(family, code.number),
    })
}

/// What `/api/codes/{family}/{number}` says about a number `family` does not register.
pub fn unregistered_json(family: &Family, number: u16) -> Value {
    let classification = family.classify(number);
    json!({
        "family": family.id,
        "number": number,
        "registered": false,
        "behaviour": classification.behaviour.as_str(),
        "range": segment_json(classification.segment),
        "retired": classification.retired.map(|retired| json!({"moved_to": retired.moved_to, "note": retired.note})),
        "summary": pages::unregistered_summary(family, number),
        "url": pages::code_url(family, number),
    })
}

/// The compact index the browser searches: per code `[family, number, name, message, behaviour,
/// snake_name, text]`, where `text` is the normalised description and causes.
fn search_index_json(registry: &Registry) -> String {
    let families: Vec<Value> = registry
        .families
        .iter()
        .map(|family| {
            let segments: Vec<Value> = family
                .segments
                .iter()
                .map(|s| json!([s.from, s.to, s.scope.as_str(), s.behaviour.as_str(), s.label]))
                .collect();
            json!({"id": family.id, "title": family.title, "segments": segments})
        })
        .collect();
    let mut codes = Vec::with_capacity(registry.code_count());
    for (index, family) in registry.families.iter().enumerate() {
        for code in family.codes_by_number() {
            let mut text = code.description.clone();
            for cause in &code.causes {
                text.push('\n');
                text.push_str(cause);
            }
            codes.push(json!([
                index,
                code.number,
                code.name,
                code.message,
                code.behaviour.as_str(),
                code.names.snake,
                crate::search::normalize(&text),
            ]));
        }
    }
    json!({"families": families, "codes": codes}).to_string()
}

fn html(body: String) -> Resource {
    Resource::new(resource::HTML, resource::REVALIDATE, body)
}

fn json_resource(value: &Value) -> Resource {
    Resource::new(resource::JSON, resource::REVALIDATE, value.to_string())
}

impl Site {
    pub fn build(registry: Registry) -> Site {
        let mut resources = HashMap::new();
        let mut asset = |stem: &str, extension: &str, content_type: &'static str, body: String| {
            let url = hashed_url(stem, extension, body.as_bytes());
            resources.insert(url.clone(), Resource::new(content_type, resource::IMMUTABLE, body));
            url
        };
        let index_json = search_index_json(&registry);
        let assets = AssetUrls {
            css: asset("style", "css", resource::CSS, STYLE_CSS.to_string()),
            js: asset("app", "js", resource::JAVASCRIPT, format!("{SEARCH_JS}\n{PORTAL_JS}")),
            icon: asset("icon", "svg", resource::SVG, ICON_SVG.to_string()),
            index: asset("search-index", "json", resource::JSON, index_json),
        };

        resources.insert("/".to_string(), html(pages::index_page(&registry, &assets)));
        let shell = pages::SearchView { query: "", family: None, behaviour: None, hits: &[], notes: &[], client_rendered: true };
        let search_shell = pages::search_page(&registry, &shell, &assets);

        let api_families: Vec<Value> = registry
            .families
            .iter()
            .map(|family| {
                let codes: Vec<Value> = family.codes_by_number().into_iter().map(|code| code_json(family, code)).collect();
                json!({"id": family.id, "title": family.title, "kind": family.kind.as_str(), "description": family.description, "codes": codes})
            })
            .collect();
        resources.insert("/api/codes".to_string(), json_resource(&json!({ "families": api_families })));

        let codes: Vec<(&Family, &Code)> =
            registry.families.iter().flat_map(|family| family.codes.iter().map(move |code| (family, code))).collect();
        for family in &registry.families {
            resources.insert(format!("/families/{}", family.id), html(pages::family_page(family, &assets)));
        }
        resources.extend(render_code_resources(&codes, &assets));

        let not_found = html(pages::not_found_page("There is no page at this address.", &assets));
        let search = SearchIndex::new(&registry);
        Site { registry, search, assets, resources, not_found, search_shell }
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.registry.family(id)
    }
}

/// Code pages and their JSON, rendered and compressed on every core: a 10,000-code registry must
/// still start in well under a second.
fn render_code_resources(codes: &[(&Family, &Code)], assets: &AssetUrls) -> Vec<(String, Resource)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = codes.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = codes
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut out = Vec::with_capacity(part.len() * 2);
                    for &(family, code) in part {
                        out.push((pages::code_url(family, code.number), html(pages::code_page(family, code, assets))));
                        out.push((pages::api_code_url(family, code.number), json_resource(&code_json(family, code))));
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().expect("rendering a page does not panic")).collect()
    })
}
