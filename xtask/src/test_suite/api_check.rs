//! Each language's own API check between two releases of a registry's bindings, with the tool
//! made for it: rustdoc's JSON of a crate that expands the registry with `include_codes!`
//! (compared item by item in [`crate::test_suite::rust_api`]), `apidiff` (golang.org/x/exp) on the Go module,
//! japicmp on the Java module's jar, griffe on the Python package (`api-tools/python_api.py`)
//! and the TypeScript compiler's checker on the npm package's declaration files
//! (`api-tools/typescript-api.mjs`).
//!
//! Each tool's answer is read as one [`Verdict`]: nothing a program sees changed, only
//! additions, or a break. [`agrees`] holds it to the registry's own size of the release
//! (`codebook_model::required_bump`): a language may never see more than the registry says (a
//! break in a minor release, any change in a patch release). It may see less: a fleet-behaviour
//! break (a backoff cut) changes values, not the API, so the registry's major verdict stands.
//!
//! The tools are installed once, pinned, under `target/api-check/` (griffe in a virtual
//! environment, apidiff by `go install`, japicmp's class path from Maven Central through
//! `api-tools/japicmp/pom.xml`); the TypeScript compiler is the one `bindings/typescript`
//! installs.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use codebook_model::Bump;

use crate::command::Step;
use crate::test_suite::bindings::go_module_dir;
use crate::test_suite::rust_api;
use crate::workspace::{self, copy_dir, text};

/// The pinned griffe (PyPI) the Python check loads both builds with.
const GRIFFE: &str = "griffe==2.4.1";
/// The pinned apidiff (golang.org/x/exp, the module the Go team's `gorelease` builds on).
const APIDIFF: &str = "golang.org/x/exp/cmd/apidiff@v0.0.0-20261113113407-e3970619a1a4";

/// What a language's tool saw change between two builds, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// The public API is the same.
    Unchanged,
    /// Only additions: every program written against the old build still compiles and links.
    Additions,
    /// Something a program may use was removed or changed.
    Break,
}

impl Verdict {
    fn parse(tool: &str, word: &str) -> anyhow::Result<Verdict> {
        match word {
            "none" => Ok(Verdict::Unchanged),
            "additions" => Ok(Verdict::Additions),
            "break" => Ok(Verdict::Break),
            other => bail!("{tool} printed no verdict (last line {other:?})"),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Unchanged => "unchanged",
            Verdict::Additions => "additions",
            Verdict::Break => "break",
        })
    }
}

/// Whether a language's verdict agrees with the registry's size of the release: a patch changes
/// no API, a minor release only adds, a major release may do anything (a fleet-behaviour break
/// changes no API at all).
pub fn agrees(bump: Bump, verdict: Verdict) -> bool {
    match bump {
        Bump::Patch => verdict == Verdict::Unchanged,
        Bump::Minor => verdict <= Verdict::Additions,
        Bump::Major => true,
    }
}

/// The languages, in the order reports list them.
pub const LANGUAGES: [&str; 5] = ["rust", "typescript", "go", "python", "java"];

/// One language's answer for one pair of builds.
#[derive(Debug)]
pub struct Report {
    pub language: &'static str,
    pub verdict: Verdict,
    /// What the tool printed about the changes, one line each.
    pub details: Vec<String>,
}

/// The installed, pinned tools.
pub struct Tools {
    root: PathBuf,
    python: PathBuf,
    apidiff: PathBuf,
    /// A `java` argument file holding japicmp's class path.
    japicmp_args: PathBuf,
    /// A package folder whose `node_modules` holds the pinned TypeScript compiler.
    typescript: PathBuf,
    rust_target: PathBuf,
}

