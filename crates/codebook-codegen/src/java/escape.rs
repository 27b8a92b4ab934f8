//! The one place Java escaping lives: string literals, Javadoc text and Javadoc comment lines.
//!
//! javac turns every `\uXXXX` into its character before it reads anything else, even inside
//! comments, so a `\u000a` in registry text would end a `//` line and a `\u002a/` would close a
//! comment. The literal escapes every non-ASCII character as `\uXXXX` (never one of an ASCII
//! character) and every ASCII control character as an octal escape; doubled backslashes cannot
//! start a unicode escape. In Javadoc every backslash, `@`, `*/`, `<`, `>` and `&` becomes an HTML
//! entity.
//!
//! Templates under `templates/java/` print registry text only through the filters here (`string`,
//! `doc_text`, `prose`, `doc`); anything else they print (identifiers, numbers, ids) goes through
//! [`crate::backend::CodeGuard`], which fails the render rather than let a character through that could
//! change what the code means.

use std::fmt::Write as _;

use crate::backend::comment_text;

/// A Java string literal holding exactly `text`, in ASCII. Non-ASCII characters become `\uXXXX`
/// escapes of their UTF-16 units; ASCII control characters, quotes and backslashes become
/// ordinary escapes, never unicode escapes (which javac would decode before lexing).
pub fn string_literal(text: &str) -> String {
    let chars = text.chars().count();
    if chars <= LITERAL_PIECE_CHARS {
        return one_literal(text);
    }
    // A string constant holds at most 65,535 bytes of modified UTF-8, and javac folds `"a" + "b"`
    // into one constant: a longer text is joined at run time from pieces that each fit.
    let mut pieces = Vec::with_capacity(chars / LITERAL_PIECE_CHARS + 1);
    let mut rest = text;
    while !rest.is_empty() {
        let cut = rest.char_indices().nth(LITERAL_PIECE_CHARS).map_or(rest.len(), |(at, _)| at);
        pieces.push(one_literal(&rest[..cut]));
        rest = &rest[cut..];
    }
    format!("String.join(\"\", {})", pieces.join(", "))
}

/// Characters per string literal: each becomes at most 6 bytes of modified UTF-8 (two UTF-16 units
/// of 3 bytes), so a piece stays under the 65,535-byte limit of a class file constant.
pub const LITERAL_PIECE_CHARS: usize = 10_000;

fn one_literal(text: &str) -> String {
    crate::escape::quoted(text, &[], |c, out| {
        if (c as u32) < 0x80 {
            let _ = write!(out, "\\{:03o}", c as u32);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    })
}

/// Registry prose as Javadoc text: HTML-escaped, with backslashes (which could start a unicode
/// escape), `@` (tags) and `/` (which could close the comment after a `*`) as entities, and no
/// control or bidirectional characters.
pub fn javadoc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in comment_text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '\\' => out.push_str("&#92;"),
            '/' => out.push_str("&#47;"),
            '*' => out.push_str("&#42;"),
            c => out.push(c),
        }
    }
    out
}

/// Registry prose (Markdown) as one Javadoc paragraph block, rendered as javadoc renders HTML:
/// paragraphs after the first open with `<p>`, emphasis is `<em>`/`<strong>`, code spans are
/// `<code>`, lists are `<ul>`/`<ol>`, a link keeps its text and shows its address after it. All
/// text goes through [`javadoc_text`]; raw HTML in the registry is shown as text, never passed on.
pub fn prose(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::with_capacity(text.len());
    let mut blocks = 0;
    let mut in_list = 0;
    let mut link: Vec<String> = Vec::new();
    for event in Parser::new(text.trim_end()) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::BlockQuote(_))
                if in_list == 0 =>
            {
                if blocks > 0 {
                    out.push_str("\n<p>");
                }
                blocks += 1;
            }
            Event::Start(Tag::List(first)) => {
                out.push_str(if first.is_some() { "\n<ol>" } else { "\n<ul>" });
                in_list += 1;
                blocks += 1;
            }
            Event::End(TagEnd::List(ordered)) => {
                out.push_str(if ordered { "\n</ol>" } else { "\n</ul>" });
                in_list -= 1;
            }
            Event::Start(Tag::Item) => out.push_str("\n<li>"),
            Event::End(TagEnd::Item) => out.push_str("</li>"),
            Event::Start(Tag::Emphasis) => out.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => out.push_str("</em>"),
            Event::Start(Tag::Strong) => out.push_str("<strong>"),
            Event::End(TagEnd::Strong) => out.push_str("</strong>"),
            Event::Start(Tag::Link { dest_url, .. }) => link.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.pop() {
                    let _ = write!(out, " (<code>{}</code>)", javadoc_text(&url));
                }
            }
            Event::Code(code) => {
                let _ = write!(out, "<code>{}</code>", javadoc_text(&code));
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => out.push_str(&javadoc_text(&text)),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            _ => {}
        }
    }
    out
}

