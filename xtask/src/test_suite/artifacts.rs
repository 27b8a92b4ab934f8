//! The publishable artifacts, checked as their registries check them and built twice to prove
//! they are reproducible, run by `cargo xtask test` under `target/artifacts/` (after the npm
//! package step, whose copy of the TypeScript package it packs again):
//!
//! - Python: the exact install commands of `bindings/python/README.md` (`python -m build` of the
//!   sdist and the wheel with `SOURCE_DATE_EPOCH` from the last commit, `pip install` of the
//!   wheel into a fresh virtual environment, the README's example run there), twice from two
//!   copies; `twine check --strict` on both files; both builds byte-identical.
//! - npm: `npm pack` twice (each rebuilds `dist/`): byte-identical tarballs.
//! - Rust: `cargo publish --dry-run` of the published crates; `cargo package` twice:
//!   byte-identical `.crate` files.
//! - Maven: `mvn package` twice from two copies: the jar, the sources jar and the javadoc jar
//!   byte-identical; `mvn deploy` to a local file repository, which then holds every file Central
//!   asks for (POM, jar, sources, javadoc, checksums), the POM every field Central requires.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::command::run_step;
use crate::test_suite::python_java::run_in;
use crate::workspace::copy_dir;

/// Runs every artifact check; `python_tools` is the tools venv's bin folder.
pub fn run(root: &Path, python_tools: &Path) -> anyhow::Result<()> {
    let scratch = crate::workspace::scratch("artifacts");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)?;
    let (registry, _) = codebook_codegen::load(&root.join("codes.yaml"))?;
    python(root, python_tools, &scratch, &registry)?;
    npm(&scratch)?;
    maven(root, &scratch, &registry)?;
    crates(root, &scratch)
}

/// The crates published to crates.io, in dependency order.
const PUBLISHED_CRATES: &[&str] = &["codebook-protocol", "codebook-model", "codebook-macros", "codebook"];

/// `cargo publish --dry-run` of the published crates (each packaged and built from its `.crate`
/// against the others, as crates.io will hold them), then `cargo package` twice with the
/// commit's time as `SOURCE_DATE_EPOCH`: byte-identical `.crate` files (the first copied away
/// before the second overwrites it).
fn crates(root: &Path, scratch: &Path) -> anyhow::Result<()> {
    let packages: Vec<&str> = PUBLISHED_CRATES.iter().flat_map(|name| ["-p", name]).collect();
    let epoch = source_date_epoch(root)?;
    let cargo = |args: &[&str]| -> anyhow::Result<()> {
        eprintln!("==> SOURCE_DATE_EPOCH={epoch} cargo {}", args.join(" "));
        let status = Command::new("cargo")
            .args(args)
            .args(&packages)
            .current_dir(root)
            .env("SOURCE_DATE_EPOCH", &epoch)
            .status()
            .context("cannot start cargo")?;
        if !status.success() {
            bail!("`cargo {}` failed", args.join(" "));
        }
        Ok(())
    };
    forget_unpacked_dry_runs()?;
    crate::workspace::remove_dir(&crate::workspace::scratch("package"))?;
    forget_registry_builds()?;
    // --allow-dirty: the test runs on working trees too; CI's tree is clean either way.
    cargo(&["publish", "--dry-run", "--allow-dirty", "--quiet"])?;
    // (A dry run of several crates packs them into a registry of its own, not target/package/.)
    cargo(&["package", "--no-verify", "--allow-dirty", "--quiet"])?;
    let first = scratch.join("crates-one");
    fs::create_dir_all(&first)?;
    let crate_file = |name: &str| format!("{name}-{}.crate", env!("CARGO_PKG_VERSION"));
    for name in PUBLISHED_CRATES {
        fs::copy(crate::workspace::scratch("package").join(crate_file(name)), first.join(crate_file(name)))?;
    }
    cargo(&["package", "--no-verify", "--allow-dirty", "--quiet"])?;
    for name in PUBLISHED_CRATES {
        identical(
            &crate_file(name),
            &first.join(crate_file(name)),
            &crate::workspace::scratch("package").join(crate_file(name)),
        )?;
    }
    Ok(())
}

