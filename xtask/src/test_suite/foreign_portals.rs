//! The portal of every registry in `fixtures/foreign/` (code sets written from public
//! specifications, not built around codebook): `codebook serve --codes` on each, a crawl of every
//! page it links (and the 404 page, a search, an unregistered number, the JSON API), then
//! `codebook export --codes` and every text file it writes. Any word of the shipped registry the
//! fixture does not say itself fails the step: the portal must show the registry it serves and
//! nothing of ours.

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use codebook_model::Registry;

use crate::command::{Step, run_step};
use crate::process::{Running, free_port, wait_for_port};
use crate::workspace;

/// Words that only the shipped registry (Centrifugo, its SDKs and the streaming platform) says:
/// its products, its best-known numbers and texts, its delivery names and its helpers. The family
/// ids and enum names of the shipped registry, and its wire messages of two words or more, are
/// added from the registry itself.
const SHIPPED_WORDS: &[&str] = &[
    "centrifugo",
    "centrifuge",
    "3500",
    "3014",
    "4001",
    "invalid token",
    "token expired",
    "disconnect push",
    "unsubscribe push",
    "classifyerrorcontext",
    "sdkerrorcontext",
    "no worker node",
];

/// Shipped wire messages that are also the portal's own words for any registry (the 404 page's
/// title): finding them says nothing about a leak.
const PORTAL_WORDS: &[&str] = &["not found"];

/// At most this many pages per registry: a crawl that finds more is following a loop.
const PAGE_LIMIT: usize = 20_000;

pub fn run(root: &Path) -> anyhow::Result<()> {
    run_step("cargo", &["build", "--quiet", "-p", "codebook-cli", "--bin", "codebook"], root)?;
    let codebook = workspace::target_dir().join("debug/codebook");
    let shipped = codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML)
        .map_err(|error| anyhow::anyhow!(error.render()))?;
    let fixtures = foreign_fixtures(root)?;
    if fixtures.is_empty() {
        bail!("no registry under fixtures/foreign/");
    }
    let mut problems = Vec::new();
    for codes in &fixtures {
        let text = std::fs::read_to_string(codes).with_context(|| format!("cannot read {}", codes.display()))?;
        let registry = codebook_model::load_str(&codes.display().to_string(), &text)
            .map_err(|error| anyhow::anyhow!(error.render()))?;
        let forbidden = forbidden_words(&shipped, &registry, &text);
        let name = codes.parent().and_then(Path::file_name).map_or_else(String::new, |n| n.to_string_lossy().into());
        let pages = crawl(&codebook, codes, &registry, &forbidden, &mut problems)?;
        let files = export(&codebook, codes, &name, &forbidden, &mut problems)?;
        eprintln!("    {name}: {pages} pages served and {files} exported files hold nothing of the shipped registry");
    }
    if !problems.is_empty() {
        bail!("the portal of a foreign registry shows the shipped registry:\n{}", problems.join("\n"));
    }
    Ok(())
}

/// `fixtures/foreign/*/codes.yaml`, in name order.
fn foreign_fixtures(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root.join("fixtures/foreign")).context("cannot list fixtures/foreign")? {
        let codes = entry?.path().join("codes.yaml");
        if codes.is_file() {
            found.push(codes);
        }
    }
    found.sort();
    Ok(found)
}

/// The shipped registry's words (lowercase) that the fixture's own text does not contain. A
/// "reconnect loop" belongs to any registry with a close-code family; one without must not be
/// offered it.
fn forbidden_words(shipped: &Registry, fixture: &Registry, fixture_text: &str) -> Vec<String> {
    let mut words: BTreeSet<String> = SHIPPED_WORDS.iter().map(|word| word.to_string()).collect();
    if !fixture.families.iter().any(|family| family.kind == codebook_model::FamilyKind::WebsocketClose) {
        words.insert("reconnect loop".to_string());
    }
    for family in &shipped.families {
        words.insert(family.id.clone());
        words.insert(family.names.type_name.to_lowercase());
        for code in &family.codes {
            for text in code.message.texts() {
                if text.split_whitespace().count() >= 2 {
                    words.insert(text.to_lowercase());
                }
            }
        }
    }
    let fixture = fixture_text.to_lowercase();
    words
        .into_iter()
        .filter(|word| !fixture.contains(word.as_str()) && !PORTAL_WORDS.contains(&word.as_str()))
        .collect()
}

/// Each forbidden word in `body`, reported with where it was found and what surrounds it.
fn check(place: &str, body: &str, forbidden: &[String], problems: &mut Vec<String>) {
    let lower = body.to_lowercase();
    for word in forbidden {
        if let Some(at) = find_word(&lower, word) {
            let start = lower.floor_char_boundary(at.saturating_sub(60));
            let end = lower.ceil_char_boundary((at + word.len() + 60).min(lower.len()));
            problems.push(format!("{place}: {word:?} in …{}…", body[start..end].replace('\n', " ")));
        }
    }
}

