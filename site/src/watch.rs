//! `serve --watch`: polls `codes.yaml` and swaps in a new site when it changes.
//!
//! Polling needs no platform watcher and sees editors that replace the file. An invalid edit is
//! logged with the model's located messages and the last good site keeps serving.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::server::AppState;
use crate::site::Site;

/// How often the file is checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Watches `path` until the process ends. `last` is the content the current site was built from.
pub async fn watch(path: PathBuf, state: AppState, mut last: Vec<u8>) {
    let mut ticker = tokio::time::interval(POLL_INTERVAL);
    loop {
        ticker.tick().await;
        match check_once(&path, &state, &mut last).await {
            Reload::Unchanged => {}
            Reload::Swapped { codes } => eprintln!("reloaded {}: {codes} codes", path.display()),
            Reload::Rejected(message) => eprintln!("{message}\nstill serving the last good registry"),
        }
    }
}

/// What one look at the file did.
#[derive(Debug, PartialEq, Eq)]
pub enum Reload {
    /// Unreadable or the same content as last time.
    Unchanged,
    /// A valid registry was built and is now served.
    Swapped { codes: usize },
    /// The new content is invalid: the model's rendered, located messages.
    Rejected(String),
}

/// Reads `path` once; when its content differs from `last`, builds a new site and swaps it in.
pub async fn check_once(path: &Path, state: &AppState, last: &mut Vec<u8>) -> Reload {
    let Ok(content) = tokio::fs::read(path).await else { return Reload::Unchanged };
    if content == *last {
        return Reload::Unchanged;
    }
    *last = content.clone();
    match reload(path, content).await {
        Ok(site) => {
            let codes = site.registry.code_count();
            state.replace(site);
            Reload::Swapped { codes }
        }
        Err(message) => Reload::Rejected(message),
    }
}

async fn reload(path: &Path, content: Vec<u8>) -> Result<Site, String> {
    let shown = path.display().to_string();
    tokio::task::spawn_blocking(move || {
        let registry = codebook_model::load_bytes(&shown, &content).map_err(|error| error.render())?;
        Ok(Site::build(registry))
    })
    .await
    .map_err(|error| format!("reload failed: {error}"))?
}
