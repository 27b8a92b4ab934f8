//! The Go backend: a stdlib-only module under `go/<package>/` (`go/codebook/` by default), one file
//! per family. The module path and package come from the registry's `bindings.go` section; the
//! model holds the package name to the last element of the module path, so no import needs an
//! alias (and the default, `codebook`, does not collide with `google.golang.org/grpc/codes`). The
//! module is nested in the repository, so its release tags are `bindings/go/<package>/vX.Y.Z`.
//!
//! Per family a named `uint16` type whose constants are the registered codes; any other number
//! converts to the same type and is still classified from the family's precomputed segments.
//! Exported helpers use a verb prefix (`ClassifyT`, `ParseT`, `AllT`) or the reserved `Error`
//! suffix, so they can never collide with a constant `T<CodeName>`.
//!
//! Every registry string reaches the output through [`string_literal`] (ASCII-only) and every
//! comment through [`line_comment`]. The output is already `gofmt`-clean: tabs, aligned nothing.

use codebook_model::{
    Action, BackoffHint, Behaviour, CLOSE_CODE_RULES, Classification, CloseCodeRule, CloseSender, Code, DelayWindow,
    Family, FamilyKind, Jitter, MAX_CLOSE_REASON_BYTES, Origin, PackageIdentity, Registry, Scope, Sdk, safe_close_code,
};

use askama::Template;

use crate::backend::{Backend, GeneratedFile, Provenance};

pub mod escape;

#[cfg(test)]
use escape::line_comment;
use escape::{filters, string_literal};

pub struct Go;

/// The module's directory below the bindings directory for a Go package: `go/<package>`. The
/// module is nested in the repository, so its release tags are `bindings/go/<package>/vX.Y.Z`.
pub fn module_dir(identity: &PackageIdentity) -> String {
    format!("go/{}", identity.go_package)
}

/// The package name the real runtime files declare where they sit (`runtime/go/`); the bindings
/// declare the registry's `bindings.go.package` instead.
const RUNTIME_PACKAGE: &str = "codebook";

/// A real Go file of `runtime/go/` as a file of package `package`: its package clause (and the
/// package doc comment's first words) name the registry's package.
fn in_package(source: &str, package: &str) -> String {
    let clause = format!("package {RUNTIME_PACKAGE}\n");
    let at = if source.starts_with(&clause) {
        0
    } else {
        source.find(&format!("\n{clause}")).map(|at| at + 1).expect("a Go file has a package clause")
    };
    let mut text = String::with_capacity(source.len() + package.len());
    text.push_str(&source[..at].replacen(
        &format!("// Package {RUNTIME_PACKAGE} "),
        &format!("// Package {package} "),
        1,
    ));
    text.push_str(&format!("package {package}\n"));
    text.push_str(&source[at + clause.len()..]);
    text
}

impl Backend for Go {
    fn name(&self) -> &'static str {
        "go"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = format!("// Code {}. DO NOT EDIT.\n// {}\n\n", provenance.notice(), provenance.hash_line());
        let identity = &registry.bindings;
        let go_package = identity.go_package.as_str();
        let dir = module_dir(identity);
        let module_file = |file: &str| format!("{dir}/{file}");
        let mut files = vec![
            GeneratedFile::new(
                module_file("go.mod"),
                format!("{}module {}\n\ngo 1.22\n", provenance.line_comments("//"), identity.go_module),
            ),
            GeneratedFile::new(
                module_file("LICENSE-MIT"),
                format!("{}{}", provenance.line_comments("#"), crate::backend::LICENSE_MIT),
            ),
            GeneratedFile::new(
                module_file("LICENSE-APACHE"),
                format!("{}{}", provenance.line_comments("#"), crate::backend::LICENSE_APACHE),
            ),
            GeneratedFile::new(module_file("codes.go"), format!("{header}{}", in_package(RUNTIME, go_package))),
            GeneratedFile::new(module_file("protocol.go"), protocol(&header, go_package)),
            GeneratedFile::new(
                module_file("vectors_test.go"),
                format!("{header}{}", in_package(VECTORS_TEST, go_package)),
            ),
            GeneratedFile::new(
                module_file("adapters_test.go"),
                crate::backend::render_file(&Adapters { header: &header, go_package, families: &registry.families }),
            ),
            GeneratedFile::new(
                module_file("handling_test.go"),
                format!("{header}{}", in_package(HANDLING_TEST, go_package)),
            ),
            GeneratedFile::new(
                module_file("example_test.go"),
                escape::wrap_long_comments(&examples(registry, &header)),
            ),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(
                module_file(&format!("{}.go", family.names.module)),
                escape::wrap_long_comments(&family_file(family, &header, go_package)),
            ));
        }
        // Only the events centrifuge-go reports: the others have no Go SDK value to take.
        let events: Vec<_> = crate::backend::sdk_event_views(registry, Sdk::CentrifugeGo);
        let error_family = crate::backend::error_reply_family(registry);
        if !events.is_empty() || error_family.is_some() {
            files.push(GeneratedFile::new(
                module_file("sdk_events.go"),
                crate::backend::render_file(&SdkEvents { header: &header, go_package, events, error_family }),
            ));
        }
        files
    }

    fn runtime_companions(&self) -> Vec<GeneratedFile> {
        let header = format!("// Code {}. DO NOT EDIT.\n\n", crate::backend::companion_notice());
        vec![GeneratedFile::new("go/protocol.go", protocol(&header, RUNTIME_PACKAGE))]
    }
}

