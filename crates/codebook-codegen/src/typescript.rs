//! The TypeScript backend: an npm package under `typescript/` (ES modules and CommonJS, a subpath
//! per family, no side effects) with one module per family.
//!
//! Idiom: an `as const` object plus a literal union type of the same name per family (no `enum`,
//! so the output is erasable syntax), lookups by number, name and message, and classification of
//! any number from the family's precomputed segments. `tsc` emits `dist/`, which the package
//! `exports`; the test in `test/` runs the shared conformance vectors against that output.
//!
//! The TypeScript text is in `templates/typescript/` (per registry) and `runtime/typescript/`
//! (the same for every registry); this module only chooses what to render. Every registry string
//! reaches the output through the filters of [`escape`] (string literals that are ASCII-only with
//! `<` escaped, JSDoc text that cannot close its comment), the one place TypeScript is escaped.

use askama::Template;
use std::fmt::Write as _;

use codebook_model::{
    Action, Behaviour, CLOSE_CODE_RULES, CloseCodeRule, Code, Family, FamilyKind, Jitter, MAX_CLOSE_REASON_BYTES,
    Origin, Registry, Scope, Sdk, SdkEvent,
};

use crate::backend::{Backend, GeneratedFile, Provenance, comment_text};

pub mod escape;

use escape::filters;
#[cfg(test)]
use escape::string_literal;

pub struct TypeScript;

/// The TypeScript compiler the package pins (exact version, also in `package-lock.json`).
pub const TYPESCRIPT_VERSION: &str = "5.9.3";

impl Backend for TypeScript {
    fn name(&self) -> &'static str {
        "typescript"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = provenance.line_comments("//");
        let mut files = vec![
            GeneratedFile::new("typescript/package.json", package_json(registry, provenance)),
            GeneratedFile::new("typescript/README.md", package_readme(registry, provenance)),
            GeneratedFile::new(
                "typescript/LICENSE-MIT",
                format!("{}{}", provenance.line_comments("#"), crate::backend::LICENSE_MIT),
            ),
            GeneratedFile::new(
                "typescript/LICENSE-APACHE",
                format!("{}{}", provenance.line_comments("#"), crate::backend::LICENSE_APACHE),
            ),
            GeneratedFile::new("typescript/scripts/build-cjs.mjs", format!("{header}{BUILD_CJS}")),
            GeneratedFile::new("typescript/tsconfig.json", format!("{header}{TSCONFIG}")),
            GeneratedFile::new("typescript/tsconfig.cjs.json", format!("{header}{TSCONFIG_CJS}")),
            GeneratedFile::new("typescript/tsconfig.check.json", format!("{header}{TSCONFIG_CHECK}")),
            GeneratedFile::new(
                "typescript/typecheck/usage.ts",
                crate::backend::render_file(&UsageCheck {
                    header: &header,
                    families: &registry.families,
                    events: crate::backend::sdk_event_views(registry, Sdk::CentrifugeJs),
                }),
            ),
            GeneratedFile::new(
                "typescript/.gitignore",
                format!("{}dist/\nnode_modules/\n", provenance.line_comments("#")),
            ),
            GeneratedFile::new("typescript/src/runtime.ts", format!("{header}{RUNTIME}")),
            GeneratedFile::new("typescript/src/protocol.ts", protocol(&header)),
            GeneratedFile::new(
                "typescript/src/index.ts",
                crate::backend::render_file(&Index {
                    header: &header,
                    families: &registry.families,
                    sdk_events: sdk_events(registry, &header).is_some(),
                    varies: registry.families.iter().any(Family::has_varying_messages),
                }),
            ),
            GeneratedFile::new("typescript/test/vectors.test.mjs", format!("{header}{VECTORS_TEST}")),
            GeneratedFile::new("typescript/test/close.test.mjs", format!("{header}{CLOSE_TEST}")),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(format!("typescript/src/{}.ts", family.id), family_module(family, &header)));
        }
        if let Some(text) = sdk_events(registry, &header) {
            files.push(GeneratedFile::new("typescript/src/sdk-events.ts", text));
        }
        files
    }

    fn runtime_companions(&self) -> Vec<GeneratedFile> {
        vec![GeneratedFile::new(
            "typescript/protocol.ts",
            protocol(&format!("// {}\n\n", crate::backend::companion_notice())),
        )]
    }
}

/// A JSON value whose objects keep the order they are written in (`serde_json` sorts keys, but
/// `exports` conditions are matched in order: `types` first, `default` last).
enum Json {
    Str(String),
    Bool(bool),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn str(text: &str) -> Json {
        Json::Str(text.to_string())
    }

