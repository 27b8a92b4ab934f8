//! The HTML pages: one askama template per page, filled from the model by small view builders.
//!
//! Every fact on a page (classification, names, ranges) is read from the model; this module only
//! chooses words and layout.

use askama::Template;
use codebook_model::{
    Action, BackoffHint, Behaviour, Code, Delivery, Family, FamilyKind, Origin, Registry, SdkEvent, Segment,
    WireMessage,
};

use crate::markdown::to_safe_html;
use crate::search::Results;
use codebook_codegen::examples::{self, Example as Snippet};
use codebook_model::PackageIdentity;

/// URLs of the hashed static assets every page links.
#[derive(Clone, Debug)]
pub struct AssetUrls {
    pub css: String,
    pub js: String,
    pub icon: String,
    pub index: String,
    /// Whether the registry has a `/sdks` page (Centrifugo codes to explain), which the footer links.
    pub sdks: bool,
    /// Every family's ranges and retired numbers as JSON, which the 404 page of the static export
    /// reads to explain an unregistered number the way the live portal does.
    pub ranges: String,
    /// The registry's `doc_base_url` (absolute, no trailing slash): pages then name their
    /// canonical address and the OpenGraph `og:url`.
    pub base_url: Option<String>,
    /// The code the search box and the 404 page give as an example, from the registry served.
    pub example: ExampleCode,
}

/// A code of the registry being served that the chrome names as an example: the search box's
/// placeholder (`3500, invalid token…`) and the 404 page's `/codes/3500`.
#[derive(Clone, Debug, Default)]
pub struct ExampleCode {
    pub number: u16,
    /// Its fixed wire message, or its name when the text varies.
    pub text: String,
}

impl ExampleCode {
    /// The first code (families in file order, codes by number) whose number no other family
    /// registers, so `/codes/{number}` redirects to it; one with a fixed message of two words or
    /// more is preferred, since a message is what users paste.
    pub fn of(registry: &Registry) -> ExampleCode {
        let codes: Vec<&Code> = registry.families.iter().flat_map(|family| family.codes_by_number()).collect();
        let unique = |code: &&&Code| codes.iter().filter(|other| other.number == code.number).count() == 1;
        let wordy = |code: &&&Code| code.message.fixed().is_some_and(|text| text.split_whitespace().count() >= 2);
        let chosen =
            codes.iter().filter(unique).find(wordy).or_else(|| codes.iter().find(unique)).or_else(|| codes.first());
        chosen.map_or_else(ExampleCode::default, |code| ExampleCode {
            number: code.number,
            text: code.message.fixed().unwrap_or(&code.name).to_string(),
        })
    }
}

/// The longest meta description: what search engines show of it.
const DESCRIPTION_CHARS: usize = 155;

pub struct Layout<'a> {
    pub title: String,
    pub assets: &'a AssetUrls,
    pub query: String,
    /// The page's meta description (and OpenGraph/Twitter description), plain text.
    pub description: String,
    /// The page's absolute address, when the registry names where the portal is published.
    pub canonical: Option<String>,
}

impl<'a> Layout<'a> {
    pub fn new(title: impl Into<String>, assets: &'a AssetUrls) -> Self {
        Layout {
            title: title.into(),
            assets,
            query: String::new(),
            description: "Every error and disconnect code a client may meet: what it means and what to do about it."
                .to_string(),
            canonical: None,
        }
    }

    /// Sets the meta description from registry text (Markdown), shortened to whole sentences.
    pub fn described_by(mut self, markdown: &str) -> Self {
        let text = crate::markdown::to_plain_text(markdown);
        if !text.is_empty() {
            self.description = crate::markdown::summary(&text, DESCRIPTION_CHARS);
        }
        self
    }

    /// Names the page's address (`/codes/x/3500`), made absolute with the registry's base URL.
    pub fn at(mut self, path: &str) -> Self {
        self.canonical = self.assets.base_url.as_ref().map(|base| format!("{base}{path}"));
        self
    }
}

/// One code example as the pages show it: a tab per language, coloured at build time.
pub struct SnippetView {
    pub language: &'static str,
    /// The element id of the `<code>` the copy button copies (its text is the source).
    pub id: String,
    /// The source as escaped HTML with coloured tokens ([`crate::highlight`]).
    pub html: String,
}

