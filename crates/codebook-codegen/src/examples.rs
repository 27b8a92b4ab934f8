//! The examples backend: how to handle a code with the generated bindings, in Rust, TypeScript and
//! Go, per registered code and for an unregistered number, and one complete reconnect (or retry)
//! loop per family. The portal shows exactly these; `cargo xtask test` compiles every one of them
//! against the `codebook` crate and `bindings/` (the files [`Examples`] generates).
//!
//! The text is in `templates/examples/`. Identifiers come from the model's names, the same ones
//! the other backends export, so an example names exactly what the bindings have. A loop switches
//! on exactly the actions the family's codes and ranges carry, so a family whose codes never ask
//! for a wait screen has no wait-screen branch.

use askama::Template;
use codebook_model::{Action, Code, Family, FamilyKind, FamilyNames, PackageIdentity, Registry};

use super::go::GoName as _;
use crate::backend::{Backend, GeneratedFile, Provenance, render_file};

pub mod escape;

use escape::filters;

/// One example, in one language.
#[derive(Clone, Debug)]
pub struct Example {
    /// `Rust`, `TypeScript` or `Go`.
    pub language: &'static str,
    /// A stable, unique element id for the portal's copy button to point at.
    pub id: String,
    pub source: String,
}

/// What a family's yes/no question is called in each language, and what the two answers mean.
struct KindWords {
    /// Also the Python property (`classified.behaviour.should_reconnect`).
    rust_check: &'static str,
    /// The Java method (`classified.behaviour().shouldReconnect()`).
    java_check: &'static str,
    predicate: &'static str,
    yes: &'static str,
    no: &'static str,
}

fn kind_words(kind: FamilyKind) -> KindWords {
    match kind {
        FamilyKind::WebsocketClose => KindWords {
            rust_check: "should_reconnect",
            java_check: "shouldReconnect",
            predicate: "ShouldReconnect",
            yes: "reconnect with backoff",
            no: "stay disconnected and tell the user",
        },
        FamilyKind::Error => KindWords {
            rust_check: "is_temporary",
            java_check: "isTemporary",
            predicate: "IsTemporary",
            yes: "retry later with backoff",
            no: "do not retry; fix the request",
        },
    }
}

/// The words of a code's snippet: the family's, except that the app's own `connect()` or
/// `subscribe()` (action `in_progress`) is no failure, so its "yes" branch advises nothing.
fn snippet_words(kind: FamilyKind, code: Option<&Code>) -> KindWords {
    let mut words = kind_words(kind);
    if code.is_some_and(|code| code.action == Action::InProgress) {
        words.yes = "nothing to do, the SDK is already connecting or subscribing at once";
    }
    words
}

/// A snippet for a registered code (`code`) or an unregistered `number`.
macro_rules! snippet_template {
    ($name:ident, $path:literal) => {
        // One shape for every language's template; each reads the fields it needs.
        #[allow(dead_code)]
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            names: &'a FamilyNames,
            kind: KindWords,
            code: Option<&'a Code>,
            number: u16,
            /// The Rust name of the code's action (`ReconnectAfterBackoff`).
            rust_action: String,
            npm_name: &'a str,
            go_module: &'a str,
            /// The Go package (`bindings.go.package`), the qualifier of every Go name.
            go_package: &'a str,
            python_package: &'a str,
            java_package: &'a str,
        }
    };
}

snippet_template!(RustSnippet, "examples/snippet.rs");
snippet_template!(TypeScriptSnippet, "examples/snippet.ts");
snippet_template!(GoSnippet, "examples/snippet.go");
snippet_template!(PythonSnippet, "examples/snippet.py");
snippet_template!(JavaSnippet, "examples/snippet.java");

fn snippets(identity: &PackageIdentity, family: &Family, code: Option<&Code>, number: u16, id: &str) -> Vec<Example> {
    macro_rules! render {
        ($template:ident) => {
            render_file(&$template {
                names: &family.names,
                kind: snippet_words(family.kind, code),
                code,
                number,
                rust_action: code.map_or_else(String::new, |code| format!("{:?}", code.action)),
                npm_name: &identity.npm_package,
                go_module: &identity.go_module,
                go_package: &identity.go_package,
                python_package: &identity.python_package,
                java_package: &identity.java_package,
            })
        };
    }
    vec![
        Example { language: "Rust", id: format!("rust-{id}"), source: render!(RustSnippet) },
        Example { language: "TypeScript", id: format!("ts-{id}"), source: render!(TypeScriptSnippet) },
        Example { language: "Go", id: format!("go-{id}"), source: render!(GoSnippet) },
        Example { language: "Python", id: format!("py-{id}"), source: render!(PythonSnippet) },
        Example { language: "Java", id: format!("java-{id}"), source: render!(JavaSnippet) },
    ]
}