    fn object<const N: usize>(entries: [(&str, Json); N]) -> Json {
        Json::Object(entries.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
    }

    /// Pretty-printed like `serde_json::to_string_pretty` (two spaces).
    fn write(&self, out: &mut String, indent: usize) {
        let quote = |text: &str| serde_json::to_string(text).expect("a string serialises");
        let pad = "  ".repeat(indent + 1);
        let close = "  ".repeat(indent);
        match self {
            Json::Str(text) => out.push_str(&quote(text)),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Array(items) => {
                out.push_str("[\n");
                for (index, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    item.write(out, indent + 1);
                    out.push_str(if index + 1 < items.len() { ",\n" } else { "\n" });
                }
                let _ = write!(out, "{close}]");
            }
            Json::Object(entries) => {
                out.push_str("{\n");
                for (index, (key, value)) in entries.iter().enumerate() {
                    let _ = write!(out, "{pad}{}: ", quote(key));
                    value.write(out, indent + 1);
                    out.push_str(if index + 1 < entries.len() { ",\n" } else { "\n" });
                }
                let _ = write!(out, "{close}}}");
            }
        }
    }
}

/// One entry point in both module systems, `types` first in each condition.
fn export_conditions(module: &str) -> Json {
    Json::object([
        (
            "import",
            Json::object([
                ("types", Json::Str(format!("./dist/{module}.d.ts"))),
                ("default", Json::Str(format!("./dist/{module}.js"))),
            ]),
        ),
        (
            "require",
            Json::object([
                ("types", Json::Str(format!("./dist/{module}.d.cts"))),
                ("default", Json::Str(format!("./dist/{module}.cjs"))),
            ]),
        ),
    ])
}

/// `package.json`: ES modules and CommonJS with their declarations, a subpath per family
/// (`@codebook/codes/<family-id>`) and `runtime`, no side effects, built before packing.
fn package_json(registry: &Registry, provenance: &Provenance) -> String {
    let mut exports = vec![(".".to_string(), export_conditions("index"))];
    exports.push(("./runtime".to_string(), export_conditions("runtime")));
    for family in &registry.families {
        exports.push((format!("./{}", family.id), export_conditions(&family.id)));
    }
    exports.push(("./package.json".to_string(), Json::str("./package.json")));
    // Resolution without `exports` (TypeScript's `node10`) finds the subpaths' types here.
    let mut types_versions = vec![("runtime".to_string(), Json::Array(vec![Json::str("./dist/runtime.d.cts")]))];
    for family in &registry.families {
        types_versions.push((family.id.clone(), Json::Array(vec![Json::Str(format!("./dist/{}.d.cts", family.id))])));
    }
    let package = Json::object([
        ("$comment", Json::Str(format!("{} | {}", provenance.notice(), provenance.hash_line()))),
        ("name", Json::str(&registry.bindings.npm_package)),
        ("version", Json::Str(registry.version.to_string())),
        ("description", Json::str("Typed error and disconnect codes generated from codes.yaml")),
        ("license", Json::str("MIT OR Apache-2.0")),
        (
            "repository",
            Json::object([
                ("type", Json::str("git")),
                ("url", Json::Str(format!("git+{}.git", registry.bindings.repository))),
                ("directory", Json::Str(format!("{}/typescript", registry.bindings.out))),
            ]),
        ),
        ("type", Json::str("module")),
        ("sideEffects", Json::Bool(false)),
        ("main", Json::str("./dist/index.cjs")),
        ("types", Json::str("./dist/index.d.cts")),
        ("exports", Json::Object(exports)),
        ("typesVersions", Json::object([("*", Json::Object(types_versions))])),
        (
            "files",
            Json::Array(
                ["dist", "src", "README.md", "LICENSE-MIT", "LICENSE-APACHE"].into_iter().map(Json::str).collect(),
            ),
        ),
        (
            "scripts",
            Json::object([
                ("build", Json::str("tsc -p tsconfig.json && tsc -p tsconfig.cjs.json && node scripts/build-cjs.mjs")),
                ("prepack", Json::str("npm run build")),
                ("typecheck", Json::str("tsc --strict --noEmit -p tsconfig.check.json")),
                (
                    "test",
                    Json::str(
                        "npm run build && node --test test/vectors.test.mjs && node --experimental-websocket --test test/close.test.mjs",
                    ),
                ),
            ]),
        ),
        ("engines", Json::object([("node", Json::str(">=20"))])),
        // A scoped package is private on the registry unless it says otherwise.
        ("publishConfig", Json::object([("access", Json::str("public"))])),
        ("devDependencies", Json::object([("typescript", Json::str(TYPESCRIPT_VERSION))])),
    ]);
    let mut text = String::new();
    package.write(&mut text, 0);
    text.push('\n');
    text
}

/// What `npm pack` names the tarball of the registry's npm package: `@scope/name` at `1.2.0`
/// gives `scope-name-1.2.0.tgz`.
pub fn tarball_name(registry: &Registry) -> String {
    format!("{}-{}.tgz", registry.bindings.npm_package.trim_start_matches('@').replace('/', "-"), registry.version)
}

/// The package's README: how to install it, the entry points, and the smallest use.
fn package_readme(registry: &Registry, provenance: &Provenance) -> String {
    let npm = registry.bindings.npm_package.as_str();
    let tarball = tarball_name(registry);
    let version = registry.version;
    let mut out = format!("<!-- {} -->\n<!-- {} -->\n\n", provenance.notice(), provenance.hash_line());
    let _ = write!(
        out,
        "# {npm}\n\nTyped error and disconnect codes, generated from the registry `codes.yaml` by \
         [codebook]({repository}): every code's number, name, wire message, description, causes and what a client \
         should do next, and classification of numbers nobody registered by the family's range rules.\n\n\
         ## Install\n\n```sh\nnpm install {npm}@{version}\n# or, from a release tarball:\n\
         npm install ./{tarball}\n```\n\n\
         ES modules and CommonJS both work, with their own declarations (`.d.ts`, `.d.cts`) and declaration maps \
         into the TypeScript sources. The package has no dependencies and no side effects, so a bundler keeps only \
         what you import.\n\n## Entry points\n\n| Import | What |\n| --- | --- |\n\
         | `{npm}` | every family and the shared runtime |\n\
         | `{npm}/runtime` | the runtime alone: `delayMs`, `safeCloseCode`, `truncateCloseReason`, types |\n",
        repository = registry.bindings.repository,
    );
    for family in &registry.families {
        let _ = writeln!(
            out,
            "| `{npm}/{}` | {} (`{}`) |",
            family.id,
            comment_text(&family.title).replace('|', "\\|"),
            family.names.type_name
        );
    }
    if let Some(family) = registry.families.first() {
        let t = &family.names.type_name;
        let variant = &family.codes_by_number()[0].names.variant;
        let _ = write!(
            out,
            "\n## Use\n\n```ts\nimport {{ {t}, classify{t} }} from \"{npm}/{id}\";\n\n\
             const classified = classify{t}(code); // any number; unregistered ones by their range\n\
             if (classified.known && classified.code === {t}.{variant}) {{\n  console.log(classified.info.message);\n}}\n\
             console.log(classified.action); // what a client should do next\n```\n\n\
             ```js\nconst {{ classify{t} }} = require(\"{npm}/{id}\");\n```\n",
            id = family.id,
        );
    }
    let _ = write!(
        out,
        "\n## Tests\n\n`npm ci && npm test` builds `dist/` and runs the conformance vectors in `test/vectors.json`, \
         the same rows the Rust and Go bindings assert.\n\n## License\n\nMIT OR Apache-2.0, at your option \
         (`LICENSE-MIT`, `LICENSE-APACHE`).\n"
    );
    out
}

/// The package's compiler settings, a real file (`runtime/typescript/package/tsconfig.json`).
const TSCONFIG: &str = include_str!("../runtime/typescript/package/tsconfig.json");

/// The CommonJS pass (`runtime/typescript/package/tsconfig.cjs.json`): the same sources into
/// `dist/cjs-build/`, which `scripts/build-cjs.mjs` renames to `.cjs`/`.d.cts` beside the ES
/// modules.
const TSCONFIG_CJS: &str = include_str!("../runtime/typescript/package/tsconfig.cjs.json");

/// The script that renames the CommonJS pass's output, a real file of this crate.
pub const BUILD_CJS: &str = include_str!("../runtime/typescript/scripts/build-cjs.mjs");

/// The type check also covers `typecheck/`, which only has to compile
/// (`runtime/typescript/package/tsconfig.check.json`).
const TSCONFIG_CHECK: &str = include_str!("../runtime/typescript/package/tsconfig.check.json");

/// Compile-time proof of the API's types (`templates/typescript/usage.ts`): a browser
/// `CloseEvent.code` (or any number) goes straight into `classify*`, a known code narrows to the
/// family's union, and an unknown number does not (`@ts-expect-error` fails the build if it ever
/// did).
#[derive(Template)]
#[template(path = "typescript/usage.ts")]
struct UsageCheck<'a> {
    header: &'a str,
    families: &'a [Family],
    /// The SDK event helpers: an answer's message is optional exactly when the event varies.
    events: Vec<crate::backend::SdkEventView<'a>>,
}