impl SnippetView {
    pub fn new(snippet: Snippet) -> Self {
        let html = match crate::highlight::Language::from_name(snippet.language) {
            Some(language) => crate::highlight::highlight(language, &snippet.source),
            None => askama::filters::escape(&snippet.source, askama::filters::Html)
                .map(|escaped| escaped.to_string())
                .unwrap_or_default(),
        };
        SnippetView { language: snippet.language, id: snippet.id, html }
    }

    pub fn all(snippets: Vec<Snippet>) -> Vec<SnippetView> {
        snippets.into_iter().map(SnippetView::new).collect()
    }
}

pub fn code_url(family: &Family, number: u16) -> String {
    format!("/codes/{}/{number}", family.id)
}

pub fn api_code_url(family: &Family, number: u16) -> String {
    format!("/api/codes/{}/{number}", family.id)
}

/// The address pages link for a code's JSON: the `.json` form, which the portal answers too and
/// which is the file name in the static export.
pub fn api_code_link(family: &Family, number: u16) -> String {
    format!("/api/codes/{}/{number}.json", family.id)
}

/// The family's handling page: a complete reconnect (or retry) loop in TypeScript, Go, Python and Java.
pub fn handling_url(family: &Family) -> String {
    format!("/handling/{}", family.id)
}

/// What a client should do, from the model's action and backoff hint.
pub struct ActionView {
    pub id: &'static str,
    pub advice: &'static str,
    /// "Wait 5 s, doubling to 60 s, with full jitter; give up after 30 min." ([`codebook_model::BackoffHint::describe`])
    pub backoff: Option<String>,
    /// The hint as an inline SVG of each retry's delay window ([`crate::delay_chart`]).
    pub chart: Option<String>,
    /// The same windows as an HTML table, for screen readers and print.
    pub chart_table: Option<String>,
}

impl ActionView {
    pub fn new(action: Action, backoff: Option<&BackoffHint>) -> Self {
        ActionView {
            id: action.as_str(),
            advice: action.advice(),
            backoff: backoff.map(|hint| hint.describe()),
            chart: backoff.map(crate::delay_chart::delay_chart),
            chart_table: backoff.map(crate::delay_chart::delay_table),
        }
    }
}

/// Where a client meets a code of this family: each place the family is delivered in, the SDK
/// event by name; a code the server only records is met nowhere.
pub fn met_in(family: &Family, code: &Code) -> Vec<String> {
    if code.origin == Origin::ServerInternal {
        return vec![
            "Nowhere: the server only records it (logs, metrics, disconnect handlers) and never sends it.".to_string(),
        ];
    }
    family
        .delivered_in
        .iter()
        .map(|delivery| match (delivery, family.sdk_event) {
            (Delivery::SdkEvent, Some(SdkEvent::Error)) if family.sdks == [codebook_model::Sdk::CentrifugeJs] => "The code and message of centrifuge-js's error event (client.on(\"error\") and subscription.on(\"error\"): ctx.error), and the object a call's promise rejects with (publish, rpc, history, ready...). centrifuge-go reports these failures as Go errors without numbers.".to_string(),
            (Delivery::SdkEvent, Some(SdkEvent::Error)) => format!(
                "The code of the error events of {} (its own numbers), beside the error itself.",
                family.sdks.iter().map(|sdk| sdk.as_str()).collect::<Vec<_>>().join(", ")
            ),
            (Delivery::SdkEvent, Some(event)) => format!(
                "The code and reason of an official SDK's {} event (centrifuge-js client.on(\"{}\"), centrifuge-go On{}).",
                event.as_str(),
                event.as_str(),
                event.upper_camel()
            ),
            _ => {
                let words = delivery.in_words();
                let mut text = words[..1].to_uppercase() + &words[1..];
                text.push('.');
                text
            }
        })
        .collect()
}

/// True for the families whose codes the Centrifugo SDKs act on: the `/sdks` page explains them.
pub fn sdks_page_applies(family: &Family) -> bool {
    family.sdk_event.is_some()
        || family
            .delivered_in
            .iter()
            .any(|delivery| matches!(delivery, Delivery::DisconnectPush | Delivery::UnsubscribePush))
}

