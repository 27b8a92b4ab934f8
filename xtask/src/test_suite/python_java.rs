//! The Python package and the Java module in their own toolchains, run by `cargo xtask test`
//! through [`crate::test_suite::bindings`].
//!
//! Python: `ruff check`, `mypy --strict` (the package at Python 3.9, its tests at 3.11) and
//! `pytest` (doctests, the shared vectors, all 65,536 numbers of every family), then
//! `python -m build` a wheel, install it alone into a fresh virtual environment and run a consumer
//! there. The tools come from PyPI at pinned versions into a virtual environment under the target directory,
//! reused while the pins stay the same.
//!
//! Java: `mvn -B verify` (javac `-Xlint:all -Werror`, JUnit 5 over the vectors, javadoc failing on
//! any warning) on a copy of the module alone, so it cannot lean on anything in the repository.
//! Maven takes its plugins from Maven Central at the versions the POM pins.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::command::Step;
use crate::workspace::{self, copy_dir};

/// The Python tools and their pinned versions (mypy 1.19 is the last that checks for Python 3.9).
const PYTHON_TOOLS: &[&str] =
    &["mypy==1.19.1", "ruff==0.17.6", "pytest==9.2.0", "build==1.6.1", "flit_core==3.12.0", "twine==7.0.0"];

/// The real SDK the Python consumer drives, and its dependencies, pinned.
pub(crate) const CENTRIFUGE_PYTHON: &[&str] = &["centrifuge-python==0.7.0", "protobuf==7.36.2", "websockets==17.4"];

/// Runs `program args` in `dir` with extra environment variables (Python writes no bytecode).
pub fn run_in(program: &Path, args: &[&str], dir: &Path, env: &[(&str, &Path)]) -> anyhow::Result<()> {
    Step::new(program).args(args).dir(dir).env("PYTHONDONTWRITEBYTECODE", "1").envs(env.iter().copied()).run()
}

fn python3() -> PathBuf {
    PathBuf::from("python3")
}

/// A virtual environment at `dir` (created when missing) and its `bin` directory.
fn venv(dir: &Path) -> anyhow::Result<PathBuf> {
    if !dir.join("bin/python").exists() {
        let _ = fs::remove_dir_all(dir);
        let dir_text = dir.to_str().context("the workspace path is not UTF-8")?;
        run_in(&python3(), &["-m", "venv", dir_text], Path::new("."), &[])?;
    }
    Ok(dir.join("bin"))
}

/// The pinned Python tools in `target/python-tools/`, installed when missing or when the pins changed.
pub fn python_tools(root: &Path) -> anyhow::Result<PathBuf> {
    let dir = workspace::scratch("python-tools");
    let stamp = dir.join("pins.txt");
    let pins = PYTHON_TOOLS.join("\n");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(pins.as_str()) {
        let _ = fs::remove_dir_all(&dir);
        let bin = venv(&dir)?;
        let mut args = vec!["-m", "pip", "install", "--quiet", "--disable-pip-version-check"];
        args.extend_from_slice(PYTHON_TOOLS);
        run_in(&bin.join("python"), &args, root, &[])?;
        fs::write(&stamp, &pins)?;
    }
    Ok(dir.join("bin"))
}

/// Lint, type-check and test a generated Python package where it is.
pub fn python_checks(tools: &Path, package: &Path) -> anyhow::Result<()> {
    let mypy_cache = workspace::scratch("python-caches/mypy");
    let source = package.join("src");
    run_in(&tools.join("ruff"), &["check", "--no-cache", "."], package, &[])?;
    run_in(&tools.join("mypy"), &["src"], package, &[("MYPY_CACHE_DIR", &mypy_cache)])?;
    // pytest 9 itself needs Python 3.10, so the tests are checked at the running version.
    run_in(
        &tools.join("mypy"),
        &["--python-version", "3.11", "tests"],
        package,
        &[("MYPY_CACHE_DIR", &mypy_cache), ("MYPYPATH", &source)],
    )?;
    run_in(&tools.join("pytest"), &["-q", "-p", "no:cacheprovider"], package, &[("PYTHONPATH", &source)])
}

/// `ruff check` of real Python files where they sit (the runtime, the consumers), with the
/// package's settings.
pub fn python_ruff_where_they_sit(tools: &Path, dir: &Path, pyproject: &Path) -> anyhow::Result<()> {
    let config = pyproject.to_str().context("the workspace path is not UTF-8")?;
    run_in(&tools.join("ruff"), &["check", "--no-cache", "--config", config, "."], dir, &[])
}