impl Tools {
    /// Installs what is missing under `target/api-check/` and returns the tools.
    pub fn install(root: &Path) -> anyhow::Result<Tools> {
        let home = workspace::scratch("api-check");
        fs::create_dir_all(&home)?;

        let venv = home.join("python");
        let stamp = venv.join("pins.txt");
        if fs::read_to_string(&stamp).ok().as_deref() != Some(GRIFFE) {
            let _ = fs::remove_dir_all(&venv);
            Step::new("python3").args(["-m", "venv"]).arg(&venv).run()?;
            Step::new(venv.join("bin/python"))
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", GRIFFE])
                .run()?;
            fs::write(&stamp, GRIFFE)?;
        }

        let go_bin = home.join("go-bin");
        let apidiff_stamp = go_bin.join("pins.txt");
        if fs::read_to_string(&apidiff_stamp).ok().as_deref() != Some(APIDIFF) {
            Step::go().args(["install", APIDIFF]).env("GOBIN", &go_bin).run()?;
            fs::write(&apidiff_stamp, APIDIFF)?;
        }

        let classpath_file = home.join("japicmp.classpath");
        let pom = root.join("xtask/api-tools/japicmp/pom.xml");
        if !classpath_file.is_file() {
            Step::new("mvn")
                .args(["-B", "-q", "-f"])
                .arg(&pom)
                .arg("dependency:build-classpath")
                .arg(format!("-Dmdep.outputFile={}", text(&classpath_file)?))
                .run()?;
        }
        let japicmp_args = home.join("japicmp.args");
        let classpath = fs::read_to_string(&classpath_file)?;
        fs::write(&japicmp_args, format!("-cp \"{}\"\n", classpath.trim()))?;

        let typescript = root.join("bindings/typescript");
        if !typescript.join("node_modules/.bin/tsc").exists() {
            Step::new("npm").args(["ci", "--no-audit", "--no-fund"]).dir(&typescript).run()?;
        }
        Ok(Tools {
            root: root.to_path_buf(),
            python: venv.join("bin/python"),
            apidiff: go_bin.join("apidiff"),
            japicmp_args,
            typescript,
            rust_target: home.join("rust-target"),
        })
    }
}

/// One release's bindings built as each tool reads them.
pub struct Build {
    pub name: String,
    bindings: PathBuf,
    rustdoc: PathBuf,
    go_api: PathBuf,
    java_jar: PathBuf,
}

/// Builds a copy of `bindings` (generated from `codes`) under `work`: the TypeScript
/// declarations, the Go module's export data, the Java jar and the rustdoc JSON of a crate that
/// expands `codes` with `codebook::include_codes!`.
pub fn build(tools: &Tools, name: &str, codes: &Path, bindings: &Path, work: &Path) -> anyhow::Result<Build> {
    eprintln!("==> building release {name} for the API checks in {}", work.display());
    let _ = fs::remove_dir_all(work);
    fs::create_dir_all(work)?;
    let copy = work.join("bindings");
    copy_dir(bindings, &copy)?;

    let typescript = copy.join("typescript");
    let _ = fs::remove_dir_all(typescript.join("node_modules"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(tools.typescript.join("node_modules"), typescript.join("node_modules"))?;
    Step::new(typescript.join("node_modules/.bin/tsc")).args(["-p", "tsconfig.json"]).dir(&typescript).quiet()?;

    let go = go_module_dir(&copy)?;
    let go_mod = fs::read_to_string(go.join("go.mod"))?;
    let module = go_mod
        .lines()
        .find_map(|line| line.strip_prefix("module "))
        .context("the Go module's go.mod names no module")?
        .trim()
        .to_string();
    let go_api = work.join("go.api");
    Step::new(&tools.apidiff)
        .arg("-w")
        .arg(&go_api)
        .arg(&module)
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod")
        .dir(&go)
        .quiet()?;

    let classes = work.join("java-classes");
    fs::create_dir_all(&classes)?;
    let mut sources = Vec::new();
    collect_files(&copy.join("java/src/main/java"), "java", &mut sources)?;
    sources.sort();
    let listed: Vec<String> = sources.iter().map(|source| format!("\"{}\"", source.display())).collect();
    let argfile = work.join("java-sources.txt");
    fs::write(&argfile, listed.join("\n"))?;
    Step::new("javac")
        .args(["-nowarn", "--release", "17", "-d"])
        .arg(&classes)
        .arg(format!("@{}", text(&argfile)?))
        .quiet()?;
    let java_jar = work.join("codes.jar");
    Step::new("jar").arg("--create").arg("--file").arg(&java_jar).args(["-C"]).arg(&classes).arg(".").quiet()?;

    let rustdoc = rust_api::rustdoc_json(&tools.root, &tools.rust_target, codes, &work.join("rust"))?;
    Ok(Build { name: name.to_string(), bindings: copy, rustdoc, go_api, java_jar })
}

fn collect_files(dir: &Path, extension: &str, into: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, extension, into)?;
        } else if path.extension().is_some_and(|found| found == extension) {
            into.push(path);
        }
    }
    Ok(())
}