pub struct RangeView {
    pub span: String,
    pub label: String,
    pub scope: &'static str,
    pub behaviour: &'static str,
    pub action: &'static str,
}

impl RangeView {
    pub fn new(segment: &Segment) -> Self {
        RangeView {
            span: if segment.from == segment.to {
                segment.from.to_string()
            } else {
                format!("{}-{}", segment.from, segment.to)
            },
            label: segment.label.clone(),
            scope: segment.scope.as_str(),
            behaviour: segment.behaviour.as_str(),
            action: segment.action.as_str(),
        }
    }
}

/// "4321: not registered; 4000-4499 (application): Custom application code, client reconnects."
pub fn unregistered_summary(family: &Family, number: u16) -> String {
    let range = RangeView::new(family.segment_of(number));
    format!("{number}: not registered in {}; {} ({}): {}.", family.title, range.span, range.scope, range.label)
}

pub struct FamilyCard {
    pub id: String,
    pub title: String,
    pub count: usize,
    pub description_html: String,
}

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexPage<'a> {
    pub layout: Layout<'a>,
    pub families: Vec<FamilyCard>,
}

pub fn index_page(registry: &Registry, assets: &AssetUrls) -> String {
    IndexPage {
        layout: Layout::new("Codes", assets).described_by(&index_description(registry)).at("/"),
        families: registry
            .families
            .iter()
            .map(|family| FamilyCard {
                id: family.id.clone(),
                title: family.title.clone(),
                count: family.codes.len(),
                description_html: to_safe_html(&family.description),
            })
            .collect(),
    }
    .render()
    .expect("templates render infallibly")
}

/// The home page's description: the families it lists, by title.
fn index_description(registry: &Registry) -> String {
    let titles: Vec<&str> = registry.families.iter().map(|family| family.title.as_str()).collect();
    format!(
        "What every code means and what a client should do, for {} codes: {}.",
        registry.code_count(),
        titles.join(", ")
    )
}

pub struct FamilyView {
    pub id: String,
    pub handling_url: String,
    /// "reconnect loop" or "retry loop", as on the handling page.
    pub loop_kind: &'static str,
    pub title: String,
    pub description_html: String,
    pub behaviour_heading: &'static str,
}

/// A code's text as the pages show it: the fixed text, or what a text built at run time holds and
/// the exact texts known for it.
pub struct MessageView {
    pub fixed: Option<String>,
    pub varies: Option<String>,
    pub known: Vec<String>,
}

impl MessageView {
    pub fn new(message: &WireMessage) -> Self {
        MessageView {
            fixed: message.fixed().map(str::to_string),
            varies: message.varies().map(str::to_string),
            known: message.known().to_vec(),
        }
    }
}

pub struct CodeRow {
    pub url: String,
    pub number: u16,
    pub name: String,
    pub message: MessageView,
    pub behaviour: &'static str,
    pub temporary: &'static str,
    pub action: &'static str,
    /// Lower-cased name and message, for the in-page filter.
    pub filter_text: String,
}

#[derive(Template)]
#[template(path = "family.html")]
pub struct FamilyPage<'a> {
    pub layout: Layout<'a>,
    pub family: FamilyView,
    pub behaviour_options: Vec<&'static str>,
    /// The actions the family's codes carry, in the model's order.
    pub action_options: Vec<&'static str>,
    pub rows: Vec<CodeRow>,
    pub ranges: Vec<RangeView>,
}

/// The two behaviours a family of this kind can give a code, as the model defines them.
fn behaviours_of(kind: FamilyKind) -> [Behaviour; 2] {
    [kind.behaviour_from_flag(true), kind.behaviour_from_flag(false)]
}

