//! Naming rules: how a family id and a code name become identifiers in Rust, TypeScript and Go.
//!
//! The validator uses these rules to reject names that would not compile or would collide in some
//! target; the emitters use the precomputed [`FamilyNames`] and [`CodeNames`] and never convert case
//! themselves, so the Rust variant, the TS key and the Go constant of one code always correspond.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;

/// Identifiers derived from a family id such as `centrifugo-disconnect`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FamilyNames {
    /// `CentrifugoDisconnect`: the Rust enum, the TS object and type, the Go type.
    pub type_name: String,
    /// `centrifugo_disconnect`: the Rust module and Go file stem.
    pub module: String,
    /// `CENTRIFUGO_DISCONNECT`.
    pub screaming: String,
    /// `centrifugoDisconnect`: TS function prefixes.
    pub lower_camel: String,
}

impl FamilyNames {
    /// Every identifier the family puts into a binding's shared scope: Go's package (the type, its
    /// error type and the helpers named after it) and the TypeScript index (the object and its
    /// types, the helpers prefixed with the lower-camel name; both kinds' yes/no helpers, so the
    /// list does not depend on the kind). The validator keeps them unique across families, and a
    /// test of `codebook-codegen` holds this list to what the Go and TypeScript backends emit.
    pub fn generated_identifiers(&self) -> Vec<String> {
        let name = &self.type_name;
        let camel = &self.lower_camel;
        let mut identifiers: Vec<String> = vec![name.clone(), format!("{name}Error"), format!("{name}Name")];
        for prefix in ["Classify", "Parse", "All", "SegmentsOf", "classify", "is"] {
            identifiers.push(format!("{prefix}{name}"));
        }
        identifiers.push(format!("Lookup{name}Message"));
        // Go: the checked conversions from the integer types SDKs use, and the error-chain finder.
        for suffix in ["FromInt", "FromUint32", "Of"] {
            identifiers.push(format!("{name}{suffix}"));
        }
        for suffix in [
            "Segments",
            "Info",
            "FromName",
            "FromMessage",
            "Name",
            "Message",
            "Description",
            "Causes",
            "Origin",
            "DocUrl",
            "Docs",
            "Action",
            "Backoff",
            "Family",
            "ShouldReconnect",
            "IsTerminal",
            "IsTemporary",
        ] {
            identifiers.push(format!("{camel}{suffix}"));
        }
        identifiers
    }

    /// The first identifier of this family that a target reserves, with that target: the Rust
    /// module and type (`fn`, `Self`), the Python module and class (`none`, `None`).
    pub(crate) fn reserved_form(&self) -> Option<(String, &'static str)> {
        let forms: [(&str, &[&str], &'static str); 4] = [
            (&self.module, RUST_KEYWORDS, "Rust"),
            (&self.type_name, RUST_KEYWORDS, "Rust"),
            (&self.module, PYTHON_KEYWORDS, "Python"),
            (&self.type_name, PYTHON_KEYWORDS, "Python"),
        ];
        forms
            .into_iter()
            .find(|(form, words, _)| words.contains(form))
            .map(|(form, _, language)| (form.to_string(), language))
    }

    pub fn from_id(id: &str) -> Self {
        FamilyNames {
            type_name: id.to_upper_camel_case(),
            module: id.to_snake_case(),
            screaming: id.to_shouty_snake_case(),
            lower_camel: id.to_lower_camel_case(),
        }
    }
}

/// Identifiers derived from a code name such as `InvalidToken`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CodeNames {
    /// `InvalidToken`: the Rust variant and the key of the TS object.
    pub variant: String,
    /// `invalid_token`.
    pub snake: String,
    /// `INVALID_TOKEN`.
    pub screaming: String,
    /// `invalidToken`.
    pub lower_camel: String,
    /// `CentrifugoDisconnectInvalidToken`: the Go constant (Go constants share one package scope).
    pub go_constant: String,
    /// `3500-invalid-token`: the stable anchor of the code's section in Markdown and HTML.
    pub anchor: String,
}

