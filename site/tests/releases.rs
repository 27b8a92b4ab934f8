//! The portal's versions: code pages say in which release a code came and last changed,
//! `/changelog` lists the releases, every pair of releases has a comparison page with the rules'
//! verdicts, `/changelog.atom` is a valid Atom feed with absolute links, and the static export
//! holds them all.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use codebook_model::{EMBEDDED_CODES_YAML, ReleaseHistory, load_str};
use site::{AppState, Site, router};
use tower::ServiceExt;

const CHANGELOG: &str = include_str!("fixtures/releases_changelog.md");

fn site_with_history(registry_text: &str) -> Site {
    let registry = load_str("codes.yaml", registry_text).expect("valid registry");
    let history = ReleaseHistory::read("releases_changelog.md", CHANGELOG).expect("the fixture reads");
    Site::build_with_history(registry, history)
}

async fn get(app: &Router, uri: &str) -> Response {
    app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap()
}

async fn page(app: &Router, uri: &str) -> String {
    let response = get(app, uri).await;
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn a_code_page_says_when_the_code_came_and_last_changed() {
    let app = router(AppState::new(site_with_history(EMBEDDED_CODES_YAML)));
    let changed = page(&app, "/codes/centrifugo-disconnect/3500").await;
    assert!(
        changed.contains("<dt>Released in</dt><dd><a href=\"/changelog#release-1.0.0\">1.0.0</a>; last changed in <a href=\"/changelog#release-2.0.0\">2.0.0</a></dd>"),
        "{changed}"
    );
    let added = page(&app, "/codes/centrifugo-disconnect/3501").await;
    assert!(added.contains("<a href=\"/changelog#release-1.1.0\">1.1.0</a>, unchanged since"));
    // A family no recorded release mentions: no line at all.
    let unrecorded = page(&app, "/codes/streaming-session/1").await;
    assert!(!unrecorded.contains("Released in"));
}

#[tokio::test]
async fn the_changelog_lists_every_release_with_its_rules_and_escapes_their_text() {
    let app = router(AppState::new(site_with_history(EMBEDDED_CODES_YAML)));
    let changelog = page(&app, "/changelog").await;
    let order: Vec<usize> = ["id=\"release-2.0.0\"", "id=\"release-1.1.0\"", "id=\"release-1.0.0\""]
        .iter()
        .map(|anchor| changelog.find(anchor).unwrap_or_else(|| panic!("{anchor} missing")))
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "newest first");
    assert!(changelog.contains("<a href=\"/changelog/compare/1.1.0...2.0.0\">Compare with 1.1.0</a>"));
    assert!(changelog.contains("<strong>Breaking:</strong> code 3500 <code>InvalidToken</code>"));
    assert!(
        changelog
            .contains("<a href=\"/changelog#rule-BACKOFF_MIN_NO_DECREASE\"><code>BACKOFF_MIN_NO_DECREASE</code></a>")
    );
    // Every rule a line names has its row, the non-breaking ones included.
    assert!(changelog.contains("<tr id=\"rule-CODE_ADDED\">"));
    assert!(changelog.contains("<tr id=\"rule-BACKOFF_MIN_NO_DECREASE\">"));
    assert!(changelog.contains("the text &lt;script&gt;alert(1)&lt;/script&gt; of"), "registry text is escaped");
    assert!(!changelog.contains("<script>alert"));
    assert!(changelog.contains("<a href=\"/changelog.atom\">Atom feed of releases</a>"));
}

#[tokio::test]
async fn any_two_releases_compare_with_the_size_of_the_step() {
    let app = router(AppState::new(site_with_history(EMBEDDED_CODES_YAML)));
    let major = page(&app, "/changelog/compare/1.0.0...2.0.0").await;
    assert!(major.contains("<h1>Changes from 1.0.0 to 2.0.0</h1>"));
    assert!(major.contains("A <strong>major</strong> step: 1 change breaks a rule"), "{major}");
    assert!(major.find("1.1.0-heading").unwrap() < major.find("2.0.0-heading").unwrap(), "oldest first");
    assert!(!major.contains("1.0.0-heading"), "the starting release is not part of the step");
    let minor = page(&app, "/changelog/compare/1.0.0...1.1.0").await;
    assert!(minor.contains("A <strong>minor</strong> step"));
    assert!(minor.contains("<a href=\"/changelog/compare/1.0.0...2.0.0\">1.0.0 to 2.0.0</a>"));
    for missing in ["/changelog/compare/2.0.0...1.0.0", "/changelog/compare/1.0.0...9.0.0", "/changelog/compare/x"] {
        assert_eq!(get(&app, missing).await.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn the_feed_is_valid_atom_with_absolute_links_from_the_base_url() {
    let based = EMBEDDED_CODES_YAML.replacen("\nversion:", "\ndoc_base_url: https://codes.example.com\nversion:", 1);
    let app = router(AppState::new(site_with_history(&based)));
    let response = get(&app, "/changelog.atom").await;
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/atom+xml; charset=utf-8");
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let feed = atom_syndication::Feed::read_from(&bytes[..]).expect("a well-formed Atom feed");
    assert_eq!(feed.id(), "https://codes.example.com/changelog");
    assert_eq!(feed.updated().to_rfc3339(), "2026-12-09T00:00:00+00:00");
    assert!(!feed.authors().is_empty(), "a feed without entry authors needs its own");
    assert!(
        feed.links()
            .iter()
            .any(|link| link.rel() == "self" && link.href() == "https://codes.example.com/changelog.atom")
    );
    let titles: Vec<&str> = feed.entries().iter().map(|entry| entry.title().as_str()).collect();
    assert_eq!(titles, ["Release 2.0.0 (major)", "Release 1.1.0 (minor)", "Release 1.0.0 (minor)"]);
    let newest = &feed.entries()[0];
    assert_eq!(newest.id(), "https://codes.example.com/changelog#release-2.0.0");
    assert_eq!(newest.links()[0].href(), "https://codes.example.com/changelog#release-2.0.0");
    let content = newest.content().and_then(|content| content.value()).expect("content");
    assert!(
        content.contains("<a href=\"https://codes.example.com/codes/centrifugo-disconnect/3500\">page</a>"),
        "{content}"
    );
    assert!(content.contains("<code>BACKOFF_MIN_NO_DECREASE</code>"));

    // Without a release there is no feed; the changelog does not link one.
    let bare = router(AppState::new(Site::build(load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap())));
    assert_eq!(get(&bare, "/changelog.atom").await.status(), StatusCode::NOT_FOUND);
    assert!(!page(&bare, "/changelog").await.contains("changelog.atom"));
}

#[test]
fn the_export_holds_the_feed_and_the_comparisons() {
    let out = std::env::temp_dir().join(format!("codebook-releases-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    site::export::export(&site_with_history(EMBEDDED_CODES_YAML), &out).expect("export");
    let feed = std::fs::read_to_string(out.join("changelog.atom")).expect("the feed is a file");
    assert!(
        feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    let compare = std::fs::read_to_string(out.join("changelog/compare/1.0.0...2.0.0/index.html")).expect("a page");
    assert!(compare.contains("Changes from 1.0.0 to 2.0.0"));
    std::fs::remove_dir_all(&out).unwrap();
}