pub fn family_page(family: &Family, assets: &AssetUrls) -> String {
    FamilyPage {
        layout: Layout::new(family.title.clone(), assets)
            .described_by(&family.description)
            .at(&format!("/families/{}", family.id)),
        family: FamilyView {
            id: family.id.clone(),
            handling_url: handling_url(family),
            loop_kind: loop_kind(family),
            title: family.title.clone(),
            description_html: to_safe_html(&family.description),
            behaviour_heading: match family.kind {
                FamilyKind::WebsocketClose => "Reconnect / terminal",
                FamilyKind::Error => "Behaviour",
            },
        },
        behaviour_options: behaviours_of(family.kind).iter().map(|b| b.as_str()).collect(),
        action_options: Action::ALL
            .into_iter()
            .filter(|action| family.codes.iter().any(|code| code.action == *action))
            .map(Action::as_str)
            .collect(),
        rows: family
            .codes_by_number()
            .into_iter()
            .map(|code| CodeRow {
                url: code_url(family, code.number),
                number: code.number,
                name: code.name.clone(),
                message: MessageView::new(&code.message),
                behaviour: code.behaviour.as_str(),
                temporary: if code.behaviour.is_temporary() { "yes" } else { "no" },
                action: code.action.as_str(),
                filter_text: format!(
                    "{} {} {}",
                    code.number,
                    code.name.to_lowercase(),
                    code.message.texts().join(" ").to_lowercase()
                ),
            })
            .collect(),
        ranges: family.segments.iter().map(RangeView::new).collect(),
    }
    .render()
    .expect("templates render infallibly")
}

#[derive(Template)]
#[template(path = "code.html")]
pub struct CodePage<'a> {
    pub layout: Layout<'a>,
    pub family_id: String,
    pub family_title: String,
    pub number: u16,
    pub name: String,
    pub message: MessageView,
    pub behaviour: &'static str,
    pub action: ActionView,
    pub origin: &'static str,
    pub origin_words: &'static str,
    pub doc_url: String,
    pub since: Option<String>,
    /// The release that added the code, and the newest later one that changed it (the model's
    /// release history).
    pub came_in: Option<String>,
    pub last_changed_in: Option<String>,
    pub deprecated: Option<String>,
    pub changes: Vec<String>,
    pub range: RangeView,
    pub range_override: Option<String>,
    pub rationale: Option<String>,
    pub local_only: bool,
    /// Where a client meets the code, one entry per place (see [`met_in`]).
    pub met_in: Vec<String>,
    /// Whether the page links to `/sdks` (codes of the Centrifugo protocol and its SDKs).
    pub sdk_link: bool,
    pub description_html: String,
    pub causes: Vec<String>,
    /// The code as it reaches a client, per place ([`crate::sightings`]).
    pub sightings: Vec<crate::sightings::Sighting>,
    pub snippets: Vec<SnippetView>,
    pub api_url: String,
    pub handling_url: String,
    /// `HTTP 404, gRPC NotFound (5)`: what the server answers in its transport error mode.
    pub transport_status: Option<String>,
    /// The Prometheus counters that count the code, as `name{label="<number>"}`.
    pub counted_by: Vec<String>,
    /// Codes of other families with the same name, linked from the facts.
    pub also_in: Vec<AlsoIn>,
}

