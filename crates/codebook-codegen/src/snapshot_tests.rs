//! Snapshot tests of every backend (typeshare style): each folder of `tests/fixtures/`
//! is named after the behaviour it pins and holds a `codes.yaml` plus one `<backend>.snap` per
//! backend. A new case is a new folder; this one driver runs them all.
//!
//! Files that do not depend on the registry (runtimes, configs, the test drivers) are left out of
//! those so each shows only what the fixture changes; they have one snapshot per backend of their
//! own in `tests/registry_independent/`, so a runtime change shows in review too. Review changes
//! with `cargo insta review`.

use std::path::PathBuf;

use super::{backends, load, vectors};
use crate::backend::Provenance;

/// Generated files whose text is the same for every registry (apart from the provenance lines).
const REGISTRY_INDEPENDENT: &[&str] = &[
    "typescript/tsconfig.json",
    "typescript/tsconfig.cjs.json",
    "typescript/scripts/build-cjs.mjs",
    "typescript/LICENSE-MIT",
    "typescript/LICENSE-APACHE",
    "typescript/.gitignore",
    "typescript/tsconfig.check.json",
    "typescript/src/runtime.ts",
    "typescript/src/protocol.ts",
    "typescript/test/vectors.test.mjs",
    "typescript/test/close.test.mjs",
    "go/codebook/go.mod",
    "go/codebook/LICENSE-MIT",
    "go/codebook/LICENSE-APACHE",
    "go/codebook/codes.go",
    "go/codebook/protocol.go",
    "go/codebook/vectors_test.go",
    "go/codebook/handling_test.go",
    "codes.schema.json",
    "java/pom.xml",
    "java/.gitignore",
    "java/src/main/java/dev/codebook/codes/package-info.java",
    "java/src/main/java/dev/codebook/codes/Action.java",
    "java/src/main/java/dev/codebook/codes/BackoffHint.java",
    "java/src/main/java/dev/codebook/codes/Behaviour.java",
    "java/src/main/java/dev/codebook/codes/Change.java",
    "java/src/main/java/dev/codebook/codes/Classification.java",
    "java/src/main/java/dev/codebook/codes/CloseCodeRule.java",
    "java/src/main/java/dev/codebook/codes/CloseCodes.java",
    "java/src/main/java/dev/codebook/codes/CloseSender.java",
    "java/src/main/java/dev/codebook/codes/Closed.java",
    "java/src/main/java/dev/codebook/codes/Code.java",
    "java/src/main/java/dev/codebook/codes/CodeEntry.java",
    "java/src/main/java/dev/codebook/codes/CodeFamily.java",
    "java/src/main/java/dev/codebook/codes/CodeInfo.java",
    "java/src/main/java/dev/codebook/codes/Jitter.java",
    "java/src/main/java/dev/codebook/codes/Mulberry32.java",
    "java/src/main/java/dev/codebook/codes/Origin.java",
    "java/src/main/java/dev/codebook/codes/RegisteredCode.java",
    "java/src/main/java/dev/codebook/codes/Scope.java",
    "java/src/main/java/dev/codebook/codes/SdkErrorCodes.java",
    "java/src/main/java/dev/codebook/codes/SdkEventAnswer.java",
    "java/src/main/java/dev/codebook/codes/SdkEventTable.java",
    "java/src/main/java/dev/codebook/codes/Segment.java",
    "java/src/main/java/dev/codebook/codes/VaryingCode.java",
    "java/src/main/java/dev/codebook/codes/VaryingCodeInfo.java",
    "java/src/main/java/dev/codebook/codes/CloseCodeRules.java",
    "java/src/test/java/dev/codebook/codes/VectorsTest.java",
    "python/pyproject.toml",
    "python/.gitignore",
    "python/src/codebook_codes/py.typed",
    "python/src/codebook_codes/_runtime.py",
    "python/src/codebook_codes/_protocol.py",
    "python/tests/test_vectors.py",
    "python/tests/test_api.py",
];

