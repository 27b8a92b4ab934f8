//! Snapshot tests of every backend (typeshare style): each folder of `xtask/tests/fixtures/codegen/`
//! is named after the behaviour it pins and holds a `codes.yaml` plus one `<backend>.snap` per
//! backend. A new case is a new folder; this one driver runs them all.
//!
//! Files that do not depend on the registry (runtimes, configs, the test drivers) are left out so
//! each snapshot shows only what the fixture changes. Review changes with `cargo insta review`.

use std::path::PathBuf;

use super::{backends, load, vectors};

/// Generated files whose text is the same for every registry (apart from the provenance lines).
const REGISTRY_INDEPENDENT: &[&str] = &[
    "typescript/package.json",
    "typescript/tsconfig.json",
    "typescript/.gitignore",
    "typescript/src/runtime.ts",
    "typescript/test/vectors.test.mjs",
    "typescript/test/close.test.mjs",
    "go/go.mod",
    "go/codes.go",
    "go/handling_test.go",
    "codes.schema.json",
    "java/pom.xml",
    "java/.gitignore",
    "java/src/main/java/dev/codebook/codes/package-info.java",
    "java/src/main/java/dev/codebook/codes/Action.java",
    "java/src/main/java/dev/codebook/codes/CloseCodeRules.java",
    "java/src/test/java/dev/codebook/codes/VectorsTest.java",
    // A copy of `vectors.json`, whose snapshot already shows it.
    "java/src/test/resources/vectors.json",
    "python/pyproject.toml",
    "python/.gitignore",
    "python/src/codebook_codes/py.typed",
    "python/src/codebook_codes/_runtime.py",
    "python/src/codebook_codes/_protocol.py",
    "python/tests/test_vectors.py",
    "python/tests/test_api.py",
    // A copy of `vectors.json`, whose snapshot already shows it.
    "python/tests/vectors.json",
];

fn fixture_dirs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codegen");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the codegen fixtures exist")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.join("codes.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_backend_matches_its_snapshot_for_every_fixture() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 4, "fixtures went missing: {dirs:?}");
    for dir in dirs {
        let (registry, provenance) = load(&dir.join("codes.yaml")).unwrap();
        for backend in backends() {
            let mut text = String::new();
            for file in backend.generate(&registry, &provenance) {
                if REGISTRY_INDEPENDENT.contains(&file.path.as_str()) {
                    continue;
                }
                // The registry-independent sections of the vectors would repeat in every snapshot.
                let contents = if file.path == "vectors.json" {
                    vectors::vectors_json(&registry, &provenance, vectors::Sections::RegistryOnly)
                } else {
                    file.contents
                };
                text.push_str(&format!("=== {} ===\n{}\n", file.path, contents));
            }
            if text.is_empty() {
                continue;
            }
            insta::with_settings!({
                snapshot_path => dir.clone(),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                input_file => dir.join("codes.yaml"),
            }, {
                insta::assert_snapshot!(backend.name(), text);
            });
        }
    }
}
