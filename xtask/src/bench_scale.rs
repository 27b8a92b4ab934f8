//! `cargo xtask bench-scale`: the scale targets of issue 24 (item 7) that do not involve the
//! portal, each measured as a separate process of a release build and printed with its ratio to
//! the target.
//!
//! - `codebook gen` of a synthetic registry (`--codes`, 100,000 by default) into an empty
//!   directory (target 3 s), then `codebook check` of the same directory (target 2 s);
//! - one family registering all 65,536 numbers, refused (target 1 s and 100 MB);
//! - `include_codes!` over a synthetic registry (`--macro-codes`, 10,000 by default) in a crate of
//!   its own, dependencies already built: the first build (target 5 s and 500 MB), then the
//!   rebuild after touching the registry (target 2 s).
//!
//! Each figure is `/usr/bin/time`'s wall time, user and system CPU and peak RSS (of the largest
//! process: rustc, not cargo, for the builds). The machine may be shared: the CPU time is the
//! figure to compare when the load is high. The ratio is wall time over the target.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::command::Step;
use crate::workspace;

/// One measured process.
struct Measured {
    wall: f64,
    user: f64,
    system: f64,
    peak_kb: u64,
}

impl Measured {
    fn row(&self, step: &str, target_seconds: f64, target_mb: Option<u64>) -> String {
        let memory = match target_mb {
            Some(limit) => format!(
                "{} MB (target {limit} MB, {:.2}x)",
                self.peak_kb / 1024,
                self.peak_kb as f64 / 1024.0 / limit as f64
            ),
            None => format!("{} MB", self.peak_kb / 1024),
        };
        format!(
            "{step:<44} {:>7.2} s wall ({:.2}x of {target_seconds} s)  CPU {:.2} s (user {:.2} + sys {:.2})  peak {memory}",
            self.wall,
            self.wall / target_seconds,
            self.user + self.system,
            self.user,
            self.system,
        )
    }
}

