//! `site export`: the portal as plain files that any static host can serve.
//!
//! Pages become `{path}/index.html`, so `/codes/x/3500` works on hosts that map a directory to its
//! index; JSON becomes `{path}.json`, the form pages link and the portal answers too. `/search/index.html` is the search page whose results the
//! browser computes from the same index the live portal uses, and `/codes/{number}/` redirects
//! or lists candidates like the live route does (for every registered number).
//!
//! Every HTML, JSON, JavaScript, CSS and SVG file also gets `.gz` and `.br` siblings, for hosts
//! that serve precompressed files (nginx `gzip_static` and `brotli_static`, many CDNs and object
//! stores): gzip at level 9 for all; brotli at quality 11 for the files there is one of per
//! registry (assets, home page) up to 256 KB, and at quality 6 for the pages per code, per
//! number and per family and anything larger, where quality 11 would cost about 16 ms of CPU per
//! page (25 minutes at 100,000 codes) for about 12% fewer bytes (BENCHMARKS.md, "Portal at
//! 100,000 codes"). Pages rendered on request are rendered here one by one and dropped once
//! written, so the export's memory does not grow with the registry's pages.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, bail};

use crate::pages;
use crate::resource;
use crate::site::{Page, Site};

/// The file an export holds so that a later export may replace the directory whole.
pub const EXPORT_MARKER: &str = ".codebook-export";

/// One file of the export, produced when a worker writes it (so the export never holds every
/// page and its compressed siblings in memory at once).
enum Job<'a> {
    Resource(String, &'a crate::resource::Resource),
    /// A page rendered on request by the portal, rendered now.
    Page(String, Page),
    Bytes(String, Vec<u8>),
    /// `/codes/{number}/`: a redirect to the one family holding the number, or the candidates.
    Number(u16),
}

/// Writes every page of `site` as the directory `out` and returns how many files were written.
///
/// The export is built in a temp directory beside `out` and renamed into place only when every
/// file is written, so a failed export (a full disk) leaves the previous one whole and no partial
/// files behind. An existing `out` is replaced only when it is empty or an earlier export (it
/// holds [`EXPORT_MARKER`]); any other directory is refused, never deleted.
pub fn export(site: &Site, out: &Path) -> anyhow::Result<usize> {
    if out.exists() && !is_replaceable(out)? {
        bail!(
            "{} exists and is not an earlier export (no {EXPORT_MARKER}); name a new or empty directory",
            out.display()
        );
    }
    let name = out.file_name().context("the export directory has a name")?.to_string_lossy().into_owned();
    let parent = out.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let building = parent.join(format!(".{name}.export-{}", std::process::id()));
    let _ = fs::remove_dir_all(&building);
    fs::create_dir_all(&building).with_context(|| format!("cannot create {}", building.display()))?;
    let written = match write_all(site, &building) {
        Ok(written) => written,
        Err(error) => {
            let _ = fs::remove_dir_all(&building);
            return Err(error.context(format!("the export failed; {} was not changed", out.display())));
        }
    };
    let previous = parent.join(format!(".{name}.export-old-{}", std::process::id()));
    let had_previous = out.exists();
    if had_previous {
        fs::rename(out, &previous)
            .with_context(|| format!("cannot move the previous export {} aside", out.display()))?;
    }
    if let Err(error) = fs::rename(&building, out) {
        if had_previous {
            let _ = fs::rename(&previous, out);
        }
        let _ = fs::remove_dir_all(&building);
        return Err(error).with_context(|| format!("cannot rename the export into {}", out.display()));
    }
    if had_previous {
        fs::remove_dir_all(&previous)
            .with_context(|| format!("cannot remove the previous export {}", previous.display()))?;
    }
    Ok(written)
}

/// Is `out` an empty directory or an earlier export?
fn is_replaceable(out: &Path) -> anyhow::Result<bool> {
    if !out.is_dir() {
        return Ok(false);
    }
    let mut entries = fs::read_dir(out).with_context(|| format!("cannot list {}", out.display()))?;
    Ok(entries.next().is_none() || out.join(EXPORT_MARKER).is_file())
}