/// `index.ts` (`templates/typescript/index.ts`): every family module re-exported, and the list of
/// families.
#[derive(Template)]
#[template(path = "typescript/index.ts")]
struct Index<'a> {
    header: &'a str,
    families: &'a [Family],
    /// Whether `sdk-events.ts` exists.
    sdk_events: bool,
    /// Whether some family has a code without a fixed text (the list's message type is then
    /// `string | undefined`).
    varies: bool,
}

/// `sdk-events.ts` (`templates/typescript/sdk-events.ts`): one helper per SDK event family that
/// takes the SDK's event context (for the `error` event also one for a rejected call's error
/// object); without an `error` event family, `classifyErrorContext` reads the family of error
/// replies. Absent when the registry has neither SDK event families nor a family of error replies.
#[derive(Template)]
#[template(path = "typescript/sdk-events.ts")]
struct SdkEvents<'a> {
    header: &'a str,
    /// The families the helpers name.
    families: Vec<&'a Family>,
    events: Vec<crate::backend::SdkEventView<'a>>,
    /// The lower-camel name of the family of error replies, if there is exactly one.
    error_family: Option<&'a str>,
    /// Whether that family has a code whose text varies (its answers carry an optional message).
    error_family_varies: bool,
    /// The `error` event's own family, when the registry has one.
    error_event: Option<&'a str>,
}