/// `sdk_events.go` (`templates/go/sdk_events.go`): `Classify<Event>Event(code uint32)` per SDK
/// event family whose event centrifuge-go reports, and `ClassifyErrorCode` for the family of
/// error replies.
#[derive(Template)]
#[template(path = "go/sdk_events.go")]
struct SdkEvents<'a> {
    /// The package clause of every file (`bindings.go.package`).
    go_package: &'a str,
    header: &'a str,
    events: Vec<crate::backend::SdkEventView<'a>>,
    error_family: Option<&'a codebook_model::Family>,
}

/// The Go spelling of a protocol enum's value: the exported constant of the runtime
/// (`BehaviourReconnect`, `ActionRefreshTokenThenReconnect`, `JitterFull`).
pub(crate) trait GoName {
    fn go_name(&self) -> String;
}

macro_rules! go_name_with_prefix {
    ($($enum:ty => $prefix:literal),* $(,)?) => {
        $(impl GoName for $enum {
            fn go_name(&self) -> String {
                format!("{}{}", $prefix, codebook_model::protocol_value_name(self.as_str()))
            }
        })*
    };
}

go_name_with_prefix!(Behaviour => "Behaviour", Action => "Action", Origin => "Origin", Jitter => "Jitter", Scope => "Scope");

/// One family's file (`templates/go/family.go`).
#[derive(Template)]
#[template(path = "go/family.go")]
struct FamilyFile<'a> {
    /// The package clause of every file (`bindings.go.package`).
    go_package: &'a str,
    header: &'a str,
    family: &'a Family,
    t: &'a str,
    p: &'a str,
    close: bool,
    /// Whether some code's text is built at run time: `Message()` is then "" for it, and the type
    /// has `MessageVaries()` and `KnownMessages()`.
    varies: bool,
    codes: Vec<&'a Code>,
    first: &'a Code,
    /// The type's doc comment: what it is, the family's description, how numbers convert.
    family_doc: String,
    rows: Vec<CodeRow<'a>>,
}

/// A code and the text of its doc comment.
struct CodeRow<'a> {
    code: &'a Code,
    doc: String,
}

fn family_file(family: &Family, header: &str, go_package: &str) -> String {
    let t = &family.names.type_name;
    let codes = family.codes_by_number();
    let rows = codes
        .iter()
        .map(|code| {
            // A "Deprecated:" paragraph is what go vet's and gopls's deprecation checks look for.
            let deprecated =
                code.deprecated.as_deref().map_or_else(String::new, |text| format!("\n\nDeprecated: {text}"));
            CodeRow {
                code,
                doc: format!(
                    "{} is {} {}: {}\n\nWhat to do: {}. {}{deprecated}",
                    code.names.go_constant,
                    code.number,
                    crate::backend::message_lead(&code.message, string_literal),
                    code.description.trim_end(),
                    code.action.as_str(),
                    code.action.advice()
                ),
            }
        })
        .collect();
    crate::backend::render_file(&FamilyFile {
        header,
        go_package,
        family,
        t,
        p: &family.names.lower_camel,
        close: family.kind == FamilyKind::WebsocketClose,
        varies: family.has_varying_messages(),
        first: codes.first().expect("the model rejects a family without codes"),
        codes,
        family_doc: format!(
            "{t} is a code of family {}: {}.\n\n{}\n\nAny uint16 converts to {t}: IsKnown tells a registered code from a number this \
             build does not know, and Behaviour classifies both by the family's range rules.",
            family.id,
            family.title,
            family.description.trim_end()
        ),
        rows,
    })
}