/// Examples for a registered code, naming the packages of `identity` (the registry's `bindings`).
pub fn for_code(identity: &PackageIdentity, family: &Family, code: &Code) -> Vec<Example> {
    snippets(identity, family, Some(code), code.number, &code.names.anchor)
}

/// Examples for an unregistered number: classify it by its range.
pub fn for_number(identity: &PackageIdentity, family: &Family, number: u16) -> Vec<Example> {
    snippets(identity, family, None, number, &number.to_string())
}

/// One action the family uses, with the registered codes and unregistered ranges that carry it.
pub struct ActionUse {
    pub action: Action,
    /// "4001 NoWorkerNodeAvailable", by number.
    pub codes: Vec<String>,
    /// The numbers of `codes`, in the same order.
    pub numbers: Vec<u16>,
    /// "4500-4999" spans of unregistered numbers.
    pub ranges: Vec<String>,
}

impl ActionUse {
    /// A one-line comment for the loop's branch: "4001 NoWorkerNodeAvailable; unregistered 4500-4999".
    pub fn comment(&self) -> String {
        const SHOWN: usize = 6;
        let mut parts: Vec<String> = self.codes.iter().take(SHOWN).cloned().collect();
        if self.codes.len() > SHOWN {
            parts.push(format!("and {} more", self.codes.len() - SHOWN));
        }
        let mut text = parts.join(", ");
        if !self.ranges.is_empty() {
            if !text.is_empty() {
                text.push_str("; ");
            }
            text.push_str("unregistered ");
            text.push_str(&self.ranges.join(", "));
        }
        text
    }
}

/// The actions `family` uses, in the model's order.
pub fn actions_of(family: &Family) -> Vec<ActionUse> {
    Action::ALL
        .into_iter()
        .filter_map(|action| {
            let carrying: Vec<_> = family.codes_by_number().into_iter().filter(|code| code.action == action).collect();
            let codes: Vec<String> = carrying.iter().map(|code| format!("{} {}", code.number, code.name)).collect();
            let numbers: Vec<u16> = carrying.iter().map(|code| code.number).collect();
            let ranges: Vec<String> = family
                .segments
                .iter()
                .filter(|segment| segment.action == action)
                .map(|segment| {
                    if segment.from == segment.to {
                        segment.from.to_string()
                    } else {
                        format!("{}-{}", segment.from, segment.to)
                    }
                })
                .collect();
            (!codes.is_empty() || !ranges.is_empty()).then_some(ActionUse { action, codes, numbers, ranges })
        })
        .collect()
}

/// What the loop does for an action, in words (the portal's handling table).
pub fn loop_step(action: Action, kind: FamilyKind) -> &'static str {
    let again = match kind {
        FamilyKind::WebsocketClose => "reconnect",
        FamilyKind::Error => "retry the call",
    };
    match (action, again) {
        (Action::WaitForCapacity, "reconnect") => "show the wait screen, then reconnect after the backoff delay",
        (Action::WaitForCapacity, _) => "show the wait screen, then retry the call after the backoff delay",
        (Action::RefreshTokenThenReconnect, _) => "refresh the token, then reconnect after the backoff delay",
        (Action::Reconnect | Action::ReconnectAfterBackoff, "reconnect") => "reconnect after the backoff delay",
        (Action::Reconnect | Action::ReconnectAfterBackoff, _) => {
            "reconnect, then retry the call after the backoff delay"
        }
        (Action::RetryAfterBackoff, "reconnect") => "reconnect after the backoff delay",
        (Action::RetryAfterBackoff, _) => "retry the call after the backoff delay",
        (Action::Reauthenticate, _) => "ask the user to sign in again and stop",
        (Action::FixConfiguration, _) => "report a configuration error and stop",
        (Action::Stop, _) => "stop without an error",
        (Action::None, _) => "report the problem and stop",
        (Action::InProgress, _) => "nothing: the SDK is already connecting or subscribing",
    }
}

/// A family's loop: a reconnect loop for close codes, a retry loop for error codes.
macro_rules! loop_template {
    ($name:ident, $path:literal) => {
        // One shape for every language's template; each reads the fields it needs.
        #[allow(dead_code)]
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            t: &'a str,
            p: &'a str,
            /// The family's Python module (`centrifugo_disconnect`).
            module: &'a str,
            close: bool,
            uses: &'a [ActionUse],
            /// What ends the loop in a branch that stops (`return;`, `zero, ` before `err`).
            stop: &'a str,
            uses_wait: bool,
            uses_refresh: bool,
            uses_reconnect: bool,
            uses_reauthenticate: bool,
            uses_none: bool,
            npm_name: &'a str,
            go_module: &'a str,
            /// The Go package (`bindings.go.package`), the qualifier of every Go name.
            go_package: &'a str,
            python_package: &'a str,
            java_package: &'a str,
        }
    };
}