fn sdk_events(registry: &Registry, header: &str) -> Option<String> {
    let events = crate::backend::sdk_event_views(registry, Sdk::CentrifugeJs);
    let error_family = crate::backend::error_reply_family(registry);
    if events.is_empty() && error_family.is_none() {
        return None;
    }
    let mut families: Vec<&Family> = registry
        .families
        .iter()
        .filter(|family| {
            error_family.is_some_and(|error| error.id == family.id)
                || events.iter().any(|event| {
                    event.own == family.names.lower_camel
                        || event.hand_off.iter().any(|hand| hand.family == family.names.lower_camel)
                })
        })
        .collect();
    families.dedup_by_key(|family| family.id.clone());
    let error_event = events.iter().find(|event| event.kind == SdkEvent::Error).map(|event| event.own);
    Some(crate::backend::render_file(&SdkEvents {
        header,
        families,
        events,
        error_family: error_family.map(|family| family.names.lower_camel.as_str()),
        error_family_varies: error_family.is_some_and(Family::has_varying_messages),
        error_event,
    }))
}

/// One family's module (`templates/typescript/family.ts`).
#[derive(Template)]
#[template(path = "typescript/family.ts")]
struct FamilyModule<'a> {
    header: &'a str,
    family: &'a Family,
    t: &'a str,
    p: &'a str,
    close: bool,
    /// The centrifuge-js event whose helper reads the family (none for another SDK's family).
    js_event: Option<SdkEvent>,
    /// Whether some code's text is built at run time: the family's message type is then
    /// `string | undefined`.
    varies: bool,
    codes: Vec<&'a Code>,
    first: &'a Code,
    /// The family's JSDoc text: title, description and what the object holds.
    family_doc: String,
    rows: Vec<CodeRow<'a>>,
}

/// A code and the text of its JSDoc block.
struct CodeRow<'a> {
    code: &'a Code,
    doc: String,
}

fn family_module(family: &Family, header: &str) -> String {
    let codes = family.codes_by_number();
    let rows = codes
        .iter()
        .map(|code| CodeRow {
            code,
            doc: format!(
                "{} {}: {}\n\nWhat to do: `{}`. {}",
                code.number,
                crate::backend::message_lead(&code.message, |text| format!("\"{text}\"")),
                code.description.trim_end(),
                code.action.as_str(),
                code.action.advice()
            ),
        })
        .collect();
    crate::backend::render_file(&FamilyModule {
        header,
        family,
        t: &family.names.type_name,
        p: &family.names.lower_camel,
        close: family.kind == FamilyKind::WebsocketClose,
        js_event: family.sdk_event.filter(|_| family.sdks.contains(&Sdk::CentrifugeJs)),
        varies: family.has_varying_messages(),
        first: codes.first().expect("the model rejects a family without codes"),
        codes,
        family_doc: format!(
            "{}\n\n{}\n\nFamily `{}` of codes.yaml: every registered code by name.",
            family.title,
            family.description.trim_end(),
            family.id
        ),
        rows,
    })
}