/// `codes.go`: the types and functions every family file shares, a real Go file of this crate
/// (`runtime/go/codes.go`), the same for every registry.
pub const RUNTIME: &str = include_str!("../runtime/go/codes.go");

/// `handling_test.go`: the delay, close-code and close-error helpers beyond what the vectors pin,
/// with local look-alikes of the WebSocket libraries' close errors (the module has no dependency).
pub const HANDLING_TEST: &str = include_str!("../runtime/go/handling_test.go");

/// `vectors_test.go`: the conformance vectors through every family's API; the per-family adapters
/// it reads them with are the generated `adapters_test.go`.
pub const VECTORS_TEST: &str = include_str!("../runtime/go/vectors_test.go");

/// `protocol.go` (`templates/go/protocol.go`): the protocol's enums and tables from the model's
/// constants (origins, jitters, behaviours, scopes, the actions with their advice, the close-code
/// rules), beside the real `codes.go` that uses them.
#[derive(Template)]
#[template(path = "go/protocol.go")]
struct Protocol<'a> {
    /// The package clause of every file (`bindings.go.package`).
    go_package: &'a str,
    header: &'a str,
    /// Origin, Jitter, Behaviour and Scope: a Go type each, spelled from the enum's `ALL` list.
    enums: Vec<EnumView>,
    actions: Vec<ActionRow>,
    max_close_reason_bytes: usize,
    rules: &'a [CloseCodeRule],
}

/// One protocol enum as a Go type: its constants (from the enum's `ALL` list, named by
/// [`GoName`]) and their spellings.
struct EnumView {
    type_name: &'static str,
    receiver: &'static str,
    doc: &'static str,
    string_doc: String,
    values: Vec<ValueView>,
}

struct ValueView {
    constant: String,
    spelling: &'static str,
    doc: String,
}

/// Builds an [`EnumView`]: `docs` gives each value's doc comment after its constant's name.
fn enum_view<T: GoName + Copy>(
    type_name: &'static str,
    receiver: &'static str,
    doc: &'static str,
    all: &[T],
    spelling: impl Fn(T) -> &'static str,
    docs: impl Fn(T) -> &'static str,
) -> EnumView {
    let spellings: Vec<String> = all.iter().map(|value| format!("{:?}", spelling(*value))).collect();
    let (last, rest) = spellings.split_last().expect("an enum has values");
    let string_doc = if rest.is_empty() {
        format!("String returns {last}.")
    } else {
        format!("String returns {} or {last}.", rest.join(", "))
    };
    EnumView {
        type_name,
        receiver,
        doc,
        string_doc,
        values: all
            .iter()
            .map(|value| ValueView {
                constant: value.go_name(),
                spelling: spelling(*value),
                doc: format!("{} {}", value.go_name(), docs(*value)),
            })
            .collect(),
    }
}

/// The Go types of the protocol's enums, in the order `protocol.go` declares them.
fn protocol_enums() -> Vec<EnumView> {
    vec![
        enum_view(
            "Origin",
            "o",
            "Origin says who emits a code.",
            &Origin::ALL,
            Origin::as_str,
            |origin| match origin {
                Origin::Server => "means the server sends the code.",
                Origin::ClientLibrary => "means a client library produces the code itself.",
                Origin::UserAgent => {
                    "means the browser or WebSocket stack reports the code locally; it is never\nsent in a close frame (RFC 6455, section 7.4.1)."
                }
                Origin::ServerInternal => {
                    "means the server only records the code (logs, metrics, handlers); it is\nnever sent to a client."
                }
                Origin::Client => "means the client sends the code to the server.",
                Origin::Either => "means either side, the server or the client, sends the code.",
            },
        ),
        enum_view(
            "Jitter",
            "j",
            "Jitter says how a backoff delay is spread.",
            &Jitter::ALL,
            Jitter::as_str,
            |jitter| match jitter {
                Jitter::Full => "means a uniformly random delay between the minimum and the doubling ceiling.",
                Jitter::None => "means exactly the doubling ceiling.",
            },
        ),
        enum_view(
            "Behaviour",
            "b",
            "Behaviour is what a client should do with a code.",
            &Behaviour::ALL,
            Behaviour::as_str,
            |behaviour| match behaviour {
                Behaviour::Reconnect => "means: reconnect, with backoff (disconnect codes).",
                Behaviour::Terminal => "means: do not reconnect automatically (disconnect codes).",
                Behaviour::Temporary => "means: the command may succeed if retried later (error codes).",
                Behaviour::Permanent => "means: retrying the same command fails the same way (error codes).",
            },
        ),
        enum_view("Scope", "s", "Scope says who a range of numbers belongs to.", &Scope::ALL, Scope::as_str, |scope| {
            match scope {
                Scope::Protocol => "is defined by the WebSocket protocol (RFC 6455) and the IANA registry.",
                Scope::Registered => "is registered with IANA by libraries and frameworks.",
                Scope::Private => "is private use of the platform that owns the family.",
                Scope::Server => "is reserved for the server's built-in codes.",
                Scope::Application => "is custom codes chosen by the application built on the platform.",
                Scope::Client => "is produced by client libraries themselves.",
                Scope::Unassigned => "is covered by no range rule; the family's fallback applies.",
            }
        }),
    ]
}