loop_template!(TypeScriptReconnectLoop, "examples/reconnect_loop.ts");
loop_template!(TypeScriptRetryLoop, "examples/retry_loop.ts");
loop_template!(GoReconnectLoop, "examples/reconnect_loop.go");
loop_template!(GoRetryLoop, "examples/retry_loop.go");
loop_template!(PythonReconnectLoop, "examples/reconnect_loop.py");
loop_template!(PythonRetryLoop, "examples/retry_loop.py");
loop_template!(JavaReconnectLoop, "examples/reconnect_loop.java");
loop_template!(JavaRetryLoop, "examples/retry_loop.java");

/// The TypeScript, Go, Python and Java loops of `family`, with copy-button ids.
pub fn loops(identity: &PackageIdentity, family: &Family) -> Vec<Example> {
    let uses = actions_of(family);
    let uses_any = |actions: &[Action]| uses.iter().any(|used| actions.contains(&used.action));
    let close = family.kind == FamilyKind::WebsocketClose;
    macro_rules! render {
        ($template:ident, $stop:expr) => {
            render_file(&$template {
                t: &family.names.type_name,
                p: &family.names.lower_camel,
                module: &family.names.module,
                close,
                uses: &uses,
                stop: $stop,
                uses_wait: uses_any(&[Action::WaitForCapacity]),
                uses_refresh: uses_any(&[Action::RefreshTokenThenReconnect]),
                uses_reconnect: uses_any(&[Action::Reconnect, Action::ReconnectAfterBackoff]),
                uses_reauthenticate: uses_any(&[Action::Reauthenticate]),
                uses_none: uses_any(&[Action::None]),
                npm_name: &identity.npm_package,
                go_module: &identity.go_module,
                go_package: &identity.go_package,
                python_package: &identity.python_package,
                java_package: &identity.java_package,
            })
        };
    }
    let (typescript, go, python, java) = if close {
        (
            render!(TypeScriptReconnectLoop, "return;"),
            render!(GoReconnectLoop, ""),
            render!(PythonReconnectLoop, ""),
            render!(JavaReconnectLoop, ""),
        )
    } else {
        (
            render!(TypeScriptRetryLoop, "return undefined;"),
            render!(GoRetryLoop, "zero, "),
            render!(PythonRetryLoop, ""),
            render!(JavaRetryLoop, ""),
        )
    };
    let module = &family.names.module;
    vec![
        Example { language: "TypeScript", id: format!("loop-ts-{module}"), source: typescript },
        Example { language: "Go", id: format!("loop-go-{module}"), source: go },
        Example { language: "Python", id: format!("loop-py-{module}"), source: python },
        Example { language: "Java", id: format!("loop-java-{module}"), source: java },
    ]
}

/// A Python snippet as a function body: every line indented once.
fn indented(body: &str) -> String {
    body.lines().map(|line| if line.is_empty() { "\n".to_string() } else { format!("    {line}\n") }).collect()
}

/// An example wrapped into a compilable file (`templates/examples/check.*`): a function around
/// a snippet, a loop as it is.
macro_rules! check_template {
    ($name:ident, $path:literal) => {
        // One shape for every language's template; each reads the fields it needs.
        #[allow(dead_code)]
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            notice: &'a str,
            stem: &'a str,
            /// Whether the snippet reads a `code` the server sent (a registered code's snippet).
            takes_code: bool,
            imports: &'a str,
            body: &'a str,
            /// A loop: compiled as written.
            whole: bool,
        }
    };
}

check_template!(RustCheck, "examples/check.rs");
check_template!(TypeScriptCheck, "examples/check.ts");
check_template!(GoCheck, "examples/check.go");
check_template!(PythonCheck, "examples/check.py");
check_template!(JavaCheck, "examples/check.java");

/// The examples as files a compiler checks: `rust/<stem>.rs` (modules of a crate on `codebook`),
/// `typescript/<stem>.ts` and `go/<stem>.go` (package `snippets`, against `bindings/`), for every
/// code, one unregistered number per family and every family's loops (`loop_<module>`).
pub struct Examples;

