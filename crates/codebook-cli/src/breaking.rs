//! `codebook breaking` (also `cargo xtask breaking`): the breaking-change check of `codes.yaml` against a git base.
//!
//! Reads `codes.yaml` at a git ref (default: the merge base with `main`) and in the working tree,
//! both through the model crate, and prints every break `codebook_model::compare` finds, located
//! and tagged with its rule id and category. Exits non-zero when a break falls in a chosen
//! category. Meant as a CI step next to `cargo xtask check`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use codebook_model::{Break, BreakCategory, Side, compare, load_path, load_str};

/// What a comparison found, split by whether the chosen categories count it.
pub struct Report {
    pub base: String,
    pub counted: Vec<Break>,
    pub ignored: Vec<Break>,
}

/// Runs the check from the command line and turns counted breaks into a failure.
pub fn command(codes: &Path, against: Option<&str>, categories: &[String]) -> anyhow::Result<()> {
    let categories = parse_categories(categories)?;
    let repo = std::env::current_dir()?;
    let report = check_against(&repo, codes, against, &categories)?;
    print!("{}", render(&report, codes));
    if !report.counted.is_empty() {
        bail!("{} breaking change(s) against {}", report.counted.len(), report.base);
    }
    Ok(())
}

fn parse_categories(names: &[String]) -> anyhow::Result<Vec<BreakCategory>> {
    if names.is_empty() {
        return Ok(BreakCategory::ALL.to_vec());
    }
    names
        .iter()
        .flat_map(|name| name.split(','))
        .map(|name| {
            BreakCategory::parse(name.trim())
                .with_context(|| format!("unknown category `{name}`; use wire, behaviour or source"))
        })
        .collect()
}

fn git(repo: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git").args(args).current_dir(repo).output().context("cannot run git")
}

/// Compares `codes` (a path in the working tree of `repo`) with the same file at `against`.
pub fn check_against(
    repo: &Path,
    codes: &Path,
    against: Option<&str>,
    categories: &[BreakCategory],
) -> anyhow::Result<Report> {
    let base = match against {
        Some(reference) => reference.to_string(),
        None => {
            let output = git(repo, &["merge-base", "HEAD", "main"])?;
            if !output.status.success() {
                bail!("cannot find the merge base with `main`; pass --against REF");
            }
            String::from_utf8_lossy(&output.stdout).trim().to_string()
        }
    };
    let prefix = git(repo, &["rev-parse", "--show-prefix"])?;
    let in_repo = format!("{}{}", String::from_utf8_lossy(&prefix.stdout).trim(), codes.display());
    let shown = git(repo, &["show", &format!("{base}:{in_repo}")])?;
    let after = load_path(&repo.join(codes)).map_err(|error| anyhow::anyhow!("{error}"))?;
    if !shown.status.success() {
        let exists = git(repo, &["rev-parse", "--verify", "--quiet", &format!("{base}^{{commit}}")])?;
        if !exists.status.success() {
            bail!("`{base}` is not a commit in this repository");
        }
        // The registry is new at this base: everything is an addition.
        return Ok(Report { base, counted: Vec::new(), ignored: Vec::new() });
    }
    let before_text = String::from_utf8(shown.stdout).context("the base registry is not UTF-8")?;
    let before = load_str(&format!("{base}:{in_repo}"), &before_text)
        .map_err(|error| anyhow::anyhow!("the registry at the base does not load:\n{error}"))?;
    let (counted, ignored) =
        compare(&before, &after).into_iter().partition(|found| categories.contains(&found.rule.category));
    Ok(Report { base, counted, ignored })
}