/// Writes every file of the export under `dir` on every core; the first failure stops the others.
fn write_all(site: &Site, dir: &Path) -> anyhow::Result<usize> {
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (url, resource) in &site.resources {
        jobs.push(Job::Resource(relative_path(url, resource.content_type()), resource));
    }
    for (url, page) in site.pages_to_render() {
        let content_type = if page.is_json() { resource::JSON } else { resource::HTML };
        jobs.push(Job::Page(relative_path(&url, content_type), page));
    }
    jobs.push(Job::Bytes("search/index.html".to_string(), site.search_shell.clone().into_bytes()));
    jobs.push(Job::Bytes("404.html".to_string(), site.not_found.body().to_vec()));
    jobs.push(Job::Bytes(
        EXPORT_MARKER.to_string(),
        b"written by `site export`; the next export replaces this directory\n".to_vec(),
    ));
    let numbers: BTreeSet<u16> =
        site.registry.families.iter().flat_map(|family| family.codes.iter().map(|code| code.number)).collect();
    jobs.extend(numbers.into_iter().map(Job::Number));

    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(None::<anyhow::Error>);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    if failed.lock().map_or(true, |failed| failed.is_some()) {
                        break;
                    }
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(index) else { break };
                    match write_job(site, dir, job) {
                        Ok(count) => {
                            written.fetch_add(count, Ordering::Relaxed);
                        }
                        Err(error) => {
                            if let Ok(mut failed) = failed.lock() {
                                failed.get_or_insert(error);
                            }
                            break;
                        }
                    }
                }
            });
        }
    });
    if let Some(error) = failed.into_inner().ok().flatten() {
        return Err(error);
    }
    Ok(written.into_inner())
}

/// The file of `url` in the export: pages as `{path}/index.html`, JSON as `{path}.json`, assets
/// under their own names.
fn relative_path(url: &str, content_type: &str) -> String {
    if url == "/" {
        "index.html".to_string()
    } else if url.starts_with("/static/") {
        url[1..].to_string()
    } else if content_type.starts_with("application/json") {
        format!("{}.json", &url[1..])
    } else if content_type.starts_with("application/atom+xml") {
        url[1..].to_string()
    } else {
        format!("{}/index.html", &url[1..])
    }
}

/// Writes one file and, for the kinds worth it, its `.gz` and `.br` siblings; returns how many.
fn write_job(site: &Site, dir: &Path, job: &Job<'_>) -> anyhow::Result<usize> {
    // Pages per code, number or family are many: they get the cheaper brotli quality.
    let (relative, bytes, per_page): (String, std::borrow::Cow<'_, [u8]>, bool) = match job {
        Job::Resource(relative, resource) => (relative.clone(), resource.uncompressed(), is_per_page(site, relative)),
        Job::Page(relative, page) => (relative.clone(), site.render(*page).1.into(), true),
        Job::Bytes(relative, bytes) => (relative.clone(), bytes.as_slice().into(), false),
        Job::Number(number) => {
            let mut owners = site.registry.families.iter().filter(|family| family.code(*number).is_some());
            let page = match (owners.next(), owners.next()) {
                (Some(family), None) => redirect_page(&pages::code_url(family, *number), &site.assets.icon),
                _ => pages::candidates_page(&site.registry, *number, &site.assets),
            };
            (format!("codes/{number}/index.html"), page.into_bytes().into(), true)
        }
    };
    let path = safe_join(dir, &relative)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    write_file(&path, &bytes)?;
    let compressed = Path::new(&relative)
        .extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| COMPRESSED_EXTENSIONS.contains(&extension));
    if !compressed {
        return Ok(1);
    }
    write_file(&sibling(&path, "gz"), &resource::gzip(&bytes, flate2::Compression::best()))?;
    let quality =
        if per_page || bytes.len() > BEST_BROTLI_MAX_BYTES { PAGE_BROTLI_QUALITY } else { BEST_BROTLI_QUALITY };
    write_file(&sibling(&path, "br"), &resource::brotli(&bytes, quality))?;
    Ok(3)
}

/// Whether the held response written to `relative` is one of the pages per code or family (a
/// small registry's site holds them all).
fn is_per_page(site: &Site, relative: &str) -> bool {
    let path = relative.strip_suffix("/index.html").or_else(|| relative.strip_suffix(".json")).unwrap_or(relative);
    site.page_at(&format!("/{path}")).is_some()
}

fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Writes a file whose directory exists (created once per page for the page and its siblings:
/// at 100,000 codes every page has a directory of its own).
fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// File kinds that get precompressed siblings.
const COMPRESSED_EXTENSIONS: [&str; 5] = ["html", "json", "js", "css", "svg"];

/// Brotli quality of the files there is one of per registry: the best, since it is paid once.
const BEST_BROTLI_QUALITY: u32 = 11;
/// Files larger than this get [`PAGE_BROTLI_QUALITY`] even when there is one of them (a family
/// page of 1,000 codes is 650 KB: about a second of CPU at quality 11).
const BEST_BROTLI_MAX_BYTES: usize = 256 * 1024;
/// Brotli quality of the pages per code, number and family: 0.26 ms of CPU for a 13 KB code page
/// (quality 11: 16 ms), 1% larger than quality 9, 12% larger than 11.
const PAGE_BROTLI_QUALITY: u32 = 6;

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