/// The first place `word` stands as a whole word (not inside a longer number or identifier).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_word_byte = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_';
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before = text.as_bytes().get(at.wrapping_sub(1)).copied().filter(|_| at > 0);
        let after = text.as_bytes().get(at + word.len()).copied();
        if !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Serves the fixture and fetches every page reachable from `/`, plus the pages no link reaches
/// (the 404 page, a search, an unregistered number, the JSON API); how many were fetched.
fn crawl(
    codebook: &Path,
    codes: &Path,
    registry: &Registry,
    forbidden: &[String],
    problems: &mut Vec<String>,
) -> anyhow::Result<usize> {
    let port = free_port()?;
    let portal = Running::start(
        "codebook serve",
        Step::new(codebook).args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--codes"]).arg(codes),
    )?;
    wait_for_port("codebook serve", port)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let family = registry.families.first().context("a registry has a family")?;
    let unregistered = (0..=u16::MAX).find(|number| family.code(*number).is_none()).unwrap_or(u16::MAX);
    let mut queue: VecDeque<String> = [
        "/".to_string(),
        "/no-such-page".to_string(),
        format!("/codes/{}/{unregistered}", family.id),
        format!("/search?q={}", family.codes.first().map_or("code", |code| code.name.as_str())),
        "/api/codes".to_string(),
    ]
    .into();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    while let Some(path) = queue.pop_front() {
        if seen.len() > PAGE_LIMIT {
            bail!("more than {PAGE_LIMIT} pages under {}: a link loop?", codes.display());
        }
        let url = format!("http://127.0.0.1:{port}{path}");
        let mut response = agent.get(&url).call().with_context(|| format!("GET {url}"))?;
        let status = response.status().as_u16();
        let location = response.headers().get("location").and_then(|value| value.to_str().ok()).map(str::to_string);
        let body = response.body_mut().with_config().limit(64 << 20).read_to_vec()?;
        let place = format!("{} {path}", codes.display());
        if status >= 500 {
            problems.push(format!("{place}: HTTP {status}"));
        }
        let Ok(body) = String::from_utf8(body) else { continue };
        check(&place, &body, forbidden, problems);
        for link in location.into_iter().chain(links(&body)) {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    portal.stop_gracefully(Duration::from_secs(10))?;
    Ok(seen.len())
}

/// The site-relative addresses a page links or loads (`href`, `src`, `action`), without fragment.
fn links(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\"", "action=\""] {
        let mut rest = body;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let Some(end) = rest.find('"') else { break };
            let link = rest[..end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or_default();
            if link.starts_with('/') && !link.starts_with("//") {
                found.push(link.to_string());
            }
        }
    }
    found
}

/// `codebook export` of the fixture, and every text file it wrote; how many files were read.
fn export(
    codebook: &Path,
    codes: &Path,
    name: &str,
    forbidden: &[String],
    problems: &mut Vec<String>,
) -> anyhow::Result<usize> {
    let out = workspace::scratch("foreign-portals").join(name);
    workspace::remove_dir(&out)?;
    Step::new(codebook).arg("export").arg("--out").arg(&out).arg("--codes").arg(codes).run()?;
    let mut files = 0;
    let mut pending = vec![out.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_some_and(|extension| extension == "gz" || extension == "br") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            files += 1;
            let place = format!("{} export {}", codes.display(), path.strip_prefix(&out).unwrap_or(&path).display());
            check(&place, &text, forbidden, problems);
        }
    }
    workspace::remove_dir(&out)?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_counts_only_whole() {
        assert_eq!(find_word("code 3500 here", "3500"), Some(5));
        assert_eq!(find_word("code 13500 and 35001", "3500"), None);
        assert_eq!(find_word("centrifugo-disconnect", "centrifugo"), Some(0));
        assert_eq!(find_word("mycentrifugo", "centrifugo"), None);
    }

    #[test]
    fn words_the_fixture_says_are_allowed() {
        let shipped = codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap();
        let forbidden = forbidden_words(&shipped, &shipped, "a registry that says Invalid Token itself");
        assert!(!forbidden.contains(&"invalid token".to_string()));
        assert!(forbidden.contains(&"centrifugo".to_string()) && forbidden.contains(&"streaming-session".to_string()));
        // The shipped registry has close-code families: a reconnect loop is its own word too.
        assert!(!forbidden.contains(&"reconnect loop".to_string()));
    }

    #[test]
    fn a_registry_without_close_codes_is_offered_no_reconnect_loop() {
        let shipped = codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap();
        let path = workspace::root().join("fixtures/foreign/grpc-status/codes.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let grpc = codebook_model::load_str("codes.yaml", &text).unwrap();
        let forbidden = forbidden_words(&shipped, &grpc, &text);
        assert!(forbidden.contains(&"reconnect loop".to_string()));
        assert!(!forbidden.contains(&"not found".to_string()), "the 404 page's own title is no leak");
    }

    #[test]
    fn links_are_site_relative_without_fragment() {
        let page = r#"<a href="/codes/x/1#causes">x</a> <a href="https://example.com/">e</a> <script src="/static/a.js"></script> <a href="//cdn/x">c</a> <form action="/search">"#;
        assert_eq!(links(page), ["/codes/x/1", "/static/a.js", "/search"]);
    }
}
