//! `codebook release` (also `cargo xtask release`): cuts a release of the registry.
//!
//! Against the last release tag (`vX.Y.Z`, the highest in the repository) it lists every change of
//! `codes.yaml` through the model's rules (`codebook_model::release_changes`), computes the next
//! version (a break: major; an addition: minor; text only: patch), refuses a declared `version:`
//! that says less, writes the release's section into the Keep-a-Changelog file, stamps the
//! version into `codes.yaml` and (when asked) a Cargo manifest, regenerates every binding, and
//! prints the tags to push: `vX.Y.Z` and the Go module's `bindings/go/<package>/vX.Y.Z`. It
//! commits and tags nothing itself.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use codebook_model::{Bump, ChangeClass, Registry, ReleaseChange, Version, load_str, release_changes, required_bump};

/// What to release and where to write.
pub struct Options {
    /// The registry, relative to the repository.
    pub codes: PathBuf,
    /// The bindings directory to regenerate.
    pub out: PathBuf,
    /// The Keep-a-Changelog file (created when missing).
    pub changelog: PathBuf,
    /// A Cargo manifest whose `[workspace.package]` (or `[package]`) version follows the registry.
    pub cargo_manifest: Option<PathBuf>,
    /// The release date, `YYYY-MM-DD` (default: today, UTC).
    pub date: Option<String>,
    /// Also regenerate the runtime folders' companions (the workspace's own release).
    pub runtime_companions: bool,
}

/// What a release did.
#[derive(Debug)]
pub struct Outcome {
    /// The last release tag's version, `None` for the first release.
    pub previous: Option<Version>,
    pub version: Version,
    /// The step the changes require (`None` for the first release).
    pub bump: Option<Bump>,
    pub changes: Vec<ReleaseChange>,
    /// The changelog section written.
    pub section: String,
    /// The tags to push, the repository's first.
    pub tags: Vec<String>,
    /// The Go module path at this version (with `/vN` from v2 on).
    pub go_module: String,
}

/// Runs the release from the command line and prints what to push.
pub fn command(options: &Options) -> anyhow::Result<()> {
    let repo = std::env::current_dir()?;
    let outcome = release(&repo, options)?;
    match outcome.previous {
        Some(previous) => eprintln!(
            "release {} ({} after v{previous}, {} change(s))",
            outcome.version,
            outcome.bump.map_or("first", Bump::as_str),
            outcome.changes.len()
        ),
        None => eprintln!("first release {}", outcome.version),
    }
    print!("{}", outcome.section);
    println!("\nGo module path: {}", outcome.go_module);
    println!("Commit, then tag and push:");
    for tag in &outcome.tags {
        println!("  git tag {tag}");
    }
    println!("  git push origin {}", outcome.tags.join(" "));
    Ok(())
}

