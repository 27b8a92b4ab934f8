//! Finds user-facing examples that seed a random generator with a constant or pass a constant as
//! the random number of a backoff delay. Copied into production, such an example gives every
//! client of a fleet the same delays, so the jitter spreads nothing. `Mulberry32` is for the shared
//! test vectors only; examples use `random_u32()` (Rust), `randomU32()` (TypeScript) or
//! `codebook.RandomUint32()`/`math/rand/v2` (Go).

use std::path::Path;

use anyhow::{Context, bail};

/// Calls that make a seeded generator: every one of them is a constant seed in an example.
const SEEDED_GENERATORS: &[&str] = &[
    "Mulberry32::new(",
    "new Mulberry32(",
    "NewMulberry32(",
    "rand.NewPCG(",
    "rand.NewChaCha8(",
    "rand.Seed(",
    "seed_from_u64(",
];

/// Delay functions whose last argument is the random number.
const DELAY_CALLS: &[&str] = &["delay_ms(", "delayMs(", "DelayMs(", ".delay(", ".Delay("];

/// Every place in `text` that seeds a generator or feeds a delay a literal random number, as
/// `line: text` strings.
pub fn findings(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let seeded = SEEDED_GENERATORS.iter().any(|call| line.contains(call));
        let constant = DELAY_CALLS.iter().any(|call| {
            line.match_indices(call)
                .any(|(at, _)| last_argument(&line[at + call.len()..]).is_some_and(is_literal_number))
        });
        if seeded || constant {
            found.push(format!("{}: {}", index + 1, line.trim()));
        }
    }
    found
}

/// The last argument of a call whose arguments start at `rest`, if it closes on this line.
fn last_argument(rest: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in rest.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' if depth == 0 => return Some(rest[start..at].trim()),
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => start = at + 1,
            _ => {}
        }
    }
    None
}

fn is_literal_number(argument: &str) -> bool {
    !argument.is_empty()
        && argument.chars().all(|c| c.is_ascii_digit() || c == '_' || c == 'x' || c.is_ascii_hexdigit())
        && argument.starts_with(|c: char| c.is_ascii_digit())
}

/// Fails, listing every finding, when a file under `paths` (files, or directories searched
/// recursively) holds one.
pub fn check(paths: &[&Path]) -> anyhow::Result<()> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        collect_files(path, &mut files)?;
    }
    if files.is_empty() {
        bail!("no example files to check for seeded randomness");
    }
    for file in files {
        let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
        problems.extend(findings(&text).into_iter().map(|finding| format!("{}:{finding}", file.display())));
    }
    if !problems.is_empty() {
        bail!(
            "user-facing examples must draw real randomness (random_u32, randomU32, codebook.RandomUint32), not a constant or a seed:\n{}",
            problems.join("\n")
        );
    }
    Ok(())
}

fn collect_files(path: &Path, files: &mut Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).with_context(|| format!("cannot list {}", path.display()))? {
            let entry = entry?;
            if entry.file_name() != "node_modules" {
                collect_files(&entry.path(), files)?;
            }
        }
    } else {
        files.push(path.to_path_buf());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_constant_seeds_and_constant_random_numbers() {
        assert_eq!(findings("let mut random = Mulberry32::new(7);").len(), 1);
        assert_eq!(findings("const random = new Mulberry32(2026);").len(), 1);
        assert_eq!(findings("random := codebook.NewMulberry32(42)").len(), 1);
        assert_eq!(findings("let d = hint.delay_ms(0, 0, 0).unwrap();").len(), 1);
        assert_eq!(findings("delayMs(hint, attempt, elapsed, 0x7f)").len(), 1);
        assert_eq!(findings("d, ok := hint.DelayMs(a, e, 7)").len(), 1);
        assert!(findings("let d = hint.delay_ms(attempt, elapsed_ms, random_u32());").is_empty());
        assert!(findings("delayMs(closed.backoff, attempt, Date.now() - first, randomU32())").is_empty());
        assert!(findings("hint.Delay(attempt, time.Since(first), rand.Uint32())").is_empty());
        assert!(findings("delayMs(hint, 0, 0, random.nextU32())").is_empty());
    }

    /// The repository's own user-facing examples: the READMEs, the generated Markdown and Go
    /// examples, and the `codebook` crate's documentation. (The portal's snippets and handling
    /// loops are checked by `cargo xtask test` on what the site writes.)
    #[test]
    fn the_shipped_examples_draw_real_randomness() {
        let root = crate::workspace::root();
        let paths = [
            root.join("README.md"),
            root.join("bindings/README.md"),
            root.join("bindings/markdown"),
            root.join("bindings/go/codebook/example_test.go"),
            root.join("bindings/typescript/src"),
            root.join("crates/codebook/src"),
        ];
        check(&paths.iter().map(|path| path.as_path()).collect::<Vec<_>>()).unwrap();
    }
}
