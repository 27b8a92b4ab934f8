//! The model's bad-input corpus (`crates/codebook-model/tests/invalid/`) through the portal's
//! `--codes`: for every case, `site serve --codes <case> --addr 127.0.0.1:0` must refuse to start
//! (exit status 1, never "serving on", the process gone) and print exactly the located messages of
//! the case's `.errors` file, with the path as given, each followed by its snippet, then the count.
//!
//! The binary is spawned because its startup (`main.rs`) is where a bad registry must stop it; the
//! library exposes no startup function.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn corpus() -> Vec<(PathBuf, Vec<String>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("site lives in the workspace")
        .join("crates/codebook-model/tests/invalid");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus directory exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    cases.sort();
    cases
        .into_iter()
        .map(|case| {
            let expected = std::fs::read_to_string(case.with_extension("errors")).expect("every case has its .errors");
            (case, expected.lines().map(str::to_string).collect())
        })
        .collect()
}

/// Runs the portal on `case`; a process still alive after 20 s (it started serving) is killed.
/// Both pipes are drained while waiting, so a long report cannot block the child.
fn serve(case: &Path, extra: &[&str]) -> Result<Output, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_site"))
        .args(["serve", "--addr", "127.0.0.1:0", "--codes"])
        .arg(case)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the site binary starts");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).expect("pipe reads");
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped")));
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait works") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().expect("our own child can be killed");
            child.wait().expect("killed child is reaped");
            let stderr = stderr.join().expect("reader thread");
            return Err(format!("still running after 20 s; stderr:\n{}", String::from_utf8_lossy(&stderr)));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(Output { status, stdout: stdout.join().expect("reader thread"), stderr: stderr.join().expect("reader thread") })
}

/// What is wrong with the portal's answer to `case`, if anything.
fn check(case: &Path, expected: &[String], extra: &[&str]) -> Option<String> {
    let shown = case.display().to_string();
    let output = match serve(case, extra) {
        Ok(output) => output,
        Err(message) => return Some(format!("{shown} {extra:?}: {message}")),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut located: Vec<String> =
        stderr.lines().filter(|line| line.starts_with(&format!("{shown}:"))).map(str::to_string).collect();
    let count = located.pop().unwrap_or_default();
    let expected: Vec<String> = expected
        .iter()
        .map(|line| format!("{shown}{}", line.strip_prefix("codes.yaml").expect("codes.yaml: prefix")))
        .collect();
    let expected_count =
        format!("{shown}: {} problem{} found", expected.len(), if expected.len() == 1 { "" } else { "s" });
    let mut problems = Vec::new();
    if output.status.code() != Some(1) {
        problems.push(format!("exit status {:?}, expected 1", output.status.code()));
    }
    if stderr.contains("serving on") || !output.stdout.is_empty() {
        problems.push("it started serving".to_string());
    }
    if located != expected || count != expected_count {
        problems.push(format!("--- expected\n{}\n{expected_count}", expected.join("\n")));
    }
    // Each message is shown with its source line (when it has one) and nothing else is printed.
    if !stderr.ends_with(&format!("{expected_count}\n")) {
        problems.push("the report does not end with the problem count".to_string());
    }
    let shown_stderr: String = stderr.chars().take(2000).collect();
    (!problems.is_empty()).then(|| {
        format!("{shown} {extra:?}: {}\n--- stderr (first 2000 characters)\n{shown_stderr}", problems.join("\n"))
    })
}

#[test]
fn every_corpus_registry_stops_the_portal_with_its_located_messages() {
    let cases = corpus();
    assert!(cases.len() >= 50, "expected the whole corpus, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|(case, expected)| check(case, expected, &[])).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_watched_bad_registry_also_refuses_to_start() {
    let cases = corpus();
    // Watching changes nothing about startup: a sample of parse, UTF-8 and validation failures.
    let sample = ["not_utf8", "alias_bomb", "two_documents", "every_problem_at_once"];
    let failures: Vec<String> = cases
        .iter()
        .filter(|(case, _)| sample.iter().any(|name| case.file_stem().is_some_and(|stem| stem == *name)))
        .filter_map(|(case, expected)| check(case, expected, &["--watch"]))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