/// An action, its Go constant and the constant's doc comment.
struct ActionRow {
    action: Action,
    name: String,
    doc: String,
}

pub fn protocol(header: &str, go_package: &str) -> String {
    let actions = Action::ALL
        .iter()
        .map(|action| ActionRow {
            action: *action,
            name: action.go_name(),
            doc: format!("{} means: {}", action.go_name(), action.advice()),
        })
        .collect();
    crate::backend::render_file(&Protocol {
        header,
        go_package,
        enums: protocol_enums(),
        actions,
        max_close_reason_bytes: MAX_CLOSE_REASON_BYTES,
        rules: &CLOSE_CODE_RULES,
    })
}

/// `adapters_test.go` (`templates/go/adapters_test.go`): how `vectors_test.go` reads numbers
/// through each family's API.
#[derive(Template)]
#[template(path = "go/adapters_test.go")]
struct Adapters<'a> {
    /// The package clause of every file (`bindings.go.package`).
    go_package: &'a str,
    header: &'a str,
    families: &'a [Family],
}

/// `example_test.go` (`templates/go/example_test.go`): runnable examples whose `// Output:`
/// lines the model computes, so `go test` checks the Go arithmetic against Rust's.
#[derive(Template)]
#[template(path = "go/example_test.go")]
struct Examples<'a> {
    /// The package clause of every file (`bindings.go.package`).
    go_package: &'a str,
    header: &'a str,
    module_path: &'a str,
    browser_1006: u16,
    endpoint_1006: u16,
    browser_4001: u16,
    /// The first code of the first close family, and that family's type.
    close_code: Option<&'a Code>,
    close_type: &'a str,
    /// The first code that tries again shows its own hint; without one, `hint` is a fixed hint.
    retrying_constant: Option<&'a str>,
    hint: BackoffHint,
    /// The window each of five attempts' delays falls in, as the model computes it: the example
    /// prints whether the delay drawn with real randomness falls inside, so its output is fixed
    /// while the delays are not.
    windows: Vec<DelayWindow>,
    examples: Vec<FamilyExample<'a>>,
    /// The first error family: its type, a code of it and a number it does not register, for the
    /// examples of `<Type>Of` and of codes in JSON.
    error_family: Option<ErrorFamilyExample<'a>>,
    /// The first code whose text is built at run time (one with known texts when there is one),
    /// and its family's type, for the example of `MessageVaries` and `KnownMessages`.
    varying: Option<(&'a str, &'a Code)>,
}

struct ErrorFamilyExample<'a> {
    t: &'a str,
    code: &'a Code,
    unregistered: u16,
}

/// What one family's examples print.
struct FamilyExample<'a> {
    t: &'a str,
    first: &'a Code,
    /// The highest number the family does not register, and how it classifies.
    unregistered: u16,
    unknown: Classification<'a>,
    flag_call: &'static str,
    flag_value: bool,
    unknown_flag: bool,
}

