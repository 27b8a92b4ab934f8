//! Registries generated from the model's own vocabulary (every language's keywords as family ids
//! and code names, text with quotes, comment terminators, template markers, invisible and
//! bidirectional characters, numbers written every way YAML allows): each is either refused with
//! located messages only, or accepted, coherent, and rendered by every backend without a panic.

use proptest::prelude::*;

/// Family ids: ordinary ones and ones that are keywords or reserved names somewhere.
const FAMILY_IDS: &[&str] = &[
    "chat", "fn", "self", "none", "true", "false", "match", "type", "class", "default", "string", "object", "runtime",
    "err", "ok", "import", "package", "go", "var", "let", "async", "yield", "enum", "x-1",
];

/// Code names: ordinary ones and ones that are keywords, runtime types or trait items somewhere.
const CODE_NAMES: &[&str] = &[
    "Shutdown", "None", "True", "False", "Self", "Err", "Ok", "Some", "String", "Object", "Class", "Default", "Error",
    "Unknown", "Code", "Type", "Match", "Yield", "Await", "Int64", "Func", "Value", "Message", "Name",
];

/// Pieces of text every target must escape or refuse.
const TEXT_PIECES: &[&str] = &[
    "plain",
    "\\\"quoted\\\"",
    "back\\\\slash",
    "*/",
    "/*",
    "${x}",
    "{{ x }}",
    "`tick`",
    "<script>",
    "\\u202E",
    "\\u200D",
    "\\uFEFF",
    "\\u00AD",
    "caf\\u00E9",
    "cafe\\u0301",
    "\\U0001F680",
    "\\t",
    "%s",
    "#",
    "'",
];

/// How a number may be written in YAML; only the first is the accepted spelling.
fn spell(number: u16, style: u8) -> String {
    match style % 64 {
        0 => format!("\"{number}\""),
        1 => format!("0x{number:X}"),
        2 => format!("+{number}"),
        3 => format!("0o{number:o}"),
        4 => format!("{number}_0"),
        _ => number.to_string(),
    }
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TEXT_PIECES), 1..4).prop_map(|pieces| pieces.join(" "))
}

#[derive(Debug, Clone)]
struct GeneratedCode {
    number: u16,
    style: u8,
    pick: (u8, u8),
    name: &'static str,
    message: String,
    description: String,
}

fn code() -> impl Strategy<Value = GeneratedCode> {
    (0u16..2000, any::<u8>(), any::<(u8, u8)>(), prop::sample::select(CODE_NAMES), text(), text()).prop_map(
        |(number, style, pick, name, message, description)| GeneratedCode {
            number,
            style,
            pick,
            name,
            message,
            description,
        },
    )
}

fn registry() -> impl Strategy<Value = String> {
    let family = (any::<u8>(), prop::sample::select(FAMILY_IDS), prop::collection::vec(code(), 1..6));
    prop::collection::vec(family, 1..4).prop_map(
        |families| {
            let mut out = String::from("families:\n");
            for (index, (pick, id, codes)) in families.into_iter().enumerate() {
                // Mostly ordinary ids, so that most registries get past the id rules.
                let id = if pick % 4 == 0 { id.to_string() } else { format!("family-{index}") };
                out.push_str(&format!(
                    "  - id: {id}\n    title: Family {id}\n    kind: error\n    description: The {id} family.\n    fallback: {{label: anything else, temporary: false}}\n    codes:\n"
                ));
                for (position, code) in codes.into_iter().enumerate() {
                    let name =
                        if code.pick.0 % 4 == 0 { code.name.to_string() } else { format!("{}{position}", code.name) };
                    // A quarter of the messages are hostile; descriptions always are (they may hold what a
                    // wire message may not, and every output must escape it).
                    let message = if code.pick.1 % 4 == 0 { code.message } else { format!("message {position}") };
                    out.push_str(&format!(
                        "      - code: {}\n        name: {}\n        message: \"{}\"\n        description: \"{}\"\n        causes: [\"a cause\"]\n",
                        spell(code.number, code.style),
                        name,
                        message,
                        code.description
                    ));
                }
            }
            out
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn accepted_registries_render_everywhere_and_refusals_are_located(text in registry()) {
        match codebook_model::load_str("codes.yaml", &text) {
            Ok(registry) => {
                codebook_model::check_invariants(&registry).map_err(TestCaseError::fail)?;
                let provenance = codebook_codegen::Provenance::of("codes.yaml", text.as_bytes());
                let files = codebook_codegen::generate_all(&registry, &provenance);
                prop_assert!(!files.is_empty());
                for (path, contents) in &files {
                    // No invisible or bidirectional character reaches any output raw.
                    let raw = contents.chars().find(|c| !c.is_ascii() && codebook_model::text::is_format_char(*c));
                    prop_assert!(raw.is_none(), "{path} holds {raw:?} raw");
                }
            }
            Err(error) => {
                for message in error.messages() {
                    let located = message
                        .strip_prefix("codes.yaml:")
                        .and_then(|rest| rest.split(':').next())
                        .is_some_and(|line| line.parse::<u32>().is_ok_and(|line| line > 0));
                    prop_assert!(located, "not located: {message}");
                }
            }
        }
    }
}