/// What a server answers in its transport error mode, in words, when the registry says.
fn transport_status(code: &Code) -> Option<String> {
    let parts: Vec<String> = code
        .http_status
        .map(|status| format!("HTTP {status}"))
        .into_iter()
        .chain(code.grpc_status.map(|status| format!("gRPC {} ({})", status.name(), status.number())))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A code of another family that has the same name as the page's code.
pub struct AlsoIn {
    pub url: String,
    pub number: u16,
    pub name: String,
    pub family_title: String,
}

impl AlsoIn {
    pub fn new(family: &Family, code: &Code) -> Self {
        AlsoIn {
            url: code_url(family, code.number),
            number: code.number,
            name: code.name.clone(),
            family_title: family.title.clone(),
        }
    }
}

pub fn code_page(
    registry: &Registry,
    family: &Family,
    code: &Code,
    also_in: Vec<AlsoIn>,
    history: codebook_model::CodeHistory,
    assets: &AssetUrls,
) -> String {
    let identity = &registry.bindings;
    CodePage {
        layout: Layout::new(format!("{} {}", code.number, code.name), assets)
            .described_by(&format!("{} {}: {}", code.number, code.name, code.description))
            .at(&code_url(family, code.number)),
        family_id: family.id.clone(),
        family_title: family.title.clone(),
        number: code.number,
        name: code.name.clone(),
        message: MessageView::new(&code.message),
        behaviour: code.behaviour.as_str(),
        action: ActionView::new(code.action, code.backoff.as_ref()),
        origin: code.origin.as_str(),
        origin_words: code.origin.describe(),
        doc_url: code.doc_url.clone(),
        since: code.since.clone(),
        came_in: history.came.map(|version| version.to_string()),
        last_changed_in: history.last_changed.map(|version| version.to_string()),
        deprecated: code.deprecated.clone(),
        changes: code.changes.iter().map(|change| format!("{}: {}", change.version, change.note)).collect(),
        range: RangeView::new(family.segment_of(code.number)),
        range_override: code.range_override.clone(),
        rationale: code.rationale.clone(),
        local_only: code.local_only,
        met_in: met_in(family, code),
        sdk_link: assets.sdks && sdks_page_applies(family),
        description_html: to_safe_html(&code.description),
        causes: code.causes.clone(),
        sightings: crate::sightings::sightings(registry, family, code),
        snippets: SnippetView::all(examples::for_code(identity, family, code)),
        api_url: api_code_link(family, code.number),
        handling_url: handling_url(family),
        transport_status: transport_status(code),
        counted_by: family
            .metrics
            .iter()
            .map(|metric| format!("{}{{{}=\"{}\"}}", metric.name, metric.label, code.number))
            .collect(),
        also_in,
    }
    .render()
    .expect("templates render infallibly")
}

#[derive(Template)]
#[template(path = "number.html")]
pub struct NumberPage<'a> {
    pub layout: Layout<'a>,
    pub family_id: String,
    pub family_title: String,
    pub number: u16,
    pub summary: String,
    pub behaviour: &'static str,
    pub action: ActionView,
    pub range: RangeView,
    pub retired: Option<String>,
    pub snippets: Vec<SnippetView>,
    pub handling_url: String,
}

/// The page of a number `family` does not register: what its range means.
pub fn number_page(identity: &PackageIdentity, family: &Family, number: u16, assets: &AssetUrls) -> String {
    let classification = family.classify(number);
    NumberPage {
        layout: Layout::new(format!("{number} in {}", family.title), assets)
            .described_by(&unregistered_summary(family, number))
            .at(&code_url(family, number)),
        family_id: family.id.clone(),
        family_title: family.title.clone(),
        number,
        summary: unregistered_summary(family, number),
        behaviour: classification.behaviour.as_str(),
        action: ActionView::new(classification.segment.action, classification.segment.backoff.as_ref()),
        range: RangeView::new(classification.segment),
        retired: classification.retired.map(|retired| match retired.moved_to {
            Some(moved_to) => format!("{number} was retired and moved to {moved_to}: {}", retired.note),
            None => format!("{number} was retired: {}", retired.note),
        }),
        snippets: SnippetView::all(examples::for_number(identity, family, number)),
        handling_url: handling_url(family),
    }
    .render()
    .expect("templates render infallibly")
}

pub struct ResultRow {
    pub url: String,
    pub number: u16,
    pub name: String,
    pub message: MessageView,
    pub behaviour: &'static str,
    pub family_title: String,
    /// Another result has the same name: the link names the family too, so the two read apart.
    pub family_in_link: bool,
}

impl ResultRow {
    pub fn new(family: &Family, code: &Code) -> Self {
        ResultRow {
            url: code_url(family, code.number),
            number: code.number,
            name: code.name.clone(),
            message: MessageView::new(&code.message),
            behaviour: code.behaviour.as_str(),
            family_title: family.title.clone(),
            family_in_link: false,
        }
    }
}

pub struct NoteRow {
    pub url: String,
    pub family_title: String,
    pub text: String,
}

impl NoteRow {
    pub fn new(family: &Family, number: u16) -> Self {
        NoteRow {
            url: code_url(family, number),
            family_title: family.title.clone(),
            text: unregistered_summary(family, number),
        }
    }
}

#[derive(Template)]
#[template(path = "candidates.html")]
pub struct CandidatesPage<'a> {
    pub layout: Layout<'a>,
    pub number: u16,
    pub registered: Vec<ResultRow>,
    pub unregistered: Vec<NoteRow>,
}

