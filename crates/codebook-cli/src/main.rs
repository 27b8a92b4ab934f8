//! `codebook`: generate, check and compare the bindings of any `codes.yaml`.
//!
//! Install with `cargo install --path crates/codebook-cli`, or run as `cargo run --bin codebook`.
//! Every subcommand takes `--codes FILE` (`serve`, `export` and `explain` default to the registry
//! shipped with codebook, the others to `codes.yaml` in the current directory).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use codebook_cli::{BreakingArgs, centrifugo_config, explain, generate, live_check, release};

/// The exit status of a command line clap could not parse (sysexits' EX_USAGE; 2 means errors
/// found by `centrifugo check-config`).
const EXIT_USAGE: u8 = 64;

#[derive(Parser)]
#[command(
    name = "codebook",
    version,
    about = "One codes.yaml, every binding and a docs portal: generate, check, compare, serve and explain"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the bindings the registry's `bindings.targets` lists (default every one: TypeScript,
    /// Go, Python, Java, Markdown, vectors, JSON Schema) into its `bindings.out`.
    Gen(Paths),
    /// Write nothing; fail with a diff per file when the bindings differ from what `gen` writes.
    Check(Paths),
    /// Report every breaking change of the registry against a git base (buf-style rules).
    Breaking(BreakingArgs),
    /// Serve the docs portal of a registry (every family and code as a page, search, JSON API).
    Serve(site::command::ServeOptions),
    /// Write the docs portal as static files with .gz and .br siblings, for any static host.
    Export(site::command::ExportOptions),
    /// Explain a code: a number (3501), a name (BadRequest), `<family>/<number>`, or a pasted log line.
    /// Exits 0 when a registered code answers, 1 when none does (the range rules still explain a
    /// number), 2 when the query or the registry cannot be read.
    Explain {
        /// What to explain; several words are read as one log line.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// The registry [default: the registry shipped with codebook].
        #[arg(long)]
        codes: Option<PathBuf>,
        /// Print JSON for machines instead of text.
        #[arg(long)]
        json: bool,
        /// Colour the text: auto (only on a terminal, and not when NO_COLOR is set), always, never.
        #[arg(long, value_enum, default_value_t = Colour::Auto)]
        color: Colour,
    },
    /// Cut a release: the next version from the changes since the last `vX.Y.Z` tag, the
    /// changelog section, every package stamped and regenerated, the tags to push printed.
    Release(ReleaseArgs),
    /// Commands for a Centrifugo deployment.
    #[command(subcommand)]
    Centrifugo(CentrifugoCommand),
    /// Read a running server's Prometheus endpoint (and optionally its JSON logs) and report every
    /// code seen against the registry. Exit status: 0 fine, 1 a finding at --fail-on, 2 the
    /// endpoint cannot be reached, 3 it timed out, 4 it did not answer metrics, 5 the logs
    /// cannot be read.
    LiveCheck {
        /// The metrics URL, e.g. http://127.0.0.1:8000/metrics (plain HTTP).
        #[arg(long)]
        metrics: String,
        /// Centrifugo JSON log file to read too (`-` for stdin).
        #[arg(long)]
        logs: Option<String>,
        /// The findings that fail the check.
        #[arg(long, value_enum, default_value = "error")]
        fail_on: live_check::Severity,
        #[arg(long, value_enum, default_value = "text")]
        format: live_check::Format,
        /// Keep polling for this many seconds, printing what changed, then stop.
        #[arg(long, value_name = "SECONDS")]
        watch: Option<u64>,
        /// Seconds between polls of a watch.
        #[arg(long, value_name = "SECONDS", default_value_t = 5)]
        interval: u64,
        /// Seconds a scrape may take.
        #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
        timeout: f64,
        /// The registry to read.
        #[arg(long, default_value = "codes.yaml")]
        codes: PathBuf,
    },
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum Colour {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum CentrifugoCommand {
    /// Check the custom error and disconnect codes of a Centrifugo config (JSON, YAML or TOML)
    /// against the registry. Exit status: 0 clean, 1 warnings only, 2 errors, 4 the file cannot
    /// be read or parsed.
    CheckConfig {
        /// The Centrifugo config file.
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: centrifugo_config::Format,
        /// The registry to read.
        #[arg(long, default_value = "codes.yaml")]
        codes: PathBuf,
    },
}

#[derive(clap::Args)]
struct Paths {
    /// The registry to read.
    #[arg(long, default_value = "codes.yaml")]
    codes: PathBuf,
    /// The directory the bindings are written to [default: the registry's `bindings.out`, beside
    /// the registry file, `bindings` when it names none].
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Paths {
    fn target(self) -> anyhow::Result<generate::Target> {
        let out = match self.out {
            Some(out) => out,
            None => generate::registry_out_dir(&self.codes)?,
        };
        let fix_command = format!("codebook gen --codes {} --out {}", self.codes.display(), out.display());
        Ok(generate::Target { codes: self.codes, out, fix_command, runtime_companions: false })
    }
}

/// The registry at `path`, or the exit status after printing why it cannot be read.
fn registry(path: &std::path::Path) -> Result<codebook_model::Registry, ExitCode> {
    codebook_model::load_path(path).map_err(|error| {
        eprintln!("{error}");
        ExitCode::from(centrifugo_config::EXIT_UNREADABLE)
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let usage = error.use_stderr();
            let _ = error.print();
            return if usage { ExitCode::from(EXIT_USAGE) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command {
        Command::Gen(paths) => paths.target().and_then(|target| generate::gen_command(&target)),
        Command::Check(paths) => paths.target().and_then(|target| generate::check_command(&target)),
        Command::Breaking(arguments) => arguments.run(),
        Command::Serve(options) => site::command::serve_command(options),
        Command::Export(site::command::ExportOptions { out, codes }) => {
            site::command::export_command(&out, codes.as_deref())
        }
        Command::Release(args) => release::command(&release::Options {
            codes: args.codes,
            out: args.out,
            changelog: args.changelog,
            cargo_manifest: args.cargo_manifest,
            date: args.date,
            runtime_companions: false,
        }),
        Command::Explain { query, codes, json, color } => {
            return explain_command(&query.join(" "), codes.as_deref(), json, color);
        }
        Command::Centrifugo(CentrifugoCommand::CheckConfig { file, format, codes }) => {
            return match registry(&codes) {
                Ok(registry) => ExitCode::from(centrifugo_config::command(&registry, &file, format)),
                Err(status) => status,
            };
        }
        Command::LiveCheck { metrics, logs, fail_on, format, watch, interval, timeout, codes } => {
            let registry = match registry(&codes) {
                Ok(registry) => registry,
                Err(status) => return status,
            };
            let options = live_check::Options {
                metrics,
                logs,
                fail_on,
                format,
                watch: watch.map(Duration::from_secs),
                interval: Duration::from_secs(interval.max(1)),
                timeout: Duration::try_from_secs_f64(timeout).unwrap_or(Duration::from_secs(5)),
            };
            return ExitCode::from(live_check::command(&registry, &options));
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error:?}");
            ExitCode::FAILURE
        }
    }
}

/// `codebook explain`: 0 found, 1 not registered, 2 unreadable query or registry.
fn explain_command(query: &str, codes: Option<&Path>, json: bool, colour: Colour) -> ExitCode {
    let loaded = match codes {
        Some(path) => codebook_model::load_path(path),
        None => codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML),
    };
    let registry = match loaded {
        Ok(registry) => registry,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let explanation = match explain::explain(&registry, query) {
        Ok(explanation) => explanation,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let text = if json {
        let mut text = serde_json::to_string_pretty(&explanation).expect("an explanation is plain data");
        text.push('\n');
        text
    } else {
        let colour = match colour {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        explain::render_text(&explanation, explain::Style { colour })
    };
    // A reader that closed the pipe (`| head`) has all it wanted: not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    if explanation.found { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
