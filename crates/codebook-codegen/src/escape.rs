//! What every language's escaping shares: the C-style core of a double-quoted string literal, and
//! the askama filters that print one escaping function's result. Each language's `escape.rs`
//! decides the rest (which characters become which escapes), so registry text is still escaped in
//! exactly one place per language.

/// A double-quoted literal holding exactly `text`: `"`, `\`, newline, carriage return and tab as
/// the escapes every target language reads alike, printable ASCII as it is (except the characters
/// in `also_escaped`), and every other character as `other` writes it.
pub fn quoted(text: &str, also_escaped: &[char], other: impl Fn(char, &mut String)) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' if !also_escaped.contains(&c) => out.push(c),
            c => other(c, &mut out),
        }
    }
    out.push('"');
    out
}

/// Declares askama filters `{{ text|name }}` that print `function(text)` as it is (the function
/// is the language's escaping, so its output is safe to print): `string => super::string_literal`.
macro_rules! text_filters {
    ($($(#[doc = $doc:literal])* $name:ident => $function:path;)+) => {
        $(
            $(#[doc = $doc])*
            #[askama::filter_fn]
            pub fn $name(text: impl AsRef<str>, _: &dyn askama::Values) -> askama::Result<askama::filters::Safe<String>> {
                Ok(askama::filters::Safe($function(text.as_ref())))
            }
        )+
    };
}

pub(crate) use text_filters;