/// The page of `/codes/{number}` when the number is not registered in exactly one family.
pub fn candidates_page(registry: &Registry, number: u16, assets: &AssetUrls) -> String {
    let registered: Vec<ResultRow> = registry
        .families
        .iter()
        .filter_map(|family| family.code(number).map(|code| ResultRow::new(family, code)))
        .collect();
    let unregistered = if registered.is_empty() {
        registry.families.iter().map(|family| NoteRow::new(family, number)).collect()
    } else {
        Vec::new()
    };
    CandidatesPage { layout: Layout::new(format!("Code {number}"), assets), number, registered, unregistered }
        .render()
        .expect("templates render infallibly")
}

pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage<'a> {
    pub layout: Layout<'a>,
    pub family_options: Vec<SelectOption>,
    pub behaviour_options: Vec<SelectOption>,
    pub action_options: Vec<SelectOption>,
    pub status: String,
    pub results: Vec<ResultRow>,
    pub notes: Vec<NoteRow>,
    /// "Did you mean": the corrected query and its search address.
    pub suggestion: Option<(String, String)>,
    /// Set in the static export, where the browser fills in the results.
    pub client_rendered: bool,
}

pub struct SearchView<'q> {
    pub query: &'q str,
    pub family: Option<&'q str>,
    pub behaviour: Option<Behaviour>,
    pub action: Option<Action>,
    pub results: &'q Results,
    pub client_rendered: bool,
}

/// The no-JavaScript search address of a query.
fn search_url(query: &str) -> String {
    let mut url = String::from("/search?q=");
    for byte in query.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

pub fn search_page(registry: &Registry, view: &SearchView<'_>, assets: &AssetUrls) -> String {
    let mut layout = Layout::new(
        if view.query.is_empty() { "Search".to_string() } else { format!("{} – search", view.query) },
        assets,
    )
    .described_by("Find a code by its number, name or message, or paste a log line that holds it.")
    .at("/search");
    layout.query = view.query.to_string();
    let mut results: Vec<ResultRow> = view
        .results
        .hits
        .iter()
        .map(|hit| {
            let family = &registry.families[hit.family];
            ResultRow::new(family, &family.codes[hit.code])
        })
        .collect();
    let names: Vec<String> = results.iter().map(|row| row.name.clone()).collect();
    for row in &mut results {
        row.family_in_link = names.iter().filter(|name| **name == row.name).count() > 1;
    }
    let notes: Vec<NoteRow> =
        view.results.notes.iter().map(|note| NoteRow::new(&registry.families[note.family], note.number)).collect();
    let suggestion = view.results.suggestion.as_ref().map(|text| (text.clone(), search_url(text)));
    let searched =
        !view.query.trim().is_empty() || view.family.is_some() || view.behaviour.is_some() || view.action.is_some();
    let status = if view.client_rendered || !searched {
        "Type a number, a name or a message.".to_string()
    } else if results.is_empty() && notes.is_empty() {
        format!("No codes match “{}”.", view.query.trim())
    } else {
        format!("{} matching code{}", results.len(), if results.len() == 1 { "" } else { "s" })
    };
    SearchPage {
        layout,
        family_options: registry
            .families
            .iter()
            .map(|family| SelectOption {
                value: family.id.clone(),
                label: family.title.clone(),
                selected: view.family == Some(family.id.as_str()),
            })
            .collect(),
        behaviour_options: Behaviour::ALL
            .into_iter()
            .map(|behaviour| SelectOption {
                value: behaviour.as_str().to_string(),
                label: behaviour.as_str().to_string(),
                selected: view.behaviour == Some(behaviour),
            })
            .collect(),
        action_options: Action::ALL
            .into_iter()
            .map(|action| SelectOption {
                value: action.as_str().to_string(),
                label: action.as_str().to_string(),
                selected: view.action == Some(action),
            })
            .collect(),
        status,
        results,
        notes,
        suggestion,
        client_rendered: view.client_rendered,
    }
    .render()
    .expect("templates render infallibly")
}

/// One row of the handling page: an action the family uses, what the loop does, and who carries it.
pub struct HandlingRow {
    pub action: &'static str,
    pub step: &'static str,
    /// `(url, "4001 NoWorkerNodeAvailable")`
    pub codes: Vec<(String, String)>,
    pub ranges: Vec<String>,
}

#[derive(Template)]
#[template(path = "handling.html")]
pub struct HandlingPage<'a> {
    pub layout: Layout<'a>,
    pub family_id: String,
    pub family_title: String,
    /// "reconnect loop" or "retry loop".
    pub loop_kind: &'static str,
    pub family_backoff: String,
    pub rows: Vec<HandlingRow>,
    pub snippets: Vec<SnippetView>,
}

