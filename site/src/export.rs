//! `site export`: the portal as plain files that any static host can serve.
//!
//! Pages become `{path}/index.html`, so `/codes/x/3500` works on hosts that map a directory to its
//! index; JSON becomes `{path}.json`, the form pages link and the portal answers too. `/search/index.html` is the search page whose results the
//! browser computes from the same index the live portal uses, and `/codes/{number}/` redirects
//! or lists candidates like the live route does (for every registered number).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

use crate::pages;
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

    for (relative, bytes) in &files {
        let path = safe_join(out, relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(files.len())
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

/// `out/relative`, refusing anything that would leave `out`.
fn safe_join(out: &Path, relative: &str) -> anyhow::Result<PathBuf> {
    let relative = Path::new(relative);
    if relative.components().any(|component| !matches!(component, Component::Normal(_))) {
        bail!("refusing to write outside the export directory: {}", relative.display());
    }
    Ok(out.join(relative))
}