/// Runs `command` under `/usr/bin/time`; `expect_success` says which exit status is the point.
fn measure(command: Command, expect_success: bool) -> anyhow::Result<Measured> {
    let report = workspace::scratch("bench-scale").join("time.txt");
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed.args(["-f", "%e %U %S %M", "-o"]).arg(&report).arg(&program).args(&args);
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let output = timed.output().context("cannot run /usr/bin/time (Debian package `time`)")?;
    if output.status.success() != expect_success {
        bail!(
            "{} {:?} exited with {} (expected {}):\n{}",
            program.to_string_lossy(),
            args,
            output.status,
            if expect_success { "success" } else { "a refusal" },
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = std::fs::read_to_string(&report)?;
    let last = text.lines().last().context("/usr/bin/time wrote nothing")?;
    let fields: Vec<&str> = last.split_whitespace().collect();
    let [wall, user, system, peak] = fields.as_slice() else { bail!("unexpected /usr/bin/time output: {last}") };
    Ok(Measured { wall: wall.parse()?, user: user.parse()?, system: system.parse()?, peak_kb: peak.parse()? })
}

/// One error family registering every `u16`.
fn every_number_family() -> String {
    let mut text = String::from(
        "families:\n  - id: every-number\n    title: Every number\n    kind: error\n    description: Registers all 65,536 numbers.\n    fallback: {label: anything else, temporary: false}\n    codes:\n",
    );
    for number in 0..=u16::MAX {
        let _ = writeln!(
            text,
            "      - {{code: {number}, name: Code{number}, message: code {number}, description: Number {number}., causes: [a cause]}}"
        );
    }
    text
}

pub fn run(codes: usize, macro_codes: usize, skip_macro: bool) -> anyhow::Result<()> {
    let root = workspace::root();
    let scratch = workspace::scratch("bench-scale");
    std::fs::create_dir_all(&scratch)?;
    eprintln!("==> cargo build --release -p codebook-cli");
    Step::new("cargo").args(["build", "--release", "-p", "codebook-cli"]).dir(&root).run()?;
    let codebook = workspace::target_dir().join("release/codebook");

    let registry = scratch.join(format!("synth-{codes}.yaml"));
    crate::synth::write_registry(codes, &registry)?;
    let out = scratch.join("bindings");
    let _ = std::fs::remove_dir_all(&out);
    let cli = |verb: &str, codes: &Path, out: &Path| {
        let mut command = Command::new(&codebook);
        command.arg(verb).arg("--codes").arg(codes).arg("--out").arg(out);
        command
    };
    let mut rows = Vec::new();
    let generated = measure(cli("gen", &registry, &out), true)?;
    rows.push(generated.row(&format!("codebook gen, {codes} codes, empty dir"), 3.0, None));
    let check = measure(cli("check", &registry, &out), true)?;
    rows.push(check.row(&format!("codebook check, {codes} codes, up to date"), 2.0, None));
    let bytes = directory_bytes(&out)?;
    std::fs::remove_dir_all(&out)?;

    let every = scratch.join("every-number.yaml");
    std::fs::write(&every, every_number_family())?;
    let refused = measure(cli("check", &every, &scratch.join("every-number-out")), false)?;
    rows.push(refused.row("65,536-code family refused", 1.0, Some(100)));

    if !skip_macro {
        let (first, touched) = include_codes_builds(&root, &scratch, macro_codes)?;
        rows.push(first.row(&format!("include_codes!, {macro_codes} codes, first build"), 5.0, Some(500)));
        rows.push(touched.row(&format!("include_codes!, {macro_codes} codes, after a touch"), 2.0, Some(500)));
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average before the last step: {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    println!("gen wrote {:.1} MB (hard links counted once)", bytes as f64 / 1e6);
    for row in rows {
        println!("{row}");
    }
    Ok(())
}

/// Bytes below `dir`, each inode once.
fn directory_bytes(dir: &Path) -> anyhow::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    let mut seen = std::collections::BTreeSet::new();
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let metadata = entry.metadata()?;
            if metadata.is_dir() {
                pending.push(entry.path());
            } else if seen.insert((metadata.dev(), metadata.ino())) {
                total += metadata.len();
            }
        }
    }
    Ok(total)
}

/// A crate of its own expanding a synthetic registry: dependencies are built first on a small
/// registry, then the first build with the large one and a rebuild after touching it are timed.
fn include_codes_builds(root: &Path, scratch: &Path, codes: usize) -> anyhow::Result<(Measured, Measured)> {
    let crate_dir: PathBuf = scratch.join("include-codes");
    std::fs::create_dir_all(crate_dir.join("src"))?;
    let codebook = root.join("crates/codebook");
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"bench-include-codes\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncodebook = {{ path = {:?} }}\n\n[workspace]\n",
            workspace::text(&codebook)?
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
    std::fs::write(
        crate_dir.join("src/lib.rs"),
        "//! `include_codes!` over a synthetic registry (`cargo xtask bench-scale`).\ncodebook::include_codes!(path = \"codes.yaml\");\n",
    )?;
    let target = scratch.join("include-codes-target");
    let build = || {
        let mut command = Command::new("cargo");
        command.args(["build", "--quiet", "--manifest-path"]).arg(crate_dir.join("Cargo.toml"));
        command.env("CARGO_TARGET_DIR", &target).current_dir(&crate_dir);
        command
    };
    eprintln!("==> include_codes!: building the dependencies on a small registry");
    crate::synth::write_registry(10, &crate_dir.join("codes.yaml"))?;
    measure(build(), true)?;
    crate::synth::write_registry(codes, &crate_dir.join("codes.yaml"))?;
    eprintln!("==> include_codes!: first build with {codes} codes");
    let first = measure(build(), true)?;
    let registry = crate_dir.join("codes.yaml");
    let text = std::fs::read(&registry)?;
    std::fs::write(&registry, text)?;
    eprintln!("==> include_codes!: rebuild after a touch");
    let touched = measure(build(), true)?;
    Ok((first, touched))
}
