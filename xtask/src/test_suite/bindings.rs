//! The bindings' own toolchains, run by `cargo xtask test`: `cargo xtask check`, the JSON Schema
//! under ajv's strict mode (with the pinned tools of `xtask/js-tools`), then the
//! TypeScript package (`npm ci`, `tsc --strict --noEmit`, `node --test`, including the end-to-end
//! close test against a real WebSocket server) and the Go module (`gofmt -l`, `go vet`,
//! `go test`), first for the committed bindings, then for bindings generated from the hostile
//! fixture registry. Before them, the real runtime files are checked where they sit in
//! `crates/codebook-codegen/runtime/` (`tsc`, `go vet`, `ruff`, `javac`).

use std::path::Path;

use anyhow::{Context, bail};

use crate::command::{Step, run_step};
use crate::test_suite::python_java;
use crate::workspace;
use codebook_cli::generate;
use codebook_codegen as codegen;

/// Runs every bindings step from the workspace root.
pub fn run(root: &Path) -> anyhow::Result<()> {
    eprintln!("==> cargo xtask check");
    generate::check_command(&generate::Target {
        codes: root.join("codes.yaml"),
        out: root.join("bindings"),
        fix_command: "cargo xtask gen".into(),
        runtime_companions: true,
    })?;
    let bindings = root.join("bindings");
    let js_tools = root.join("xtask/js-tools");
    run_step("npm", &["ci", "--no-audit", "--no-fund"], &js_tools)?;
    // The JSON Schema in ajv's strict mode, against the shipped registry, the hostile fixture and
    // the bad-registry corpus (it prints how much of the corpus an editor already flags).
    run_step(
        "node",
        &[
            "check-schema.mjs",
            "../../bindings/codes.schema.json",
            "../../crates/codebook-model/tests/invalid",
            "../../codes.yaml",
            "../../crates/codebook-codegen/tests/hostile/codes.yaml",
        ],
        &js_tools,
    )?;
    run_step("npm", &["ci", "--no-audit", "--no-fund"], &bindings.join("typescript"))?;
    runtime_checks(&bindings.join("typescript/node_modules/.bin/tsc"))?;
    toolchain_checks(&bindings)?;
    let python_tools = python_java::python_tools(root)?;
    for dir in [codegen::runtime_dir().join("python"), root.join("xtask/tests/consumers/python")] {
        python_java::python_ruff_where_they_sit(&python_tools, &dir, &bindings.join("python/pyproject.toml"))?;
    }
    python_and_java_checks(&python_tools, &bindings, "bindings")?;
    python_java::python_wheel_consumer(root, &python_tools, &bindings.join("python"))?;
    python_java::java_sdk_consumer(root)?;
    // A reconnect loop over the shipped families (4001, 3500, 1000 in turn), on the compiled dist/.
    run_websocket_test(&bindings.join("typescript"), &root.join("xtask/tests/reconnect_loop.test.mjs"))?;
    // The herd simulation's three programs, seeded: identical fleets (the full run is `cargo xtask herd`).
    crate::herd::smoke(root)?;

    let hostile = workspace::scratch("hostile-bindings");
    let _ = std::fs::remove_dir_all(&hostile);
    eprintln!("==> generating bindings from the hostile fixture into {}", hostile.display());
    codegen::ensure_bindings(
        &root.join("crates/codebook-codegen/tests/hostile/codes.yaml"),
        &hostile,
        codegen::Mode::Write,
    )?;
    // The package.json is the same for every registry, so the installed compiler serves both.
    link_node_modules(&bindings.join("typescript/node_modules"), &hostile.join("typescript/node_modules"))?;
    toolchain_checks(&hostile)?;
    python_and_java_checks(&python_tools, &hostile, "hostile")?;
    crate::test_suite::npm_package::run(root, &js_tools)?;
    crate::test_suite::artifacts::run(root, &python_tools)?;
    crate::test_suite::go_module::run(root)
}

/// The Python package (ruff, mypy, pytest) and the Java module (`mvn -B verify` on a copy).
pub(crate) fn python_and_java_checks(python_tools: &Path, bindings: &Path, name: &str) -> anyhow::Result<()> {
    python_java::python_checks(python_tools, &bindings.join("python"))?;
    // The committed module is installed into the local Maven repository for the SDK consumer.
    python_java::java_verify(&bindings.join("java"), name, name == "bindings")
}

