//! The Go module as a team receives it, run by `cargo xtask test` under `target/go-module/`:
//!
//! 1. golangci-lint (pinned, built from the Go module proxy into `target/go-tools/bin` once) with
//!    the documented linter set of `xtask/go-tools/golangci.yml` and generated-file exclusion off.
//! 2. The module directory copied alone passes `go test` (its vectors are in `testdata/`).
//! 3. `xtask/go-tools/goproxy` (golang.org/x/mod/zip) writes the module at a release version into
//!    a file-system GOPROXY; a consumer outside the repository (`xtask/tests/fixtures/go-consumer`)
//!    runs `go get <module>@<version>` against it with a fresh module cache, imports the package
//!    with no alias, and runs.

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::command::Step;
use crate::workspace::{self, copy_dir, remove_dir, text as path_str};

/// The golangci-lint release the test command builds and runs.
pub const GOLANGCI_LINT_VERSION: &str = "v2.15.0";

/// Runs every step for the module under `bindings/`.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let (registry, _) = codebook_codegen::load(&root.join("codes.yaml"))?;
    let module_path = registry.bindings.go_module.as_str();
    // The registry's version, as the release tag names it (`bindings/go/codebook/v0.1.0`).
    let consumer_version = format!("v{}", registry.version);
    let consumer_version = consumer_version.as_str();
    let module = root.join("bindings").join(codebook_codegen::go::module_dir(&registry.bindings));
    let tools = workspace::scratch("go-tools/bin");
    let scratch = workspace::scratch("go-module");
    remove_dir(&scratch)?;

    let lint = golangci_lint(&tools)?;
    let config = root.join("xtask/go-tools/golangci.yml");
    go_step(&lint, &["run", "--config", path_str(&config)?, "./..."], &module, &[])?;

    let alone = scratch.join("alone");
    copy_dir(&module, &alone)?;
    go_step(Path::new("go"), &["test", "-count=1", "./..."], &alone, &[])?;

    let goproxy = tools.join("goproxy");
    go_step(Path::new("go"), &["build", "-o", path_str(&goproxy)?, "."], &root.join("xtask/go-tools/goproxy"), &[])?;
    let proxy = scratch.join("proxy");
    go_step(&goproxy, &[path_str(&module)?, module_path, consumer_version, path_str(&proxy)?], root, &[])?;

    let consumer = scratch.join("consumer");
    let fixture = root.join("xtask/tests/fixtures/go-consumer");
    std::fs::create_dir_all(&consumer)?;
    std::fs::copy(fixture.join("main.go"), consumer.join("main.go"))?;
    std::fs::copy(fixture.join("go.mod.in"), consumer.join("go.mod"))?;
    let proxy_url = format!("file://{}", path_str(&proxy)?);
    let cache = scratch.join("modcache");
    // A fresh build cache as well: go assumes a version's content never changes and keeps what it
    // learnt about a version there, while each run of this test packs the module anew.
    let build_cache = scratch.join("gocache");
    let env = [
        ("GOPROXY", proxy_url.as_str()),
        // The module is not in the public checksum database (and must not be looked up there).
        ("GONOSUMDB", "github.com/codebook-dev"),
        ("GOFLAGS", "-mod=mod"),
        ("GOMODCACHE", path_str(&cache)?),
        ("GOCACHE", path_str(&build_cache)?),
    ];
    let wanted = format!("{module_path}@{consumer_version}");
    go_step(Path::new("go"), &["get", &wanted], &consumer, &env)?;
    let listed = go_output(&["list", "-m", module_path], &consumer, &env)?;
    if listed.trim() != format!("{module_path} {consumer_version}") {
        bail!("the consumer resolved `{}`, not {wanted}", listed.trim());
    }
    go_step(Path::new("go"), &["vet", "."], &consumer, &env)?;
    let output = go_output(&["run", "."], &consumer, &env)?;
    if !output.starts_with("go consumer ok:") {
        bail!("the Go consumer printed something else:\n{output}");
    }
    eprint!("{output}");
    // The module cache is read-only; let go remove it.
    go_step(Path::new("go"), &["clean", "-modcache"], &consumer, &env)
}

/// The pinned golangci-lint, built with `go install` from the module proxy when missing.
fn golangci_lint(tools: &Path) -> anyhow::Result<PathBuf> {
    let binary = tools.join("golangci-lint");
    let current = Step::new(&binary).arg("version").probe().ok().filter(|output| output.status.success());
    let wanted = GOLANGCI_LINT_VERSION.trim_start_matches('v');
    if current.is_some_and(|output| String::from_utf8_lossy(&output.stdout).contains(&format!("version {wanted} "))) {
        return Ok(binary);
    }
    std::fs::create_dir_all(tools)?;
    eprintln!("==> building golangci-lint {GOLANGCI_LINT_VERSION} into {} (once; a few minutes)", tools.display());
    let package = format!("github.com/golangci/golangci-lint/v2/cmd/golangci-lint@{GOLANGCI_LINT_VERSION}");
    go_step(Path::new("go"), &["install", &package], tools, &[("GOBIN", path_str(tools)?)])?;
    Ok(binary)
}

/// Runs a Go tool (or a binary it built) with extra environment variables.
fn go_step(program: &Path, args: &[&str], dir: &Path, env: &[(&str, &str)]) -> anyhow::Result<()> {
    Step::new(program).env("GOTOOLCHAIN", "local").args(args).dir(dir).envs(env.iter().copied()).run()
}

fn go_output(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> anyhow::Result<String> {
    Step::go().args(args).dir(dir).envs(env.iter().copied()).quiet()
}
