//! Reading `codes.yaml`: size and structure budgets, YAML parsing, then validation.
//!
//! Parsing uses serde-saphyr with duplicate keys rejected and a budget against YAML bombs. A parse
//! failure is a single located diagnostic (with a "did you mean" for a misspelt field); a parsed
//! document then goes through every validation rule at once.

use std::path::Path;

use serde_saphyr::{Budget, DuplicateKeyPolicy, Options};

use crate::diagnostic::{Diagnostic, LoadError};
use crate::registry::{Location, Registry};
use crate::source::Document;
use crate::validate::build_registry;

/// Largest registry accepted, in bytes: a synthetic registry of 100,000 codes (`cargo xtask synth`)
/// is about 35 MB; the cap keeps a refusal cheap.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024 * 1024;

/// Loads and validates the registry at `path`; messages name the path as given. Only a regular
/// file is read, and never more than [`MAX_SOURCE_BYTES`] of it: the size is checked before
/// reading and again on what the read yields (a file may grow, `/proc` files report no size).
pub fn load_path(path: &Path) -> Result<Registry, LoadError> {
    let shown = path.display().to_string();
    let bytes = read_bounded(path)
        .map_err(|message| LoadError::new(&shown, "", vec![Diagnostic { location: Location::default(), message }]))?;
    load_bytes(&shown, &bytes)
}

/// The bytes of the regular file at `path` (symbolic links followed), or why they cannot be read:
/// not a regular file (a FIFO, device or socket could block or never end), or more than
/// [`MAX_SOURCE_BYTES`]. Every reader of `codes.yaml` (the loader, the portal's watcher) uses it.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let too_big = |size: u64| format!("the registry is {size} bytes; the limit is {MAX_SOURCE_BYTES}");
    // Looked at before opening: opening a FIFO blocks until something writes to it.
    let metadata = std::fs::metadata(path).map_err(|error| format!("cannot read the registry: {error}"))?;
    if !metadata.is_file() {
        return Err(format!(
            "cannot read the registry: it is not a regular file ({}); name the file itself",
            file_type_name(&metadata.file_type())
        ));
    }
    if metadata.len() > MAX_SOURCE_BYTES as u64 {
        return Err(too_big(metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(|error| format!("cannot read the registry: {error}"))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read the registry: {error}"))?;
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(format!("the registry grew past the limit of {MAX_SOURCE_BYTES} bytes while it was read"));
    }
    Ok(bytes)
}

fn file_type_name(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() { "a directory" } else { "not a regular file" }
}

/// Loads and validates registry bytes as read from a file: invalid UTF-8 is a located problem.
pub fn load_bytes(path: &str, bytes: &[u8]) -> Result<Registry, LoadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(path, text),
        Err(error) => {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            let line = valid.matches('\n').count() as u32 + 1;
            let column = valid.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) as u32 + 1;
            Err(LoadError::new(
                path,
                valid,
                vec![Diagnostic {
                    location: Location { line, column },
                    message: "the registry is not valid UTF-8".into(),
                }],
            ))
        }
    }
}

/// Loads and validates registry text; `path` is only used to prefix messages.
pub fn load_str(path: &str, text: &str) -> Result<Registry, LoadError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(LoadError::new(
            path,
            "",
            vec![Diagnostic {
                location: Location::default(),
                message: format!("the registry is {} bytes; the limit is {MAX_SOURCE_BYTES}", text.len()),
            }],
        ));
    }
    if text.trim().is_empty() {
        return Err(LoadError::new(
            path,
            text,
            vec![Diagnostic {
                location: Location { line: 1, column: 1 },
                message: "the registry is empty; it needs a `families:` list".into(),
            }],
        ));
    }
    crate::source::FIRST_CODE_OVER_CAP.set(None);
    let document: Document = serde_saphyr::from_str_with_options(text, parse_options(text.len()))
        .map_err(|error| LoadError::new(path, text, vec![parse_diagnostic(&error)]))?;
    let mut problems = number_spelling_problems(text, &document);
    match build_registry(document) {
        Ok(registry) if problems.is_empty() => Ok(registry),
        Ok(_) => Err(LoadError::new(path, text, problems)),
        Err(diagnostics) => {
            problems.extend(diagnostics);
            Err(LoadError::new(path, text, problems))
        }
    }
}