/// Cuts the release in the working tree of `repo` (see the module doc).
pub fn release(repo: &Path, options: &Options) -> anyhow::Result<Outcome> {
    let codes_path = repo.join(&options.codes);
    let text = std::fs::read_to_string(&codes_path)
        .with_context(|| format!("cannot read the registry {}", codes_path.display()))?;
    let after = load(&options.codes.display().to_string(), &text)?;
    let previous = last_release(repo)?;
    let (version, bump, changes) = match previous {
        None => {
            let empty = Registry { families: Vec::new(), ..after.clone() };
            (after.version, None, release_changes(&empty, &after))
        }
        Some(last) => {
            let tag = format!("v{last}");
            let before_text = show(repo, &tag, &options.codes)?;
            let before = load(&format!("{tag}:{}", options.codes.display()), &before_text)?;
            let changes = release_changes(&before, &after);
            let Some(required) = required_bump(&changes) else {
                bail!("nothing to release: codes.yaml has not changed since {tag} (beyond its version)");
            };
            let next = last.bumped(required);
            let declared = after.version;
            let version = if declared == last {
                next
            } else if last.step_to(declared).is_some_and(|step| step >= required) {
                declared
            } else {
                let why: Vec<String> = changes
                    .iter()
                    .filter(|change| change.class.bump() == required)
                    .take(3)
                    .map(|change| format!("  {}: {}", change.class.id(), change.message))
                    .collect();
                bail!(
                    "codes.yaml declares version {declared}, but the changes since {tag} need a {} release, {next}:\n{}",
                    required.as_str(),
                    why.join("\n")
                );
            };
            (version, Some(required), changes)
        }
    };
    if tag_exists(repo, &format!("v{version}"))? {
        bail!("the tag v{version} already exists; a version is never released twice");
    }
    let changelog_path = repo.join(&options.changelog);
    let existing = std::fs::read_to_string(&changelog_path).unwrap_or_default();
    if existing.contains(&format!("\n## [{version}]")) {
        bail!(
            "{} already has a section for {version}: tag that commit v{version} instead",
            options.changelog.display()
        );
    }
    let date = match &options.date {
        Some(date) => date.clone(),
        None => today_utc(),
    };
    let section = changelog_section(version, &date, &changes, after.doc_base_url.as_deref().unwrap_or(""));

    // Stamp, then regenerate from the stamped file.
    write_atomically(&codes_path, &stamp_registry(&text, version))?;
    if let Some(manifest) = &options.cargo_manifest {
        let path = repo.join(manifest);
        let manifest_text =
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        write_atomically(&path, &stamp_cargo_manifest(&manifest_text, version)?)?;
    }
    write_atomically(&changelog_path, &insert_section(&existing, &section))?;
    let out = repo.join(&options.out);
    codebook_codegen::ensure_bindings(&codes_path, &out, codebook_codegen::Mode::Write)?;
    if options.runtime_companions {
        codebook_codegen::ensure_runtime_companions(codebook_codegen::Mode::Write)?;
    }
    let stamped = load(&options.codes.display().to_string(), &std::fs::read_to_string(&codes_path)?)?;
    let tags = vec![
        format!("v{version}"),
        format!("bindings/{}/v{version}", codebook_codegen::go::module_dir(&stamped.bindings)),
    ];
    Ok(Outcome { previous, version, bump, changes, section, tags, go_module: stamped.bindings.go_module })
}

fn load(name: &str, text: &str) -> anyhow::Result<Registry> {
    load_str(name, text).map_err(|error| anyhow::anyhow!("{}", error.render()))
}

fn git(repo: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git").args(args).current_dir(repo).output().context("cannot run git")
}

/// The highest `vX.Y.Z` tag of the repository.
fn last_release(repo: &Path) -> anyhow::Result<Option<Version>> {
    let output = git(repo, &["tag", "--list", "v*"])?;
    if !output.status.success() {
        bail!("git tag failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|tag| tag.strip_prefix('v').and_then(Version::parse))
        .max())
}

fn tag_exists(repo: &Path, tag: &str) -> anyhow::Result<bool> {
    Ok(git(repo, &["rev-parse", "--verify", "--quiet", &format!("refs/tags/{tag}")])?.status.success())
}

/// `codes` as it was at `reference`.
fn show(repo: &Path, reference: &str, codes: &Path) -> anyhow::Result<String> {
    let prefix = git(repo, &["rev-parse", "--show-prefix"])?;
    let in_repo = format!("{}{}", String::from_utf8_lossy(&prefix.stdout).trim(), codes.display());
    let shown = git(repo, &["show", &format!("{reference}:{in_repo}")])?;
    if !shown.status.success() {
        bail!("{in_repo} does not exist at {reference}: {}", String::from_utf8_lossy(&shown.stderr).trim());
    }
    String::from_utf8(shown.stdout).with_context(|| format!("{in_repo} at {reference} is not UTF-8"))
}

/// Keep a Changelog's headings, in its order, and which rules land under each.
fn heading(class: ChangeClass) -> &'static str {
    match class.id() {
        "FAMILY_ADDED" | "CODE_ADDED" | "KNOWN_MESSAGE_ADDED" => "Added",
        "CODE_RETIRED" | "CODE_NO_DELETE" | "FAMILY_NO_DELETE" | "RETIRED_NO_DELETE" => "Removed",
        _ => "Changed",
    }
}

