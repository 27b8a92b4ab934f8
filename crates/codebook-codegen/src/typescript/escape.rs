//! The one place TypeScript escaping lives: string literals, JSDoc text, and the guard every bare
//! `{{ value }}` of a TypeScript template passes through.
//!
//! Templates under `templates/typescript/` print registry text only through the filters here
//! (`string`, `strings`, `optional_string`, `doc`, `deprecated`); anything else they print
//! (identifiers, numbers, ids, spellings of the protocol's enums) goes through [`crate::backend::CodeGuard`], which
//! fails the render rather than let a character through that could change what the code means.

use std::fmt::Write as _;

use crate::backend::comment_text;

/// A double-quoted TS string literal holding exactly `text`. Output is ASCII: everything outside
/// printable ASCII becomes `\uXXXX` (UTF-16 units), and `<` too, so `</script>` or `<!--` never
/// appears when the module is inlined into HTML.
pub fn string_literal(text: &str) -> String {
    crate::escape::quoted(text, &['<', '>'], |c, out| {
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            let _ = write!(out, "\\u{unit:04x}");
        }
    })
}

/// The lines of a JSDoc block holding registry text (without the opening `/**` and closing `*/`),
/// each indented by `indent`. `*/` cannot close the block early and a line cannot start a tag (`@`).
pub fn doc_lines(text: &str, indent: &str) -> String {
    let text = comment_text(text).replace("*/", "*\\/");
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.trim_end().lines() {
        let line = line.trim_end();
        let line =
            if line.trim_start().starts_with('@') { format!("\\{}", line.trim_start()) } else { line.to_string() };
        if line.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    out
}

/// Registry text on one line of a JSDoc tag (`@deprecated <text>`).
pub fn tag_text(text: &str) -> String {
    comment_text(text).replace("*/", "*\\/").replace('\n', " ")
}

/// The filters `.ts` templates call.
pub mod filters {
    use askama::filters::Safe;
    use askama::{Result, Values};

    crate::escape::text_filters! {
        /// `{{ text|string }}`: a string literal.
        string => super::string_literal;
        /// `{{ text|tag_text }}`: registry text on the line of a JSDoc tag.
        tag_text => super::tag_text;
    }

    /// `{{ items|strings }}`: an array literal of strings.
    #[askama::filter_fn]
    pub fn strings(items: &[String], _: &dyn Values) -> Result<Safe<String>> {
        let items: Vec<String> = items.iter().map(|item| super::string_literal(item)).collect();
        Ok(Safe(format!("[{}]", items.join(", "))))
    }

    /// `{{ text|optional_string }}`: a string literal, or `undefined`.
    #[askama::filter_fn]
    pub fn optional_string(text: &Option<String>, _: &dyn Values) -> Result<Safe<String>> {
        Ok(Safe(text.as_deref().map_or_else(|| "undefined".to_string(), super::string_literal)))
    }

    /// `{{ text|doc(indent) }}`: JSDoc lines of registry text.
    #[askama::filter_fn]
    pub fn doc(text: impl AsRef<str>, _: &dyn Values, indent: &str) -> Result<Safe<String>> {
        Ok(Safe(super::doc_lines(text.as_ref(), indent)))
    }
}