/// The one rule for numbers: every number is written as a plain decimal integer (`3500`). YAML
/// also reads `"3500"`, `0x10`, `0o7`, `0b101`, `+16`, `1_6` and `-0` as numbers; each is refused
/// with the spelling to use instead, so one value never has two spellings.
fn number_spelling_problems(text: &str, document: &Document) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for number in document.numbers() {
        let span = number.referenced.span();
        let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len()) else { continue };
        let (offset, len) = (offset as usize, len as usize);
        let scalar = text.get(offset..offset + len).unwrap_or_default().trim();
        // A tag or anchor (`!!int 16`, `&n 16`) stands between the key and the scalar.
        let before = text.get(..offset).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let lead = before[line_start..].rsplit([':', '-', '[', ',', '{', '?']).next().unwrap_or_default().trim();
        let joined;
        let written = if lead.is_empty() {
            scalar
        } else {
            joined = format!("{lead} {scalar}");
            joined.as_str()
        };
        // A negative number is reported once, by the range rule of its field.
        if is_plain_decimal(written) || number.value < 0 {
            continue;
        }
        let accepted = number.value.to_string();
        let shown = crate::diagnostic::cut_to_width(written, 40);
        let message = format!("`{shown}` is not a plain decimal integer; write it as `{accepted}`");
        problems.push(Diagnostic {
            location: Location { line: number.referenced.line() as u32, column: number.referenced.column() as u32 },
            message,
        });
    }
    problems
}

/// `0`, or digits without a leading zero: no sign, quotes, base prefix, separator or tag.
fn is_plain_decimal(written: &str) -> bool {
    written == "0"
        || (written.starts_with(|c: char| matches!(c, '1'..='9')) && written.bytes().all(|b| b.is_ascii_digit()))
}

/// Budgets that grow with the file, so an alias or merge-key bomb is refused after work
/// proportional to its own size: every event of a document (outside replayed aliases) needs at
/// least half a byte of text, and a registry needs few anchors.
fn parse_options(source_bytes: usize) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 16;
    budget.max_documents = 1;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_merge_keys = 1_000;
    budget.max_nodes = 1_000 + source_bytes;
    budget.max_events = 1_000 + 2 * source_bytes;
    budget.max_recorded_anchor_events = 1_000 + source_bytes / 4;
    budget.max_recorded_anchor_bytes = 64 * 1024 + source_bytes;
    budget.max_total_scalar_bytes = 64 * 1024 + 2 * source_bytes;
    budget.max_reader_input_bytes = Some(MAX_SOURCE_BYTES);
    serde_saphyr::options! {
        budget: Some(budget),
        duplicate_keys: DuplicateKeyPolicy::Error,
        strict_booleans: true,
        with_snippet: false,
    }
}

fn parse_diagnostic(error: &serde_saphyr::Error) -> Diagnostic {
    let location = error
        .location()
        .map(|location| Location { line: location.line() as u32, column: location.column() as u32 })
        .unwrap_or_default();
    if let Some(location) = crate::source::FIRST_CODE_OVER_CAP.take()
        && error.to_string().contains(&crate::source::over_cap_message())
    {
        return Diagnostic { location, message: crate::source::over_cap_message() };
    }
    let mut message = error.without_snippet().to_string();
    // serde-saphyr appends the position to the message; we print it in front instead.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let mut message = reword(message);
    if let Some(suggestion) = suggest_known_word(&message) {
        message.push_str(&format!("; did you mean `{suggestion}`?"));
    }
    Diagnostic { location, message }
}

/// For serde's "unknown field `mesage`, expected one of code, message, ..." (and the same for
/// variants) finds the expected word closest to the misspelt one.
fn suggest_known_word(message: &str) -> Option<String> {
    if !message.contains("unknown field") && !message.contains("unknown variant") {
        return None;
    }
    let wrong = message.split('`').nth(1)?;
    let (_, expected) = message.split_once("expected ")?;
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    expected
        .split(", ")
        .map(|candidate| candidate.trim_matches('`'))
        .map(|candidate| (strsim::damerau_levenshtein(wrong, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_string())
}

/// serde-saphyr's wording for a repeated key points at an option we deliberately keep strict.
fn reword(message: String) -> String {
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        return if breach.starts_with("Documents") {
            "the file holds more than one YAML document; a registry is a single document".to_string()
        } else if ["Aliases", "Anchors", "RecordedAnchor", "MergeKeys"].iter().any(|kind| breach.starts_with(kind)) {
            let breach = breach.trim_end_matches(" (defined");
            format!(
                "the YAML exceeds a safety budget ({breach}); a registry needs no more than a few aliases and merge keys"
            )
        } else {
            format!("the YAML exceeds a safety budget ({breach})")
        };
    }
    match message.as_str() {
        "invalid i64" => return "expected a whole number".to_string(),
        "expected mapping start" => return "expected a mapping of `key: value` lines here".to_string(),
        "expected string scalar" => return "expected a text value here".to_string(),
        _ => {}
    }
    match message.strip_prefix("duplicate mapping key: ") {
        Some(rest) => {
            let key = rest.split(", set DuplicateKeyPolicy").next().unwrap_or(rest);
            format!("duplicate key `{key}` in the same mapping")
        }
        None => message,
    }
}