impl CodeNames {
    pub fn new(family: &FamilyNames, number: u16, name: &str) -> Self {
        CodeNames {
            variant: name.to_string(),
            snake: name.to_snake_case(),
            screaming: name.to_shouty_snake_case(),
            lower_camel: name.to_lower_camel_case(),
            go_constant: format!("{}{}", family.type_name, go_constant_suffix(name)),
            anchor: format!("{number}-{}", name.to_kebab_case()),
        }
    }
}

/// What the Go package puts after a family's type name besides its codes' constants (`StatusError`,
/// `StatusName`, `StatusFromInt`, `StatusFromUint32`, `StatusOf`); see
/// [`FamilyNames::generated_identifiers`].
const GO_TYPE_SUFFIXES: &[&str] = &["Error", "Name", "FromInt", "FromUint32", "Of"];

/// The part of a Go constant after the family's type name: the code's name, except that a name the
/// Go package already puts there (a code named `Error` beside the type `StatusError`), or one that
/// this escaping could produce (`CodeError`), gets one more `Code` in front: `StatusCodeError`. So
/// no code name is reserved, and two names never meet.
fn go_constant_suffix(name: &str) -> String {
    fn escaped(name: &str) -> bool {
        GO_TYPE_SUFFIXES.contains(&name) || name.strip_prefix("Code").is_some_and(escaped)
    }
    if escaped(name) { format!("Code{name}") } else { name.to_string() }
}

/// The JSON Schema `pattern` of a code name: the shape `is_upper_camel_identifier` checks, minus
/// the round trip through case conversion, which a regular expression cannot express (`HTTPError`
/// matches the pattern; the loader asks for `HttpError`).
pub(crate) const UPPER_CAMEL_PATTERN: &str = "^[A-Z][A-Za-z0-9]*$";

/// The JSON Schema `pattern` of a family id: exactly what `is_kebab_id` accepts.
pub(crate) const KEBAB_ID_PATTERN: &str = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$";

/// A protocol enum's value as the UpperCamelCase word the bindings name it by
/// (`refresh_token_then_reconnect` becomes `RefreshTokenThenReconnect`; Go prefixes the type:
/// `ActionRefreshTokenThenReconnect`). The one case conversion of protocol spellings.
pub fn protocol_value_name(spelling: &str) -> String {
    spelling.to_upper_camel_case()
}

/// Is `name` an UpperCamelCase ASCII identifier that case conversion maps back to itself?
pub(crate) fn is_upper_camel_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('A'..='Z'))
        && chars.all(|c| c.is_ascii_alphanumeric())
        && name.to_upper_camel_case() == name
}

/// Is `id` a kebab-case family id (`centrifugo-disconnect`)?
pub(crate) fn is_kebab_id(id: &str) -> bool {
    matches!(id.chars().next(), Some('a'..='z'))
        && !id.ends_with('-')
        && !id.contains("--")
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Identifiers the generated runtimes define next to the families (Rust `codebook`, TypeScript
/// `runtime.ts`, Go `codes.go`), which no family or code may generate as well.
pub(crate) const RUNTIME_IDENTIFIERS: &[&str] = &[
    "Behaviour",
    "Scope",
    "Segment",
    "Classification",
    "CodeInfo",
    "CodeFamily",
    "AnyCode",
    "UnknownCode",
    "UnknownName",
    "Action",
    "Origin",
    "Jitter",
    "BackoffHint",
    "Change",
    "Mulberry32",
    "CloseCodeRule",
    "CloseSender",
    "CloseEventLike",
    "Closed",
    "NewMulberry32",
    "CloseCodeRules",
    "LookupCloseCodeRule",
    "SafeCloseCode",
    "TruncateCloseReason",
    "MaxCloseReasonBytes",
    "CloseCodeOf",
    "ClassifyCloseError",
    // The SDK event helpers (Go `SdkEventAnswer`; Java `SdkEvents`, `SdkEventAnswer`,
    // `SdkEventTable`, `SdkErrorCodes`; Python `SdkEventContext`).
    "SdkEventAnswer",
    "SdkEvents",
    "SdkEventTable",
    "SdkErrorCodes",
    "SdkEventContext",
    // The Java runtime's classes, and the `java.lang` and `java.util` types the generated Java
    // names unqualified: a family class of the same name would shadow them.
    "CloseCodeRules",
    "CloseCodes",
    "Code",
    "CodeEnum",
    "Families",
    "Deprecated",
    "Enum",
    "Integer",
    "List",
    "Long",
    "Map",
    "Math",
    "Object",
    "Optional",
    "OptionalLong",
    "Override",
    "String",
];

/// Family ids that would become the name of a file the generators write for the runtime itself
/// (`runtime.ts`, `protocol.ts`, `index.ts`, `sdk-events.ts`, `codes.go`, `protocol.go`,
/// `sdk_events.go`, `*_test.go`) or a name the Python package exports.
pub(crate) const RESERVED_FAMILY_IDS: &[&str] = &[
    "runtime",
    "protocol",
    "index",
    "sdk-events",
    "codes",
    "vectors-test",
    "adapters-test",
    "example-test",
    "handling-test",
    // Functions the Python package's `__init__` exports next to the family modules.
    "check-code-number",
    "classify-sdk-event-code",
    "close-code-rule",
    "error-code-of",
    "random-u32",
    "safe-close-code",
    "truncate-close-reason",
];

// One list of reserved words per target language: what no identifier we generate in that
// language may be (package names, modules, types, members). The validator, the package rules and
// the JSON Schema all read these.

/// Python's keywords (the soft keywords `match`, `case`, `type` and `_` are valid names).
pub(crate) const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Rust's strict and reserved keywords (edition 2024), `Self` included.
pub(crate) const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
    "union",
];

/// TypeScript's reserved and strict-mode words, and the globals a generated name must not shadow.
pub(crate) const TYPESCRIPT_KEYWORDS: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
    "await",
    "undefined",
    "arguments",
    "eval",
    "constructor",
    "prototype",
];

