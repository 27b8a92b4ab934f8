//! `cargo xtask test`: every test of the project, in the order a failure is cheapest to find.

pub mod api_check;
pub mod artifacts;
pub mod bindings;
pub mod doc_examples;
pub mod drift;
pub mod foreign_portals;
pub mod foreign_registries;
pub mod generated_registries;
pub mod go_module;
pub mod interop;
pub mod interop_operators;
pub mod npm_package;
pub mod portal;
pub mod python_java;
pub mod release_history;
pub mod rust_api;
pub mod rust_consumer;
pub mod seeded_examples;

use crate::command::{Step, run_step};
use crate::workspace;

pub fn run() -> anyhow::Result<()> {
    let root = workspace::root();
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
    Step::new("cargo")
        .args(["doc", "--no-deps", "--features", "codebook/serde,codebook/tungstenite"])
        .args(["-p", "codebook", "-p", "codebook-protocol", "-p", "codebook-model", "-p", "codebook-macros"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .dir(&root)
        .run()?;
    crate::test_suite::rust_consumer::run(&root)?;
    crate::test_suite::bindings::run(&root)?;
    crate::test_suite::release_history::run(&root)?;
    crate::test_suite::foreign_registries::run(&root, &[])?;
    // Registries generated from the model's rules (fixed seeds) through the same toolchain steps
    // and `include_codes!`, with the tools the bindings step installed.
    crate::test_suite::generated_registries::run(
        &crate::test_suite::python_java::python_tools(&root)?,
        &root.join("bindings/typescript/node_modules"),
    )?;
    crate::test_suite::drift::run(&root)?;
    crate::test_suite::interop::run(&root)?;
    crate::test_suite::portal::run()?;
    crate::test_suite::foreign_portals::run(&root)?;
    eprintln!("==> all tests passed");
    Ok(())
}