fn examples(registry: &Registry, header: &str) -> String {
    let close_family = registry.families.iter().find(|family| family.kind == FamilyKind::WebsocketClose);
    let retrying = registry
        .families
        .iter()
        .find_map(|family| family.codes_by_number().into_iter().find(|code| code.backoff.is_some()));
    let hint = retrying.and_then(|code| code.backoff).unwrap_or(BackoffHint {
        min_ms: 500,
        max_ms: 8_000,
        jitter: Jitter::Full,
        give_up_after_ms: Some(20_000),
    });
    let windows = (0..5).map(|attempt| hint.window(attempt)).collect();
    let examples = registry
        .families
        .iter()
        .map(|family| {
            let first = family.codes_by_number()[0];
            let unregistered = (0..=u16::MAX)
                .rev()
                .find(|number| family.code(*number).is_none())
                .expect("a family cannot register every u16");
            let unknown = family.classify(unregistered);
            let (flag_call, flag_value, unknown_flag) = match family.kind {
                FamilyKind::WebsocketClose => {
                    ("ShouldReconnect", first.behaviour.should_reconnect(), unknown.behaviour.should_reconnect())
                }
                FamilyKind::Error => ("IsTemporary", first.behaviour.is_temporary(), unknown.behaviour.is_temporary()),
            };
            FamilyExample {
                t: &family.names.type_name,
                first,
                unregistered,
                unknown,
                flag_call,
                flag_value,
                unknown_flag,
            }
        })
        .collect();
    crate::backend::render_file(&Examples {
        header,
        go_package: &registry.bindings.go_package,
        module_path: &registry.bindings.go_module,
        browser_1006: safe_close_code(1006, CloseSender::Browser),
        endpoint_1006: safe_close_code(1006, CloseSender::Endpoint),
        browser_4001: safe_close_code(4001, CloseSender::Browser),
        close_code: close_family.map(|family| family.codes_by_number()[0]),
        close_type: close_family.map_or("", |family| &family.names.type_name),
        retrying_constant: retrying.map(|code| code.names.go_constant.as_str()),
        hint,
        windows,
        examples,
        varying: {
            let varying: Vec<(&str, &Code)> = registry
                .families
                .iter()
                .flat_map(|family| {
                    family.codes_by_number().into_iter().map(move |code| (family.names.type_name.as_str(), code))
                })
                .filter(|(_, code)| code.message.fixed().is_none())
                .collect();
            varying.iter().find(|(_, code)| !code.message.known().is_empty()).or(varying.first()).copied()
        },
        error_family: registry.families.iter().find(|family| family.kind == FamilyKind::Error).map(|family| {
            ErrorFamilyExample {
                t: &family.names.type_name,
                code: family.codes_by_number()[0],
                unregistered: (0..=u16::MAX).find(|number| family.code(*number).is_none()).unwrap_or(u16::MAX),
            }
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii() {
        assert_eq!(string_literal("a\"b\\c\n\t`"), "\"a\\\"b\\\\c\\n\\t`\"");
        assert_eq!(string_literal("é🚀\u{202E}"), "\"\\u00e9\\U0001f680\\u202e\"");
    }

    /// The protocol tables are written from the model's constants; each row is pinned here.
    #[test]
    fn runtime_carries_every_action_and_close_code_rule_of_the_model() {
        let runtime = protocol("", "codes");
        let facts = runtime.split("var actionFacts").nth(1).expect("the action table");
        let mut rows = facts.lines().skip_while(|line| *line != "\t{},").skip(1);
        for (index, action) in Action::ALL.iter().enumerate() {
            let declaration = if index == 0 {
                format!("\t{} Action = iota + 1\n", action.go_name())
            } else {
                format!("\t{}\n", action.go_name())
            };
            assert!(runtime.contains(&declaration), "{action:?}");
            let row = format!(
                "\t{{name: \"{}\", advice: {}, triesAgain: {}}},",
                action.as_str(),
                string_literal(action.advice()),
                action.tries_again()
            );
            assert_eq!(rows.next(), Some(row.as_str()), "the facts of {action:?} are out of iota order");
        }
        let rules =
            runtime.lines().filter(|line| line.starts_with("\t{From: ") && line.contains("EndpointMaySend: ")).count();
        assert_eq!(rules, CLOSE_CODE_RULES.len());
        for rule in &CLOSE_CODE_RULES {
            assert!(
                runtime.contains(&format!(
                    "{{From: {}, To: {}, Label: {},",
                    rule.from,
                    rule.to,
                    string_literal(rule.label)
                )),
                "{rule:?}"
            );
        }
        assert_eq!(Action::RefreshTokenThenReconnect.go_name(), "ActionRefreshTokenThenReconnect");
    }

    #[test]
    fn comments_drop_control_and_bidi_characters() {
        assert_eq!(line_comment("a\u{202E}b\u{7}\n\nc */", "\t"), "\t// a b\n\t//\n\t// c */\n");
    }
}
