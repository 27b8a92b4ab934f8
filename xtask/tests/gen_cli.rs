//! `cargo xtask gen` as a user runs it, on one case of the bad-input corpus: exit status 1 and the
//! model's rendered report after `Error: `, the path as given. The whole corpus runs through the
//! same function in `src/gen_corpus_tests.rs`; this pins what the binary adds around it.

use std::path::Path;
use std::process::Command;

#[test]
fn gen_on_a_bad_registry_exits_1_with_the_located_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = root.join("target/xtask-tests/gen-cli/bindings");
    let _ = std::fs::remove_dir_all(&out);
    let case = "crates/codebook-model/tests/invalid/duplicate_code.yaml";
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["gen", "--codes", case, "--out"])
        .arg(&out)
        .current_dir(root)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "Error: {case}:27:15: duplicate code 3000, first defined at 21:15\n   |\n27 |       - code: 3000\n   |               ^\n{case}: 1 problem found\n"
        )
    );
    assert!(!out.exists(), "gen created the output directory");
}
