//! The Python package (by default `codebook-codes`, import `codebook_codes`; the registry's
//! `bindings:` section names it): a PEP 621 project with a src
//! layout, `py.typed`, no runtime dependencies, Python 3.9 and later.
//!
//! The runtime and the test driver are real Python files under
//! `crates/codebook-codegen/runtime/python/`, copied behind the provenance lines; this backend
//! writes only what the registry or the protocol crate decides: one module per family (an
//! `IntEnum` and its tables), the actions and the close-code table (`_protocol.py`), the package
//! index and a copy of the shared vectors for the package's own tests.
//!
//! The Python text of those files is askama templates under `templates/python/`; registry text
//! reaches them only through the filters of [`escape`]: [`string_literal`] (ASCII-only, every
//! quote, backslash and control character escaped) and `#` comment lines (one per line, control
//! and bidirectional characters removed), so no text can end a literal or a comment.

use askama::Template;
use codebook_model::{
    Action, Behaviour, CLOSE_CODE_RULES, CloseCodeRule, Code, Family, FamilyKind, Jitter, MAX_CLOSE_REASON_BYTES,
    Origin, Registry, Scope, Sdk, SdkEvent,
};

use crate::backend::{Backend, GeneratedFile, Provenance, render_file};

pub mod escape;

use escape::filters;
pub use escape::string_literal;

/// The import package the real files (tests) name; the registry's `bindings:` section may choose
/// another, which replaces it wherever the copied files import it.
const DEFAULT_PACKAGE: &str = "codebook_codes";

const RUNTIME: &str = include_str!("../runtime/python/_runtime.py");
const TEST_VECTORS: &str = include_str!("../runtime/python/tests/test_vectors.py");
const TEST_API: &str = include_str!("../runtime/python/tests/test_api.py");

pub struct Python;

impl Backend for Python {
    fn name(&self) -> &'static str {
        "python"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = provenance.line_comments("#");
        let identity = &registry.bindings;
        let package = identity.python_package.as_str();
        let source = format!("python/src/{package}");
        // The package name is a validated identifier, so replacing it as a word is exact.
        let rename = |text: &str| text.replace(DEFAULT_PACKAGE, package);
        let mut files = vec![
            GeneratedFile::new(
                "python/pyproject.toml",
                format!(
                    "{header}{}",
                    render_file(&Pyproject {
                        distribution: &identity.python_distribution,
                        package,
                        version: &registry.version.to_string(),
                        repository: &registry.bindings.repository,
                    })
                ),
            ),
            GeneratedFile::new("python/README.md", readme(registry, provenance)),
            // The licences ship in the wheel and the sdist (`license-files`); the header marks them
            // as generated, as in the Go module.
            GeneratedFile::new("python/LICENSE-MIT", format!("{header}{}", crate::backend::LICENSE_MIT)),
            GeneratedFile::new("python/LICENSE-APACHE", format!("{header}{}", crate::backend::LICENSE_APACHE)),
            GeneratedFile::new(
                "python/.gitignore",
                format!("{header}__pycache__/\n.mypy_cache/\n.ruff_cache/\n.pytest_cache/\ndist/\nbuild/\n"),
            ),
            GeneratedFile::new(format!("{source}/py.typed"), header.clone()),
            GeneratedFile::new(format!("{source}/__init__.py"), index(registry, &header, package)),
            GeneratedFile::new(format!("{source}/_protocol.py"), protocol(&header)),
            GeneratedFile::new(format!("{source}/_runtime.py"), format!("{header}{RUNTIME}")),
            GeneratedFile::new(format!("{source}/sdk_events.py"), sdk_events(registry, &header)),
            GeneratedFile::new("python/tests/test_vectors.py", format!("{header}{}", rename(TEST_VECTORS))),
            GeneratedFile::new("python/tests/test_api.py", format!("{header}{}", rename(TEST_API))),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(
                format!("{source}/{}.py", family.names.module),
                family_module(family, &header),
            ));
        }
        files
    }

    fn runtime_companions(&self) -> Vec<GeneratedFile> {
        let header = format!("# {}\n\n", crate::backend::companion_notice());
        vec![GeneratedFile::new("python/_protocol.py", protocol(&header))]
    }
}

/// `pyproject.toml` (`templates/python/pyproject.toml`).
#[derive(Template)]
#[template(path = "python/pyproject.toml")]
struct Pyproject<'a> {
    distribution: &'a str,
    package: &'a str,
    version: &'a str,
    repository: &'a str,
}

/// The distribution's `README.md` (`templates/python/README.md`), its long description on PyPI:
/// how to install it from PyPI and, until then, from a wheel built here; the smallest use.
#[derive(Template)]
#[template(path = "python/README.md")]
struct Readme<'a> {
    notice: &'a str,
    hash: &'a str,
    distribution: &'a str,
    package: &'a str,
    version: String,
    repository: &'a str,
    /// The wheel `python -m build` writes.
    wheel: String,
    /// The first family's module and its first code's number, for the example.
    family: Option<(&'a str, u16)>,
}

