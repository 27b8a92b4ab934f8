//! The scripted release history of `cargo xtask test`, in a throwaway git repository under
//! `target/release-history/`: the registry of `xtask/tests/release_history/codes.yaml` released
//! as 1.0.0, then a code added (1.1.0), a description reworded (1.1.1) and a backoff minimum cut
//! (2.0.0). Each release is cut by the library `codebook release` runs, committed and tagged as
//! its output says; the step checks the version, the changelog's reason, and every language's
//! own API tool ([`api_check`]) against the previous release: additions only for the added code,
//! nothing for the reworded text and for the backoff cut (a fleet-behaviour break, major by the
//! registry's rule though no API changes). The added code taken away again must be a break in
//! every language, so a tool that sees nothing cannot pass.

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};
use codebook_cli::release::{self, Options, Outcome};
use codebook_model::Bump;

use crate::command::Step;
use crate::test_suite::api_check::{self, Build, LANGUAGES, Report, Tools, Verdict};
use crate::workspace;

/// One scripted change and what must come of it.
struct Change {
    what: &'static str,
    /// Replacements in `codes.yaml` (each target must occur exactly once).
    edits: &'static [(&'static str, &'static str)],
    version: &'static str,
    bump: Bump,
    /// A line the changelog section must hold: the rule that decided the version.
    reason: &'static str,
    /// What every language's API tool must see against the previous release.
    api: Verdict,
}

const HISTORY: &[Change] = &[
    Change {
        what: "add a code",
        edits: &[(
            "        causes: [a crowd]\n",
            "        causes: [a crowd]\n      - code: 4001\n        name: Kicked\n        message: kicked\n        reconnect: true\n        description: A moderator removed the user from the room.\n        causes: [moderation]\n",
        )],
        version: "1.1.0",
        bump: Bump::Minor,
        reason: "- code 4001 `Kicked` of `chat` added ([4001](/codes/chat/4001); `CODE_ADDED`)",
        api: Verdict::Additions,
    },
    Change {
        what: "reword a description",
        edits: &[("description: Every room is full.", "description: No room has a free seat.")],
        version: "1.1.1",
        bump: Bump::Patch,
        reason: "- the text of code 4000 `Busy` of `chat` changed ([4000](/codes/chat/4000); `TEXT_CHANGED`)",
        api: Verdict::Unchanged,
    },
    Change {
        what: "cut a backoff minimum",
        edits: &[("          min_ms: 5000\n", "          min_ms: 50\n")],
        version: "2.0.0",
        bump: Bump::Major,
        reason: "backoff minimum lowered from 5000 ms to 50 ms",
        api: Verdict::Unchanged,
    },
];

