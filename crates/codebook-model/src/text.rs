//! The one text-safety rule every reader of registry text shares: which characters can make text
//! read differently from what it holds. The validator rejects them in wire messages; every
//! generator removes or escapes them wherever registry text reaches generated code or pages.

/// Characters that reorder the text around them (the "Trojan Source" characters): the
/// bidirectional embeddings, overrides and isolates, and the implicit marks LRM, RLM and ALM.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Invisible format characters (Unicode category Cf, plus the variation selectors and the
/// combining grapheme joiner): zero-width spaces and joiners, word joiners, the byte-order mark,
/// soft hyphens, the bidirectional controls and invisible operators. Two texts that differ only by
/// them look identical, so a name, id or wire message may not hold one, and every generator
/// escapes them wherever other registry text reaches an output.
pub fn is_format_char(c: char) -> bool {
    if c < '\u{AD}' {
        return false;
    }
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{0600}'..='\u{0605}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206A}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

/// Characters that must not reach generated code or a wire message as they are: control
/// characters, bidirectional controls, and the Unicode line and paragraph separators (which end a
/// line in some languages and editors but not in others).
pub fn is_unsafe_in_text(c: char) -> bool {
    c.is_control() || is_format_char(c) || c == '\u{2028}' || c == '\u{2029}'
}

/// The form two wire messages are compared in to find duplicates: NFKC-normalised with the
/// format characters removed, so texts that render alike are one message.
pub fn comparison_form(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.chars().filter(|c| !is_format_char(*c)).nfkc().collect()
}

/// Serialised JSON with every character [`is_unsafe_in_text`] names written as a `\\uXXXX` escape
/// (two for a character beyond the Basic Multilingual Plane), so a bidi override or zero-width
/// character in registry text never reaches a `.json` file raw. JSON's own syntax is ASCII, so any
/// such character in `json` stands inside a string, where the escape means the same character.
pub fn escape_unsafe_in_json(json: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    // ASCII runs (nearly all of a file) are copied whole.
    while let Some(first) = rest.bytes().position(|byte| !byte.is_ascii()) {
        out.push_str(&rest[..first]);
        let c = rest[first..].chars().next().expect("a non-ASCII byte starts a character");
        rest = &rest[first + c.len_utf8()..];
        if !is_unsafe_in_text(c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_its_meaning_and_loses_every_invisible_character() {
        let text = "a\u{202E}b\u{200D}c\u{E0041}d\u{2028}é";
        let json = escape_unsafe_in_json(&serde_json::to_string(text).unwrap());
        assert_eq!(json, "\"a\\u202eb\\u200dc\\udb40\\udc41d\\u2028é\"");
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }

    #[test]
    fn lookalike_texts_compare_equal() {
        assert_eq!(comparison_form("caf\u{E9}"), comparison_form("cafe\u{301}"));
        assert_eq!(comparison_form("shut\u{200D}down"), "shutdown");
        assert_ne!(comparison_form("shutdown"), comparison_form("shut down"));
    }

    #[test]
    fn the_trojan_source_set_and_separators_are_unsafe() {
        for c in [
            '\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}', '\u{2028}', '\u{7}', '\n', '\u{200B}', '\u{FEFF}', '\u{AD}',
        ] {
            assert!(is_unsafe_in_text(c), "{c:?}");
        }
        for c in ['a', 'é', 'ש', '🚀', '\u{301}'] {
            assert!(!is_unsafe_in_text(c), "{c:?}");
        }
    }
}
