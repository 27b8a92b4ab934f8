//! `serve --watch`: polls `codes.yaml` and swaps in a new site when it changes.
//!
//! Polling needs no platform watcher and sees editors that replace the file. An invalid edit is
//! logged with the model's located messages and the last good site keeps serving.

use std::path::PathBuf;
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
        let Ok(content) = tokio::fs::read(&path).await else { continue };
        if content == last {
            continue;
        }
        last = content.clone();
        match reload(&path, content).await {
            Ok(site) => {
                eprintln!("reloaded {}: {} codes", path.display(), site.registry.code_count());
                state.replace(site);
            }
            Err(message) => eprintln!("{message}\nstill serving the last good registry"),
        }
    }
}

async fn reload(path: &std::path::Path, content: Vec<u8>) -> Result<Site, String> {
    let shown = path.display().to_string();
    tokio::task::spawn_blocking(move || {
        let text = String::from_utf8(content).map_err(|_| format!("{shown}: not UTF-8"))?;
        let registry = codebook_model::load_str(&shown, &text).map_err(|error| error.render())?;
        Ok(Site::build(registry))
    })
    .await
    .map_err(|error| format!("reload failed: {error}"))?
}
