//! The Java binding (names from the registry's `bindings:` section; by default): a Maven module
//! (`dev.codebook:codebook-codes`, Java 17, no runtime
//! dependencies) with package `dev.codebook.codes`.
//!
//! The runtime (records, enums, the delay calculator, close-code safety) and the JUnit test driver
//! are real Java files under `crates/codebook-codegen/runtime/java/`, copied behind the provenance
//! lines; this backend writes what the registry or the protocol crate decides: one enum per
//! family, `Action`, the close-code table, the family index, the POM and a copy of the vectors.
//!
//! The Java text of those files is askama templates under `templates/java/`; registry text
//! reaches them only through the filters of [`escape`] (string literals and Javadoc text; see
//! there why javac's unicode escapes make both delicate).

use askama::Template;
use codebook_model::{
    Action, Behaviour, CLOSE_CODE_RULES, CloseCodeRule, Code, Family, FamilyKind, Jitter, MAX_CLOSE_REASON_BYTES,
    Origin, Registry, Scope, Sdk,
};

use crate::backend::{Backend, GeneratedFile, Provenance, render_file};

pub mod escape;

use escape::filters;
pub(crate) use escape::javadoc_text;
pub use escape::string_literal;

/// The package the real files declare; the registry's `bindings:` section may choose another,
/// which replaces it in their `package` line.
const DEFAULT_PACKAGE: &str = "dev.codebook.codes";

/// The runtime's real Java files, by name (the protocol enums beside them are generated: see
/// [`protocol_files`]).
const RUNTIME: &[(&str, &str)] = &[
    ("BackoffHint.java", include_str!("../runtime/java/main/BackoffHint.java")),
    ("Change.java", include_str!("../runtime/java/main/Change.java")),
    ("Classification.java", include_str!("../runtime/java/main/Classification.java")),
    ("CloseCodeRule.java", include_str!("../runtime/java/main/CloseCodeRule.java")),
    ("CloseCodes.java", include_str!("../runtime/java/main/CloseCodes.java")),
    ("CloseSender.java", include_str!("../runtime/java/main/CloseSender.java")),
    ("Closed.java", include_str!("../runtime/java/main/Closed.java")),
    ("Code.java", include_str!("../runtime/java/main/Code.java")),
    ("CodeEntry.java", include_str!("../runtime/java/main/CodeEntry.java")),
    ("CodeFamily.java", include_str!("../runtime/java/main/CodeFamily.java")),
    ("CodeInfo.java", include_str!("../runtime/java/main/CodeInfo.java")),
    ("Mulberry32.java", include_str!("../runtime/java/main/Mulberry32.java")),
    ("RegisteredCode.java", include_str!("../runtime/java/main/RegisteredCode.java")),
    ("SdkErrorCodes.java", include_str!("../runtime/java/main/SdkErrorCodes.java")),
    ("SdkEventAnswer.java", include_str!("../runtime/java/main/SdkEventAnswer.java")),
    ("SdkEventTable.java", include_str!("../runtime/java/main/SdkEventTable.java")),
    ("Segment.java", include_str!("../runtime/java/main/Segment.java")),
    ("VaryingCode.java", include_str!("../runtime/java/main/VaryingCode.java")),
    ("VaryingCodeInfo.java", include_str!("../runtime/java/main/VaryingCodeInfo.java")),
];

const VECTORS_TEST: &str = include_str!("../runtime/java/test/VectorsTest.java");

pub struct Java;

impl Backend for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = provenance.line_comments("//");
        let identity = &registry.bindings;
        let package = identity.java_package.as_str();
        let directory = package.replace('.', "/");
        let source = format!("java/src/main/java/{directory}");
        let rename =
            |text: &str| text.replacen(&format!("package {DEFAULT_PACKAGE};"), &format!("package {package};"), 1);
        let mut files = vec![
            GeneratedFile::new(
                "java/pom.xml",
                render_file(&Pom {
                    notice: &provenance.notice(),
                    hash: &provenance.hash_line(),
                    group_id: &identity.java_group_id,
                    artifact_id: &identity.java_artifact_id,
                    version: &registry.version.to_string(),
                    repository: &registry.bindings.repository,
                }),
            ),
            GeneratedFile::new("java/.gitignore", format!("{}target/\n", provenance.line_comments("#"))),
            GeneratedFile::new(
                format!("{source}/package-info.java"),
                render_file(&PackageInfo { header: &header, package }),
            ),
            GeneratedFile::new(
                format!("{source}/Families.java"),
                render_file(&Families { header: &header, package, families: &registry.families }),
            ),
            GeneratedFile::new(
                format!("{source}/SdkEvents.java"),
                render_file(&SdkEvents {
                    header: &header,
                    package,
                    events: crate::backend::sdk_event_views(registry, Sdk::CentrifugeJava),
                    error_family: crate::backend::error_reply_family(registry),
                }),
            ),
            GeneratedFile::new(
                format!("java/src/test/java/{directory}/VectorsTest.java"),
                format!("{header}{}", rename(VECTORS_TEST)),
            ),
        ];
        for (name, text) in protocol_files(&header, package) {
            files.push(GeneratedFile::new(format!("{source}/{name}"), text));
        }
        for (name, text) in RUNTIME {
            files.push(GeneratedFile::new(format!("{source}/{name}"), format!("{header}{}", rename(text))));
        }
        for family in &registry.families {
            files.push(GeneratedFile::new(
                format!("{source}/{}.java", family.names.type_name),
                family_enum(family, &header, package),
            ));
        }
        files
    }

    fn runtime_companions(&self) -> Vec<GeneratedFile> {
        let header = format!("// {}\n\n", crate::backend::companion_notice());
        protocol_files(&header, DEFAULT_PACKAGE)
            .into_iter()
            .map(|(name, text)| GeneratedFile::new(format!("java/main/{name}"), text))
            .collect()
    }
}

