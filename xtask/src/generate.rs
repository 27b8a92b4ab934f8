//! `cargo xtask gen` and `cargo xtask check`: the command lines over `codebook-codegen`'s one
//! write/check path, with what they print and the command that fixes stale bindings.

use std::path::PathBuf;

use anyhow::bail;
use codebook_codegen::{ChangeKind, Mode, ensure_bindings};

/// What `gen` and `check` work on, and the command line that regenerates it.
pub struct Target {
    pub codes: PathBuf,
    pub out: PathBuf,
    pub fix_command: String,
}

/// `cargo xtask gen`: writes the bindings and says what changed.
pub fn gen_command(target: &Target) -> anyhow::Result<()> {
    let changes = ensure_bindings(&target.codes, &target.out, Mode::Write)?;
    if changes.is_empty() {
        eprintln!("{} is up to date with {}", target.out.display(), target.codes.display());
    }
    for change in &changes {
        let verb = match change.kind {
            ChangeKind::Missing => "created",
            ChangeKind::Stale => "updated",
            ChangeKind::Extra => "removed",
        };
        eprintln!("{verb} {}", target.out.join(&change.path).display());
    }
    Ok(())
}

/// `cargo xtask check`: writes nothing; fails with a diff per file and the fixing command.
pub fn check_command(target: &Target) -> anyhow::Result<()> {
    let changes = ensure_bindings(&target.codes, &target.out, Mode::Check)?;
    if changes.is_empty() {
        eprintln!("{} is up to date with {}", target.out.display(), target.codes.display());
        return Ok(());
    }
    for change in &changes {
        let what = match change.kind {
            ChangeKind::Missing => "missing",
            ChangeKind::Stale => "stale",
            ChangeKind::Extra => "extra (its family or target is gone)",
        };
        println!("{}: {what}", target.out.join(&change.path).display());
        print!("{}", change.diff);
    }
    bail!(
        "{} generated file(s) differ from {}; run `{}` and commit the result",
        changes.len(),
        target.codes.display(),
        target.fix_command
    )
}