/// What `python -m build` names the wheel of the registry's distribution (the name normalised
/// as the wheel spec says: lowercase, runs of `-_.` as one `_`).
pub fn wheel_name(registry: &Registry) -> String {
    let mut name = String::new();
    for character in registry.bindings.python_distribution.chars() {
        if matches!(character, '-' | '_' | '.') {
            if !name.ends_with('_') {
                name.push('_');
            }
        } else {
            name.push(character.to_ascii_lowercase());
        }
    }
    format!("{name}-{}-py3-none-any.whl", registry.version)
}

fn readme(registry: &Registry, provenance: &Provenance) -> String {
    let identity = &registry.bindings;
    render_file(&Readme {
        notice: &provenance.notice(),
        hash: &provenance.hash_line(),
        distribution: &identity.python_distribution,
        package: &identity.python_package,
        version: registry.version.to_string(),
        repository: &registry.bindings.repository,
        wheel: wheel_name(registry),
        family: registry
            .families
            .first()
            .map(|family| (family.names.module.as_str(), family.codes_by_number()[0].number)),
    })
}

/// `_protocol.py` (`templates/python/_protocol.py`): the protocol's enums (from their `closed_set!`
/// tables: each value's wire spelling and doc) and the close-code table, written from the protocol
/// crate; also the runtime companion `runtime/python/_protocol.py`, so `_runtime.py` reads where it
/// sits.
#[derive(Template)]
#[template(path = "python/_protocol.py")]
struct Protocol<'a> {
    header: &'a str,
    max_close_reason_bytes: usize,
    behaviours: Vec<Member>,
    scopes: Vec<Member>,
    origins: Vec<Member>,
    /// The members of `Origin` whose codes never travel to a client.
    never_on_the_wire: Vec<String>,
    jitters: Vec<Member>,
    actions: Vec<Member>,
    /// `Action`'s values, for its advice and retry tables.
    action_values: &'static [Action],
    rules: &'static [CloseCodeRule],
}

/// One member of a protocol enum: its name, its wire spelling and its `#:` doc comment, all from
/// the enum's `closed_set!` table.
struct Member {
    name: String,
    spelling: &'static str,
    doc: String,
}

/// The Python member name of a protocol value: its spelling in upper case (`CLIENT_LIBRARY`).
fn member_name(spelling: &str) -> String {
    spelling.to_uppercase()
}

/// Every value of a closed set as a [`Member`], in declaration order; each doc is wrapped to fit
/// Ruff's line length.
fn members<T: Copy>(all: &[T], spelling: fn(T) -> &'static str, doc: fn(T) -> &'static str) -> Vec<Member> {
    all.iter()
        .map(|value| Member {
            name: member_name(spelling(*value)),
            spelling: spelling(*value),
            doc: wrap(doc(*value), 96),
        })
        .collect()
}

/// `text` as lines of at most `width` characters (a longer word stays whole), joined by `\n`.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}

fn protocol(header: &str) -> String {
    render_file(&Protocol {
        header,
        max_close_reason_bytes: MAX_CLOSE_REASON_BYTES,
        behaviours: members(&Behaviour::ALL, Behaviour::as_str, Behaviour::doc),
        scopes: members(&Scope::ALL, Scope::as_str, Scope::doc),
        origins: members(&Origin::ALL, Origin::as_str, Origin::doc),
        never_on_the_wire: Origin::ALL
            .iter()
            .filter(|origin| origin.never_on_the_wire())
            .map(|origin| origin.as_str().to_uppercase())
            .collect(),
        jitters: members(&Jitter::ALL, Jitter::as_str, Jitter::doc),
        actions: members(&Action::ALL, Action::as_str, Action::doc),
        action_values: &Action::ALL,
        rules: &CLOSE_CODE_RULES,
    })
}

/// `sdk_events.py` (`templates/python/sdk_events.py`): `classify_<event>_context(ctx)` per SDK
/// event family whose event centrifuge-python reports, `BY_EVENT`, and `classify_error_reply` and
/// `classify_error` for the family of error replies. Written for every registry, so the vectors
/// test runs without SDK families too.
#[derive(Template)]
#[template(path = "python/sdk_events.py")]
struct SdkEvents<'a> {
    header: &'a str,
    events: Vec<crate::backend::SdkEventView<'a>>,
    /// Whether one event is `error`, whose helper takes [`SdkErrorContext`] (a code, no reason).
    has_error_event: bool,
    error_family: Option<&'a Family>,
    /// The family modules the tables name, sorted (isort's order).
    modules: Vec<&'a str>,
    /// `__all__`, in Ruff's order (`BY_EVENT` first, then the functions sorted).
    exports: Vec<String>,
}

