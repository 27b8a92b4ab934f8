//! `site export`: the portal as plain files that any static host can serve.
//!
//! Pages become `{path}/index.html`, so `/codes/x/3500` works on hosts that map a directory to its
//! index; JSON becomes `{path}.json`, the form pages link and the portal answers too. `/search/index.html` is the search page whose results the
//! browser computes from the same index the live portal uses, and `/codes/{number}/` redirects
//! or lists candidates like the live route does (for every registered number).
//!
//! Every HTML, JSON, JavaScript, CSS and SVG file also gets `.gz` and `.br` siblings, compressed
//! at the best levels (gzip 9, brotli 11), for hosts that serve precompressed files (nginx
//! `gzip_static` and `brotli_static`, many CDNs and object stores).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

use crate::pages;
use crate::resource;
use crate::site::Site;

/// Writes every page of `site` under `out` and returns how many files were written.
pub fn export(site: &Site, out: &Path) -> anyhow::Result<usize> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (url, resource) in &site.resources {
        let relative = if url == "/" {
            "index.html".to_string()
        } else if url.starts_with("/static/") {
            url[1..].to_string()
        } else if resource.content_type().starts_with("application/json") {
            format!("{}.json", &url[1..])
        } else {
            format!("{}/index.html", &url[1..])
        };
        files.push((relative, resource.body().to_vec()));
    }
    files.push(("search/index.html".to_string(), site.search_shell.clone().into_bytes()));
    files.push(("404.html".to_string(), site.not_found.body().to_vec()));

    let numbers: BTreeSet<u16> =
        site.registry.families.iter().flat_map(|family| family.codes.iter().map(|code| code.number)).collect();
    for number in numbers {
        let mut owners = site.registry.families.iter().filter(|family| family.code(number).is_some());
        let page = match (owners.next(), owners.next()) {
            (Some(family), None) => redirect_page(&pages::code_url(family, number), &site.assets.icon),
            _ => pages::candidates_page(&site.registry, number, &site.assets),
        };
        files.push((format!("codes/{number}/index.html"), page.into_bytes()));
    }

    let compressed = precompress(&files);
    for (relative, bytes) in files.iter().chain(&compressed) {
        let path = safe_join(out, relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(files.len() + compressed.len())
}

/// File kinds that get precompressed siblings.
const COMPRESSED_EXTENSIONS: [&str; 5] = ["html", "json", "js", "css", "svg"];

/// Brotli quality of the export: the best, since it is paid once.
const EXPORT_BROTLI_QUALITY: u32 = 11;

/// The `.gz` and `.br` siblings of every file worth them, compressed on every core.
fn precompress(files: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let wanted: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(relative, _)| {
            Path::new(relative).extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSED_EXTENSIONS.contains(&e))
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut siblings: Vec<(String, Vec<u8>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((relative, bytes)) = wanted.get(index) else { break };
                        out.push((format!("{relative}.gz"), resource::gzip(bytes, flate2::Compression::best())));
                        out.push((format!("{relative}.br"), resource::brotli(bytes, EXPORT_BROTLI_QUALITY)));
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().expect("compressing does not panic")).collect()
    });
    siblings.sort();
    siblings
}

/// A page that sends the browser on to `target` without script (a meta refresh is allowed by
/// the portal's Content-Security-Policy).
/// It names the icon so that the browser does not ask for a `/favicon.ico` the export lacks.
fn redirect_page(target: &str, icon: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url={target}\">\
         <link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\"><title>Redirecting</title></head><body><main><p><a href=\"{target}\">Continue to {target}</a></p></main></body></html>\n"
    )
}

/// `relative` joined onto `out`, refusing anything that would leave `out`.
fn safe_join(out: &Path, relative: &str) -> anyhow::Result<PathBuf> {
    let relative = Path::new(relative);
    if relative.components().any(|component| !matches!(component, Component::Normal(_))) {
        bail!("refusing to write outside the export directory: {}", relative.display());
    }
    Ok(out.join(relative))
}
