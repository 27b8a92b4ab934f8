//! The model's bad-input corpus (`crates/codebook-model/tests/invalid/`) through `cargo xtask gen`:
//! every case must fail with exactly the located messages of its `.errors` file, and leave an
//! output directory that `gen` would otherwise rewrite exactly as it was.
//!
//! The test calls [`generate::gen_command`], the function behind `cargo xtask gen --codes <case>`;
//! the binary prints its error after `Error: ` and exits 1 (pinned once in `tests/gen_cli.rs`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::workspace;
use codebook_cli::generate;
use codebook_codegen::{self as codegen, GENERATED_MARKER};

/// Everything observable about a directory tree: each entry's kind, bytes and modification time.
type TreeSnapshot = BTreeMap<String, (bool, Vec<u8>, SystemTime)>;

fn snapshot(dir: &Path) -> TreeSnapshot {
    let mut entries = BTreeMap::new();
    collect(dir, "", &mut entries);
    entries
}

fn collect(dir: &Path, prefix: &str, entries: &mut TreeSnapshot) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let relative = format!("{prefix}/{}", entry.file_name().to_string_lossy());
        let metadata = entry.metadata().unwrap();
        let modified = metadata.modified().unwrap();
        if metadata.is_dir() {
            entries.insert(relative.clone(), (true, Vec::new(), modified));
            collect(&entry.path(), &relative, entries);
        } else {
            entries.insert(relative, (false, fs::read(entry.path()).unwrap(), modified));
        }
    }
}

/// What differs between two snapshots, one line per entry.
fn differences(before: &TreeSnapshot, after: &TreeSnapshot) -> Vec<String> {
    let mut found = Vec::new();
    for (path, old) in before {
        match after.get(path) {
            None => found.push(format!("{path} removed")),
            Some(new) if new.1 != old.1 => found.push(format!("{path} changed bytes")),
            Some(new) if new.2 != old.2 => found.push(format!("{path} changed mtime")),
            Some(_) => {}
        }
    }
    found.extend(after.keys().filter(|path| !before.contains_key(*path)).map(|path| format!("{path} added")));
    found
}

/// An output directory holding generated bindings that `gen` with a valid registry would change in
/// every way it can: one file stale, one missing, one extra (owned, so it would be removed), plus a
/// foreign file it must never touch.
fn prefilled_output() -> PathBuf {
    let out = workspace::scratch("xtask-tests/gen-corpus/bindings");
    let _ = fs::remove_dir_all(&out);
    codegen::ensure_bindings(&workspace::root().join("codes.yaml"), &out, codegen::Mode::Write).unwrap();
    // Replaced, not written in place: the packages' copies are hard links of it and stay current.
    let vectors = out.join("vectors.json");
    let stale = out.join("vectors.json.stale");
    fs::write(&stale, fs::read_to_string(&vectors).unwrap().replacen("\"InvalidToken\"", "\"Stale\"", 1)).unwrap();
    fs::rename(&stale, &vectors).unwrap();
    fs::remove_file(out.join("go/codebook/centrifugo_error.go")).unwrap();
    fs::write(
        out.join("go/codebook/retired_family.go"),
        format!("// {GENERATED_MARKER} from codes.yaml, do not edit\npackage codebook\n"),
    )
    .unwrap();
    fs::write(out.join("typescript/package-lock.json"), "{}\n").unwrap();
    out
}

/// The corpus cases, sorted: each `.yaml` with its expected `.errors` lines.
fn corpus() -> Vec<(PathBuf, Vec<String>)> {
    let dir = workspace::root().join("crates/codebook-model/tests/invalid");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    cases.sort();
    cases
        .into_iter()
        .map(|case| {
            let expected = fs::read_to_string(case.with_extension("errors")).unwrap();
            (case, expected.lines().map(str::to_string).collect())
        })
        .collect()
}

/// The located lines of a rendered report (snippet lines dropped), and its closing count line.
fn located_lines(report: &str, shown: &str) -> (Vec<String>, String) {
    let mut lines: Vec<String> =
        report.lines().filter(|line| line.starts_with(&format!("{shown}:"))).map(str::to_string).collect();
    let count = lines.pop().unwrap_or_default();
    (lines, count)
}

#[test]
fn every_corpus_registry_fails_gen_with_its_located_messages_and_touches_nothing() {
    let out = prefilled_output();
    let before = snapshot(&out);
    let cases = corpus();
    assert!(cases.len() >= 50, "expected the whole corpus, found {}", cases.len());

    let mut failures = Vec::new();
    for (case, expected) in &cases {
        let shown = case.display().to_string();
        let target = generate::Target {
            codes: case.clone(),
            out: out.clone(),
            fix_command: "cargo xtask gen".into(),
            runtime_companions: false,
        };
        let report = match generate::gen_command(&target) {
            Ok(()) => {
                failures.push(format!("{shown}: gen succeeded"));
                continue;
            }
            Err(error) => error.to_string(),
        };
        let (actual, count) = located_lines(&report, &shown);
        let expected: Vec<String> =
            expected.iter().map(|line| format!("{shown}{}", line.strip_prefix("codes.yaml").unwrap())).collect();
        let expected_count =
            format!("{shown}: {} problem{} found", expected.len(), if expected.len() == 1 { "" } else { "s" });
        if actual != expected || count != expected_count {
            failures.push(format!(
                "{shown}:\n--- expected\n{}\n{expected_count}\n--- gen printed\n{report}",
                expected.join("\n")
            ));
        }
        let changed = differences(&before, &snapshot(&out));
        if !changed.is_empty() {
            failures.push(format!("{shown}: gen touched the output: {changed:?}"));
            break;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The fixture is sensitive: a valid registry changes exactly what was prepared.
    generate::gen_command(&generate::Target {
        codes: workspace::root().join("codes.yaml"),
        out: out.clone(),
        fix_command: "cargo xtask gen".into(),
        runtime_companions: false,
    })
    .unwrap();
    let after = snapshot(&out);
    let changed: Vec<String> = differences(&before, &after)
        .into_iter()
        .filter(|line| !line.ends_with(" changed mtime") || !before[line.trim_end_matches(" changed mtime")].0)
        .collect();
    assert_eq!(
        changed,
        [
            "/go/codebook/retired_family.go removed",
            "/vectors.json changed bytes",
            "/go/codebook/centrifugo_error.go added"
        ]
    );
}