fn fixture_dirs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
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
        // The examples are not bindings, but their text is reviewed the same way.
        let every_backend =
            backends().into_iter().chain([Box::new(super::examples::Examples) as Box<dyn crate::backend::Backend>]);
        for backend in every_backend {
            let mut text = String::new();
            let files = backend.generate(&registry, &provenance);
            for file in &files {
                if REGISTRY_INDEPENDENT.contains(&file.path.as_str()) {
                    continue;
                }
                // The packages' copies of the vectors are the vectors, byte for byte.
                if file.path != "vectors.json" && vectors::vectors_paths(&registry).contains(&file.path) {
                    let shared = files.iter().find(|other| other.path == "vectors.json").expect("vectors.json");
                    assert_eq!(file.contents, shared.contents, "{} differs from vectors.json", file.path);
                    continue;
                }
                // The registry-independent sections of the vectors would repeat in every snapshot.
                let contents = if file.path == "vectors.json" {
                    vectors::vectors_json(&registry, &provenance, vectors::Sections::RegistryOnly)
                } else {
                    file.contents.clone()
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

/// The registry-independent files, once per backend, under a fixed provenance; and proof that they
/// really are the same for every fixture (apart from the provenance lines).
#[test]
fn registry_independent_files_match_their_snapshot_and_every_fixture() {
    let fixed = Provenance { source_name: "codes.yaml".into(), sha256: "0".repeat(64) };
    let first_fixture = &fixture_dirs()[0];
    let (registry, _) = load(&first_fixture.join("codes.yaml")).unwrap();
    for backend in backends() {
        let independent = |registry: &super::Registry, provenance: &Provenance| -> Vec<(String, String)> {
            backend
                .generate(registry, provenance)
                .into_iter()
                .filter(|file| REGISTRY_INDEPENDENT.contains(&file.path.as_str()))
                .map(|file| (file.path, file.contents))
                .collect()
        };
        let expected = independent(&registry, &fixed);
        for dir in fixture_dirs() {
            let (other, _) = load(&dir.join("codes.yaml")).unwrap();
            assert_eq!(independent(&other, &fixed), expected, "{} differs for {}", backend.name(), dir.display());
        }
        if expected.is_empty() {
            continue;
        }
        let text: String = expected.iter().map(|(path, contents)| format!("=== {path} ===\n{contents}\n")).collect();
        insta::with_settings!({
            snapshot_path => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/registry_independent"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(backend.name(), text);
        });
    }
}

/// The identifiers a family's Go file and TypeScript module declare in their shared scope (Go's
/// package, the TypeScript index) are exactly the model's `FamilyNames::generated_identifiers`
/// (plus the Go constant of each code): the list the validator keeps unique is the list emitted.
#[test]
fn the_model_s_generated_identifiers_are_the_ones_emitted() {
    let go_declared = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| {
                let rest =
                    ["func ", "type ", "const ", "var "].iter().find_map(|keyword| line.strip_prefix(keyword))?;
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                name.starts_with(|c: char| c.is_ascii_uppercase()).then_some(name)
            })
            .collect()
    };
    let typescript_exported = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| {
                let rest = ["export function ", "export const ", "export type "]
                    .iter()
                    .find_map(|keyword| line.strip_prefix(keyword))?;
                Some(rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
            })
            .collect()
    };
    let mut families_seen = 0;
    for dir in fixture_dirs().into_iter().chain([PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")]) {
        let (registry, provenance) = load(&dir.join("codes.yaml")).unwrap();
        let mut files = std::collections::BTreeMap::new();
        for backend in backends() {
            for file in backend.generate(&registry, &provenance) {
                files.insert(file.path, file.contents);
            }
        }
        for family in &registry.families {
            families_seen += 1;
            let listed: std::collections::BTreeSet<String> = family.names.generated_identifiers().into_iter().collect();
            let constants: Vec<&str> = family.codes.iter().map(|code| code.names.go_constant.as_str()).collect();
            let go = go_declared(
                &files[&format!("{}/{}.go", super::go::module_dir(&registry.bindings), family.names.module)],
            );
            let typescript = typescript_exported(&files[&format!("typescript/src/{}.ts", family.id)]);
            let mut emitted = std::collections::BTreeSet::new();
            for name in go.iter().filter(|name| !constants.contains(&name.as_str())).chain(&typescript) {
                assert!(listed.contains(name), "{}: `{name}` is emitted but not in generated_identifiers", family.id);
                emitted.insert(name.clone());
            }
            let other_kind: &[&str] = match family.kind {
                codebook_model::FamilyKind::WebsocketClose => &["IsTemporary"],
                codebook_model::FamilyKind::Error => &["ShouldReconnect", "IsTerminal"],
            };
            for name in &listed {
                // `<Type>Of` (a code found in an error chain) belongs to error families.
                let for_other_kind =
                    other_kind.iter().any(|suffix| *name == format!("{}{suffix}", family.names.lower_camel))
                        || (family.kind == codebook_model::FamilyKind::WebsocketClose
                            && *name == format!("{}Of", family.names.type_name));
                assert!(
                    emitted.contains(name) || for_other_kind,
                    "{}: `{name}` is listed but no backend emits it",
                    family.id
                );
            }
        }
    }
    assert!(families_seen > 10);
}