/// The loop the handling page writes for the family: "reconnect loop" or "retry loop".
fn loop_kind(family: &Family) -> &'static str {
    match family.kind {
        FamilyKind::WebsocketClose => "reconnect loop",
        FamilyKind::Error => "retry loop",
    }
}

/// `/handling/{family}`: the family's loop in TypeScript, Go, Python and Java, and the table it follows.
pub fn handling_page(identity: &PackageIdentity, family: &Family, assets: &AssetUrls) -> String {
    HandlingPage {
        layout: Layout::new(format!("Handling {}", family.title), assets)
            .described_by(&format!(
                "A complete loop that classifies every code of {} with the generated binding and does what its action says.",
                family.title
            ))
            .at(&handling_url(family)),
        family_id: family.id.clone(),
        family_title: family.title.clone(),
        loop_kind: loop_kind(family),
        family_backoff: family.backoff.describe(),
        rows: examples::actions_of(family)
            .into_iter()
            .map(|used| HandlingRow {
                action: used.action.as_str(),
                step: examples::loop_step(used.action, family.kind),
                codes: used.numbers.iter().map(|&number| code_url(family, number)).zip(used.codes).collect(),
                ranges: used.ranges,
            })
            .collect(),
        snippets: SnippetView::all(examples::loops(identity, family)),
    }
    .render()
    .expect("templates render infallibly")
}

/// A code with a history, as the changelog lists it.
pub struct ChangelogCode {
    pub url: String,
    pub number: u16,
    pub name: String,
    pub since: Option<String>,
    pub deprecated: Option<String>,
    /// `(version, note)`, oldest first.
    pub changes: Vec<(String, String)>,
}

pub struct ChangelogRetired {
    pub url: String,
    pub number: u16,
    /// `(number, url)` of the code that took over.
    pub moved_to: Option<(u16, String)>,
    pub note: String,
}

pub struct ChangelogFamily {
    pub id: String,
    pub title: String,
    pub codes: Vec<ChangelogCode>,
    pub retired: Vec<ChangelogRetired>,
}

#[derive(Template)]
#[template(path = "changelog.html")]
pub struct ChangelogPage<'a> {
    pub layout: Layout<'a>,
    /// The registry's declared version.
    pub version: String,
    pub families: Vec<ChangelogFamily>,
    /// The breaking-change rules a release is held to, in table order.
    pub rules: &'static [codebook_model::BreakRule],
    /// The rules for changes that break nothing.
    pub change_rules: &'static [codebook_model::ChangeRule],
    /// The releases section (`releases::releases_section`), empty without a recorded release.
    pub releases_html: String,
    /// Whether `/changelog.atom` exists (it does when a release is recorded).
    pub feed: bool,
}

/// `/changelog`: every recorded release, then per family every code with a `since`, `deprecated`
/// or `changes`, and every retired number.
pub fn changelog_page(registry: &Registry, releases_html: String, feed: bool, assets: &AssetUrls) -> String {
    let families = registry
        .families
        .iter()
        .map(|family| {
            let mut retired: Vec<ChangelogRetired> = family
                .retired
                .iter()
                .map(|retired| ChangelogRetired {
                    url: code_url(family, retired.number),
                    number: retired.number,
                    moved_to: retired.moved_to.map(|number| (number, code_url(family, number))),
                    note: retired.note.clone(),
                })
                .collect();
            retired.sort_by_key(|retired| retired.number);
            ChangelogFamily {
                id: family.id.clone(),
                title: family.title.clone(),
                codes: family
                    .codes_by_number()
                    .into_iter()
                    .filter(|code| code.since.is_some() || code.deprecated.is_some() || !code.changes.is_empty())
                    .map(|code| ChangelogCode {
                        url: code_url(family, code.number),
                        number: code.number,
                        name: code.name.clone(),
                        since: code.since.clone(),
                        deprecated: code.deprecated.clone(),
                        changes: code
                            .changes
                            .iter()
                            .map(|change| (change.version.clone(), change.note.clone()))
                            .collect(),
                    })
                    .collect(),
                retired,
            }
        })
        .collect();
    let layout = Layout::new("Changelog", assets)
        .described_by("When codes were introduced, deprecated or changed, and which numbers were retired.")
        .at("/changelog");
    ChangelogPage {
        layout,
        version: registry.version.to_string(),
        families,
        rules: codebook_model::BREAK_RULES,
        change_rules: codebook_model::CHANGE_RULES,
        releases_html,
        feed,
    }
    .render()
    .expect("templates render infallibly")
}

