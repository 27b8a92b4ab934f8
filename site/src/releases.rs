//! The portal's view of the registry's releases, from the model's [`ReleaseHistory`]: the
//! release list of `/changelog`, a page comparing any two releases
//! (`/changelog/compare/<from>...<to>`, every change between them with the rule that classified
//! it and the size of the step) and the Atom feed of releases (`/changelog.atom`, absolute links
//! from the registry's `doc_base_url` when it has one).

use askama::Template;
use codebook_model::{Bump, ChangeClass, Registry, ReleaseHistory, ReleaseRecord};

use crate::pages::{AssetUrls, Layout};

/// One line of a release.
pub struct ChangeView {
    pub rule: &'static str,
    pub breaking: bool,
    /// The text as HTML: escaped, its code spans as `<code>`.
    pub message_html: String,
    /// The page the line is about (a code, a number or a family).
    pub url: Option<String>,
}

/// One release: its lines under Keep a Changelog's headings.
pub struct ReleaseView {
    pub version: String,
    pub date: String,
    /// `major`, `minor`, `patch`, or `empty` for a release without changes.
    pub bump: &'static str,
    /// The comparison with the release before it, if there is one.
    pub compare_url: Option<String>,
    pub previous: Option<String>,
    pub groups: Vec<(String, Vec<ChangeView>)>,
}

/// The page or anchor of a release on `/changelog`.
pub fn release_anchor(version: &str) -> String {
    format!("release-{version}")
}

/// `/changelog/compare/<from>...<to>`.
pub fn compare_url(from: &str, to: &str) -> String {
    format!("/changelog/compare/{from}...{to}")
}

fn bump_word(bump: Option<Bump>) -> &'static str {
    bump.map_or("empty", Bump::as_str)
}

/// Registry text with code spans (`` `x` ``) as `<code>`, everything escaped.
fn inline_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (index, part) in text.split('`').enumerate() {
        let code = index % 2 == 1;
        if code {
            out.push_str("<code>");
        }
        for character in part.chars() {
            match character {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                other => out.push(other),
            }
        }
        if code {
            out.push_str("</code>");
        }
    }
    out
}

fn change_view(registry: &Registry, change: &codebook_model::RecordedChange) -> ChangeView {
    let url = match (&change.family, change.number) {
        (Some(family), Some(number)) if registry.family(family).is_some() => Some(format!("/codes/{family}/{number}")),
        (Some(family), None) if registry.family(family).is_some() => Some(format!("/families/{family}")),
        _ => None,
    };
    ChangeView {
        rule: change.class.id(),
        breaking: matches!(change.class, ChangeClass::Break(_)),
        message_html: inline_html(&change.message),
        url,
    }
}

fn release_view(registry: &Registry, release: &ReleaseRecord, previous: Option<&ReleaseRecord>) -> ReleaseView {
    let mut groups: Vec<(String, Vec<ChangeView>)> = Vec::new();
    for change in &release.changes {
        let heading = if change.heading.is_empty() { "Changed" } else { change.heading.as_str() };
        match groups.iter_mut().find(|(title, _)| title == heading) {
            Some((_, lines)) => lines.push(change_view(registry, change)),
            None => groups.push((heading.to_string(), vec![change_view(registry, change)])),
        }
    }
    let version = release.version.to_string();
    ReleaseView {
        compare_url: previous.map(|previous| compare_url(&previous.version.to_string(), &version)),
        previous: previous.map(|previous| previous.version.to_string()),
        version,
        date: release.date.clone(),
        bump: bump_word(release.bump()),
        groups,
    }
}

/// Every release, newest first, as `/changelog` lists them.
pub fn release_views(registry: &Registry, history: &ReleaseHistory) -> Vec<ReleaseView> {
    let releases = &history.releases;
    releases
        .iter()
        .enumerate()
        .map(|(index, release)| release_view(registry, release, releases.get(index + 1)))
        .collect()
}

#[derive(Template)]
#[template(path = "releases_section.html")]
struct ReleasesSection {
    releases: Vec<ReleaseView>,
}

/// The releases section of `/changelog`, newest first (empty without a recorded release).
pub fn releases_section(registry: &Registry, history: &ReleaseHistory) -> String {
    ReleasesSection { releases: release_views(registry, history) }.render().expect("templates render infallibly")
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage<'a> {
    pub layout: Layout<'a>,
    pub from: String,
    pub to: String,
    /// The size of the step: the largest change between the two.
    pub bump: &'static str,
    pub breaks: usize,
    /// The releases after `from` up to `to`, oldest first.
    pub releases: Vec<ReleaseView>,
    /// Other comparisons from the same release.
    pub others: Vec<(String, String)>,
}

