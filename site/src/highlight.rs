//! Build-time syntax colouring of the code examples: each snippet becomes HTML-escaped text with
//! `<span class="tok-…">` around keywords, strings, comments, numbers and type names, coloured by
//! `assets/style.css` (classes only: no inline style, no script, so it stays within the CSP).
//!
//! A small lexer, not a grammar engine: the portal renders five snippets for every code at
//! startup, 50,000 for a registry of 10,000 codes, within the startup budget of one second
//! (BENCHMARKS.md), which a TextMate-grammar highlighter would spend many times over. The
//! snippets are our own generated code in five C-like languages, so telling comments, strings,
//! numbers, keywords and type-like names apart is all colouring needs. Text that is none of those
//! (and every character inside a token) is escaped, so registry text inside a string literal or
//! comment stays inert.

/// The languages the examples backend writes, by the name it gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Rust,
    TypeScript,
    Go,
    Python,
    Java,
}

impl Language {
    /// The examples backend's language name (`Example::language`), or `None` for one we do not colour.
    pub fn from_name(name: &str) -> Option<Language> {
        match name {
            "Rust" => Some(Language::Rust),
            "TypeScript" => Some(Language::TypeScript),
            "Go" => Some(Language::Go),
            "Python" => Some(Language::Python),
            "Java" => Some(Language::Java),
            _ => None,
        }
    }

    fn keywords(self) -> &'static [&'static str] {
        match self {
            Language::Rust => &[
                "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "false", "fn",
                "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
                "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
                "while", "Some", "None", "Ok", "Err",
            ],
            Language::TypeScript => &[
                "as",
                "async",
                "await",
                "break",
                "case",
                "catch",
                "class",
                "const",
                "continue",
                "default",
                "do",
                "else",
                "export",
                "extends",
                "false",
                "finally",
                "for",
                "from",
                "function",
                "if",
                "import",
                "in",
                "instanceof",
                "interface",
                "let",
                "new",
                "null",
                "of",
                "return",
                "switch",
                "this",
                "throw",
                "true",
                "try",
                "type",
                "typeof",
                "undefined",
                "var",
                "void",
                "while",
            ],
            Language::Go => &[
                "break",
                "case",
                "chan",
                "const",
                "continue",
                "default",
                "defer",
                "else",
                "fallthrough",
                "false",
                "for",
                "func",
                "go",
                "goto",
                "if",
                "import",
                "interface",
                "map",
                "nil",
                "package",
                "range",
                "return",
                "select",
                "struct",
                "switch",
                "true",
                "type",
                "var",
            ],
            Language::Python => &[
                "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
                "except", "False", "finally", "for", "from", "if", "import", "in", "is", "lambda", "None", "not", "or",
                "pass", "raise", "return", "True", "try", "while", "with", "yield",
            ],
            Language::Java => &[
                "abstract",
                "boolean",
                "break",
                "case",
                "catch",
                "class",
                "continue",
                "default",
                "do",
                "double",
                "else",
                "enum",
                "extends",
                "false",
                "final",
                "finally",
                "for",
                "if",
                "implements",
                "import",
                "int",
                "interface",
                "long",
                "new",
                "null",
                "package",
                "private",
                "protected",
                "public",
                "return",
                "static",
                "switch",
                "this",
                "throw",
                "throws",
                "true",
                "try",
                "var",
                "void",
                "while",
                "yield",
            ],
        }
    }

    fn line_comment(self) -> &'static str {
        if self == Language::Python { "#" } else { "//" }
    }
}

/// One kind of token and the class the stylesheet colours it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Comment,
    Str,
    Number,
    Keyword,
    Type,
}