/// What the protocol crate decides, as Java files by name: `Action`, `Behaviour`, `Jitter`,
/// `Origin` and `Scope` (each value's constant, wire spelling and doc from the enum's
/// `closed_set!` table) and the close-code table. Written into the bindings and, as runtime
/// companions, beside the real files of `runtime/java/main/` so they compile where they sit.
fn protocol_files(header: &str, package: &str) -> Vec<(&'static str, String)> {
    use crate::backend::protocol_members as members;
    vec![
        ("Action.java", render_file(&ActionFile { header, package, actions: &Action::ALL })),
        (
            "Behaviour.java",
            render_file(&BehaviourEnum {
                header,
                package,
                type_name: "Behaviour",
                example: Behaviour::ALL[0].as_str(),
                members: members(&Behaviour::ALL, Behaviour::as_str, Behaviour::doc),
            }),
        ),
        (
            "CloseCodeRules.java",
            render_file(&CloseCodeRules {
                header,
                package,
                max_close_reason_bytes: MAX_CLOSE_REASON_BYTES,
                rules: &CLOSE_CODE_RULES,
            }),
        ),
        (
            "Jitter.java",
            render_file(&JitterEnum {
                header,
                package,
                type_name: "Jitter",
                example: Jitter::ALL[0].as_str(),
                members: members(&Jitter::ALL, Jitter::as_str, Jitter::doc),
            }),
        ),
        (
            "Origin.java",
            render_file(&OriginEnum {
                header,
                package,
                type_name: "Origin",
                example: Origin::ClientLibrary.as_str(),
                members: members(&Origin::ALL, Origin::as_str, Origin::doc),
                never_on_the_wire: Origin::ALL
                    .iter()
                    .filter(|origin| origin.never_on_the_wire())
                    .map(|origin| origin.as_str().to_uppercase())
                    .collect(),
            }),
        ),
        (
            "Scope.java",
            render_file(&ScopeEnum {
                header,
                package,
                type_name: "Scope",
                example: Scope::Private.as_str(),
                members: members(&Scope::ALL, Scope::as_str, Scope::doc),
            }),
        ),
    ]
}

/// Declares the template of one protocol enum (`templates/java/<Enum>.java`, each extending
/// `templates/java/protocol_enum.java`): its constants with their spellings and docs, `wire()`,
/// and the enum's own methods.
macro_rules! protocol_enum_template {
    ($($(#[$meta:meta])* $name:ident => $path:literal { $($(#[$field_meta:meta])* $field:ident: $type:ty),* })*) => {$(
        $(#[$meta])*
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            header: &'a str,
            package: &'a str,
            type_name: &'static str,
            /// The spelling `wire()`'s doc shows as an example.
            example: &'static str,
            members: Vec<crate::backend::ProtocolMember>,
            $($(#[$field_meta])* $field: $type,)*
        }
    )*};
}

protocol_enum_template! {
    /// `Behaviour.java`, with `shouldReconnect`, `isTerminal` and `isTemporary`.
    BehaviourEnum => "java/Behaviour.java" {}
    /// `Jitter.java`.
    JitterEnum => "java/Jitter.java" {}
    /// `Origin.java`, with `neverOnTheWire`.
    OriginEnum => "java/Origin.java" {
        /// The constants whose codes never travel to a client.
        never_on_the_wire: Vec<String>
    }
    /// `Scope.java`.
    ScopeEnum => "java/Scope.java" {}
}

/// `pom.xml` (`templates/java/pom.xml`).
#[derive(Template)]
#[template(path = "java/pom.xml")]
struct Pom<'a> {
    notice: &'a str,
    hash: &'a str,
    group_id: &'a str,
    artifact_id: &'a str,
    version: &'a str,
    repository: &'a str,
}

/// `package-info.java` (`templates/java/package-info.java`).
#[derive(Template)]
#[template(path = "java/package-info.java")]
struct PackageInfo<'a> {
    header: &'a str,
    package: &'a str,
}

/// `Action.java` (`templates/java/Action.java`): the actions, with their advice, from the
/// protocol crate.
#[derive(Template)]
#[template(path = "java/Action.java")]
struct ActionFile<'a> {
    header: &'a str,
    package: &'a str,
    actions: &'static [Action],
}

