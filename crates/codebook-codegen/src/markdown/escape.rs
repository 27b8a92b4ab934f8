//! The one place Markdown escaping lives: exact text (wire messages, labels, table cells) and
//! registry prose. Templates under `templates/markdown/` print registry text only through the
//! filters here (`literal`, `cell`, `prose`).

use std::fmt::Write as _;

use codebook_model::text::is_unsafe_in_text;

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text shown exactly as written: characters with inline Markdown meaning (emphasis, code, links,
/// HTML, tables, GitHub's `$` math) are escaped, so is a leading block marker (`#`, `-`, `1.`),
/// and control or bidirectional characters become visible escapes.
pub fn literal_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (index, c) in text.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' if index == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if index == digits && digits > 0 => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe_in_text(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A table cell of registry text: like [`literal_text`], on one line.
pub fn table_cell(text: &str) -> String {
    literal_text(text.trim_end())
}

/// Registry Markdown placed as a paragraph: Markdown stays, raw HTML is shown as text, and a
/// line cannot open a code fence, a heading or a table that would swallow the rest of the page.
pub fn prose(markdown: &str) -> String {
    markdown
        .trim_end()
        .lines()
        .map(|line| {
            let line = escape_html(line.trim_start());
            let line: String = line.chars().map(|c| if is_unsafe_in_text(c) { ' ' } else { c }).collect();
            if line.starts_with("```") || line.starts_with("~~~") || line.starts_with('#') || line.starts_with('|') {
                format!("\\{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The filters `.md` templates call.
pub mod filters {
    crate::escape::text_filters! {
        /// `{{ text|literal }}`: text shown exactly as written.
        literal => super::literal_text;
        /// `{{ text|cell }}`: exact text on one line, e.g. in a table cell.
        cell => super::table_cell;
        /// `{{ text|prose }}`: registry Markdown as a paragraph, without HTML or fences.
        prose => super::prose;
    }
}
