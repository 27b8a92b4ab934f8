//! Markdown from `codes.yaml` to HTML that is safe to put in a page.
//!
//! Registry text is untrusted: raw HTML is shown as text rather than interpreted, and the output
//! still goes through ammonia, which drops scripts, event attributes and `javascript:` links.

use pulldown_cmark::{Event, Options, Parser, html};

/// Renders `markdown` to sanitised HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let events =
        Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES).map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        });
    let mut unsafe_html = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

/// The plain text of `markdown` (no markup, runs of white space as one space), for a page's meta
/// description. The caller escapes it for HTML like any other text.
pub fn to_plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES) {
        match event {
            Event::Text(part) | Event::Code(part) | Event::Html(part) | Event::InlineHtml(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A meta description of at most `max_chars` characters from `text`: whole sentences while they
/// fit, else whole words and an ellipsis.
pub fn summary(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    if let Some(end) = cut.rfind(". ").filter(|&end| end >= max_chars / 3) {
        return cut[..=end].to_string();
    }
    let words = cut.rfind(' ').map_or(cut.as_str(), |end| &cut[..end]);
    format!("{}…", words.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::{summary, to_plain_text, to_safe_html};

    #[test]
    fn plain_text_drops_markup_and_keeps_raw_html_as_text() {
        assert_eq!(
            to_plain_text("Use *backoff*\nand `retry`.\n\nNext <b>x</b>"),
            "Use backoff and retry. Next <b>x</b>"
        );
        assert_eq!(summary("One two. Three four five six.", 14), "One two.");
        assert_eq!(summary("Alpha beta gamma delta", 13), "Alpha beta…");
        assert_eq!(summary("short", 10), "short");
    }

    #[test]
    fn renders_emphasis_and_code() {
        assert_eq!(to_safe_html("Use *backoff* and `retry`."), "<p>Use <em>backoff</em> and <code>retry</code>.</p>\n");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_safe_html("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn javascript_links_lose_their_href() {
        let html = to_safe_html("[click](javascript:alert(1)) and [ok](https://example.com)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains(r#"href="https://example.com""#), "{html}");
    }
}
