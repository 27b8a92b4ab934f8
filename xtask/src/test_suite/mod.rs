//! `cargo xtask test`: every test of the project, in the order a failure is cheapest to find.

pub mod artifacts;
pub mod bindings;
pub mod drift;
pub mod go_module;
pub mod interop;
pub mod npm_package;
pub mod portal;
pub mod python_java;
pub mod rust_consumer;
pub mod seeded_examples;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Runs a command from the workspace root, echoing it, and fails if it fails.
pub fn run_step(program: &str, args: &[&str], dir: &Path) -> anyhow::Result<()> {
    eprintln!("==> {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .status()
        .with_context(|| format!("cannot start `{program}`"))?;
    if !status.success() {
        bail!("`{program} {}` failed with {status}", args.join(" "));
    }
    Ok(())
}

pub fn run() -> anyhow::Result<()> {
    let root = workspace_root();
    // Formatting and lints first: they are the cheapest failures to read.
    run_step("cargo", &["fmt", "--all", "--check"], &root)?;
    run_step(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "codebook/serde,codebook/tungstenite",
            "--",
            "-D",
            "warnings",
        ],
        &root,
    )?;
    // The optional `codebook` features on, so their code is compiled and tested too.
    run_step(
        "cargo",
        &["test", "--workspace", "--all-targets", "--features", "codebook/serde,codebook/tungstenite"],
        &root,
    )?;
    run_step("cargo", &["test", "--workspace", "--doc", "--features", "codebook/serde,codebook/tungstenite"], &root)?;
    // The library crates' documentation, warnings as errors (`missing_docs` is on in `codebook`
    // and `codebook-protocol`).
    eprintln!("==> RUSTDOCFLAGS='-D warnings' cargo doc --no-deps (library crates)");
    let status = Command::new("cargo")
        .args(["doc", "--no-deps", "--features", "codebook/serde,codebook/tungstenite"])
        .args(["-p", "codebook", "-p", "codebook-protocol", "-p", "codebook-model", "-p", "codebook-macros"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(&root)
        .status()
        .context("cannot start cargo")?;
    if !status.success() {
        bail!("`cargo doc` failed with {status}");
    }
    crate::test_suite::rust_consumer::run(&root)?;
    crate::test_suite::bindings::run(&root)?;
    crate::test_suite::drift::run(&root)?;
    crate::test_suite::interop::run(&root)?;
    crate::test_suite::portal::run()?;
    eprintln!("==> all tests passed");
    Ok(())
}