/// The ` * ` lines of one Javadoc paragraph, `lead` (generator text, already Javadoc) then `text`
/// (already Javadoc text), indented by `indent`; a blank line becomes a bare ` *`.
pub fn doc_lines(text: &str, indent: &str, lead: &str) -> String {
    let mut out = String::new();
    for line in format!("{lead}{text}").trim_end().lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    out
}

/// The filters `.java` templates call.
pub mod filters {
    use std::fmt::Display;

    use askama::filters::Safe;
    use askama::{Result, Values};

    crate::escape::text_filters! {
        /// `{{ text|string }}`: a string literal.
        string => super::string_literal;
        /// `{{ text|doc_text }}`: registry text as Javadoc text.
        doc_text => super::javadoc_text;
        /// `{{ text|prose }}`: registry prose as Javadoc text, blank lines as `<p>` breaks.
        prose => super::prose;
    }

    /// `{{ javadoc|doc(indent, lead) }}`: the ` * ` lines of a paragraph of Javadoc text (the output
    /// of `doc_text` or `prose`).
    #[askama::filter_fn]
    pub fn doc(text: impl Display, _: &dyn Values, indent: &str, lead: &str) -> Result<Safe<String>> {
        Ok(Safe(super::doc_lines(&text.to_string(), indent, lead)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_never_hold_a_unicode_escape_of_an_ascii_character() {
        let literal = string_literal("a\"b\\u000a\n\u{7}\u{0}\u{202E}🚀é*/");
        assert!(literal.is_ascii());
        assert_eq!(literal, r#""a\"b\\u000a\n\007\000\u202e\ud83d\ude80\u00e9*/""#);
        for escape in ["\\u000a", "\\u000d", "\\u0022", "\\u005c"] {
            assert!(!string_literal("\n\r\"\\").contains(escape));
        }
    }

    #[test]
    fn prose_renders_markdown_as_javadoc_html_and_passes_no_markup_through() {
        assert_eq!(
            prose(
                "Marked *temporary*, **really**, `retry()`\nnext line.\n\n- one\n- [two](https://x.dev/a*b)\n\nLast."
            ),
            "Marked <em>temporary</em>, <strong>really</strong>, <code>retry()</code>\nnext line.\n<ul>\n<li>one</li>\n<li>two (<code>https:&#47;&#47;x.dev&#47;a&#42;b</code>)</li>\n</ul>\n<p>Last."
        );
        let hostile = prose("<b>bold</b> */ `*/` \\u002a @param");
        assert!(
            !hostile.contains("<b>") && !hostile.contains("*/") && !hostile.contains('\\') && !hostile.contains('@'),
            "{hostile}"
        );
    }

    #[test]
    fn javadoc_text_cannot_close_the_comment_or_start_an_escape_or_a_tag() {
        let text = javadoc_text("*/ \\u002a/ @param {@code x} <b>&</b>");
        assert!(!text.contains("*/") && !text.contains('\\') && !text.contains('@') && !text.contains('<'));
        assert_eq!(text, "&#42;&#47; &#92;u002a&#47; &#64;param {&#64;code x} &lt;b&gt;&amp;&lt;&#47;b&gt;");
    }
}
