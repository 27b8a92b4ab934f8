//! `site`: serve the docs portal, or export it as static files (the same code as `codebook serve`
//! and `codebook export`, in [`site::command`]).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use site::command::{DEFAULT_ADDR, ServeOptions, export_command, serve_command};

#[derive(Parser)]
#[command(name = "site", about = "The codebook docs portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default, on 127.0.0.1:8080 with the embedded codes.yaml).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The registry to serve instead of the embedded one.
        #[arg(long)]
        codes: Option<PathBuf>,
        /// Reload the registry when the file changes (needs --codes).
        #[arg(long, requires = "codes")]
        watch: bool,
    },
    /// Write the portal as static files.
    Export {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        codes: Option<PathBuf>,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command.unwrap_or(Command::Serve { addr: DEFAULT_ADDR, codes: None, watch: false }) {
        Command::Serve { addr, codes, watch } => serve_command(ServeOptions { addr, codes, watch }),
        Command::Export { out, codes } => export_command(&out, codes.as_deref()),
    }
}