/// `## [X.Y.Z] - date` and one line per change under its heading, each linking the page of the
/// code or family and naming the rule that classified it (a breaking rule links its row on the
/// portal's changelog).
pub fn changelog_section(version: Version, date: &str, changes: &[ReleaseChange], base: &str) -> String {
    let mut out = format!("## [{version}] - {date}\n");
    for title in ["Added", "Changed", "Removed"] {
        let lines: Vec<&ReleaseChange> = changes.iter().filter(|change| heading(change.class) == title).collect();
        if lines.is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {title}\n\n");
        for change in lines {
            let target = change.number.map_or_else(|| change.family.clone(), |number| number.to_string());
            let (prefix, rule) = match change.class {
                ChangeClass::Break(rule) => ("**Breaking:** ", format!("[`{0}`]({base}/changelog#rule-{0})", rule.id)),
                ChangeClass::Change(rule) => ("", format!("`{}`", rule.id)),
            };
            let _ = writeln!(out, "- {prefix}{} ([{target}]({}); {rule})", markdown_text(&change.message), change.url);
        }
    }
    if changes.is_empty() {
        out.push_str("\nNo change to the codes.\n");
    }
    out
}

/// `text` with Markdown's active characters escaped outside code spans (names and texts from
/// `codes.yaml` must not become links, HTML or emphasis in the changelog).
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for character in text.chars() {
        if character == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(character, '\\' | '[' | ']' | '<' | '>' | '*' | '_' | '#' | '|' | '!') {
            out.push('\\');
        }
        out.push(character);
    }
    out
}

const CHANGELOG_HEADER: &str = "# Changelog\n\nEvery release of the registry `codes.yaml`, written by `codebook release`.\nThe format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/), and the versions\n[Semantic Versioning](https://semver.org/spec/v2.0.0.html): a change that breaks a rule of\n`codebook breaking` is a major release, an addition a minor one, a change of text a patch.\n";

/// The changelog with `section` as its newest release (above the previous newest).
fn insert_section(existing: &str, section: &str) -> String {
    let existing = if existing.trim().is_empty() { CHANGELOG_HEADER } else { existing };
    match existing.find("\n## [") {
        Some(at) => format!("{}\n{section}{}", &existing[..=at], &existing[at..]),
        None => format!("{}\n{section}", existing.trim_end_matches('\n').to_string() + "\n"),
    }
}

/// `codes.yaml` with its top-level `version:` set (added above the first top-level key if absent).
fn stamp_registry(text: &str, version: Version) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let top_level_key =
        |line: &str| line.chars().next().is_some_and(|first| first.is_ascii_lowercase()) && line.contains(':');
    let line = format!("version: {version}\n");
    match lines.iter().position(|existing| existing.starts_with("version:")) {
        Some(at) => lines[at] = line,
        None => {
            let at = lines.iter().position(|existing| top_level_key(existing)).unwrap_or(lines.len());
            lines.insert(at, line);
        }
    }
    lines.concat()
}

/// A Cargo manifest with the `version` of its `[workspace.package]` (or `[package]`) section set,
/// and every exact requirement on a path dependency (`{ path = "..", version = "=X.Y.Z" }`, how
/// the published crates name each other) moved to the same version.
fn stamp_cargo_manifest(text: &str, version: Version) -> anyhow::Result<String> {
    let mut section = "";
    let mut stamped = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = match trimmed {
                "[workspace.package]" | "[package]" => "package",
                "[workspace.dependencies]" | "[dependencies]" => "dependencies",
                _ => "",
            };
        }
        const EXACT: &str = "version = \"=";
        if section == "package" && !stamped && trimmed.starts_with("version") && trimmed.contains('"') {
            out.push_str(&format!("version = \"{version}\"\n"));
            stamped = true;
        } else if section == "dependencies"
            && line.contains("path = \"")
            && let Some(at) = line.find(EXACT)
            && let Some(length) = line[at + EXACT.len()..].find('"')
        {
            let end = at + EXACT.len() + length;
            out.push_str(&format!("{}{EXACT}{version}{}", &line[..at], &line[end..]));
        } else {
            out.push_str(line);
        }
    }
    if !stamped {
        bail!("the Cargo manifest has no `version = \"..\"` in [workspace.package] or [package]");
    }
    Ok(out)
}

/// Writes through a temporary file and a rename, so a failure leaves the old file whole.
fn write_atomically(path: &Path, contents: &str) -> anyhow::Result<()> {
    let temporary = path.with_extension("release-tmp");
    std::fs::write(&temporary, contents).with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("cannot replace {}", path.display()))
}

/// Today's date in UTC, `YYYY-MM-DD` (`SOURCE_DATE_EPOCH` wins when set, for reproducible runs).
fn today_utc() -> String {
    let seconds =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|text| text.parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs() as i64)
        });
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;