fn sdk_events(registry: &Registry, header: &str) -> String {
    let events: Vec<_> = crate::backend::sdk_event_views(registry, Sdk::CentrifugePython);
    let error_family = crate::backend::error_reply_family(registry);
    let mut modules: Vec<&str> = events
        .iter()
        .flat_map(|event| std::iter::once(event.own_module).chain(event.hand_off.iter().map(|hand| hand.family_module)))
        .chain(error_family.map(|family| family.names.module.as_str()))
        .collect();
    modules.sort_unstable();
    modules.dedup();
    let mut functions: Vec<String> = events.iter().map(|event| format!("classify_{}_context", event.event)).collect();
    if error_family.is_some() {
        functions.extend(["classify_error".to_string(), "classify_error_reply".to_string()]);
    }
    functions.sort_unstable();
    let exports = std::iter::once("BY_EVENT".to_string()).chain(functions).collect();
    let has_error_event = events.iter().any(|event| event.kind == SdkEvent::Error);
    render_file(&SdkEvents { header, events, has_error_event, error_family, modules, exports })
}

/// `__init__.py` (`templates/python/__init__.py`): the runtime's names, every family's enum and
/// module, and `FAMILIES` by id.
#[derive(Template)]
#[template(path = "python/__init__.py")]
struct Index<'a> {
    header: &'a str,
    package: &'a str,
    first_id: &'a str,
    /// The families by module name (import order).
    by_module: Vec<&'a Family>,
    /// The families in file order.
    families: &'a [Family],
    /// `__all__`, in Ruff's order.
    names: Vec<String>,
}

fn index(registry: &Registry, header: &str, package: &str) -> String {
    let mut by_module: Vec<&Family> = registry.families.iter().collect();
    by_module.sort_by(|a, b| a.names.module.cmp(&b.names.module));
    let mut names: Vec<String> = [
        "CLOSE_CODE_RULES",
        "FAMILIES",
        "MAX_CLOSE_REASON_BYTES",
        "Action",
        "BackoffHint",
        "BaseCodeEnum",
        "BaseCodeFamily",
        "BaseCodeInfo",
        "Behaviour",
        "Change",
        "Classification",
        "CloseCodeRule",
        "CloseSender",
        "Closed",
        "CodeEnum",
        "CodeFamily",
        "CodeInfo",
        "Jitter",
        "Mulberry32",
        "Origin",
        "Scope",
        "SdkErrorContext",
        "SdkEventAnswer",
        "SdkEventContext",
        "SdkEventTable",
        "Segment",
        "check_code_number",
        "classify_sdk_event_code",
        "close_code_rule",
        "error_code_of",
        "random_u32",
        "safe_close_code",
        "truncate_close_reason",
        "VaryingCodeEnum",
        "VaryingCodeFamily",
        "VaryingCodeInfo",
    ]
    .iter()
    .map(|name| name.to_string())
    .collect();
    for family in &registry.families {
        names.push(family.names.type_name.clone());
        names.push(family.names.module.clone());
    }
    // Ruff's order for `__all__`: SCREAMING_CASE, then CamelCase, then the rest.
    names.sort_by_key(|name| {
        let group = if name.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()) {
            0
        } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
            1
        } else {
            2
        };
        (group, name.clone())
    });
    render_file(&Index {
        header,
        package,
        first_id: &registry.families[0].id,
        by_module,
        families: &registry.families,
        names,
    })
}

/// One family's module (`templates/python/family.py`).
#[derive(Template)]
#[template(path = "python/family.py")]
struct FamilyModule<'a> {
    header: &'a str,
    family: &'a Family,
    t: &'a str,
    /// The module's docstring: title, description, family id.
    docstring: String,
    /// The enum's docstring.
    enum_doc: String,
    /// What the module imports from the runtime, in isort's order.
    imports: Vec<&'static str>,
    names: RuntimeNames,
    rows: Vec<CodeRow<'a>>,
    /// Some code's message is built at run time: every row also passes `message_varies` and
    /// `known_messages`.
    varying: bool,
    first: &'a Code,
    /// The code the doctest names: never a deprecated one (the package's tests turn warnings
    /// into errors).
    example: Option<&'a Code>,
    kind: &'static str,
    /// The model's message lookups: each text and the number it finds.
    lookups: Vec<(&'a str, u16)>,
}

/// A code, the text of its `#:` comment and the Python expressions of its message.
struct CodeRow<'a> {
    code: &'a Code,
    comment: String,
}

/// The runtime's classes a family module builds on: the fixed-message ones keep today's types; a
/// family where some message varies gets the `Varying` ones, whose `message` is `Optional[str]`.
struct RuntimeNames {
    enum_base: &'static str,
    info: &'static str,
    family: &'static str,
}

