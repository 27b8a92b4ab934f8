//! Registry text in the examples: a code's wire message appears only in a comment, quoted the way
//! Rust's `Debug` quotes a string (quotes and backslashes escaped, control, invisible and
//! bidirectional characters as `\u{..}`), the same in the Rust, TypeScript and Go examples, so no
//! message can end the comment or hide text.

/// The filters the example templates call.
pub mod filters {
    use askama::filters::Safe;
    use askama::{Result, Values};

    /// `{{ text|quoted }}`: the text as a quoted, escaped string for a comment line.
    #[askama::filter_fn]
    pub fn quoted(text: impl AsRef<str>, _: &dyn Values) -> Result<Safe<String>> {
        Ok(Safe(format!("{:?}", text.as_ref())))
    }

    /// `{{ text|java_quoted }}`: the text as a Java string literal for a `//` comment: ASCII only,
    /// never a unicode escape of an ASCII character (javac decodes those even in comments).
    #[askama::filter_fn]
    pub fn java_quoted(text: impl AsRef<str>, _: &dyn Values) -> Result<Safe<String>> {
        Ok(Safe(crate::java::string_literal(text.as_ref())))
    }

    pub use crate::go::escape::filters::string as go_string;
    pub use crate::typescript::escape::filters::string;
}
