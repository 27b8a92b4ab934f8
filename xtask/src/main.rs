//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! `test` is the one command that runs every test of the project; README and `.ci/run` name it.

mod test_suite;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "codebook project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every test of the project: Rust, generated bindings in their own toolchains, portal.
    Test,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Test => test_suite::run(),
    }
}
