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

#[cfg(test)]
mod tests {
    use super::to_safe_html;

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
