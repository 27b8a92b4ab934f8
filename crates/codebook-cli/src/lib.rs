//! The library behind `codebook`, the command for any registry: each subcommand is one module
//! here, so `cargo xtask` (the repository's own automation) calls the same code the binary runs,
//! with the same arguments ([`BreakingArgs`]).

pub mod breaking;
pub mod centrifugo_config;
pub mod explain;
pub mod generate;
pub mod live_check;
pub mod release;

use std::path::PathBuf;

/// The arguments of `breaking`, the same in `codebook breaking` and `cargo xtask breaking`.
#[derive(clap::Args)]
pub struct BreakingArgs {
    /// Git ref to compare with (default: the merge base of HEAD and `main`).
    #[arg(long)]
    pub against: Option<String>,
    /// The registry, relative to the current directory.
    #[arg(long, default_value = "codes.yaml")]
    pub codes: PathBuf,
    /// Categories that fail the check: wire, behaviour, source (default: all).
    #[arg(long, value_delimiter = ',')]
    pub categories: Vec<String>,
}

impl BreakingArgs {
    /// Runs the check and fails when a break falls in a chosen category.
    pub fn run(&self) -> anyhow::Result<()> {
        breaking::command(&self.codes, self.against.as_deref(), &self.categories)
    }
}
