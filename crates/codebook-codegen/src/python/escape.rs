//! The one place Python escaping lives: string literals (plain or optional) and `#` comment lines.
//!
//! Templates under `templates/python/` print registry text only through the filters here
//! (`string`, `optional`, `comment`); anything else they print (identifiers, numbers, ids) goes
//! through [`crate::backend::CodeGuard`], which fails the render rather than let a character through that
//! could change what the code means.

use std::fmt::Write as _;

use crate::backend::comment_text;

/// A double-quoted Python string literal holding exactly `text`, in ASCII: quotes, backslashes and
/// every character outside printable ASCII are escapes, so no text ends the literal, and no
/// bidirectional or invisible character reaches the source.
pub fn string_literal(text: &str) -> String {
    crate::escape::quoted(text, &[], |c, out| {
        let _ = match c as u32 {
            code @ 0..=0xFF => write!(out, "\\x{code:02x}"),
            code @ 0x100..=0xFFFF => write!(out, "\\u{code:04x}"),
            code => write!(out, "\\U{code:08x}"),
        };
    })
}

/// `#` comment lines with `prefix` (`# `, `#: `), indented by `indent`. A Python comment ends only
/// at a line break, and [`comment_text`] has turned every other line-breaking character into a
/// space, so each line of text stays inside its comment.
pub fn comment_lines(text: &str, indent: &str, prefix: &str) -> String {
    let mut out = String::new();
    for line in comment_text(text).replace(['\r', '\u{c}', '\u{b}'], " ").trim_end().lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            let _ = writeln!(out, "{indent}{}", prefix.trim_end());
        } else {
            let _ = writeln!(out, "{indent}{prefix}{line}");
        }
    }
    out
}

/// The filters `.py` templates call.
pub mod filters {
    use askama::filters::Safe;
    use askama::{Result, Values};

    crate::escape::text_filters! {
        /// `{{ text|string }}`: a string literal.
        string => super::string_literal;
    }

    /// `{{ text|optional }}`: a string literal, or `None`.
    #[askama::filter_fn]
    pub fn optional(text: &Option<String>, _: &dyn Values) -> Result<Safe<String>> {
        Ok(Safe(text.as_deref().map_or_else(|| "None".to_string(), super::string_literal)))
    }

    /// `{{ text|comment(indent, prefix) }}`: `#` lines of registry text.
    #[askama::filter_fn]
    pub fn comment(text: impl AsRef<str>, _: &dyn Values, indent: &str, prefix: &str) -> Result<Safe<String>> {
        Ok(Safe(super::comment_lines(text.as_ref(), indent, prefix)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii_and_closed() {
        let literal = string_literal("say \"hi\" \\ \u{202E}evil\u{202C} 🚀 \n\u{0}\u{7}\u{85}\u{2028}'''\"\"\"");
        assert!(literal.is_ascii(), "{literal}");
        assert_eq!(literal, r#""say \"hi\" \\ \u202eevil\u202c \U0001f680 \n\x00\x07\x85\u2028'''\"\"\"""#);
    }

    #[test]
    fn comments_keep_every_line_commented() {
        let text = "one\ntwo\u{2028}three\rfour\u{c}five\u{b}six\u{85}seven\u{202E}";
        let comment = comment_lines(text, "    ", "#: ");
        for line in comment.lines() {
            assert!(line.trim_start().starts_with('#'), "{line:?} in {comment:?}");
        }
        assert_eq!(comment.lines().count(), 2);
    }
}