/// Removes what earlier dry runs unpacked of our crates. A dry run of several crates packs them
/// into a registry of its own under `target/package/`, and cargo unpacks each into
/// `$CARGO_HOME/registry/src/<that registry>/<name>-<version>`, keyed by the registry's path; an
/// unpacked copy is never refreshed, so a second run of the same checkout at the same version
/// would verify `codebook-model` against the first run's `codebook-protocol`. Only the
/// local registries' copies go (crates.io's folder is left alone).
fn forget_unpacked_dry_runs() -> anyhow::Result<()> {
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => PathBuf::from(std::env::var_os("HOME").context("neither CARGO_HOME nor HOME is set")?).join(".cargo"),
    };
    let Ok(registries) = fs::read_dir(cargo_home.join("registry/src")) else { return Ok(()) };
    for registry in registries {
        let registry = registry?.path();
        if registry.file_name().is_some_and(|name| name.to_string_lossy().starts_with("index.")) {
            continue;
        }
        for name in PUBLISHED_CRATES {
            let unpacked = registry.join(format!("{name}-{}", env!("CARGO_PKG_VERSION")));
            if unpacked.exists() {
                fs::remove_dir_all(&unpacked).with_context(|| format!("cannot remove {}", unpacked.display()))?;
            }
        }
    }
    Ok(())
}