/// Runs the history and every API check (see the module doc).
pub fn run(root: &Path) -> anyhow::Result<()> {
    let scratch = workspace::scratch("release-history");
    workspace::remove_dir(&scratch)?;
    let repo = scratch.join("repo");
    fs::create_dir_all(&repo)?;
    git(&repo, &["init", "-q", "-b", "main"])?;
    fs::copy(root.join("xtask/tests/release_history/codes.yaml"), repo.join("codes.yaml"))?;
    let tools = Tools::install(root)?;

    let first = cut(&repo)?;
    if (first.previous, first.version.to_string().as_str()) != (None, "1.0.0") {
        bail!("the first release should be 1.0.0, got {}", first.version);
    }
    let mut builds = vec![build(&tools, &repo, &scratch, &first)?];
    let mut table = vec![format!("| release | change | registry | {} |", LANGUAGES.join(" | "))];
    table.push(format!("|---|---|---|{}", "---|".repeat(LANGUAGES.len())));
    table.push(format!("| 1.0.0 | first release | - |{}", " - |".repeat(LANGUAGES.len())));
    let mut failures = Vec::new();
    for change in HISTORY {
        let codes = repo.join("codes.yaml");
        let mut text = fs::read_to_string(&codes)?;
        for (from, to) in change.edits {
            if text.matches(from).count() != 1 {
                bail!("the scripted edit {from:?} does not match codes.yaml once");
            }
            text = text.replacen(from, to, 1);
        }
        fs::write(&codes, text)?;
        let outcome = cut(&repo)?;
        if (outcome.bump, outcome.version.to_string().as_str()) != (Some(change.bump), change.version) {
            bail!(
                "{}: expected a {} release {}, `codebook release` made {:?} {}",
                change.what,
                change.bump.as_str(),
                change.version,
                outcome.bump,
                outcome.version
            );
        }
        if !outcome.section.contains(change.reason) {
            bail!(
                "{}: the changelog section does not say why ({:?}):\n{}",
                change.what,
                change.reason,
                outcome.section
            );
        }
        let build = build(&tools, &repo, &scratch, &outcome)?;
        let reports = api_check::compare(&tools, builds.last().expect("the first release"), &build)?;
        table.push(row(change.version, change.what, change.bump, &reports));
        for report in &reports {
            if !api_check::agrees(change.bump, report.verdict) {
                failures.push(disagreement(change.what, &format!("a {} release", change.bump.as_str()), report));
            } else if report.verdict != change.api {
                failures.push(disagreement(change.what, &format!("{} expected", change.api), report));
            }
        }
        builds.push(build);
    }

    // The tools must see a break: 1.1.0's added code taken away again.
    let reports = api_check::compare(&tools, &builds[1], &builds[0])?;
    table.push(row("(1.1.0 -> 1.0.0)", "a code removed", Bump::Major, &reports));
    for report in &reports {
        if report.verdict != Verdict::Break {
            failures.push(disagreement("a code removed", "a break expected", report));
        }
    }
    eprintln!("\nAPI checks of the scripted release history:\n{}\n", table.join("\n"));
    if !failures.is_empty() {
        bail!("the languages' API tools disagree with the registry's rules:\n{}", failures.join("\n"));
    }
    let changelog = fs::read_to_string(repo.join("CHANGELOG.md"))?;
    let order: Vec<Option<usize>> = ["## [2.0.0]", "## [1.1.1]", "## [1.1.0]", "## [1.0.0]"]
        .iter()
        .map(|heading| changelog.find(heading))
        .collect();
    if order.iter().any(Option::is_none) || !order.windows(2).all(|pair| pair[0] < pair[1]) {
        bail!("CHANGELOG.md should list 2.0.0, 1.1.1, 1.1.0 and 1.0.0, newest first:\n{changelog}");
    }
    Ok(())
}

/// Cuts the next release and commits and tags it, as `codebook release` tells a maintainer to.
fn cut(repo: &Path) -> anyhow::Result<Outcome> {
    let outcome = release::release(
        repo,
        &Options {
            codes: "codes.yaml".into(),
            out: "bindings".into(),
            changelog: "CHANGELOG.md".into(),
            cargo_manifest: None,
            date: Some("2026-12-07".into()),
            runtime_companions: false,
        },
    )?;
    eprintln!("==> released {} ({})", outcome.version, outcome.bump.map_or("first", Bump::as_str));
    git(repo, &["add", "-A"])?;
    git(repo, &["commit", "-q", "-m", &format!("release {}", outcome.version)])?;
    for tag in &outcome.tags {
        git(repo, &["tag", tag])?;
    }
    Ok(outcome)
}

fn build(tools: &Tools, repo: &Path, scratch: &Path, outcome: &Outcome) -> anyhow::Result<Build> {
    let name = outcome.version.to_string();
    api_check::build(
        tools,
        &name,
        &repo.join("codes.yaml"),
        &repo.join("bindings"),
        &scratch.join("builds").join(&name),
    )
}

fn row(version: &str, what: &str, bump: Bump, reports: &[Report]) -> String {
    let cells: Vec<String> = reports.iter().map(|report| report.verdict.to_string()).collect();
    format!("| {version} | {what} | {} | {} |", bump.as_str(), cells.join(" | "))
}

fn disagreement(what: &str, expected: &str, report: &Report) -> String {
    let details: Vec<String> = report.details.iter().take(8).map(|line| format!("    {line}")).collect();
    format!("  {what}: {} says {} ({expected})\n{}", report.language, report.verdict, details.join("\n"))
}

fn git(repo: &Path, args: &[&str]) -> anyhow::Result<()> {
    Step::new("git")
        .args(["-c", "user.name=codebook", "-c", "user.email=codebook@example.invalid"])
        .args(["-c", "commit.gpgSign=false", "-c", "tag.gpgSign=false"])
        .args(args)
        .dir(repo)
        .quiet()
        .map(drop)
        .with_context(|| format!("git {}", args.join(" ")))
}
