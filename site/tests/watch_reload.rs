//! `site serve --watch` as a process, end to end: a registry replaced by rename is picked up, an
//! invalid replacement is rejected with its located message while the last good registry keeps
//! being served. Waits are on the portal's own log lines, never on fixed sleeps. The long version
//! (100 replacements under load) is `cargo xtask soak --only reload`.

use std::ffi::OsStr;
use std::path::Path;

use codebook_model::EMBEDDED_CODES_YAML;

const TITLE: &str = "title: Streaming session disconnect codes";

mod support;

use support::Portal;

fn replace_atomically(path: &Path, contents: &[u8]) {
    let temporary = path.with_extension("yaml.tmp");
    std::fs::write(&temporary, contents).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

fn title_served(body: &str) -> String {
    let registry: serde_json::Value = serde_json::from_str(body).expect("/api/codes is JSON");
    registry["families"][0]["title"].as_str().expect("a title").to_string()
}

#[test]
fn a_watched_registry_replaced_by_rename_is_served_and_a_bad_one_is_rejected() {
    let dir = std::env::temp_dir().join(format!("site-watch-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let codes = dir.join("codes.yaml");
    assert!(EMBEDDED_CODES_YAML.contains(TITLE));
    replace_atomically(&codes, EMBEDDED_CODES_YAML.as_bytes());
    let portal = Portal::start(&[OsStr::new("--watch"), OsStr::new("--codes"), codes.as_os_str()], &[]);
    let (status, body) = portal.get("/api/codes");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(title_served(&body), "Streaming session disconnect codes");

    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/codebook-model/tests/invalid/duplicate_code.yaml");
    replace_atomically(&codes, &std::fs::read(bad).unwrap());
    let log = portal.wait_for("still serving the last good registry");
    assert!(log.contains(&format!("{}:27:15: duplicate code 3000", codes.display())), "{log}");
    assert_eq!(portal.get("/api/codes"), (status.clone(), body), "the last good registry is still served whole");

    let edited = EMBEDDED_CODES_YAML.replacen(TITLE, &format!("{TITLE}, edited"), 1);
    replace_atomically(&codes, edited.as_bytes());
    portal.wait_for("reloaded");
    let (status, body) = portal.get("/api/codes");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(title_served(&body), "Streaming session disconnect codes, edited");
    drop(portal);
    std::fs::remove_dir_all(&dir).ok();
}
