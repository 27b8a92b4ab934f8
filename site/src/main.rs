//! `site`: serve the docs portal, or export it as static files (the same code as `codebook serve`
//! and `codebook export`, in [`site::command`]).

use clap::{Parser, Subcommand};
use site::command::{ExportOptions, ServeOptions, export_command, serve_command};

#[derive(Parser)]
#[command(name = "site", about = "The codebook docs portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default, on 127.0.0.1:8080 with the embedded codes.yaml).
    Serve(ServeOptions),
    /// Write the portal as static files with .gz and .br siblings, for any static host.
    Export(ExportOptions),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command.unwrap_or(Command::Serve(ServeOptions::default())) {
        Command::Serve(options) => serve_command(options),
        Command::Export(ExportOptions { out, codes }) => export_command(&out, codes.as_deref()),
    }
}