/// Every language's verdict from `old` to `new`, in [`LANGUAGES`] order.
pub fn compare(tools: &Tools, old: &Build, new: &Build) -> anyhow::Result<Vec<Report>> {
    eprintln!("==> API checks: {} -> {}", old.name, new.name);
    let mut reports = Vec::new();

    let changes = rust_api::compare(&old.rustdoc, &new.rustdoc)?;
    let verdict = match changes.iter().map(|(change, _)| *change).max() {
        None => Verdict::Unchanged,
        Some(rust_api::Change::Added) => Verdict::Additions,
        Some(rust_api::Change::Broken) => Verdict::Break,
    };
    let details = changes.into_iter().map(|(change, line)| format!("{change:?}: {line}")).collect();
    reports.push(Report { language: "rust", verdict, details });

    let script = tools.root.join("xtask/api-tools/typescript-api.mjs");
    let output = Step::new("node")
        .arg(&script)
        .arg(&tools.typescript)
        .arg(old.bindings.join("typescript/dist"))
        .arg(new.bindings.join("typescript/dist"))
        .quiet()?;
    reports.push(last_line_verdict("typescript", "typescript-api.mjs", &output)?);

    let output = Step::new(&tools.apidiff).arg(&old.go_api).arg(&new.go_api).env("GOTOOLCHAIN", "local").quiet()?;
    reports.push(apidiff_verdict(&output));

    let script = tools.root.join("xtask/api-tools/python_api.py");
    let package = python_package(&new.bindings)?;
    let output = Step::new(&tools.python)
        .arg(&script)
        .arg(&package)
        .arg(old.bindings.join("python/src"))
        .arg(new.bindings.join("python/src"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("NO_COLOR", "1")
        .quiet()?;
    reports.push(last_line_verdict("python", "python_api.py (griffe)", &output)?);

    // japicmp exits 0 whatever it finds; its report marks an incompatible change with `!`.
    let output = Step::new("java")
        .arg(format!("@{}", text(&tools.japicmp_args)?))
        .arg("japicmp.JApiCmp")
        .arg("--old")
        .arg(&old.java_jar)
        .arg("--new")
        .arg(&new.java_jar)
        .arg("--only-modified")
        .quiet()?;
    reports.push(japicmp_verdict(&output));
    Ok(reports)
}

/// The Python package's import name: the one folder under `python/src/`.
fn python_package(bindings: &Path) -> anyhow::Result<String> {
    let src = bindings.join("python/src");
    let mut names: Vec<String> = fs::read_dir(&src)?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            entry.path().is_dir().then(|| entry.file_name().into_string().ok()).flatten()
        })
        .filter(|name| !name.starts_with('.') && !name.ends_with(".egg-info"))
        .collect();
    names.sort();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one Python package under {}, found {names:?}", src.display()),
    }
}

