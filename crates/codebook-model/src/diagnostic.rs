//! Located problems in `codes.yaml` and their rendering as `path:line:col: message` plus a snippet.

use crate::location::Location;
use crate::text::is_format_char;

/// Widest source snippet printed under a message, in characters: a 100,000-character line costs
/// the reader no more than a short one.
pub const SNIPPET_WIDTH: usize = 100;

/// Longest message printed, in characters (a message may quote a misspelt key of any length).
pub const MESSAGE_WIDTH: usize = 400;

/// `text` cut to at most `width` characters, ending in `…` when something was cut.
pub(crate) fn cut_to_width(text: &str, width: usize) -> String {
    match text.char_indices().nth(width) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// One problem, located in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
}

/// Why a registry could not be loaded: every problem found, in source order.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct LoadError {
    /// The path as the user named it, used as the prefix of every message.
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The source lines the diagnostics point into (empty when the file could not be read).
    source_lines: Vec<String>,
}

impl LoadError {
    pub(crate) fn new(path: &str, source: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|diagnostic| diagnostic.location);
        let wanted: std::collections::BTreeSet<u32> =
            diagnostics.iter().map(|diagnostic| diagnostic.location.line).collect();
        let source_lines = source
            .lines()
            .enumerate()
            .map(|(index, line)| if wanted.contains(&(index as u32 + 1)) { line.to_string() } else { String::new() })
            .take(wanted.last().copied().unwrap_or(0) as usize)
            .collect();
        LoadError { path: path.to_string(), diagnostics, source_lines }
    }

    /// One line per problem, `path:line:col: message`, without snippets (for logs and tests).
    pub fn messages(&self) -> Vec<String> {
        self.diagnostics.iter().map(|diagnostic| self.headline(diagnostic)).collect()
    }

    fn headline(&self, diagnostic: &Diagnostic) -> String {
        let Location { line, column } = diagnostic.location;
        let message = cut_to_width(&diagnostic.message, MESSAGE_WIDTH);
        if line == 0 {
            format!("{}: {message}", self.path)
        } else {
            format!("{}:{line}:{column}: {message}", self.path)
        }
    }

    /// The same error with messages prefixed by another path (e.g. the path as the user wrote it).
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Each problem rendered on its own: its headline, then the offending line with a caret under
    /// the column.
    pub fn rendered_each(&self) -> Vec<String> {
        self.diagnostics.iter().map(|diagnostic| self.render_one(diagnostic)).collect()
    }

    fn render_one(&self, diagnostic: &Diagnostic) -> String {
        let mut out = self.headline(diagnostic);
        let Location { line, column } = diagnostic.location;
        if let Some(text) = line.checked_sub(1).and_then(|i| self.source_lines.get(i as usize)) {
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let chars: Vec<char> = text
                .chars()
                .map(|c| {
                    if c.is_control() {
                        ' '
                    } else if is_format_char(c) {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect();
            let caret = (column.saturating_sub(1) as usize).min(chars.len());
            // A snippet is at most SNIPPET_WIDTH characters: a window around the caret.
            let start = caret.saturating_sub(SNIPPET_WIDTH / 2).min(chars.len().saturating_sub(SNIPPET_WIDTH));
            let end = (start + SNIPPET_WIDTH).min(chars.len());
            let lead = if start > 0 { "…" } else { "" };
            let tail = if end < chars.len() { "…" } else { "" };
            let shown: String = chars[start..end].iter().collect();
            let caret_at = caret - start + lead.chars().count();
            out.push_str(&format!("\n{pad} |\n{gutter} | {lead}{shown}{tail}\n{pad} | {}^", " ".repeat(caret_at)));
        }
        out
    }

    /// Every problem with its snippet, then a count, the way compilers report.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for rendered in self.rendered_each() {
            out.push_str(&rendered);
            out.push('\n');
        }
        let count = self.diagnostics.len();
        out.push_str(&format!("{}: {count} problem{} found", self.path, if count == 1 { "" } else { "s" }));
        out
    }
}
