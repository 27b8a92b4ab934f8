//! `codebook`: generate, check and compare the bindings of any `codes.yaml`.
//!
//! Install with `cargo install --path crates/codebook-cli`, or run as `cargo run --bin codebook`.
//! Every subcommand takes `--codes FILE` (default: `codes.yaml` in the current directory).

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use codebook_cli::{BreakingArgs, generate};

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
    Breaking(BreakingArgs),
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
        Command::Breaking(arguments) => arguments.run(),
    }
}
