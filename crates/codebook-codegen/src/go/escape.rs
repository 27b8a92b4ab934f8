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

/// `//` comment lines (a blank comment line for an empty line), indented by `indent`. Each
/// paragraph is filled to [`COMMENT_WIDTH`] at spaces (a word longer than that stays whole): the
/// registry's own line breaks inside a paragraph are joined first, so `go doc` never shows a line
/// broken mid-sentence; a Markdown list item (`- `, `* `, `1. `) starts a line of its own, as go
/// doc's lists do.
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
    // The lines joined into paragraphs (and list items), each then filled.
    let mut blocks: Vec<Option<String>> = Vec::new();
    let mut after_link_definition = false;
    for line in spaced.trim_end().lines() {
        let line = line.trim();
        // A `[name]: url` line is a link definition to go doc (gofmt moves it): it keeps a line
        // of its own, and nothing is joined onto it.
        let link_definition = line.starts_with('[') && line.contains("]:");
        let continues = matches!(blocks.last(), Some(Some(_)))
            && !starts_list_item(line)
            && !link_definition
            && !after_link_definition;
        after_link_definition = link_definition;
        match blocks.last_mut() {
            _ if line.is_empty() => blocks.push(None),
            Some(Some(block)) if continues => {
                block.push(' ');
                block.push_str(line);
            }
            _ => blocks.push(Some(line.to_string())),
        }
    }
    for block in blocks {
        let Some(block) = block else {
            let _ = writeln!(out, "{indent}//");
            continue;
        };
        let mut current = String::new();
        for word in block.split(' ').filter(|word| !word.is_empty()) {
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

/// A Markdown list item's first line: `- `, `* ` or `1. `.
fn starts_list_item(line: &str) -> bool {
    let numbered = line.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    line.starts_with("- ") || line.starts_with("* ") || numbered
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_fills_each_paragraph_and_keeps_list_items_and_link_definitions_on_their_own_lines() {
        let text = "The app called `subscribe()`, which now waits for\nthe server.\n\n- one\n- two\n[link]: https://example.invalid\n---";
        assert_eq!(
            line_comment(text, ""),
            "// The app called `subscribe()`, which now waits for the server.\n//\n// - one\n// - two\n// [link]: https://example.invalid\n// ---\n"
        );
    }
}