impl Token {
    fn class(self) -> &'static str {
        match self {
            Token::Comment => "tok-c",
            Token::Str => "tok-s",
            Token::Number => "tok-n",
            Token::Keyword => "tok-k",
            Token::Type => "tok-t",
        }
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn span_into(out: &mut String, token: Token, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(token.class());
    out.push_str("\">");
    escape_into(out, text);
    out.push_str("</span>");
}

/// The end (byte index) of a quoted literal opened at `start` by `quote` (`"`, `'` or a
/// backtick; three quotes for Python's triple-quoted strings), honouring backslash escapes
/// except in raw literals; the end of the text when it never closes.
fn string_end(source: &str, start: usize, quote: &str, raw: bool) -> usize {
    let bytes = source.as_bytes();
    let mut i = start + quote.len();
    while i < bytes.len() {
        if !raw && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(quote.as_bytes()) {
            return i + quote.len();
        }
        if quote.len() == 1 && quote != "`" && bytes[i] == b'\n' {
            return i;
        }
        i += 1;
    }
    source.len()
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

/// `source` (one snippet in `language`) as HTML: escaped, with coloured tokens.
pub fn highlight(language: Language, source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len() * 2);
    let mut plain_from = 0;
    let mut i = 0;
    let flush = |out: &mut String, from: usize, to: usize| escape_into(out, &source[from..to]);
    while i < bytes.len() {
        let rest = &source[i..];
        let byte = bytes[i];
        let token: Option<(Token, usize)> = if rest.starts_with(language.line_comment()) {
            Some((Token::Comment, rest.find('\n').map_or(source.len(), |end| i + end)))
        } else if language != Language::Python && rest.starts_with("/*") {
            Some((Token::Comment, rest.find("*/").map_or(source.len(), |end| i + end + 2)))
        } else if language == Language::Python && (rest.starts_with("\"\"\"") || rest.starts_with("'''")) {
            Some((Token::Str, string_end(source, i, &rest[..3], false)))
        } else if byte == b'"' {
            Some((Token::Str, string_end(source, i, "\"", false)))
        } else if byte == b'`' && matches!(language, Language::TypeScript | Language::Go) {
            Some((Token::Str, string_end(source, i, "`", language == Language::Go)))
        } else if byte == b'\'' && (language != Language::Rust || is_rust_char(rest)) {
            Some((Token::Str, string_end(source, i, "'", false)))
        } else if byte.is_ascii_digit() && (i == 0 || !is_word_byte(bytes[i - 1])) {
            let len = rest.bytes().take_while(|&b| is_word_byte(b) || b == b'.').count();
            // `1..3` is two numbers and a range, `x.0` a field: stop before a second dot.
            let len = rest[..len].find("..").unwrap_or(len);
            Some((Token::Number, i + len))
        } else if is_word_byte(byte) && (i == 0 || !is_word_byte(bytes[i - 1])) {
            let len = rest.bytes().take_while(|&b| is_word_byte(b)).count();
            let word = &rest[..len];
            if language.keywords().contains(&word) {
                Some((Token::Keyword, i + len))
            } else if word.starts_with(|c: char| c.is_ascii_uppercase()) && word.bytes().any(|b| b.is_ascii_lowercase())
            {
                Some((Token::Type, i + len))
            } else {
                // A plain identifier: skip it whole, so a digit inside it never starts a number.
                i += len;
                continue;
            }
        } else {
            None
        };
        match token {
            Some((token, end)) => {
                flush(&mut out, plain_from, i);
                span_into(&mut out, token, &source[i..end]);
                i = end;
                plain_from = end;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    flush(&mut out, plain_from, source.len());
    out
}

/// Whether a `'` in Rust opens a char literal (`'a'`, `'\n'`) rather than a lifetime (`'a`).
fn is_rust_char(rest: &str) -> bool {
    let mut chars = rest.chars().skip(1);
    match chars.next() {
        Some('\\') => true,
        Some(_) => chars.next() == Some('\''),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_get_their_classes_and_text_is_escaped() {
        let html = highlight(Language::TypeScript, "const x = classify(3500); // \"<b>\" & done\nif (x) {}");
        assert_eq!(
            html,
            "<span class=\"tok-k\">const</span> x = classify(<span class=\"tok-n\">3500</span>); \
             <span class=\"tok-c\">// &quot;&lt;b&gt;&quot; &amp; done</span>\n<span class=\"tok-k\">if</span> (x) {}"
        );
    }

    #[test]
    fn registry_text_in_a_string_stays_inside_its_span() {
        let html = highlight(Language::Go, "msg := \"</code><script>alert(1)</script>\\\"\" + `raw\\`");
        assert!(!html.contains("<script>"), "{html}");
        assert_eq!(html.matches("<span class=\"tok-s\">").count(), 2, "{html}");
        assert!(html.contains("&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\&quot;&quot;</span>"), "{html}");
    }

    #[test]
    fn each_language_has_its_comments_and_strings() {
        assert!(highlight(Language::Python, "# note\nx = '''a\nb''' if True else None").starts_with(
            "<span class=\"tok-c\"># note</span>\nx = <span class=\"tok-s\">&#39;&#39;&#39;a\nb&#39;&#39;&#39;</span> <span class=\"tok-k\">if</span> <span class=\"tok-k\">True</span>"
        ));
        let rust = highlight(Language::Rust, "fn f<'a>(c: char) -> bool { c == 'x' && 1..3 }");
        assert!(rust.contains("&lt;&#39;a&gt;"), "a lifetime is no string: {rust}");
        assert!(rust.contains("<span class=\"tok-s\">&#39;x&#39;</span>"), "{rust}");
        assert!(rust.contains("<span class=\"tok-n\">1</span>..<span class=\"tok-n\">3</span>"), "{rust}");
        let java = highlight(Language::Java, "/* a */ Optional<Code> code3 = x;");
        assert!(
            java.starts_with("<span class=\"tok-c\">/* a */</span> <span class=\"tok-t\">Optional</span>"),
            "{java}"
        );
        assert!(java.contains("code3"), "a digit inside a name is no number: {java}");
        assert!(!java.contains("tok-n"), "{java}");
    }

    #[test]
    fn unclosed_tokens_end_with_the_text_and_nothing_is_lost() {
        for (language, source) in
            [(Language::Go, "x := \"open"), (Language::Java, "/* open"), (Language::TypeScript, "`open\nline")]
        {
            let html = highlight(language, source);
            assert!(html.ends_with("</span>"), "{html}");
        }
        let source = "let s = \"é ✓\"; // ünïcode\nlet n = 0x1F;";
        let html = highlight(Language::Rust, source);
        let text: String = {
            let mut text = String::new();
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.replace("&quot;", "\"")
        };
        assert_eq!(text, source);
    }
}
