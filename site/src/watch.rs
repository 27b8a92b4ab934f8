//! `serve --watch`: polls `codes.yaml` and swaps in a new site when it changes.
//!
//! Polling needs no platform watcher and sees editors that replace the file. Each look costs one
//! `stat`: the file is read only when its metadata (size, modification and change times, inode)
//! differs from the last look, never more than the model's size limit, and only when it is a
//! regular file (a FIFO, device or socket is refused with a message, so no read can block or run
//! forever). Content equal to what the site was built from is not rebuilt. An invalid edit is
//! logged with the model's located messages and the last good site keeps serving.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::server::AppState;
use crate::site::Site;

/// How often the file is checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// How long after a write the file's metadata is not trusted to tell a change.
const RACY_WINDOW: Duration = Duration::from_secs(1);

/// What the watcher remembers of the file between looks: its metadata and a digest of the content
/// the current site was built from (never the content itself).
#[derive(Debug, Default)]
pub struct LastSeen {
    metadata: Option<Fingerprint>,
    content: Option<(usize, u64)>,
}

impl LastSeen {
    /// The file as the current site was built from it: `content` is what was loaded.
    pub fn built_from(path: &Path, content: &[u8]) -> Self {
        LastSeen { metadata: Fingerprint::of(path).ok(), content: Some(digest(content)) }
    }
}

/// The metadata a change of content changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    unix: (u64, u64, i64, i64),
    regular: bool,
}

impl Fingerprint {
    /// Follows symbolic links, the way the file is then read.
    fn of(path: &Path) -> std::io::Result<Self> {
        let metadata = std::fs::metadata(path)?;
        Ok(Fingerprint {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            #[cfg(unix)]
            unix: {
                use std::os::unix::fs::MetadataExt;
                (metadata.dev(), metadata.ino(), metadata.ctime(), metadata.ctime_nsec())
            },
            regular: metadata.is_file(),
        })
    }
}

fn digest(content: &[u8]) -> (usize, u64) {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    content.hash(&mut hasher);
    (content.len(), hasher.finish())
}

/// Watches `path` until the process ends. `last` describes the file the current site was built from.
pub async fn watch(path: PathBuf, state: AppState, mut last: LastSeen) {
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
    /// Missing, or the same metadata or content as last time.
    Unchanged,
    /// A valid registry was built and is now served.
    Swapped { codes: usize },
    /// The new content is invalid or unreadable: the model's rendered, located messages.
    Rejected(String),
}

/// Looks at `path` once: when its metadata changed, reads it (bounded) and, when the content
/// differs from what the current site was built from, builds a new site and swaps it in. A
/// problem is reported once per change of the file, not on every look.
pub async fn check_once(path: &Path, state: &AppState, last: &mut LastSeen) -> Reload {
    let Ok(fingerprint) = Fingerprint::of(path) else { return Reload::Unchanged };
    if last.metadata.as_ref() == Some(&fingerprint) {
        return Reload::Unchanged;
    }
    // File times have a coarse clock (a few ms), so two writes of the same size can share them:
    // like git's "racy clean" rule, metadata younger than a second is not trusted, and the
    // next look reads the file again.
    let settled =
        fingerprint.modified.and_then(|modified| modified.elapsed().ok()).is_some_and(|age| age > RACY_WINDOW);
    last.metadata = settled.then(|| fingerprint.clone());
    let shown = path.display().to_string();
    if !fingerprint.regular {
        last.metadata = Some(fingerprint);
        return Reload::Rejected(format!(
            "{shown}: cannot read the registry: it is not a regular file (a FIFO, device, socket or directory)"
        ));
    }
    let owned = path.to_path_buf();
    let Ok(read) = tokio::task::spawn_blocking(move || codebook_model::read_bounded(&owned)).await else {
        return Reload::Unchanged;
    };
    let content = match read {
        Ok(content) => content,
        Err(message) => return Reload::Rejected(format!("{shown}: {message}")),
    };
    let seen = digest(&content);
    if last.content == Some(seen) {
        return Reload::Unchanged;
    }
    last.content = Some(seen);
    // The release history is read at startup; a reload of the registry keeps it.
    let releases = state.site.load().releases.clone();
    match reload(shown, content, releases).await {
        Ok(site) => {
            let codes = site.registry.code_count();
            state.replace(site);
            Reload::Swapped { codes }
        }
        Err(message) => Reload::Rejected(message),
    }
}

async fn reload(shown: String, content: Vec<u8>, releases: codebook_model::ReleaseHistory) -> Result<Site, String> {
    tokio::task::spawn_blocking(move || {
        let registry = codebook_model::load_bytes(&shown, &content).map_err(|error| error.render())?;
        Ok(Site::build_with_history(registry, releases))
    })
    .await
    .map_err(|error| format!("reload failed: {error}"))?
}