/// `runtime.ts`: the types and functions every family module shares, a real TypeScript file of
/// this crate (`runtime/typescript/runtime.ts`), the same for every registry.
pub const RUNTIME: &str = include_str!("../runtime/typescript/runtime.ts");

/// The conformance-vector test, a real file of this crate.
pub const VECTORS_TEST: &str = include_str!("../runtime/typescript/test/vectors.test.mjs");

/// End to end over a real socket: a WebSocket server on 127.0.0.1 (a few lines of `node:http`)
/// closes with every registered code it may send, and with no close frame at all (1006); the
/// platform's own `WebSocket` client receives each close, and a reconnect policy built on the
/// binding decides what to do. Needs a global `WebSocket` (Node 22, or Node 20 with
/// `--experimental-websocket`); without one it skips, unless `CODEBOOK_REQUIRE_WEBSOCKET` is set.
pub const CLOSE_TEST: &str = include_str!("../runtime/typescript/test/close.test.mjs");

/// `protocol.ts` (`templates/typescript/protocol.ts`): the protocol's tables from the model's
/// constants (every action with its advice, the close-code rules), which `runtime.ts` imports and
/// re-exports.
#[derive(Template)]
#[template(path = "typescript/protocol.ts")]
struct Protocol<'a> {
    header: &'a str,
    behaviours: &'a [Behaviour],
    scopes: &'a [Scope],
    origins: &'a [Origin],
    jitters: &'a [Jitter],
    actions: &'a [Action],
    max_close_reason_bytes: usize,
    rules: &'a [CloseCodeRule],
}

pub fn protocol(header: &str) -> String {
    crate::backend::render_file(&Protocol {
        header,
        behaviours: &Behaviour::ALL,
        scopes: &Scope::ALL,
        origins: &Origin::ALL,
        jitters: &Jitter::ALL,
        actions: &Action::ALL,
        max_close_reason_bytes: MAX_CLOSE_REASON_BYTES,
        rules: &CLOSE_CODE_RULES,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii_and_cannot_close_a_script() {
        assert_eq!(string_literal("a\"b\\c\n\u{7}"), "\"a\\\"b\\\\c\\n\\u0007\"");
        assert_eq!(string_literal("</script> ${x} `y`"), "\"\\u003c/script\\u003e ${x} `y`\"");
        assert_eq!(string_literal("🚀é"), "\"\\ud83d\\ude80\\u00e9\"");
    }

    /// The protocol tables are written from the model's constants; each row is pinned here.
    #[test]
    fn runtime_carries_every_action_and_close_code_rule_of_the_model() {
        let runtime = protocol("");
        for action in Action::ALL {
            assert!(
                runtime.contains(&format!("  | \"{}\"\n", action.as_str())),
                "{action:?} missing from the Action type"
            );
            assert!(runtime.contains(&format!(
                "  {}: {{ advice: {}, triesAgain: {} }},",
                action.as_str(),
                string_literal(action.advice()),
                action.tries_again()
            )));
        }
        let rows =
            runtime.lines().filter(|line| line.contains("endpointMaySend: ") && line.starts_with("  { from: ")).count();
        assert_eq!(rows, CLOSE_CODE_RULES.len());
        for rule in &CLOSE_CODE_RULES {
            assert!(
                runtime.contains(&format!(
                    "{{ from: {}, to: {}, label: {},",
                    rule.from,
                    rule.to,
                    string_literal(rule.label)
                )),
                "{rule:?}"
            );
        }
        assert!(runtime.contains(&format!("export const MAX_CLOSE_REASON_BYTES = {MAX_CLOSE_REASON_BYTES};")));
    }

    #[test]
    fn a_bare_template_value_prints_only_identifier_like_text() {
        use askama::filters::Escaper as _;
        let mut out = String::new();
        assert!(crate::CodeGuard.write_escaped_str(&mut out, "streaming-session.ts_1").is_ok());
        assert_eq!(out, "streaming-session.ts_1");
        for hostile in ["a\"b", "x\ny", "</script>", "${x}", "a/*b", "a//b", "`a`", "\u{202E}"] {
            assert!(crate::CodeGuard.write_escaped_str(&mut String::new(), hostile).is_err(), "{hostile:?}");
        }
    }

    #[test]
    fn doc_comments_cannot_be_closed_or_tagged_by_registry_text() {
        assert_eq!(escape::doc_lines("x */ y\n@param z", ""), " * x *\\/ y\n * \\@param z\n");
        assert_eq!(escape::tag_text("use */ B\ninstead"), "use *\\/ B instead");
    }
}
