//! One driver for every bad registry under `tests/invalid/`: each `<case>.yaml` must fail to load
//! with exactly the located messages in `<case>.errors` (one `codes.yaml:line:col: message` per
//! line). A new case needs no new code. `CODEBOOK_BLESS=1` rewrites the `.errors` files; review
//! the diff before committing.

use std::path::Path;

#[test]
fn every_invalid_registry_reports_its_located_messages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let bless = std::env::var_os("CODEBOOK_BLESS").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 50, "expected the whole corpus, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expected_path = case.with_extension("errors");
        // Non-UTF-8 files go through `load_path`, the way every tool reads a registry.
        let loaded = match std::fs::read_to_string(case) {
            Ok(text) => codebook_model::load_str("codes.yaml", &text),
            Err(_) => codebook_model::load_path(case).map_err(|error| error.with_path("codes.yaml")),
        };
        let actual = match loaded {
            Ok(_) => "<loaded without error>".to_string(),
            Err(error) => error.messages().join("\n") + "\n",
        };
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| format!("<missing {}>", expected_path.display()));
        if actual != expected {
            failures.push(format!("{}:\n--- expected\n{expected}--- actual\n{actual}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendered_errors_show_the_offending_line_with_a_caret() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid/duplicate_code.yaml"))
        .unwrap();
    let rendered = codebook_model::load_str("codes.yaml", &text).unwrap_err().render();
    assert_eq!(
        rendered,
        "codes.yaml:27:15: duplicate code 3000, first defined at 21:15\n   |\n27 |       - code: 3000\n   |               ^\ncodes.yaml: 1 problem found"
    );
}