impl Backend for Examples {
    fn name(&self) -> &'static str {
        "examples"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let notice = format!("{} | {}", provenance.notice(), provenance.hash_line());
        let mut files = Vec::new();
        let mut push = |example: &Example, stem: &str, takes_code: bool, whole: bool| {
            let (imports, body) = match example.source.split_once("\n\n") {
                Some((imports, body)) if !whole => (imports, body),
                _ => ("", example.source.as_str()),
            };
            macro_rules! check {
                ($template:ident, $body:expr) => {
                    render_file(&$template { notice: &notice, stem, takes_code, imports, body: $body, whole })
                };
            }
            let (path, contents) = match example.language {
                "Rust" => (format!("rust/{stem}.rs"), check!(RustCheck, &example.source)),
                "TypeScript" => (format!("typescript/{stem}.ts"), check!(TypeScriptCheck, body)),
                "Python" => {
                    let body = if whole { body.to_string() } else { indented(body) };
                    (format!("python/{stem}.py"), check!(PythonCheck, &body))
                }
                "Java" => (format!("java/{stem}.java"), check!(JavaCheck, body)),
                _ => (format!("go/{stem}.go"), check!(GoCheck, body)),
            };
            files.push(GeneratedFile::new(path, contents));
        };
        for family in &registry.families {
            let module = &family.names.module;
            for code in &family.codes {
                for example in for_code(&registry.bindings, family, code) {
                    push(&example, &format!("{module}_{}", code.number), true, false);
                }
            }
            let unregistered =
                (0..=u16::MAX).find(|&n| family.code(n).is_none() && family.allowed_numbers().contains(&n));
            if let Some(number) = unregistered {
                for example in for_number(&registry.bindings, family, number) {
                    push(&example, &format!("{module}_{number}_unregistered"), false, false);
                }
            }
            for example in loops(&registry.bindings, family) {
                push(&example, &format!("loop_{module}"), false, true);
            }
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        crate::load(&root.join("codes.yaml")).unwrap().0
    }

    /// What the portal shows is what `cargo xtask test` compiles: every example's text appears
    /// whole in the compiled file of its language.
    #[test]
    fn every_example_shown_is_compiled_as_shown() {
        let registry = registry();
        let provenance = Provenance::of("codes.yaml", b"");
        let files: Vec<GeneratedFile> = Examples.generate(&registry, &provenance);
        let compiled = |path: &str| files.iter().find(|file| file.path == path).map(|file| file.contents.clone());
        for family in &registry.families {
            let module = &family.names.module;
            for example in loops(&registry.bindings, family) {
                let (directory, extension) = match example.language {
                    "Go" => ("go", "go"),
                    "Python" => ("python", "py"),
                    "Java" => ("java", "java"),
                    _ => ("typescript", "ts"),
                };
                let file = compiled(&format!("{directory}/loop_{module}.{extension}")).expect("a loop file");
                assert!(
                    file.ends_with(&example.source),
                    "{module}: the {} loop is compiled as shown",
                    example.language
                );
            }
            for code in &family.codes {
                for example in for_code(&registry.bindings, family, code) {
                    let (directory, extension) = match example.language {
                        "Rust" => ("rust", "rs"),
                        "TypeScript" => ("typescript", "ts"),
                        "Python" => ("python", "py"),
                        "Java" => ("java", "java"),
                        _ => ("go", "go"),
                    };
                    let file = compiled(&format!("{directory}/{module}_{}.{extension}", code.number)).expect("a file");
                    let (imports, body) = example.source.split_once("\n\n").unwrap_or(("", &example.source));
                    // Python's body is indented into a function.
                    let body = if example.language == "Python" { indented(body) } else { body.to_string() };
                    assert!(
                        file.contains(imports) && file.contains(&body),
                        "{module} {}: {}",
                        code.number,
                        example.language
                    );
                }
            }
        }
    }

    /// A loop branches on exactly the actions its family uses.
    #[test]
    fn a_loop_has_a_branch_per_action_the_family_uses_and_no_other() {
        let registry = registry();
        for family in &registry.families {
            let used: Vec<Action> = actions_of(family).into_iter().map(|used| used.action).collect();
            let [typescript, go, python, java] = &loops(&registry.bindings, family)[..] else { panic!("four loops") };
            for action in Action::ALL {
                let case = format!("case \"{}\":", action.as_str());
                assert_eq!(typescript.source.contains(&case), used.contains(&action), "{} {case}", family.id);
                let case = format!("case {}.{}:", registry.bindings.go_package, action.go_name());
                assert_eq!(go.source.contains(&case), used.contains(&action), "{} {case}", family.id);
                let case = format!("if action is Action.{}:", action.as_str().to_uppercase());
                let elif = format!("elif action is Action.{}:", action.as_str().to_uppercase());
                assert_eq!(
                    python.source.contains(&case) || python.source.contains(&elif),
                    used.contains(&action),
                    "{} {case}",
                    family.id
                );
                let case = format!("case {} ->", action.as_str().to_uppercase());
                assert_eq!(java.source.contains(&case), used.contains(&action), "{} {case}", family.id);
            }
        }
    }
}