/// Builds a wheel from a copy of the package, installs it alone into a fresh virtual environment,
/// type-checks the consumer against the installed package and runs it there. Returns the
/// environment's `bin` directory (the SDK consumer installs into it too).
pub fn python_wheel_consumer(root: &Path, tools: &Path, package: &Path) -> anyhow::Result<PathBuf> {
    let work = workspace::scratch("python-wheel");
    let _ = fs::remove_dir_all(&work);
    let copy = work.join("package");
    copy_dir(package, &copy)?;
    let dist = work.join("dist");
    let dist_text = dist.to_str().context("the workspace path is not UTF-8")?;
    run_in(
        &tools.join("python"),
        &["-m", "build", "--wheel", "--no-isolation", "--outdir", dist_text, "."],
        &copy,
        &[],
    )?;
    let wheel = fs::read_dir(&dist)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| path.extension().is_some_and(|extension| extension == "whl"))
        .context("python -m build wrote no wheel")?;
    let consumer_env = work.join("consumer-venv");
    let bin = venv(&consumer_env)?;
    let wheel_text = wheel.to_str().context("the workspace path is not UTF-8")?;
    run_in(
        &bin.join("python"),
        &["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index", "--no-deps", wheel_text],
        &work,
        &[],
    )?;
    let consumer = root.join("xtask/tests/consumers/python/consumer.py");
    let consumer_text = consumer.to_str().context("the workspace path is not UTF-8")?;
    // The consumer sees only the installed wheel (run from outside the package's source tree).
    let python = bin.join("python");
    let python_text = python.to_str().context("the workspace path is not UTF-8")?;
    run_in(
        &tools.join("mypy"),
        &[
            "--strict",
            "--python-version",
            "3.9",
            "--cache-dir",
            "/dev/null",
            "--python-executable",
            python_text,
            consumer_text,
        ],
        &work,
        &[],
    )?;
    run_in(&bin.join("python"), &["-I", consumer_text], &work, &[])?;

    // Then the real SDK next to it: centrifuge-python raises its events, the binding maps them.
    let mut install = vec!["-m", "pip", "install", "--quiet", "--disable-pip-version-check"];
    install.extend_from_slice(CENTRIFUGE_PYTHON);
    run_in(&bin.join("python"), &install, &work, &[])?;
    let sdk_consumer = root.join("xtask/tests/consumers/python/centrifuge_sdk.py");
    let sdk_consumer_text = sdk_consumer.to_str().context("the workspace path is not UTF-8")?;
    run_in(
        &tools.join("mypy"),
        &["--strict", "--cache-dir", "/dev/null", "--python-executable", python_text, sdk_consumer_text],
        &work,
        &[],
    )?;
    run_in(&bin.join("python"), &["-I", sdk_consumer_text], &work, &[])?;

    // The interop runner against the real server is shipped Python too: the same linters read it
    // where it sits, against the installed wheel and SDK.
    let interop = root.join("interop/python");
    python_ruff_where_they_sit(tools, &interop, &root.join("bindings/python/pyproject.toml"))?;
    run_in(
        &tools.join("mypy"),
        &["--strict", "--cache-dir", "/dev/null", "--python-executable", python_text, "scenarios.py"],
        &interop,
        &[],
    )?;
    Ok(bin)
}

/// `mvn -B verify` on a copy of the module alone, under `target/java-module/<name>`; with
/// `install`, the jar then goes to the local Maven repository for the consumer.
pub fn java_verify(module: &Path, name: &str, install: bool) -> anyhow::Result<()> {
    let copy = workspace::scratch("java-module").join(name);
    let _ = fs::remove_dir_all(&copy);
    copy_dir(module, &copy)?;
    let goal = if install { "install" } else { "verify" };
    run_in(Path::new("mvn"), &["-B", "--no-transfer-progress", goal], &copy, &[])
}

/// `-Dcodebook.version=<the registry's version>`: the consumers depend on the binding the
/// bindings step installed, whatever version `codes.yaml` declares.
pub fn codebook_version_property(root: &Path) -> anyhow::Result<String> {
    let (registry, _) = codebook_codegen::load(&root.join("codes.yaml"))?;
    Ok(format!("-Dcodebook.version={}", registry.version))
}

/// The Java consumer of the installed binding and the real centrifuge-java 0.4.1 SDK, from a copy.
pub fn java_sdk_consumer(root: &Path) -> anyhow::Result<()> {
    let copy = workspace::scratch("java-consumer");
    let _ = fs::remove_dir_all(&copy);
    copy_dir(&root.join("xtask/tests/consumers/java"), &copy)?;
    let version = codebook_version_property(root)?;
    run_in(Path::new("mvn"), &["-B", "--no-transfer-progress", &version, "verify"], &copy, &[])
}