/// A report from a script whose last line is `verdict: none|additions|break`.
fn last_line_verdict(language: &'static str, tool: &str, output: &str) -> anyhow::Result<Report> {
    let mut lines: Vec<String> = output.lines().map(str::to_string).collect();
    let last = lines.pop().unwrap_or_default();
    let verdict = Verdict::parse(tool, last.strip_prefix("verdict: ").unwrap_or(&last))?;
    Ok(Report { language, verdict, details: lines })
}

/// apidiff prints an "Incompatible changes:" and a "Compatible changes:" section, each only
/// when it has something to say.
fn apidiff_verdict(output: &str) -> Report {
    let verdict = if output.contains("Incompatible changes:") {
        Verdict::Break
    } else if output.contains("Compatible changes:") {
        Verdict::Additions
    } else {
        Verdict::Unchanged
    };
    Report { language: "go", verdict, details: details(output) }
}

/// japicmp marks each modified class or member with `***`, `+++` or `---`, followed by `!` when
/// the change is incompatible; "No changes." when there is nothing.
fn japicmp_verdict(output: &str) -> Report {
    let marks: Vec<&str> = output.lines().map(str::trim_start).collect();
    let incompatible = marks.iter().any(|line| ["***!", "+++!", "---!"].iter().any(|mark| line.starts_with(mark)));
    let changed = marks.iter().any(|line| ["***", "+++", "---"].iter().any(|mark| line.starts_with(mark)));
    let verdict = if incompatible {
        Verdict::Break
    } else if changed {
        Verdict::Additions
    } else {
        Verdict::Unchanged
    };
    Report { language: "java", verdict, details: details(output) }
}

fn details(output: &str) -> Vec<String> {
    output.lines().map(str::trim_end).filter(|line| !line.trim().is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_may_see_less_than_the_registry_never_more() {
        assert!(agrees(Bump::Patch, Verdict::Unchanged));
        assert!(!agrees(Bump::Patch, Verdict::Additions));
        assert!(agrees(Bump::Minor, Verdict::Additions));
        assert!(agrees(Bump::Minor, Verdict::Unchanged));
        assert!(!agrees(Bump::Minor, Verdict::Break));
        assert!(agrees(Bump::Major, Verdict::Unchanged), "a fleet-behaviour break changes no API");
        assert!(agrees(Bump::Major, Verdict::Break));
    }

    #[test]
    fn the_tools_reports_are_read_as_they_print_them() {
        let go = "Compatible changes:\n- ChatKicked: added\n";
        assert_eq!(apidiff_verdict(go).verdict, Verdict::Additions);
        assert_eq!(apidiff_verdict("Incompatible changes:\n- ChatKicked: removed\n").verdict, Verdict::Break);
        assert_eq!(apidiff_verdict("").verdict, Verdict::Unchanged);
        let java = "Comparing source compatibility of new.jar against old.jar\n***  MODIFIED ENUM: PUBLIC FINAL dev.codebook.codes.Chat  (compatible)\n\t===  CLASS FILE FORMAT VERSION: 61.0 <- 61.0\n\t+++  NEW FIELD: PUBLIC(+) STATIC(+) FINAL(+) dev.codebook.codes.Chat KICKED\n";
        assert_eq!(japicmp_verdict(java).verdict, Verdict::Additions);
        let removed = "***! MODIFIED ENUM: PUBLIC FINAL dev.codebook.codes.Chat  (field removed)\n\t---! REMOVED FIELD: PUBLIC(-) STATIC(-) FINAL(-) dev.codebook.codes.Chat KICKED\n";
        assert_eq!(japicmp_verdict(removed).verdict, Verdict::Break);
        assert_eq!(
            japicmp_verdict("Comparing source compatibility of a against b\nNo changes.\n").verdict,
            Verdict::Unchanged
        );
        let script =
            last_line_verdict("python", "griffe", "added: codes.chat.Chat.KICKED\nverdict: additions\n").unwrap();
        assert_eq!((script.verdict, script.details.len()), (Verdict::Additions, 1));
        assert!(last_line_verdict("python", "griffe", "Traceback\n").is_err());
    }
}
