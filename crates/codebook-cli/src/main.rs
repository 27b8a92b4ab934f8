//! `codebook`: generate, check and compare the bindings of any `codes.yaml`.
//!
//! Install with `cargo install --path crates/codebook-cli`, or run as `cargo run --bin codebook`.
//! Every subcommand takes `--codes FILE` (default: `codes.yaml` in the current directory).
//! Subcommands: `gen`, `check`, `breaking`, `release`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use codebook_cli::{breaking, generate, release};

#[derive(Parser)]
#[command(name = "codebook", version, about = "One codes.yaml, every binding: generate, check and compare")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write every binding (TypeScript, Go, Python, Java, Markdown, vectors, JSON Schema).
    Gen(Paths),
    /// Write nothing; fail with a diff per file when the bindings differ from what `gen` writes.
    Check(Paths),
    /// Report every breaking change of the registry against a git base (buf-style rules).
    Breaking {
        /// Git ref to compare with (default: the merge base of HEAD and `main`).
        #[arg(long)]
        against: Option<String>,
        /// The registry, relative to the current directory.
        #[arg(long, default_value = "codes.yaml")]
        codes: PathBuf,
        /// Categories that fail the check: wire, behaviour, source (default: all).
        #[arg(long, value_delimiter = ',')]
        categories: Vec<String>,
    },
    /// Cut a release: the next version from the changes since the last `vX.Y.Z` tag, the
    /// changelog section, every package stamped and regenerated, the tags to push printed.
    Release(ReleaseArgs),
}

#[derive(clap::Args)]
struct ReleaseArgs {
    /// The registry.
    #[arg(long, default_value = "codes.yaml")]
    codes: PathBuf,
    /// The directory the bindings are written to.
    #[arg(long, default_value = "bindings")]
    out: PathBuf,
    /// The Keep-a-Changelog file the release's section goes into.
    #[arg(long, default_value = "CHANGELOG.md")]
    changelog: PathBuf,
    /// A Cargo manifest whose [workspace.package] or [package] version follows the registry.
    #[arg(long)]
    cargo_manifest: Option<PathBuf>,
    /// The release date, YYYY-MM-DD [default: today, UTC, or SOURCE_DATE_EPOCH's day].
    #[arg(long)]
    date: Option<String>,
}

#[derive(clap::Args)]
struct Paths {
    /// The registry to read.
    #[arg(long, default_value = "codes.yaml")]
    codes: PathBuf,
    /// The directory the bindings are written to.
    #[arg(long, default_value = "bindings")]
    out: PathBuf,
}

impl Paths {
    fn target(self) -> generate::Target {
        let fix_command = format!("codebook gen --codes {} --out {}", self.codes.display(), self.out.display());
        generate::Target { codes: self.codes, out: self.out, fix_command, runtime_companions: false }
    }
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Gen(paths) => generate::gen_command(&paths.target()),
        Command::Check(paths) => generate::check_command(&paths.target()),
        Command::Breaking { against, codes, categories } => breaking::command(&codes, against.as_deref(), &categories),
        Command::Release(args) => release::command(&release::Options {
            codes: args.codes,
            out: args.out,
            changelog: args.changelog,
            cargo_manifest: args.cargo_manifest,
            date: args.date,
            runtime_companions: false,
        }),
    }
}