/// Go's keywords and the predeclared identifiers a generated name must not shadow.
pub(crate) const GO_KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "nil",
    "true",
    "false",
    "iota",
];

/// Java's keywords and literals, with the contextual `var`, `record` and `yield`.
pub(crate) const JAVA_KEYWORDS: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
    "var",
    "record",
    "yield",
    "sealed",
    "permits",
    "non-sealed",
    "_",
];

/// Each target language with its list of reserved words.
const RESERVED_WORDS: [(&str, &[&str]); 5] = [
    ("Rust", RUST_KEYWORDS),
    ("TypeScript", TYPESCRIPT_KEYWORDS),
    ("Go", GO_KEYWORDS),
    ("Python", PYTHON_KEYWORDS),
    ("Java", JAVA_KEYWORDS),
];

/// The target languages in which `word` is reserved, e.g. `["Rust", "TypeScript", "Go"]` for `type`.
pub fn is_reserved_word(word: &str) -> Vec<&'static str> {
    RESERVED_WORDS.iter().filter(|(_, words)| words.contains(&word)).map(|(language, _)| *language).collect()
}

/// The first form of `name` (as written, snake_case, lowerCamelCase) that is a reserved word in
/// some target, with the languages that reserve it.
pub(crate) fn reserved_form(name: &str) -> Option<(String, Vec<&'static str>)> {
    [name.to_string(), name.to_snake_case(), name.to_lower_camel_case()].into_iter().find_map(|form| {
        let languages = is_reserved_word(&form);
        (!languages.is_empty()).then_some((form, languages))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_constants_never_meet_the_names_the_go_package_puts_after_a_type() {
        let family = FamilyNames::from_id("status");
        let constant = |name: &str| CodeNames::new(&family, 1, name).go_constant;
        assert_eq!(constant("Unknown"), "StatusUnknown");
        assert_eq!(constant("Error"), "StatusCodeError");
        assert_eq!(constant("CodeError"), "StatusCodeCodeError");
        assert_eq!(constant("Code"), "StatusCode");
        assert_eq!(constant("CodeBlue"), "StatusCodeBlue");
        let helpers = family.generated_identifiers();
        let names = ["Error", "Name", "FromInt", "FromUint32", "Of", "CodeError", "CodeCodeName", "Code", "Ok"];
        let constants: std::collections::BTreeSet<String> = names.iter().map(|name| constant(name)).collect();
        assert_eq!(constants.len(), names.len(), "{constants:?}");
        assert!(constants.iter().all(|constant| !helpers.contains(constant)), "{constants:?}");
    }
}