/// The dry run builds our crates from its registry into the shared `target/debug/`, and cargo
/// takes a registry crate it built before (same name, version and registry) as up to date
/// whatever its sources now say: it linked `codebook-model` against the `codebook-protocol` of an
/// earlier run. Dropping the fingerprints of our four crates makes cargo build them again (the
/// workspace's own builds of them too, which cost seconds).
fn forget_registry_builds() -> anyhow::Result<()> {
    let fingerprints = crate::workspace::target_dir().join("debug/.fingerprint");
    let Ok(entries) = fs::read_dir(&fingerprints) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let ours = name.rsplit_once('-').is_some_and(|(crate_name, hash)| {
            PUBLISHED_CRATES.contains(&crate_name) && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if ours {
            fs::remove_dir_all(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    Ok(())
}

fn path_str(path: &Path) -> anyhow::Result<&str> {
    path.to_str().context("the workspace path is not UTF-8")
}

/// The commit time of HEAD, the `SOURCE_DATE_EPOCH` the README's build command uses.
fn source_date_epoch(root: &Path) -> anyhow::Result<String> {
    let output =
        Command::new("git").args(["log", "-1", "--format=%ct"]).current_dir(root).output().context("cannot run git")?;
    let epoch = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if !output.status.success() || epoch.is_empty() {
        bail!("cannot read the commit time of HEAD");
    }
    Ok(epoch)
}

/// The shell commands of the first ```sh block after `heading` in a README.
fn sh_block_after(readme: &str, heading: &str) -> anyhow::Result<Vec<String>> {
    let after = readme.split_once(heading).with_context(|| format!("the README has no `{heading}`"))?.1;
    let block = after.split_once("```sh\n").context("no ```sh block")?.1.split_once("```").context("unclosed block")?.0;
    Ok(block.lines().map(str::to_string).collect())
}

fn identical(what: &str, one: &Path, two: &Path) -> anyhow::Result<()> {
    let (a, b) = (fs::read(one)?, fs::read(two)?);
    if a != b {
        bail!("two builds of {what} differ: {} and {}", one.display(), two.display());
    }
    eprintln!("    {what}: two builds byte-identical ({} bytes)", a.len());
    Ok(())
}

fn python(root: &Path, tools: &Path, scratch: &Path, registry: &codebook_model::Registry) -> anyhow::Result<()> {
    let readme = fs::read_to_string(root.join("bindings/python/README.md"))?;
    let commands = sh_block_after(&readme, "Until then, build the wheel")?;
    let wheel_name = codebook_codegen::python::wheel_name(registry);
    // The README's commands, exactly: install build, build with the commit's time, install the wheel.
    let expected = [
        "python -m pip install build".to_string(),
        "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) python -m build --sdist --wheel --outdir dist bindings/python"
            .to_string(),
        format!("pip install dist/{wheel_name}"),
    ];
    if commands != expected {
        bail!("bindings/python/README.md's install commands changed; this test runs them:\n{commands:#?}");
    }
    let epoch = source_date_epoch(root)?;
    let mut builds = Vec::new();
    for name in ["one", "two"] {
        let checkout = scratch.join(format!("python-{name}"));
        copy_dir(&root.join("bindings/python"), &checkout.join("bindings/python"))?;
        let mut command = Command::new(tools.join("python"));
        command.args(["-m", "build", "--sdist", "--wheel", "--outdir", "dist", "bindings/python"]);
        command.current_dir(&checkout).env("SOURCE_DATE_EPOCH", &epoch).env("PYTHONDONTWRITEBYTECODE", "1");
        eprintln!(
            "==> SOURCE_DATE_EPOCH={epoch} python -m build --sdist --wheel --outdir dist bindings/python (in {})",
            checkout.display()
        );
        if !command.status().context("cannot start python")?.success() {
            bail!("python -m build failed in {}", checkout.display());
        }
        builds.push(checkout.join("dist"));
    }
    let sdist_name = wheel_name.replace("-py3-none-any.whl", ".tar.gz");
    identical(&wheel_name, &builds[0].join(&wheel_name), &builds[1].join(&wheel_name))?;
    identical(&sdist_name, &builds[0].join(&sdist_name), &builds[1].join(&sdist_name))?;
    let files = [builds[0].join(&wheel_name), builds[0].join(&sdist_name)];
    let mut twine = vec!["check", "--strict"];
    for file in &files {
        twine.push(path_str(file)?);
    }
    run_in(&tools.join("twine"), &twine, scratch, &[])?;

    // `pip install dist/<wheel>` into a fresh environment, then the README's example there.
    let env = scratch.join("python-consumer");
    run_in(Path::new("python3"), &["-m", "venv", path_str(&env)?], scratch, &[])?;
    let pip = env.join("bin/pip");
    run_in(
        &pip,
        &["install", "--quiet", "--disable-pip-version-check", &format!("dist/{wheel_name}")],
        &scratch.join("python-one"),
        &[],
    )?;
    let example = readme
        .split_once("```python\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .context("the README has no Python example")?
        .0;
    let script = scratch.join("readme_example.py");
    fs::write(&script, example)?;
    run_in(&env.join("bin/python"), &[path_str(&script)?], scratch, &[])
}

fn npm(scratch: &Path) -> anyhow::Result<()> {
    // The npm package step's copy, with its dependencies installed; each pack rebuilds dist/.
    let package = crate::workspace::scratch("npm-package/alone/typescript");
    if !package.join("node_modules").exists() {
        bail!("{} is missing: the npm package step runs first", package.display());
    }
    let mut tarballs = Vec::new();
    for name in ["one", "two"] {
        let destination = scratch.join(format!("npm-{name}"));
        fs::create_dir_all(&destination)?;
        run_step("npm", &["pack", "--pack-destination", path_str(&destination)?], &package)?;
        let tarball = fs::read_dir(&destination)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .find(|path| path.extension().is_some_and(|extension| extension == "tgz"))
            .context("npm pack wrote no tarball")?;
        tarballs.push(tarball);
    }
    identical("the npm tarball", &tarballs[0], &tarballs[1])
}

fn maven(root: &Path, scratch: &Path, registry: &codebook_model::Registry) -> anyhow::Result<()> {
    let identity = &registry.bindings;
    let version = registry.version.to_string();
    let base = format!("{}-{version}", identity.java_artifact_id);
    let jars = [format!("{base}.jar"), format!("{base}-sources.jar"), format!("{base}-javadoc.jar")];
    let mut builds: Vec<PathBuf> = Vec::new();
    for name in ["one", "two"] {
        let copy = scratch.join(format!("java-{name}"));
        copy_dir(&root.join("bindings/java"), &copy)?;
        run_in(Path::new("mvn"), &["-B", "--no-transfer-progress", "-q", "-DskipTests", "package"], &copy, &[])?;
        builds.push(copy);
    }
    for jar in &jars {
        identical(jar, &builds[0].join("target").join(jar), &builds[1].join("target").join(jar))?;
    }
    let repository = scratch.join("maven-repository");
    let deploy = format!("-DaltDeploymentRepository=local::file://{}", path_str(&repository)?);
    run_in(
        Path::new("mvn"),
        &["-B", "--no-transfer-progress", "-q", "-DskipTests", &deploy, "deploy"],
        &builds[0],
        &[],
    )?;
    let deployed =
        repository.join(identity.java_group_id.replace('.', "/")).join(&identity.java_artifact_id).join(&version);
    let mut wanted: Vec<String> = jars.to_vec();
    wanted.push(format!("{base}.pom"));
    for file in wanted.clone() {
        wanted.push(format!("{file}.sha1"));
        wanted.push(format!("{file}.md5"));
    }
    let missing: Vec<&String> = wanted.iter().filter(|file| !deployed.join(file).is_file()).collect();
    if !missing.is_empty() {
        bail!("the deployed bundle in {} lacks {missing:?}", deployed.display());
    }
    let pom = fs::read_to_string(deployed.join(format!("{base}.pom")))?;
    // What Central's validation requires of a POM (central.sonatype.org/publish/requirements).
    let required = [
        "<groupId>",
        "<artifactId>",
        "<version>",
        "<name>",
        "<description>",
        "<url>",
        "<licenses>",
        "<license>",
        "<developers>",
        "<developer>",
        "<scm>",
        "<connection>",
        "<developerConnection>",
    ];
    let absent: Vec<&str> = required.iter().copied().filter(|element| !pom.contains(element)).collect();
    if !absent.is_empty() {
        bail!("the deployed POM lacks what Central requires: {absent:?}");
    }
    eprintln!("    Maven bundle deployed to {}: {} files, POM complete", repository.display(), wanted.len());
    Ok(())
}
