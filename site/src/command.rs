//! What `site serve` and `site export` (and `codebook serve`/`codebook export`, which call this
//! module) do: load a registry (a file, or the embedded `codes.yaml`), build the [`Site`], then
//! serve it over HTTP with a graceful shutdown, or write it as static files.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use codebook_model::{Registry, ReleaseHistory};

use crate::{AppState, Site};

/// The address `serve` listens on unless told otherwise.
pub const DEFAULT_ADDR: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8080);

/// What `serve` serves and how: the arguments of `site serve` and `codebook serve` alike.
#[derive(clap::Args)]
pub struct ServeOptions {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The registry [default: the registry shipped with codebook].
    #[arg(long)]
    pub codes: Option<PathBuf>,
    /// Reload the registry when the file changes, keeping the last good one on error (needs --codes).
    #[arg(long, requires = "codes")]
    pub watch: bool,
}

impl Default for ServeOptions {
    /// The embedded registry on [`DEFAULT_ADDR`], not watched.
    fn default() -> Self {
        ServeOptions { addr: DEFAULT_ADDR, codes: None, watch: false }
    }
}

/// What `export` writes and from which registry: the arguments of `site export` and
/// `codebook export` alike.
#[derive(clap::Args)]
pub struct ExportOptions {
    /// The directory to write: empty, missing, or an earlier export (replaced whole).
    #[arg(long)]
    pub out: PathBuf,
    /// The registry [default: the registry shipped with codebook].
    #[arg(long)]
    pub codes: Option<PathBuf>,
}

/// Serves the portal until Ctrl-C or SIGTERM. A registry that does not load ends the program
/// with its located messages (exit status 1).
pub fn serve_command(options: ServeOptions) -> anyhow::Result<()> {
    let ServeOptions { addr, codes, watch } = options;
    let started = Instant::now();
    let (registry, source, releases) = load_or_exit(codes.as_deref());
    let site = Site::build_with_history(registry, releases);
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

/// Writes the static export of the registry at `codes` (or the embedded one) into `out`.
pub fn export_command(out: &Path, codes: Option<&Path>) -> anyhow::Result<()> {
    let (registry, _, releases) = load_or_exit(codes);
    let written = crate::export::export(&Site::build_for_export(registry, releases), out)?;
    eprintln!("wrote {written} files to {}", out.display());
    Ok(())
}

/// The registry and its release history, or the program ends with located messages.
fn load_or_exit(path: Option<&Path>) -> (Registry, Vec<u8>, ReleaseHistory) {
    match load(path).and_then(|(registry, source)| Ok((registry, source, load_history(path)?))) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(1);
        }
    }
}

/// The registry at `path`, or the embedded one; a bad file ends the program with located messages.
pub fn load(path: Option<&Path>) -> Result<(Registry, Vec<u8>), String> {
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

/// The release history beside the registry: the embedded `CHANGELOG.md` for the embedded
/// registry, `CHANGELOG.md` in the registry's folder otherwise (none there: no releases yet).
pub fn load_history(path: Option<&Path>) -> Result<ReleaseHistory, String> {
    let (name, text) = match path {
        None => ("CHANGELOG.md".to_string(), codebook_model::EMBEDDED_CHANGELOG.to_string()),
        Some(codes) => {
            let changelog = codes.parent().unwrap_or(Path::new(".")).join("CHANGELOG.md");
            if !changelog.is_file() {
                return Ok(ReleaseHistory::default());
            }
            let bytes = codebook_model::read_bounded(&changelog)
                .map_err(|message| format!("{}: {message}", changelog.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", changelog.display()))?;
            (changelog.display().to_string(), text)
        }
    };
    ReleaseHistory::read(&name, &text)
}

async fn serve(addr: SocketAddr, state: AppState, watch: Option<PathBuf>, source: Vec<u8>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    eprintln!("serving on http://{}", listener.local_addr()?);
    if let Some(path) = watch {
        let last = crate::watch::LastSeen::built_from(&path, &source);
        tokio::spawn(crate::watch::watch(path, state.clone(), last));
    }
    let router = crate::router(state);
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
