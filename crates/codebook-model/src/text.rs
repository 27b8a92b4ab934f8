//! The one text-safety rule every reader of registry text shares: which characters can make text
//! read differently from what it holds. The validator rejects them in wire messages; every
//! generator removes or escapes them wherever registry text reaches generated code or pages.

/// Characters that reorder the text around them (the "Trojan Source" characters): the
/// bidirectional embeddings, overrides and isolates, and the implicit marks LRM, RLM and ALM.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that must not reach generated code or a wire message as they are: control
/// characters, bidirectional controls, and the Unicode line and paragraph separators (which end a
/// line in some languages and editors but not in others).
pub fn is_unsafe_in_text(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{2028}' || c == '\u{2029}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trojan_source_set_and_separators_are_unsafe() {
        for c in ['\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}', '\u{2028}', '\u{7}', '\n'] {
            assert!(is_unsafe_in_text(c), "{c:?}");
        }
        for c in ['a', 'é', 'ש', '🚀', '\u{301}'] {
            assert!(!is_unsafe_in_text(c), "{c:?}");
        }
    }
}
