//! `site`: serve the docs portal, or export it as static files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use codebook_model::Registry;
use site::{AppState, Site};

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

/// The registry at `path`, or the embedded one; a bad file ends the program with located messages.
fn load(path: Option<&PathBuf>) -> Result<(Registry, Vec<u8>), String> {
    match path {
        None => codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML)
            .map(|registry| (registry, codebook_model::EMBEDDED_CODES_YAML.as_bytes().to_vec()))
            .map_err(|error| error.render()),
        Some(path) => {
            // Read once: what is served (and what the watcher compares against) is what was parsed.
            let bytes =
                codebook_model::read_bounded(path).map_err(|message| format!("{}: {message}", path.display()))?;
            codebook_model::load_bytes(&path.display().to_string(), &bytes)
                .map(|registry| (registry, bytes))
                .map_err(|error| error.render())
        }
    }
}

fn main() -> anyhow::Result<()> {
    let command = Cli::parse().command.unwrap_or(Command::Serve {
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        codes: None,
        watch: false,
    });
    match command {
        Command::Serve { addr, codes, watch } => {
            let started = Instant::now();
            let (registry, source) = match load(codes.as_ref()) {
                Ok(loaded) => loaded,
                Err(message) => {
                    eprintln!("{message}");
                    std::process::exit(1);
                }
            };
            let site = Site::build(registry);
            eprintln!(
                "built {} responses ({} KB) for {} codes in {} ms",
                site.resources.len(),
                site.resources.values().map(|resource| resource.stored_bytes()).sum::<usize>() / 1024,
                site.registry.code_count(),
                started.elapsed().as_millis()
            );
            let runtime = tokio::runtime::Runtime::new()?;
            let served = runtime.block_on(serve(addr, AppState::new(site), codes.filter(|_| watch), source));
            // A blocking task (a reload being built) must not hold the exit past the budget.
            runtime.shutdown_timeout(SHUTDOWN_GRACE);
            served
        }
        Command::Export { out, codes } => {
            let (registry, _) = match load(codes.as_ref()) {
                Ok(loaded) => loaded,
                Err(message) => {
                    eprintln!("{message}");
                    std::process::exit(1);
                }
            };
            let written = site::export::export(&Site::build_for_export(registry), &out)?;
            eprintln!("wrote {written} files to {}", out.display());
            Ok(())
        }
    }
}

async fn serve(addr: SocketAddr, state: AppState, watch: Option<PathBuf>, source: Vec<u8>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    eprintln!("serving on http://{}", listener.local_addr()?);
    if let Some(path) = watch {
        let last = site::watch::LastSeen::built_from(&path, &source);
        tokio::spawn(site::watch::watch(path, state.clone(), last));
    }
    let router = site::router(state);
    // A client that never finishes its request headers (slowloris) is cut off; without a timer
    // hyper waits for it forever.
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(header_read_timeout());
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        // Out of file descriptors and the like: wait a little instead of spinning.
                        eprintln!("accept failed: {error}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let service = hyper_util::service::TowerToHyperService::new(router.clone());
                let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                let connection = connections.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    // Requests in flight finish; a client that stalls halfway through its request or stops
    // reading its answer is cut off when the grace period ends.
    tokio::select! {
        () = connections.shutdown() => eprintln!("stopped"),
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            eprintln!("stopped: connections still open after {} s were closed", SHUTDOWN_GRACE.as_secs())
        }
    }
    Ok(())
}

/// How long a client may take to send its request headers: 10 s, or `CODEBOOK_HEADER_TIMEOUT_MS`
/// (tests use a short one).
fn header_read_timeout() -> Duration {
    std::env::var("CODEBOOK_HEADER_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis)
}

/// How long requests in flight may take to finish after SIGTERM or Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(4);

/// Resolves on Ctrl-C or SIGTERM; the server then finishes requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("shutting down");
}