/// One line per break, `path:line:col: RULE_ID (category): message`, then the purpose of every
/// rule that fired.
pub fn render(report: &Report, codes: &Path) -> String {
    let mut out = String::new();
    let line = |found: &Break| {
        let path = match found.side {
            Side::Before => format!("{}:{}", report.base, codes.display()),
            Side::After => codes.display().to_string(),
        };
        format!("{path}:{}: {} ({}): {}\n", found.location, found.rule.id, found.rule.category.as_str(), found.message)
    };
    for found in &report.counted {
        out.push_str(&line(found));
    }
    for found in &report.ignored {
        out.push_str(&format!("note, category not checked: {}", line(found)));
    }
    let mut fired: Vec<_> = report.counted.iter().chain(&report.ignored).map(|found| found.rule).collect();
    fired.sort_by_key(|rule| rule.id);
    fired.dedup();
    for rule in fired {
        out.push_str(&format!("  {}: {}\n", rule.id, rule.purpose));
    }
    if report.counted.is_empty() {
        out.push_str(&format!("no breaking change against {}\n", report.base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = "families:
  - id: chat
    title: Chat disconnects
    kind: websocket_close
    description: Codes a chat server closes with.
    ranges:
      - from: 3000
        to: 3999
        scope: server
        label: server codes
        reconnect: true
    fallback:
      label: anything else
      reconnect: true
    codes:
      - code: 3000
        name: Shutdown
        message: shutdown
        description: The server is going down.
        causes: [a deploy]
      - code: 3001
        name: Slow
        message: slow
        description: The client reads too slowly.
        causes: [a slow network]
";

    /// A throwaway git repository with `REGISTRY` committed on `main`.
    fn repository() -> tempfile_dir::Dir {
        let dir = tempfile_dir::Dir::new();
        let run = |args: &[&str]| {
            let status = Command::new("git")
                .args(["-c", "user.name=codebook", "-c", "user.email=codebook@example.invalid"])
                .args(args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
        };
        run(&["init", "-q", "-b", "main"]);
        std::fs::write(dir.path().join("codes.yaml"), REGISTRY).unwrap();
        run(&["add", "codes.yaml"]);
        run(&["commit", "-q", "-m", "registry"]);
        run(&["checkout", "-q", "-b", "feature"]);
        dir
    }

    mod tempfile_dir {
        /// A directory under the system temp dir, removed on drop.
        pub struct Dir(std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let path = std::env::temp_dir().join(format!("codebook-breaking-{}-{n}", std::process::id()));
                let _ = std::fs::remove_dir_all(&path);
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
            pub fn path(&self) -> &std::path::Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn edit_and_check(edit: (&str, &str), categories: &[BreakCategory]) -> (Report, String) {
        let repo = repository();
        std::fs::write(repo.path().join("codes.yaml"), REGISTRY.replacen(edit.0, edit.1, 1)).unwrap();
        let report = check_against(repo.path(), Path::new("codes.yaml"), None, categories).unwrap();
        let text = render(&report, Path::new("codes.yaml"));
        (report, text)
    }

    #[test]
    fn a_rename_against_the_merge_base_is_a_located_source_break() {
        let (report, text) = edit_and_check(("name: Slow", "name: TooSlow"), &BreakCategory::ALL);
        assert_eq!(report.counted.len(), 1);
        assert!(
            text.starts_with(
                "codes.yaml:21:15: CODE_SAME_NAME (source): code 3001 of `chat` was renamed from `Slow` to `TooSlow`\n"
            ),
            "{text}"
        );
        assert!(text.contains("  CODE_SAME_NAME: a code keeps its name"), "{text}");
    }

    #[test]
    fn unchosen_categories_are_reported_but_do_not_count() {
        let (report, text) = edit_and_check(("name: Slow", "name: TooSlow"), &[BreakCategory::Wire]);
        assert!(report.counted.is_empty());
        assert_eq!(report.ignored.len(), 1);
        assert!(text.contains("note, category not checked: codes.yaml:21:15: CODE_SAME_NAME"), "{text}");
    }

    #[test]
    fn a_deleted_code_points_into_the_base() {
        let (report, text) = edit_and_check(
            (
                "      - code: 3001\n        name: Slow\n        message: slow\n        description: The client reads too slowly.\n        causes: [a slow network]\n",
                "",
            ),
            &BreakCategory::ALL,
        );
        assert_eq!(report.counted.len(), 1);
        let base = &report.base;
        assert!(
            text.starts_with(&format!("{base}:codes.yaml:21:15: CODE_NO_DELETE (wire): code 3001 `Slow`")),
            "{text}"
        );
    }

    #[test]
    fn an_addition_is_not_a_break() {
        let added = "        causes: [a slow network]\n      - code: 3002\n        name: Banned\n        message: banned\n        description: The user is banned.\n        causes: [moderation]\n";
        let (report, text) = edit_and_check(("        causes: [a slow network]\n", added), &BreakCategory::ALL);
        assert!(report.counted.is_empty() && report.ignored.is_empty());
        assert!(text.starts_with("no breaking change against "), "{text}");
    }
}