/// The real runtime files where they sit in the codegen crate, before any binding is built from
/// them: `tsc --noEmit` and `node --check` on `runtime/typescript/`, `gofmt -l` and `go vet` on
/// `runtime/go/`.
fn runtime_checks(tsc: &Path) -> anyhow::Result<()> {
    let runtime = codegen::runtime_dir();
    let typescript = runtime.join("typescript");
    let tsc = tsc.to_str().context("the workspace path is not UTF-8")?;
    run_step(tsc, &["--noEmit", "-p", "."], &typescript)?;
    for test in ["test/vectors.test.mjs", "test/close.test.mjs"] {
        run_step("node", &["--check", test], &typescript)?;
    }
    let go = runtime.join("go");
    gofmt_lists_nothing(&go)?;
    run_go(&["vet", "./..."], &go)?;
    // The Java runtime compiles where it sits, beside its generated protocol companions.
    let java = runtime.join("java/main");
    let mut sources: Vec<String> = std::fs::read_dir(&java)
        .with_context(|| format!("reading {}", java.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".java"))
        .collect();
    sources.sort();
    let classes = workspace::scratch("java-runtime-classes");
    let mut args = vec!["-Xlint:all", "-Werror", "--release", "17", "-d", workspace::text(&classes)?];
    args.extend(sources.iter().map(String::as_str));
    run_step("javac", &args, &java)
}

fn gofmt_lists_nothing(go: &Path) -> anyhow::Result<()> {
    let unformatted = Step::new("gofmt").args(["-l", "."]).dir(go).quiet()?;
    if !unformatted.is_empty() {
        bail!("gofmt -l lists unformatted files in {}:\n{unformatted}", go.display());
    }
    Ok(())
}

pub(crate) fn toolchain_checks(bindings: &Path) -> anyhow::Result<()> {
    let typescript = bindings.join("typescript");
    let tsc = typescript.join("node_modules/.bin/tsc");
    let tsc = tsc.to_str().context("the workspace path is not UTF-8")?;
    run_step(tsc, &["--strict", "--noEmit", "-p", "tsconfig.check.json"], &typescript)?;
    run_step(tsc, &["-p", "tsconfig.json"], &typescript)?;
    run_step("node", &["--test", "test/vectors.test.mjs"], &typescript)?;
    run_websocket_test(&typescript, Path::new("test/close.test.mjs"))?;

    let go = go_module_dir(bindings)?;
    gofmt_lists_nothing(&go)?;
    run_go(&["vet", "./..."], &go)?;
    run_go(&["test", "-count=1", "./..."], &go)
}

/// The Go module of a bindings directory: the one folder under `go/` with a `go.mod` (its name is
/// the registry's Go package, `bindings.go.package`).
pub fn go_module_dir(bindings: &Path) -> anyhow::Result<std::path::PathBuf> {
    let go = bindings.join("go");
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(&go).with_context(|| format!("cannot list {}", go.display()))? {
        let path = entry?.path();
        if path.join("go.mod").is_file() {
            modules.push(path);
        }
    }
    match modules.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one Go module under {}, found {modules:?}", go.display()),
    }
}

/// The end-to-end close tests need the platform's `WebSocket` client: global from Node 22, behind
/// a flag in Node 20. They must run, never skip, here.
fn run_websocket_test(typescript: &Path, test: &Path) -> anyhow::Result<()> {
    let global = Step::new("node")
        .args(["-e", "process.exit(typeof WebSocket === 'function' ? 0 : 1)"])
        .probe()?
        .status
        .success();
    let flag = if global { None } else { Some("--experimental-websocket") };
    Step::new("node").args(flag).arg("--test").arg(test).env("CODEBOOK_REQUIRE_WEBSOCKET", "1").dir(typescript).run()
}

fn run_go(args: &[&str], dir: &Path) -> anyhow::Result<()> {
    Step::go().args(args).dir(dir).run()
}

#[cfg(unix)]
pub(crate) fn link_node_modules(installed: &Path, link: &Path) -> anyhow::Result<()> {
    std::os::unix::fs::symlink(installed, link)
        .with_context(|| format!("cannot link {} to {}", link.display(), installed.display()))
}