/// `CloseCodeRules.java` (`templates/java/CloseCodeRules.java`): the protocol crate's table.
#[derive(Template)]
#[template(path = "java/CloseCodeRules.java")]
struct CloseCodeRules<'a> {
    header: &'a str,
    package: &'a str,
    max_close_reason_bytes: usize,
    rules: &'static [CloseCodeRule],
}

/// `Families.java` (`templates/java/Families.java`): every family by id.
#[derive(Template)]
#[template(path = "java/Families.java")]
struct Families<'a> {
    header: &'a str,
    package: &'a str,
    families: &'a [Family],
}

/// `SdkEvents.java` (`templates/java/SdkEvents.java`): `classify<Event>Event(code, reason)` per SDK
/// event family whose event centrifuge-java reports, `BY_EVENT`, and `classifyErrorReply` and
/// `classifyError` for the family of error replies. Written for every registry, so the vectors
/// test compiles without SDK families too.
#[derive(Template)]
#[template(path = "java/SdkEvents.java")]
struct SdkEvents<'a> {
    header: &'a str,
    package: &'a str,
    events: Vec<crate::backend::SdkEventView<'a>>,
    error_family: Option<&'a Family>,
}

/// One family's enum (`templates/java/family.java`).
#[derive(Template)]
#[template(path = "java/family.java")]
struct FamilyEnum<'a> {
    header: &'a str,
    package: &'a str,
    family: &'a Family,
    t: &'a str,
    rows: Vec<CodeRow<'a>>,
    /// The codes in constant order, in parts whose entries fit one method each.
    chunks: Vec<Vec<&'a Code>>,
    first: &'a Code,
    kind: &'static str,
    /// `Code` and `CodeInfo` for a family whose codes all send a fixed message (`String
    /// message()`), `VaryingCode` and `VaryingCodeInfo` when some code's message is built at run
    /// time (`Optional<String> message()`).
    code_interface: &'static str,
    info_type: &'static str,
    /// Some code's message is built at run time: every row passes `Optional`s and known texts.
    varying: bool,
    /// The model's message lookups (each text and the number it finds), in parts whose
    /// `all.put(..)` calls fit one method each.
    lookup_parts: Vec<Vec<(&'a str, u16)>>,
    lookup_count: usize,
}

/// A code and the start of its Javadoc (number and message, before the description).
struct CodeRow<'a> {
    code: &'a Code,
    lead: String,
}

/// Bytecode one method may hold in the entries of a part, with room to spare under the JVM's
/// 65,535-byte limit (and each part's constant pool well under 65,535 entries).
const PART_BUDGET_BYTES: usize = 32_000;

/// The codes split into parts whose `all.add(new CodeInfo(..))` calls fit one method: an
/// estimate of each entry's bytecode (a fixed part, then each list element and text piece, every
/// one a few instructions whatever its length, since strings live in the constant pool).
fn info_chunks<'a>(codes: &[&'a Code]) -> Vec<Vec<&'a Code>> {
    let cost = |code: &Code| {
        let texts = code.causes.len() + code.message.known().len() + 2 * code.changes.len();
        let long_text_pieces: usize = [code.description.len(), code.message.fixed().map_or(0, str::len)]
            .iter()
            .map(|len| len / escape::LITERAL_PIECE_CHARS)
            .sum();
        160 + 12 * (texts + long_text_pieces)
    };
    let mut chunks: Vec<Vec<&Code>> = Vec::new();
    let mut used = usize::MAX;
    for code in codes {
        let bytes = cost(code);
        if used.saturating_add(bytes) > PART_BUDGET_BYTES {
            chunks.push(Vec::new());
            used = 0;
        }
        used += bytes;
        chunks.last_mut().expect("a part was just started").push(code);
    }
    chunks
}