#[derive(Template)]
#[template(path = "not_found.html")]
pub struct NotFoundPage<'a> {
    pub layout: Layout<'a>,
    pub message: String,
}

pub fn not_found_page(message: impl Into<String>, assets: &AssetUrls) -> String {
    NotFoundPage { layout: Layout::new("Not found", assets), message: message.into() }
        .render()
        .expect("templates render infallibly")
}

/// One situation of the `/sdks` page: what each official SDK does and what codebook answers,
/// from the registry's `sdk_behaviour` rows.
pub struct SdkRule {
    pub situation: String,
    /// What each SDK of the page's columns does, in column order; empty when the row does not say.
    pub sdks: Vec<String>,
    pub codebook: String,
    /// Where codebook's answer deliberately differs from an SDK's.
    pub differs: Option<String>,
    /// The interop scenarios that prove the row, as `centrifuge-js: invalid token`.
    pub proven_by: Vec<String>,
}

#[derive(Template)]
#[template(path = "sdks.html")]
pub struct SdksPage<'a> {
    pub layout: Layout<'a>,
    /// The SDKs some row describes, in the SDKs' order: the table's columns.
    pub columns: Vec<&'static str>,
    pub rules: Vec<SdkRule>,
}

/// `/sdks`: what the official SDKs do with a close, a push or a reply, next to what codebook
/// answers, from the registry's `sdk_behaviour` rows (each tied to an interop scenario). `None`
/// when the registry has no such rows.
pub fn sdks_page_exists(registry: &Registry) -> bool {
    !registry.sdk_behaviour.is_empty()
}

pub fn sdks_page(registry: &Registry, assets: &AssetUrls) -> Option<String> {
    if registry.sdk_behaviour.is_empty() {
        return None;
    }
    let columns: Vec<codebook_model::Sdk> = codebook_model::Sdk::ALL
        .into_iter()
        .filter(|sdk| registry.sdk_behaviour.iter().any(|row| row.sdks.iter().any(|(said, _)| said == sdk)))
        .collect();
    let answer = |family_id: &str, number: u16| {
        let Some(family) = registry.family(family_id) else { return String::new() };
        let (family, classified) = registry.classify_in(family, number);
        let action = classified.action();
        let what = classified
            .code
            .map_or_else(|| classified.segment.label.clone(), |code| format!("{} {}", code.number, code.name));
        format!("{} ({what}): {} ({})", family.id, action.as_str(), action.advice())
    };
    let rules = registry
        .sdk_behaviour
        .iter()
        .map(|row| SdkRule {
            situation: row.situation.clone(),
            sdks: columns
                .iter()
                .map(|sdk| {
                    row.sdks.iter().find(|(said, _)| said == sdk).map_or_else(String::new, |(_, text)| text.clone())
                })
                .collect(),
            codebook: row
                .answer
                .as_ref()
                .map_or_else(|| "No number to answer for.".to_string(), |(family, number)| answer(family, *number)),
            differs: row.differs.clone(),
            proven_by: row
                .proven_by
                .iter()
                .map(|proof| format!("{}: {}", proof.sdk.as_str(), proof.scenario))
                .collect(),
        })
        .collect();
    let columns = columns.into_iter().map(codebook_model::Sdk::as_str).collect();
    Some(
        SdksPage {
            layout: Layout::new("How the official SDKs decide", assets)
                .described_by(
                    "What the official SDKs do with each close, push and reply, next to what the registry answers.",
                )
                .at("/sdks"),
            columns,
            rules,
        }
        .render()
        .expect("templates render infallibly"),
    )
}