/// Every comparison page: one per pair of recorded releases, older first, by URL.
pub fn compare_pages(registry: &Registry, history: &ReleaseHistory, assets: &AssetUrls) -> Vec<(String, String)> {
    let versions: Vec<_> = history.releases.iter().rev().map(|release| release.version).collect();
    let mut pages = Vec::new();
    for (index, from) in versions.iter().enumerate() {
        for to in &versions[index + 1..] {
            let Some(between) = history.between(*from, *to) else { continue };
            let (from_text, to_text) = (from.to_string(), to.to_string());
            let url = compare_url(&from_text, &to_text);
            let bump = between.iter().filter_map(|release| release.bump()).max();
            let breaks = between
                .iter()
                .flat_map(|release| &release.changes)
                .filter(|change| matches!(change.class, ChangeClass::Break(_)))
                .count();
            let releases = between
                .iter()
                .map(|release| {
                    let older = history.releases.iter().find(|other| other.version < release.version);
                    release_view(registry, release, older)
                })
                .collect();
            let others = versions[index + 1..]
                .iter()
                .filter(|other| *other != to)
                .map(|other| (other.to_string(), compare_url(&from_text, &other.to_string())))
                .collect();
            let layout = Layout::new(format!("Changes from {from_text} to {to_text}"), assets)
                .described_by(&format!(
                    "Every change of the registry from release {from_text} to {to_text}, with the rule that classified it."
                ))
                .at(&url);
            let page =
                ComparePage { layout, from: from_text, to: to_text, bump: bump_word(bump), breaks, releases, others }
                    .render()
                    .expect("templates render infallibly");
            pages.push((url, page));
        }
    }
    pages
}

/// One release in the feed.
pub struct FeedEntry {
    pub title: String,
    pub id: String,
    pub link: String,
    pub updated: String,
    /// The release's lines as HTML (the template escapes it once more, as `type="html"` wants).
    pub content_html: String,
}

#[derive(Template)]
#[template(path = "changelog.atom.xml")]
pub struct AtomFeed {
    pub id: String,
    pub link: String,
    pub self_link: String,
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

/// The Atom feed of releases, newest first; `None` when no release is recorded (a feed needs an
/// update time).
pub fn atom_feed(registry: &Registry, history: &ReleaseHistory) -> Option<String> {
    let newest = history.releases.first()?;
    let base = registry.doc_base_url.as_deref().unwrap_or("");
    // Without a published address the entries still need stable ids: a URN per package.
    let id_of = |fragment: &str| match registry.doc_base_url.as_deref() {
        Some(base) => format!("{base}/changelog{fragment}"),
        None => format!("urn:codebook:{}:changelog{}", registry.bindings.npm_package, fragment.replace('#', ":")),
    };
    let views = release_views(registry, history);
    let entries = history
        .releases
        .iter()
        .zip(&views)
        .map(|(release, view)| {
            let fragment = format!("#{}", release_anchor(&view.version));
            let mut content = String::new();
            for (heading, lines) in &view.groups {
                content.push_str(&format!("<h3>{heading}</h3><ul>"));
                for line in lines {
                    let marker = if line.breaking { "<strong>Breaking:</strong> " } else { "" };
                    let link = match &line.url {
                        Some(url) => format!(" (<a href=\"{base}{url}\">page</a>)"),
                        None => String::new(),
                    };
                    content
                        .push_str(&format!("<li>{marker}{}{link}; <code>{}</code></li>", line.message_html, line.rule));
                }
                content.push_str("</ul>");
            }
            FeedEntry {
                title: format!("Release {} ({})", view.version, view.bump),
                id: id_of(&fragment),
                link: format!("{base}/changelog{fragment}"),
                updated: format!("{}T00:00:00Z", release.date),
                content_html: content,
            }
        })
        .collect();
    Some(
        AtomFeed {
            id: id_of(""),
            link: format!("{base}/changelog"),
            self_link: format!("{base}/changelog.atom"),
            updated: format!("{}T00:00:00Z", newest.date),
            entries,
        }
        .render()
        .expect("templates render infallibly"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_text_becomes_escaped_html_with_code_spans() {
        assert_eq!(inline_html("code `<b>` & \"x\""), "code <code>&lt;b&gt;</code> &amp; &quot;x&quot;");
    }
}
