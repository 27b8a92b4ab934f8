//! The one place Go escaping lives: string literals, `//` comment text, and the guard every bare
//! `{{ value }}` of a Go template passes through.
//!
//! Templates under `templates/go/` print registry text only through the filters here (`string`,
//! `comment`); anything else they print (identifiers, numbers, ids) goes through [`crate::CodeGuard`], which
//! fails the render rather than let a character through that could change what the code means.

use std::fmt::Write as _;

use crate::comment_text;

/// A double-quoted Go string literal holding exactly `text`; non-ASCII becomes `\u`/`\U` escapes
/// so no bidirectional or invisible character reaches the source.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// `//` comment lines (a blank comment line for an empty line), indented by `indent`.
pub fn line_comment(text: &str, indent: &str) -> String {
    let mut out = String::new();
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
        } else {
            let _ = writeln!(out, "{indent}// {line}");
        }
    }
    out
}

/// The filters `.go` templates call.
pub mod filters {
    use askama::filters::Safe;
    use askama::{Result, Values};

    /// `{{ text|string }}`: a string literal.
    #[askama::filter_fn]
    pub fn string(text: impl AsRef<str>, _: &dyn Values) -> Result<Safe<String>> {
        Ok(Safe(super::string_literal(text.as_ref())))
    }

    /// `{{ text|comment(indent) }}`: `//` lines of registry text.
    #[askama::filter_fn]
    pub fn comment(text: impl AsRef<str>, _: &dyn Values, indent: &str) -> Result<Safe<String>> {
        Ok(Safe(super::line_comment(text.as_ref(), indent)))
    }
}
