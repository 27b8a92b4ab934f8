//! The Rust consumer test of `cargo xtask test`: a crate outside the workspace
//! (`xtask/tests/fixtures/consumer`) with its own `codes.yaml`, built and run twice under
//! `target/rust-consumer/`: with `codebook` as a path dependency, and as a git dependency on a
//! `file://` bare clone of this repository at `HEAD` (what `cargo add --git` gives a team).
//!
//! With default features the crate must not see the shipped registry: `shipped_probe.rs`, which
//! names `codebook::centrifugo_disconnect`, must fail to compile there and run once the consumer
//! asks for `features = ["shipped"]`.
//!
//! The git variant builds what is committed, so uncommitted changes are not part of it. Both start
//! from the workspace's `Cargo.lock`, so they build the versions the workspace already fetched.

use std::path::Path;

use anyhow::{Context, bail};

use crate::command::Step;
use crate::workspace;

/// Builds and runs the consumer crate against `codebook` by path and by git URL.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let scratch = workspace::scratch("rust-consumer");
    let fixture = root.join("xtask/tests/fixtures/consumer");
    let bare = scratch.join("codebook.git");
    let _ = std::fs::remove_dir_all(&bare);
    std::fs::create_dir_all(&scratch).with_context(|| format!("cannot create {}", scratch.display()))?;

    let head = git(root, &["rev-parse", "HEAD"])?;
    let bare_arg = bare.to_str().context("the workspace path is not UTF-8")?;
    git(root, &["clone", "--quiet", "--bare", ".", bare_arg])?;

    let codebook = root.join("crates/codebook");
    let path_dependency = format!("{{ path = {:?} }}", codebook.to_str().context("the workspace path is not UTF-8")?);
    let git_dependency = format!("{{ git = \"file://{bare_arg}\", rev = \"{head}\" }}");
    // One target directory for both: the registry dependencies compile once.
    let target = scratch.join("target");
    for (variant, dependency) in [("path", path_dependency.clone()), ("git", git_dependency)] {
        let crate_dir = scratch.join(variant);
        let _ = std::fs::remove_dir_all(&crate_dir);
        std::fs::create_dir_all(crate_dir.join("src"))?;
        std::fs::copy(fixture.join("codes.yaml"), crate_dir.join("codes.yaml"))?;
        std::fs::copy(fixture.join("src/main.rs"), crate_dir.join("src/main.rs"))?;
        std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
        std::fs::write(crate_dir.join("Cargo.toml"), manifest(&dependency))?;
        eprintln!("    the consumer crate, codebook as a {variant} dependency: {dependency}");
        let stdout = Step::new("cargo")
            .args(["run", "--quiet", "--manifest-path"])
            .arg(crate_dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .dir(&crate_dir)
            .quiet()?;
        if !stdout.contains("consumer ok: 4100 room closed") {
            bail!("the consumer crate ({variant} dependency) printed something else:\n{stdout}");
        }
        eprint!("{stdout}");
    }
    shipped_only_when_asked(&fixture, &scratch.join("path"), &target, &path_dependency)
}

/// The path variant again with `shipped_probe.rs` as its `main.rs`: refused without the `shipped`
/// feature (the module does not exist), run with it.
fn shipped_only_when_asked(fixture: &Path, crate_dir: &Path, target: &Path, dependency: &str) -> anyhow::Result<()> {
    std::fs::copy(fixture.join("shipped_probe.rs"), crate_dir.join("src/main.rs"))?;
    eprintln!("    the consumer naming a shipped family, codebook with default features: must not compile");
    let refused = Step::new("cargo")
        .args(["check", "--quiet", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .dir(crate_dir)
        .probe()?;
    let errors = String::from_utf8_lossy(&refused.stderr);
    if refused.status.success() || !errors.contains("centrifugo_disconnect") {
        bail!("an adopter's crate sees the shipped registry without the `shipped` feature:\n{errors}");
    }
    let asked = dependency.replacen(" }", ", features = [\"shipped\"] }", 1);
    std::fs::write(crate_dir.join("Cargo.toml"), manifest(&asked))?;
    eprintln!("    the same with {asked}");
    let stdout = Step::new("cargo")
        .args(["run", "--quiet", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .dir(crate_dir)
        .quiet()?;
    if !stdout.contains("shipped ok: 3500 invalid token") {
        bail!("the consumer with the `shipped` feature printed something else:\n{stdout}");
    }
    eprint!("{stdout}");
    Ok(())
}

/// The consumer's manifest; `[workspace]` makes it its own workspace although it sits under ours.
fn manifest(dependency: &str) -> String {
    format!(
        "[package]\nname = \"codebook-consumer\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ncodebook = {dependency}\n\n[workspace]\n"
    )
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    Ok(Step::new("git").args(args).dir(dir).quiet()?.trim().to_string())
}
