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
    Action, CLOSE_CODE_RULES, CloseCodeRule, Code, Family, FamilyKind, MAX_CLOSE_REASON_BYTES, Registry, Sdk,
};

use super::vectors::{Sections, vectors_json};
use super::{Backend, GeneratedFile, Provenance, render_file};

pub mod escape;

use escape::filters;
pub(crate) use escape::javadoc_text;
pub use escape::string_literal;

pub const VERSION: &str = "0.1.0";
/// The package the real files declare; the registry's `bindings:` section may choose another,
/// which replaces it in their `package` line.
const DEFAULT_PACKAGE: &str = "dev.codebook.codes";

/// The runtime's Java files, by name.
const RUNTIME: &[(&str, &str)] = &[
    ("BackoffHint.java", include_str!("../runtime/java/main/BackoffHint.java")),
    ("Behaviour.java", include_str!("../runtime/java/main/Behaviour.java")),
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
    ("Jitter.java", include_str!("../runtime/java/main/Jitter.java")),
    ("Mulberry32.java", include_str!("../runtime/java/main/Mulberry32.java")),
    ("Origin.java", include_str!("../runtime/java/main/Origin.java")),
    ("RegisteredCode.java", include_str!("../runtime/java/main/RegisteredCode.java")),
    ("Scope.java", include_str!("../runtime/java/main/Scope.java")),
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
                    version: VERSION,
                }),
            ),
            GeneratedFile::new("java/.gitignore", format!("{}target/\n", provenance.line_comments("#"))),
            GeneratedFile::new(
                format!("{source}/package-info.java"),
                render_file(&PackageInfo { header: &header, package }),
            ),
            GeneratedFile::new(
                format!("{source}/Action.java"),
                render_file(&ActionFile { header: &header, package, actions: &Action::ALL }),
            ),
            GeneratedFile::new(
                format!("{source}/CloseCodeRules.java"),
                render_file(&CloseCodeRules {
                    header: &header,
                    package,
                    max_close_reason_bytes: MAX_CLOSE_REASON_BYTES,
                    rules: &CLOSE_CODE_RULES,
                }),
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
                    events: crate::sdk_event_views(registry)
                        .into_iter()
                        .filter(|event| event.kind.sdks().contains(&Sdk::CentrifugeJava))
                        .collect(),
                    error_family: crate::error_reply_family(registry),
                }),
            ),
            GeneratedFile::new(
                format!("java/src/test/java/{directory}/VectorsTest.java"),
                format!("{header}{}", rename(VECTORS_TEST)),
            ),
            GeneratedFile::new(
                "java/src/test/resources/vectors.json",
                vectors_json(registry, provenance, Sections::All),
            ),
        ];
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
    events: Vec<crate::SdkEventView<'a>>,
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
    first: &'a Code,
    kind: &'static str,
    /// `Code` and `CodeInfo` for a family whose codes all send a fixed message (`String
    /// message()`), `VaryingCode` and `VaryingCodeInfo` when some code's message is built at run
    /// time (`Optional<String> message()`).
    code_interface: &'static str,
    info_type: &'static str,
    /// Some code's message is built at run time: every row passes `Optional`s and known texts.
    varying: bool,
}

/// A code and the start of its Javadoc (number and message, before the description).
struct CodeRow<'a> {
    code: &'a Code,
    lead: String,
}

fn family_enum(family: &Family, header: &str, package: &str) -> String {
    let codes = family.codes_by_number();
    let varying = family.has_varying_messages();
    let rows = codes
        .iter()
        .map(|code| CodeRow {
            code,
            lead: javadoc_text(&format!(
                "{} {}: ",
                code.number,
                super::message_lead(&code.message, |text| format!("\"{text}\""))
            )),
        })
        .collect();
    let out = render_file(&FamilyEnum {
        header,
        package,
        family,
        t: &family.names.type_name,
        rows,
        first: codes.first().expect("the model rejects a family without codes"),
        kind: match family.kind {
            FamilyKind::WebsocketClose => "websocket_close",
            FamilyKind::Error => "error",
        },
        code_interface: if varying { "VaryingCode" } else { "Code" },
        info_type: if varying { "VaryingCodeInfo" } else { "CodeInfo" },
        varying,
    });
    // Only import what the file uses (javac's -Xlint:all -Werror does not mind, but readers do).
    if out.contains("OptionalLong.") { out } else { out.replacen("import java.util.OptionalLong;\n", "", 1) }
}
