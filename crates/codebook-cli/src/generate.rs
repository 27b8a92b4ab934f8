//! `codebook gen` and `codebook check` (also `cargo xtask gen`/`check`): the command lines over
//! `codebook-codegen`'s one write/check path, with what they print and the command that fixes
//! stale bindings.

use std::path::PathBuf;

use anyhow::bail;
use codebook_codegen::{Change, ChangeKind, Mode, ensure_bindings, ensure_runtime_companions, runtime_dir};

/// What `gen` and `check` work on, and the command line that regenerates it.
pub struct Target {
    pub codes: PathBuf,
    pub out: PathBuf,
    pub fix_command: String,
    /// Also write or verify the generated companions of the runtime folders
    /// (`crates/codebook-codegen/runtime/`): true for the workspace's own bindings.
    pub runtime_companions: bool,
}

/// Where the registry at `codes` says its bindings go: its `bindings.out`, relative to the
/// registry file's directory. A registry that does not load is the model's located report.
pub fn registry_out_dir(codes: &std::path::Path) -> anyhow::Result<PathBuf> {
    let (registry, _) = codebook_codegen::load(codes)?;
    let dir = codes.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    Ok(dir.join(&registry.bindings.out))
}

/// `codebook gen`: writes the bindings and says what changed.
pub fn gen_command(target: &Target) -> anyhow::Result<()> {
    let changes = ensure_bindings(&target.codes, &target.out, Mode::Write)?;
    if changes.is_empty() {
        eprintln!("{} is up to date with {}", target.out.display(), target.codes.display());
    }
    report_writes(&target.out, &changes);
    if target.runtime_companions {
        report_writes(&runtime_dir(), &ensure_runtime_companions(Mode::Write)?);
    }
    Ok(())
}

fn report_writes(out: &std::path::Path, changes: &[Change]) {
    for change in changes {
        let verb = match change.kind {
            ChangeKind::Missing => "created",
            ChangeKind::Stale => "updated",
            ChangeKind::Extra => "removed",
        };
        eprintln!("{verb} {}", out.join(&change.path).display());
    }
}

/// `codebook check`: writes nothing; fails with a diff per file and the fixing command.
pub fn check_command(target: &Target) -> anyhow::Result<()> {
    let mut changes: Vec<(PathBuf, Change)> = ensure_bindings(&target.codes, &target.out, Mode::Check)?
        .into_iter()
        .map(|change| (target.out.clone(), change))
        .collect();
    if target.runtime_companions {
        changes.extend(ensure_runtime_companions(Mode::Check)?.into_iter().map(|change| (runtime_dir(), change)));
    }
    if changes.is_empty() {
        eprintln!("{} is up to date with {}", target.out.display(), target.codes.display());
        return Ok(());
    }
    for (out, change) in &changes {
        let what = match change.kind {
            ChangeKind::Missing => "missing",
            ChangeKind::Stale => "stale",
            ChangeKind::Extra => "extra (its family or target is gone)",
        };
        println!("{}: {what}", out.join(&change.path).display());
        print!("{}", change.diff);
    }
    bail!(
        "{} generated file(s) differ from {}; run `{}` and commit the result",
        changes.len(),
        target.codes.display(),
        target.fix_command
    )
}
