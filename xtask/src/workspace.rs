//! Where xtask reads and writes: the workspace root, and the target directory every scratch
//! folder lives under (`CARGO_TARGET_DIR` when it is set, as cargo itself honours it, else
//! `target/` at the root). Where a doc of xtask names `target/...`, it means this directory.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// The target directory: `CARGO_TARGET_DIR` (relative to the current directory, as cargo reads
/// it) or `target/` under the workspace root.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { std::env::current_dir().map(|cwd| cwd.join(&dir)).unwrap_or(dir) }
        }
        _ => root().join("target"),
    }
}

/// A scratch path under the target directory (`scratch("interop/run")`).
pub fn scratch(relative: &str) -> PathBuf {
    target_dir().join(relative)
}

/// A path as text, for the programs that take paths as arguments.
pub fn text(path: &Path) -> anyhow::Result<&str> {
    path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))
}

/// Removes a scratch directory, including a read-only Go module cache a failed run left behind.
pub fn remove_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        make_writable(dir);
        fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    Ok(())
}

fn make_writable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = fs::symlink_metadata(path)
            && metadata.is_dir()
        {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(metadata.permissions().mode() | 0o700));
            for entry in fs::read_dir(path).into_iter().flatten().flatten() {
                make_writable(&entry.path());
            }
        }
    }
}

/// Copies a directory tree, leaving out what toolchains leave behind (`target`, `dist`, `build`,
/// `node_modules`, Python caches) and anything that is not a file or folder.
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot list {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if matches!(
            name.to_string_lossy().as_ref(),
            "target"
                | "dist"
                | "build"
                | "node_modules"
                | "__pycache__"
                | ".mypy_cache"
                | ".ruff_cache"
                | ".pytest_cache"
        ) {
            continue;
        }
        let file_type = entry.file_type()?;
        let target = to.join(&name);
        if file_type.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if file_type.is_file() {
            fs::copy(entry.path(), &target).with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// A scratch binary crate named `package` at `crate_dir` that depends on this workspace's
/// `codebook` by path and builds with the workspace's `Cargo.lock` (its `src/` is the caller's).
pub fn codebook_consumer_crate(crate_dir: &Path, package: &str) -> anyhow::Result<()> {
    let root = root();
    std::fs::create_dir_all(crate_dir.join("src"))?;
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncodebook = {{ path = {:?} }}\n\n[workspace]\n",
            text(&root.join("crates/codebook"))?
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
    Ok(())
}
