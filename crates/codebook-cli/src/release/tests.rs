//! The scripted history of issue 20, in a throwaway git repository: release 1.0.0; add a code
//! (1.1.0); reword a description (1.1.1); cut a backoff minimum (2.0.0). Each step cuts the
//! release with the library `codebook release` runs, commits and tags it as a maintainer would.

use super::*;

const REGISTRY: &str = "# a team's registry
version: 1.0.0
families:
  - id: chat
    title: Chat disconnects
    kind: websocket_close
    description: Codes a chat server closes with.
    backoff:
      min_ms: 1000
      max_ms: 30000
      jitter: full
    ranges:
      - from: 4000
        to: 4999
        scope: private
        label: chat codes
        reconnect: true
    fallback:
      label: anything else
      reconnect: false
    codes:
      - code: 4000
        name: Busy
        message: busy
        reconnect: true
        action: wait_for_capacity
        backoff:
          min_ms: 5000
          max_ms: 60000
          jitter: full
        description: Every room is full.
        causes: [a crowd]
";

/// A repository under the system temp dir, removed on drop.
struct Repo(PathBuf);

impl Repo {
    fn new() -> Repo {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("codebook-release-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        let repo = Repo(path);
        repo.git(&["init", "-q", "-b", "main"]);
        std::fs::write(repo.0.join("codes.yaml"), REGISTRY).unwrap();
        std::fs::write(
            repo.0.join("Cargo.toml"),
            "[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"0.0.1\"\nedition = \"2024\"\n\n[workspace.dependencies]\nteam-codes = { path = \"crates/team-codes\", version = \"=0.0.1\" }\nserde = \"1.0.228\"\n",
        )
        .unwrap();
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=codebook",
                "-c",
                "user.email=codebook@example.invalid",
                "-c",
                "tag.gpgSign=false",
                "-c",
                "commit.gpgSign=false",
            ])
            .args(args)
            .current_dir(&self.0)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    fn edit(&self, from: &str, to: &str) {
        let path = self.0.join("codes.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "edit target {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.0.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    fn release(&self) -> anyhow::Result<Outcome> {
        release(
            &self.0,
            &Options {
                codes: "codes.yaml".into(),
                out: "bindings".into(),
                changelog: "CHANGELOG.md".into(),
                cargo_manifest: Some("Cargo.toml".into()),
                date: Some("2026-12-07".into()),
                runtime_companions: false,
            },
        )
    }

    /// Cuts the release, then commits and tags it as `codebook release` tells a maintainer to.
    fn release_and_tag(&self) -> Outcome {
        let outcome = self.release().unwrap_or_else(|error| panic!("{error:#}"));
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", &format!("release {}", outcome.version)]);
        for tag in &outcome.tags {
            self.git(&["tag", tag]);
        }
        outcome
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_scripted_history_gets_the_versions_its_changes_call_for() {
    let repo = Repo::new();

    // The first release takes the declared version and lists the families.
    let first = repo.release_and_tag();
    assert_eq!((first.previous, first.version.to_string()), (None, "1.0.0".to_string()));
    assert_eq!(first.tags, ["v1.0.0", "bindings/go/codebook/v1.0.0"]);
    assert!(
        first.section.contains("- family `chat` added with 1 code ([chat](/families/chat); `FAMILY_ADDED`)"),
        "{}",
        first.section
    );
    assert!(repo.read("bindings/typescript/package.json").contains("\"version\": \"1.0.0\""));
    assert!(repo.read("Cargo.toml").contains("[workspace.package]\nversion = \"1.0.0\"\n"));

    // Add a code: minor.
    repo.edit(
        "        causes: [a crowd]\n",
        "        causes: [a crowd]\n      - code: 4001\n        name: Kicked\n        message: kicked\n        reconnect: true\n        description: A moderator removed the user from the room.\n        causes: [moderation]\n",
    );
    let added = repo.release_and_tag();
    assert_eq!((added.bump, added.version.to_string()), (Some(Bump::Minor), "1.1.0".to_string()));
    assert_eq!(
        added.section,
        "## [1.1.0] - 2026-12-07\n\n### Added\n\n- code 4001 `Kicked` of `chat` added ([4001](/codes/chat/4001); `CODE_ADDED`)\n"
    );
    assert!(repo.read("codes.yaml").contains("\nversion: 1.1.0\n"), "the registry is stamped");
    assert!(repo.read("bindings/python/pyproject.toml").contains("\nversion = \"1.1.0\"\n"));
    assert!(repo.read("bindings/java/pom.xml").contains("<version>1.1.0</version>"));
    assert!(repo.read("Cargo.toml").contains("version = \"1.1.0\""));
    assert!(
        repo.read("Cargo.toml")
            .ends_with("team-codes = { path = \"crates/team-codes\", version = \"=1.1.0\" }\nserde = \"1.0.228\"\n"),
        "exact requirements between the published crates follow; other dependencies stay:\n{}",
        repo.read("Cargo.toml")
    );

    // Reword a description: patch.
    repo.edit("description: Every room is full.", "description: No room has a free seat.");
    let reworded = repo.release_and_tag();
    assert_eq!((reworded.bump, reworded.version.to_string()), (Some(Bump::Patch), "1.1.1".to_string()));
    assert!(
        reworded.section.contains("### Changed\n\n- the text of code 4000 `Busy` of `chat` changed ([4000](/codes/chat/4000); `TEXT_CHANGED`)\n"),
        "{}",
        reworded.section
    );

    // Cut a backoff minimum: a break, so major; Go's module path gains /v2.
    repo.edit("          min_ms: 5000\n", "          min_ms: 50\n");
    let cut = repo.release_and_tag();
    assert_eq!((cut.bump, cut.version.to_string()), (Some(Bump::Major), "2.0.0".to_string()));
    assert_eq!(cut.tags, ["v2.0.0", "bindings/go/codebook/v2.0.0"]);
    assert_eq!(cut.go_module, "github.com/codebook-dev/codebook/bindings/go/codebook/v2");
    assert!(
        repo.read("bindings/go/codebook/go.mod")
            .contains("module github.com/codebook-dev/codebook/bindings/go/codebook/v2\n")
    );
    assert!(
        cut.section.contains("- **Breaking:** code 4000 `Busy` of `chat`: backoff minimum lowered from 5000 ms to 50 ms: every client of a fleet now retries 100x sooner after the same close, a reconnect storm against a server that asked it to wait ([4000](/codes/chat/4000); [`BACKOFF_MIN_NO_DECREASE`](/changelog#rule-BACKOFF_MIN_NO_DECREASE))"),
        "{}",
        cut.section
    );

    // The changelog holds every release, newest first, under one header.
    let changelog = repo.read("CHANGELOG.md");
    assert!(changelog.starts_with("# Changelog\n"));
    let order: Vec<usize> = ["## [2.0.0]", "## [1.1.1]", "## [1.1.0]", "## [1.0.0]"]
        .iter()
        .map(|heading| changelog.find(heading).unwrap())
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{changelog}");
    assert_eq!(repo.git(&["tag", "--list"]).lines().filter(|tag| tag.starts_with('v')).count(), 4);

    // What the release wrote, the model reads back: every release, its size and each line's rule.
    let history = codebook_model::ReleaseHistory::read("CHANGELOG.md", &changelog).unwrap();
    let read: Vec<(String, Option<Bump>, Vec<&str>)> = history
        .releases
        .iter()
        .map(|release| {
            let rules = release.changes.iter().map(|change| change.class.id()).collect();
            (release.version.to_string(), release.bump(), rules)
        })
        .collect();
    assert_eq!(
        read,
        [
            ("2.0.0".to_string(), Some(Bump::Major), vec!["BACKOFF_MIN_NO_DECREASE"]),
            ("1.1.1".to_string(), Some(Bump::Patch), vec!["TEXT_CHANGED"]),
            ("1.1.0".to_string(), Some(Bump::Minor), vec!["CODE_ADDED"]),
            ("1.0.0".to_string(), Some(Bump::Minor), vec!["FAMILY_ADDED"]),
        ]
    );
    let busy = history.code_history("chat", 4000);
    assert_eq!(
        (busy.came.unwrap().to_string(), busy.last_changed.unwrap().to_string()),
        ("1.0.0".into(), "2.0.0".into())
    );
}

#[test]
fn a_declared_version_smaller_than_the_changes_is_refused_and_nothing_is_written() {
    let repo = Repo::new();
    repo.release_and_tag();
    repo.edit("          min_ms: 5000\n", "          min_ms: 50\n");
    repo.edit("version: 1.0.0\n", "version: 1.1.0\n");
    let before = repo.read("codes.yaml");
    let error = repo.release().unwrap_err().to_string();
    assert!(
        error.starts_with("codes.yaml declares version 1.1.0, but the changes since v1.0.0 need a major release, 2.0.0:\n  BACKOFF_MIN_NO_DECREASE: code 4000 `Busy`"),
        "{error}"
    );
    assert_eq!(repo.read("codes.yaml"), before, "a refused release writes nothing");
    assert!(!repo.0.join("CHANGELOG.md").exists() || !repo.read("CHANGELOG.md").contains("## [1.1.0]"));

    // A larger step than needed is the maintainer's call; skipping a version is not.
    repo.edit("version: 1.1.0\n", "version: 3.0.0\n");
    assert!(repo.release().unwrap_err().to_string().contains("declares version 3.0.0"));
    repo.edit("version: 3.0.0\n", "version: 2.0.0\n");
    assert_eq!(repo.release().unwrap().version.to_string(), "2.0.0");
}

#[test]
fn nothing_changed_is_nothing_to_release() {
    let repo = Repo::new();
    repo.release_and_tag();
    let error = repo.release().unwrap_err().to_string();
    assert!(error.starts_with("nothing to release"), "{error}");
}

#[test]
fn a_release_written_but_not_tagged_is_not_written_twice() {
    let repo = Repo::new();
    repo.release().unwrap();
    let error = repo.release().unwrap_err().to_string();
    assert_eq!(error, "CHANGELOG.md already has a section for 1.0.0: tag that commit v1.0.0 instead");
}

#[test]
fn texts_from_the_registry_cannot_become_markdown() {
    assert_eq!(
        markdown_text("retired: see [here](https://x) <b>*now*</b> `a_b [c]`"),
        "retired: see \\[here\\](https://x) \\<b\\>\\*now\\*\\</b\\> `a_b [c]`"
    );
}

#[test]
fn dates_are_proleptic_gregorian() {
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    assert_eq!(civil_from_days(20_794), (2026, 12, 7));
    assert_eq!(civil_from_days(11_016), (2000, 2, 29));
}
