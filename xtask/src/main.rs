//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! `test` is the one command that runs every test of the project; README and `.ci/run` name it.

mod bench_gen;
mod bench_scale;
mod command;
#[cfg(test)]
mod gen_corpus_tests;
mod herd;
mod process;
mod soak;
mod synth;
mod test_suite;
#[cfg(test)]
mod tidy;
mod workspace;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use codebook_cli::{BreakingArgs, generate, release};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "codebook project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every test of the project: tidy, Rust, generated bindings in their own toolchains,
    /// interop, portal.
    Test,
    /// Only the bindings' part of `test`: `check`, then the TypeScript, Go, Python and Java
    /// toolchains on the committed bindings and on bindings of the hostile fixture.
    TestBindings,
    /// Only the foreign registries' part of `test`: every `fixtures/foreign/*/codes.yaml` and
    /// toolchain case through `gen`, the TypeScript, Go, Python and Java toolchains,
    /// `include_codes!` and `breaking` (installs the TypeScript compiler and the Python tools first).
    TestForeign {
        /// Only these registries (folder names, toolchain cases as `toolchain-<case>`); default all.
        only: Vec<String>,
    },
    /// Only the generated-registries part of `test`: registries drawn from fixed seeds by a
    /// proptest strategy that follows the model's rules, through `gen`, the TypeScript, Go,
    /// Python and Java toolchains and `include_codes!` (needs `test-bindings`' installs).
    TestGenerated,
    /// Only the Rust consumer part of `test`: a crate outside the workspace using `codebook` by
    /// path and by git URL, with its own `codes.yaml`.
    TestConsumer,
    /// Only the foreign portals' part of `test`: `codebook serve` and `codebook export` of every
    /// registry in fixtures/foreign/, crawled for any word of the shipped registry.
    TestForeignPortals,
    /// Only the publishable artifacts' part of `test`: the npm package step, then the Python,
    /// npm and Maven artifacts checked as their registries check them and built twice.
    TestArtifacts,
    /// Only the scripted release history of `test`: four releases of a small registry in a
    /// throwaway git repository, each checked by every language's own API tool (cargo rustdoc's
    /// JSON, the TypeScript checker, apidiff, griffe, japicmp) against the previous one.
    TestReleaseHistory,
    /// Only the Go module's packaging part of `test`: golangci-lint, the module alone, and a
    /// consumer fetching it from a file-system GOPROXY.
    TestGoModule,
    /// Only the examples' part of `test`: every example the portal shows and every code example of
    /// README.md, the bindings' READMEs and the generated Markdown (Rust, TypeScript, Go, Python,
    /// Java), compiled in its language (and run where it can run) against `bindings/`. Needs what
    /// `test-bindings` builds (the TypeScript compiler and dist/, the Python venv with the wheel
    /// and centrifuge-python, centrifuge-java in the local Maven repository).
    TestExamples,
    /// Only the interop part of `test`: the drift check against centrifuge, then a real Centrifugo
    /// (built once, cached under target/interop/) driven by centrifuge-js, centrifuge-go,
    /// centrifuge-python and centrifuge-java. Needs the TypeScript binding built, the Python
    /// consumer venv and the Java binding installed in the local Maven repository
    /// (`test-bindings` does all three).
    Interop,
    /// Report every breaking change of `codes.yaml` against a git base (buf-style rules).
    Breaking(BreakingArgs),
    /// Cut a release of the workspace's registry (`codebook release` with the workspace's paths:
    /// CHANGELOG.md, Cargo.toml's [workspace.package] version, bindings/ and the runtime companions).
    Release {
        /// The release date, YYYY-MM-DD [default: today, UTC].
        #[arg(long)]
        date: Option<String>,
    },
    /// Write every binding (TypeScript, Go, Python, Java, Markdown, vectors, JSON Schema) from the
    /// registry, and the runtime folders' generated companions.
    Gen(Paths),
    /// Write nothing; fail with a diff per file when the bindings differ from what `gen` writes.
    Check(Paths),
    /// Write a synthetic valid registry (for benchmarks).
    Synth {
        /// Number of codes, spread over several families.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        /// Where to write the registry.
        #[arg(long)]
        out: PathBuf,
    },
    /// Load, soak and faults of the portal's release build (takes minutes; not part of `test`).
    Soak {
        /// Concurrent connections of the soak.
        #[arg(long, default_value_t = 64)]
        connections: u32,
        /// Seconds of the measured soak.
        #[arg(long, default_value_t = 60)]
        duration: u64,
        /// Seconds of warm-up before the first memory reading.
        #[arg(long, default_value_t = 10)]
        warmup: u64,
        /// Run one phase only: soak, sigterm or reload; or scale (10,000 and 100,000 codes against
        /// issue 24's targets), which the default run leaves out.
        #[arg(long)]
        only: Option<String>,
    },
    /// Herd simulation: 100,000 clients reconnecting through the Rust, TypeScript and Go runtimes
    /// and centrifuge-js's backoff; writes a report and SVG plots (a benchmark; not part of `test`).
    Herd {
        /// Simulated clients per scenario.
        #[arg(long, default_value_t = 100_000)]
        clients: usize,
        /// New sessions per second the server admits in the capacity scenario.
        #[arg(long, default_value_t = 2_000)]
        capacity: usize,
        /// Seed of the seeded cross-runtime check.
        #[arg(long, default_value_t = 2026)]
        seed: u32,
        /// Where the report and plots go [default: target/herd].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The scale targets of issue 24 outside the portal (release builds, `/usr/bin/time`): `gen`
    /// and `check` at 100,000 codes, the 65,536-code family refused, `include_codes!` at 10,000.
    BenchScale {
        /// Codes of the registry `gen` and `check` are timed on.
        #[arg(long, default_value_t = 100_000)]
        codes: usize,
        /// Codes of the registry `include_codes!` expands.
        #[arg(long, default_value_t = 10_000)]
        macro_codes: usize,
        /// Leave out the `include_codes!` builds.
        #[arg(long)]
        skip_macro: bool,
    },
    /// Time `gen` for all targets against loading and validating alone, on one registry.
    BenchGen {
        /// The registry to measure (e.g. one written by `synth`).
        #[arg(long)]
        codes: PathBuf,
        /// Timed repetitions of each measurement (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[derive(clap::Args)]
struct Paths {
    /// The registry to read [default: codes.yaml at the workspace root].
    #[arg(long)]
    codes: Option<PathBuf>,
    /// The directory the bindings live in [default: bindings/ at the workspace root].
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Paths {
    /// The paths to use, and the `gen` command line that regenerates them.
    fn resolve(self) -> generate::Target {
        let root = workspace::root();
        let mut fix = String::from("cargo xtask gen");
        if let Some(codes) = &self.codes {
            fix.push_str(&format!(" --codes {}", codes.display()));
        }
        if let Some(out) = &self.out {
            fix.push_str(&format!(" --out {}", out.display()));
        }
        generate::Target {
            runtime_companions: self.out.is_none(),
            codes: self.codes.unwrap_or_else(|| root.join("codes.yaml")),
            out: self.out.unwrap_or_else(|| root.join("bindings")),
            fix_command: fix,
        }
    }
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Test => test_suite::run(),
        Command::Breaking(arguments) => arguments.run(),
        Command::TestBindings => test_suite::bindings::run(&workspace::root()),
        Command::TestGenerated => {
            let root = workspace::root();
            let python_tools = test_suite::python_java::python_tools(&root)?;
            let typescript = root.join("bindings/typescript");
            if !typescript.join("node_modules").is_dir() {
                command::run_step("npm", &["ci", "--no-audit", "--no-fund"], &typescript)?;
            }
            test_suite::generated_registries::run(&python_tools, &typescript.join("node_modules"))
        }
        Command::TestConsumer => test_suite::rust_consumer::run(&workspace::root()),
        Command::TestForeignPortals => test_suite::foreign_portals::run(&workspace::root()),
        Command::TestForeign { only } => test_suite::foreign_registries::run(&workspace::root(), &only),
        Command::TestArtifacts => {
            let root = workspace::root();
            let js_tools = root.join("xtask/js-tools");
            command::run_step("npm", &["ci", "--no-audit", "--no-fund"], &js_tools)?;
            test_suite::npm_package::run(&root, &js_tools)?;
            let python_tools = test_suite::python_java::python_tools(&root)?;
            test_suite::artifacts::run(&root, &python_tools)
        }
        Command::TestReleaseHistory => test_suite::release_history::run(&workspace::root()),
        Command::TestGoModule => test_suite::go_module::run(&workspace::root()),
        Command::TestExamples => test_suite::portal::check_examples(),
        Command::Interop => {
            let root = workspace::root();
            test_suite::drift::run(&root).and_then(|()| test_suite::interop::run(&root))
        }
        Command::Release { date } => {
            let root = workspace::root();
            std::env::set_current_dir(&root)?;
            release::command(&release::Options {
                codes: "codes.yaml".into(),
                out: "bindings".into(),
                changelog: "CHANGELOG.md".into(),
                cargo_manifest: Some("Cargo.toml".into()),
                date,
                runtime_companions: true,
            })
        }
        Command::Gen(paths) => generate::gen_command(&paths.resolve()),
        Command::Check(paths) => generate::check_command(&paths.resolve()),
        Command::Synth { count, out } => synth::write_registry(count, &out),
        Command::BenchGen { codes, runs } => bench_gen::run(&codes, runs),
        Command::BenchScale { codes, macro_codes, skip_macro } => bench_scale::run(codes, macro_codes, skip_macro),
        Command::Herd { clients, capacity, seed, out } => {
            herd::run(&herd::Options { clients, capacity_per_second: capacity, seed, out })
        }
        Command::Soak { connections, duration, warmup, only } => {
            let load = soak::load::Load { connections, duration_secs: duration, warmup_secs: warmup };
            soak::run(&soak::Options { load, only })
        }
    }
}