impl RuntimeNames {
    fn of(family: &Family) -> RuntimeNames {
        if family.has_varying_messages() {
            RuntimeNames { enum_base: "VaryingCodeEnum", info: "VaryingCodeInfo", family: "VaryingCodeFamily" }
        } else {
            RuntimeNames { enum_base: "CodeEnum", info: "CodeInfo", family: "CodeFamily" }
        }
    }
}

fn family_module(family: &Family, header: &str) -> String {
    let codes = family.codes_by_number();
    let rows = codes
        .iter()
        .map(|code| {
            let mut comment = format!(
                "{} {}: {}\n\nWhat to do: {}. {}",
                code.number,
                crate::backend::message_lead(&code.message, string_literal),
                code.description.trim_end(),
                code.action.as_str(),
                code.action.advice()
            );
            if let Some(deprecated) = &code.deprecated {
                comment.push_str(&format!("\n\nDeprecated: {deprecated}"));
            }
            CodeRow { code, comment }
        })
        .collect();
    let names = RuntimeNames::of(family);
    let mut imports = vec![
        "BackoffHint",
        "Behaviour",
        "Classification",
        names.enum_base,
        names.family,
        names.info,
        "Jitter",
        "Origin",
        "Scope",
        "Segment",
    ];
    if codes.iter().any(|code| !code.changes.is_empty()) {
        imports.push("Change");
    }
    imports.sort_by_key(|name| name.to_lowercase());
    render_file(&FamilyModule {
        header,
        family,
        t: &family.names.type_name,
        docstring: format!(
            "{}\n\n{}\n\nFamily {} of codes.yaml.",
            family.title,
            family.description.trim_end(),
            family.id
        ),
        enum_doc: format!("A registered code of family {}: {}.", family.id, family.title),
        imports,
        names,
        varying: family.has_varying_messages(),
        rows,
        first: codes.first().expect("the model rejects a family without codes"),
        example: codes.iter().copied().find(|code| code.deprecated.is_none()),
        kind: match family.kind {
            FamilyKind::WebsocketClose => "websocket_close",
            FamilyKind::Error => "error",
        },
        lookups: family.message_lookups(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` holds, after `class <name>(`, every value of `all` as `NAME = "spelling"` in the
    /// order of `ALL`, each after its `#:` doc.
    fn assert_members_in_order<T: Copy>(
        text: &str,
        class: &str,
        all: &[T],
        spelling: fn(T) -> &'static str,
        doc: fn(T) -> &'static str,
    ) {
        let mut at = text.find(&format!("\nclass {class}(")).unwrap_or_else(|| panic!("no class {class}"));
        for value in all {
            let member = format!("\n    {} = {:?}\n", spelling(*value).to_uppercase(), spelling(*value));
            let found = text[at..].find(&member).unwrap_or_else(|| panic!("{member} is missing or out of order"));
            let first_doc_word = doc(*value).split_whitespace().next().expect("every value has a doc");
            assert!(text[at..at + found].contains(&format!("    #: {first_doc_word}")), "{member} has no doc");
            at += found + member.len() - 1;
        }
    }

    #[test]
    fn protocol_enums_carry_every_value_of_their_closed_set() {
        let text = protocol("");
        assert_members_in_order(&text, "Behaviour", &Behaviour::ALL, Behaviour::as_str, Behaviour::doc);
        assert_members_in_order(&text, "Scope", &Scope::ALL, Scope::as_str, Scope::doc);
        assert_members_in_order(&text, "Origin", &Origin::ALL, Origin::as_str, Origin::doc);
        assert_members_in_order(&text, "Jitter", &Jitter::ALL, Jitter::as_str, Jitter::doc);
        assert_members_in_order(&text, "Action", &Action::ALL, Action::as_str, Action::doc);
        let never: Vec<String> = Origin::ALL
            .iter()
            .filter(|origin| origin.never_on_the_wire())
            .map(|origin| format!("Origin.{}", origin.as_str().to_uppercase()))
            .collect();
        assert!(text.contains(&format!("        return self in ({})\n", never.join(", "))));
        // No generated line outgrows Ruff's limit, however long a value's doc.
        assert!(text.lines().all(|line| line.len() <= 160));
        assert_eq!(
            Python.runtime_companions()[0].contents,
            protocol(&format!("# {}\n\n", crate::backend::companion_notice()))
        );
    }

    #[test]
    fn wrapped_docs_keep_every_word_within_the_width() {
        let text = "one two three four five six seven eight nine ten";
        let wrapped = wrap(text, 14);
        assert!(wrapped.lines().all(|line| line.chars().count() <= 14), "{wrapped}");
        assert_eq!(wrapped.split_whitespace().collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
        assert_eq!(wrap("unbreakable-long-word", 5), "unbreakable-long-word");
    }
}