/// The message lookups split into parts whose `all.put(text, number)` calls fit one method (an
/// estimate as in [`info_chunks`]: a few instructions per call, more for a text joined from
/// pieces). A family with no exact text still has one, empty, part.
fn lookup_parts(lookups: Vec<(&str, u16)>) -> Vec<Vec<(&str, u16)>> {
    let mut parts: Vec<Vec<(&str, u16)>> = vec![Vec::new()];
    let mut used = 0;
    for (text, number) in lookups {
        let bytes = 16 + 12 * (text.len() / escape::LITERAL_PIECE_CHARS);
        if used + bytes > PART_BUDGET_BYTES {
            parts.push(Vec::new());
            used = 0;
        }
        used += bytes;
        parts.last_mut().expect("a part was just started").push((text, number));
    }
    parts
}

fn family_enum(family: &Family, header: &str, package: &str) -> String {
    let codes = family.codes_by_number();
    let lookups = family.message_lookups();
    let varying = family.has_varying_messages();
    let rows = codes
        .iter()
        .map(|code| CodeRow {
            code,
            lead: javadoc_text(&format!(
                "{} {}: ",
                code.number,
                crate::backend::message_lead(&code.message, |text| format!("\"{text}\""))
            )),
        })
        .collect();
    let out = render_file(&FamilyEnum {
        header,
        package,
        family,
        t: &family.names.type_name,
        rows,
        chunks: info_chunks(&codes),
        first: codes.first().expect("the model rejects a family without codes"),
        kind: match family.kind {
            FamilyKind::WebsocketClose => "websocket_close",
            FamilyKind::Error => "error",
        },
        code_interface: if varying { "VaryingCode" } else { "Code" },
        info_type: if varying { "VaryingCodeInfo" } else { "CodeInfo" },
        varying,
        lookup_count: lookups.len(),
        lookup_parts: lookup_parts(lookups),
    });
    // Only import what the file uses (javac's -Xlint:all -Werror does not mind, but readers do).
    if out.contains("OptionalLong.") { out } else { out.replacen("import java.util.OptionalLong;\n", "", 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` holds every value of `all` as a constant `NAME("spelling")`, in the order of `ALL`.
    fn assert_constants_in_order<T: Copy>(text: &str, all: &[T], spelling: fn(T) -> &'static str) {
        let mut at = 0;
        for value in all {
            let constant = format!("    {}({:?}", spelling(*value).to_uppercase(), spelling(*value));
            let found = text[at..].find(&constant).unwrap_or_else(|| panic!("{constant} is missing or out of order"));
            at += found + constant.len();
        }
    }

    #[test]
    fn protocol_enums_carry_every_value_of_their_closed_set() {
        let files: std::collections::BTreeMap<&str, String> = protocol_files("", "p").into_iter().collect();
        assert_constants_in_order(&files["Action.java"], &Action::ALL, Action::as_str);
        assert_constants_in_order(&files["Behaviour.java"], &Behaviour::ALL, Behaviour::as_str);
        assert_constants_in_order(&files["Jitter.java"], &Jitter::ALL, Jitter::as_str);
        assert_constants_in_order(&files["Origin.java"], &Origin::ALL, Origin::as_str);
        assert_constants_in_order(&files["Scope.java"], &Scope::ALL, Scope::as_str);
        let never: Vec<String> = Origin::ALL
            .iter()
            .filter(|origin| origin.never_on_the_wire())
            .map(|origin| format!("this == {}", origin.as_str().to_uppercase()))
            .collect();
        assert!(files["Origin.java"].contains(&format!("        return {};\n", never.join(" || "))));
        // The companions are the same files in the package the real runtime files declare.
        let companions = Java.runtime_companions();
        assert_eq!(companions.len(), files.len());
        for companion in companions {
            let name = companion.path.strip_prefix("java/main/").expect("a companion of runtime/java/main/");
            assert!(companion.contents.contains(&format!("package {DEFAULT_PACKAGE};")), "{name}");
            assert_eq!(
                companion.contents.replace(DEFAULT_PACKAGE, "p").lines().skip(2).collect::<Vec<_>>(),
                files[name].lines().collect::<Vec<_>>(),
                "{name}"
            );
        }
    }

    #[test]
    fn message_lookups_split_into_parts_that_keep_the_model_order() {
        let long = "x".repeat(escape::LITERAL_PIECE_CHARS * 40);
        let lookups: Vec<(&str, u16)> = (0..600).map(|number| (long.as_str(), number)).collect();
        let parts = lookup_parts(lookups.clone());
        assert!(parts.len() > 1, "600 texts of 40 pieces each fit no single method");
        assert_eq!(parts.concat(), lookups);
        assert_eq!(lookup_parts(Vec::new()), vec![Vec::new()], "a family without exact texts has one empty part");
    }
}
