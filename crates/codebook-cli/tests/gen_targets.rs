//! `codebook gen` on a registry whose `bindings:` section says which outputs to write and where:
//! the binary writes exactly those, beside the registry, and `check` agrees.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn gen_writes_the_targets_the_registry_names_where_it_says() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("codebook-gen-targets");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../codebook-codegen/tests/fixtures/error_family_with_fallback_only/codes.yaml");
    let text = std::fs::read_to_string(fixture).unwrap();
    let codes = dir.join("codes.yaml");
    std::fs::write(&codes, format!("bindings:\n  out: generated/codes\n  targets: [go, markdown]\n{text}")).unwrap();

    let status = Command::new(env!("CARGO_BIN_EXE_codebook")).arg("gen").arg("--codes").arg(&codes).status().unwrap();
    assert!(status.success());
    let out = dir.join("generated/codes");
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["README.md", "go", "markdown"], "only the targets named, in bindings.out beside codes.yaml");
    assert!(out.join("go/codebook/testdata/vectors.json").is_file(), "the Go module keeps its vectors");

    let check = Command::new(env!("CARGO_BIN_EXE_codebook")).arg("check").arg("--codes").arg(&codes).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}
