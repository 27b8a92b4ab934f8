//! The TypeScript package as a team receives it, run by `cargo xtask test` under
//! `target/npm-package/`:
//!
//! 1. `bindings/typescript/` copied alone (no `dist/`, no `node_modules/`, nothing beside it):
//!    `npm ci` and `npm test` pass on the copy (its vectors live inside it).
//! 2. `npm pack` of that copy builds `dist/` itself (`prepack`); publint, `attw` on the tarball and
//!    `npm publish --dry-run` are clean.
//! 3. The tarball is installed into scratch projects (`xtask/tests/fixtures/npm-consumers/`): ES
//!    modules type-checked with `nodenext`, CommonJS with `node16`, and a bundler project built by
//!    esbuild; each one runs.
//! 4. esbuild measures the bundle budgets and prints them.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::command::{Step, run_step};
use crate::workspace::{self, copy_dir as copy_tree, text as path_str};

/// Runs every step; `js_tools` is `xtask/js-tools/` with its packages installed.
pub fn run(root: &Path, js_tools: &Path) -> anyhow::Result<()> {
    let scratch = workspace::scratch("npm-package");
    let _ = std::fs::remove_dir_all(&scratch);
    let package = scratch.join("alone/typescript");
    copy_tree(&root.join("bindings/typescript"), &package)?;

    run_step("npm", &["ci", "--no-audit", "--no-fund", "--prefer-offline"], &package)?;
    run_step("npm", &["test"], &package)?;
    // `npm test` built dist/; packing must build it again from nothing.
    std::fs::remove_dir_all(package.join("dist")).context("cannot remove dist/ of the copy")?;
    let tarballs = scratch.join("tarballs");
    std::fs::create_dir_all(&tarballs)?;
    let destination = tarballs.to_str().context("the workspace path is not UTF-8")?;
    run_step("npm", &["pack", "--pack-destination", destination], &package)?;
    let tarball = single_tarball(&tarballs)?;
    let tarball_arg = tarball.to_str().context("the workspace path is not UTF-8")?;
    check_tarball_contents(&tarball)?;

    let bin = |name: &str| js_tools.join("node_modules/.bin").join(name);
    run_step(path_str(&bin("publint"))?, &["--strict"], &package)?;
    run_step(path_str(&bin("attw"))?, &[tarball_arg], &package)?;
    run_step("npm", &["publish", "--dry-run"], &package)?;

    let tsc = package.join("node_modules/.bin/tsc");
    let tsc = path_str(&tsc)?;
    let fixtures = root.join("xtask/tests/fixtures/npm-consumers");
    for (name, built) in [("esm", "dist/main.js"), ("cjs", "dist/main.js")] {
        let project = install_consumer(&fixtures.join(name), &scratch.join(name), tarball_arg)?;
        run_step(tsc, &["-p", "tsconfig.json"], &project)?;
        run_step("node", &[built], &project)?;
    }
    let project = install_consumer(&fixtures.join("bundler"), &scratch.join("bundler"), tarball_arg)?;
    run_step(tsc, &["-p", "tsconfig.json"], &project)?;
    run_step(
        path_str(&bin("esbuild"))?,
        &["src/main.ts", "--bundle", "--minify", "--format=esm", "--platform=node", "--outfile=dist/main.mjs"],
        &project,
    )?;
    run_step("node", &["dist/main.mjs"], &project)?;

    let budgets = js_tools.join("bundle-budgets.mjs");
    run_step("node", &[path_str(&budgets)?, path_str(&project)?], js_tools)
}

/// Copies a fixture project and installs the tarball into it (no registry needed: the package
/// has no dependencies).
fn install_consumer(fixture: &Path, project: &Path, tarball: &str) -> anyhow::Result<PathBuf> {
    copy_tree(fixture, project)?;
    run_step("npm", &["install", "--no-audit", "--no-fund", "--no-save", tarball], project)?;
    Ok(project.to_path_buf())
}

/// The tarball holds both module systems with their declarations and maps, the sources the maps
/// point into, the README and the licences, and nothing of the tests.
fn check_tarball_contents(tarball: &Path) -> anyhow::Result<()> {
    let listing = Step::new("tar").arg("-tzf").arg(tarball).quiet()?;
    let files: Vec<&str> = listing.lines().collect();
    for expected in [
        "package/package.json",
        "package/README.md",
        "package/LICENSE-MIT",
        "package/LICENSE-APACHE",
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/dist/index.d.ts.map",
        "package/dist/index.cjs",
        "package/dist/index.d.cts",
        "package/dist/index.d.cts.map",
        "package/dist/runtime.cjs",
        "package/src/index.ts",
    ] {
        if !files.contains(&expected) {
            bail!("the tarball lacks {expected}; it holds:\n{listing}");
        }
    }
    if let Some(stray) = files.iter().find(|file| file.starts_with("package/test/") || file.contains("cjs-build")) {
        bail!("the tarball holds {stray}, which is not part of the package");
    }
    eprintln!("==> the tarball holds {} files, ESM and CommonJS with declarations", files.len());
    Ok(())
}

fn single_tarball(dir: &Path) -> anyhow::Result<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == "tgz") {
            found.push(path);
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one tarball in {}, found {found:?}", dir.display()),
    }
}
