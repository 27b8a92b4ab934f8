//! The one place Go escaping lives: string literals, `//` comment text, and the guard every bare
//! `{{ value }}` of a Go template passes through.
//!
//! Templates under `templates/go/` print registry text only through the filters here (`string`,
//! `comment`); anything else they print (identifiers, numbers, ids) goes through [`crate::backend::CodeGuard`], which
//! fails the render rather than let a character through that could change what the code means.

use std::fmt::Write as _;

use crate::backend::comment_text;

/// A double-quoted Go string literal holding exactly `text`; non-ASCII becomes `\u`/`\U` escapes
/// so no bidirectional or invisible character reaches the source.
pub fn string_literal(text: &str) -> String {
    crate::escape::quoted(text, &[], |c, out| {
        let _ =
            if (c as u32) <= 0xFFFF { write!(out, "\\u{:04x}", c as u32) } else { write!(out, "\\U{:08x}", c as u32) };
    })
}

/// The longest comment line written, indentation included (a tab counts one, as `lll` does).
pub const COMMENT_WIDTH: usize = 100;

/// `//` comment lines (a blank comment line for an empty line), indented by `indent`; a line
/// longer than [`COMMENT_WIDTH`] is wrapped at spaces (a word longer than that stays whole).
pub fn line_comment(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let room = COMMENT_WIDTH.saturating_sub(indent.len() + 3).max(20);
    // gofmt rewrites two apostrophes in a doc comment into a curly quote; a space between each
    // pair keeps the comment as generated.
    let mut spaced = String::new();
    for c in comment_text(text).chars() {
        if c == '\'' && spaced.ends_with('\'') {
            spaced.push(' ');
        }
        spaced.push(c);
    }
    for line in spaced.trim_end().lines() {
        let line = line.trim();
        if line.is_empty() {
            let _ = writeln!(out, "{indent}//");
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ').filter(|word| !word.is_empty()) {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > room {
                let _ = writeln!(out, "{indent}// {current}");
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        let _ = writeln!(out, "{indent}// {current}");
    }
    out
}

/// Wraps every `//` comment line of rendered Go source that is longer than [`COMMENT_WIDTH`]
/// (template text with long family names); `// Output:` lines of examples are left alone.
pub fn wrap_long_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        match code.strip_prefix("// ") {
            Some(text) if line.chars().count() > COMMENT_WIDTH && !text.starts_with("Output:") => {
                out.push_str(&line_comment(text, indent));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The filters `.go` templates call.
pub mod filters {
    use askama::filters::Safe;
    use askama::{Result, Values};

    crate::escape::text_filters! {
        /// `{{ text|string }}`: a string literal.
        string => super::string_literal;
    }

    /// `{{ text|comment(indent) }}`: `//` lines of registry text.
    #[askama::filter_fn]
    pub fn comment(text: impl AsRef<str>, _: &dyn Values, indent: &str) -> Result<Safe<String>> {
        Ok(Safe(super::line_comment(text.as_ref(), indent)))
    }
}
