//! The TypeScript backend: an ESM package under `typescript/` with one module per family.
//!
//! Idiom: an `as const` object plus a literal union type of the same name per family (no `enum`,
//! so the output is erasable syntax), lookups by number, name and message, and classification of
//! any number from the family's precomputed segments. `tsc` emits `dist/`, which the package
//! `exports`; the test in `test/` runs the shared conformance vectors against that output.
//!
//! Every registry string reaches the output through [`string_literal`] (ASCII-only, `<` escaped)
//! and every comment through [`doc_comment`].

use std::fmt::Write as _;

use codebook_model::{Action, BackoffHint, CLOSE_CODE_RULES, Family, FamilyKind, MAX_CLOSE_REASON_BYTES, Registry, Segment};

use super::{Backend, GeneratedFile, Provenance, comment_text};

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
            GeneratedFile::new("typescript/LICENSE-MIT", format!("{}{}", provenance.line_comments("#"), super::LICENSE_MIT)),
            GeneratedFile::new(
                "typescript/LICENSE-APACHE",
                format!("{}{}", provenance.line_comments("#"), super::LICENSE_APACHE),
            ),
            GeneratedFile::new("typescript/scripts/build-cjs.mjs", format!("{header}{BUILD_CJS}")),
            GeneratedFile::new("typescript/tsconfig.json", format!("{header}{TSCONFIG}")),
            GeneratedFile::new("typescript/tsconfig.cjs.json", format!("{header}{TSCONFIG_CJS}")),
            GeneratedFile::new("typescript/tsconfig.check.json", format!("{header}{TSCONFIG_CHECK}")),
            GeneratedFile::new("typescript/typecheck/usage.ts", usage_check(registry, &header)),
            GeneratedFile::new("typescript/.gitignore", format!("{}dist/\nnode_modules/\n", provenance.line_comments("#"))),
            GeneratedFile::new("typescript/src/runtime.ts", format!("{header}{RUNTIME}")),
            GeneratedFile::new("typescript/src/protocol.ts", protocol(&header)),
            GeneratedFile::new("typescript/src/index.ts", index(registry, &header)),
            GeneratedFile::new("typescript/test/vectors.test.mjs", format!("{header}{VECTORS_TEST}")),
            GeneratedFile::new("typescript/test/close.test.mjs", format!("{header}{CLOSE_TEST}")),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(format!("typescript/src/{}.ts", family.id), family_module(family, &header)));
        }
        files
    }

    fn runtime_companions(&self) -> Vec<GeneratedFile> {
        vec![GeneratedFile::new("typescript/protocol.ts", protocol(&format!("// {}\n\n", super::companion_notice())))]
    }
}

/// A double-quoted TS string literal holding exactly `text`. Output is ASCII: everything outside
/// printable ASCII becomes `\uXXXX` (UTF-16 units), and `<` too, so `</script>` or `<!--` never
/// appears when the module is inlined into HTML.
fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
    out
}

/// A JSDoc block of registry text, each line indented by `indent`, followed by `tags`:
/// generator-written JSDoc lines, used as they are. In the text, `*/` cannot close the block early
/// and a line cannot start a tag (`@`).
fn doc_comment_with_tags(text: &str, tags: &str, indent: &str) -> String {
    let text = comment_text(text).replace("*/", "*\\/");
    let mut out = format!("{indent}/**\n");
    for line in text.trim_end().lines() {
        let line = line.trim_end();
        let line = if line.trim_start().starts_with('@') { format!("\\{}", line.trim_start()) } else { line.to_string() };
        if line.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    for line in tags.lines() {
        let _ = writeln!(out, "{indent} *{}{line}", if line.is_empty() { "" } else { " " });
    }
    let _ = writeln!(out, "{indent} */");
    out
}

fn string_array(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| string_literal(item)).collect();
    format!("[{}]", items.join(", "))
}

/// A `BackoffHint` object literal (`undefined` for none). The family's own hint is written once as
/// the module constant `backoff` and referred to by name, so most rows stay short.
fn hint_literal(hint: Option<&BackoffHint>, family_hint: &BackoffHint) -> String {
    match hint {
        None => "undefined".to_string(),
        Some(hint) if hint == family_hint => "backoff".to_string(),
        Some(hint) => hint_object(hint),
    }
}

fn hint_object(hint: &BackoffHint) -> String {
    let give_up = hint.give_up_after_ms.map_or_else(|| "undefined".to_string(), |ms| ms.to_string());
    format!(
        "{{ minMs: {}, maxMs: {}, jitter: \"{}\", giveUpAfterMs: {give_up} }}",
        hint.min_ms,
        hint.max_ms,
        hint.jitter.as_str()
    )
}

fn segment_literal(segment: &Segment, family_hint: &BackoffHint) -> String {
    format!(
        "{{ from: {}, to: {}, scope: \"{}\", behaviour: \"{}\", action: \"{}\", backoff: {}, label: {} }}",
        segment.from,
        segment.to,
        segment.scope.as_str(),
        segment.behaviour.as_str(),
        segment.action.as_str(),
        hint_literal(segment.backoff.as_ref(), family_hint),
        string_literal(&segment.label)
    )
}

fn optional_string(text: Option<&str>) -> String {
    text.map_or_else(|| "undefined".to_string(), string_literal)
}

/// The npm package name (the `bindings:` section of the registry will name it once it exists).
pub const PACKAGE_NAME: &str = "@codebook/codes";
/// The package version; a release bumps it (see `bindings/README.md`).
pub const PACKAGE_VERSION: &str = "0.1.0";

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
        types_versions
            .push((family.id.clone(), Json::Array(vec![Json::Str(format!("./dist/{}.d.cts", family.id))])));
    }
    let package = Json::object([
        ("$comment", Json::Str(format!("{} | {}", provenance.notice(), provenance.hash_line()))),
        ("name", Json::str(PACKAGE_NAME)),
        ("version", Json::str(PACKAGE_VERSION)),
        ("description", Json::str("Typed error and disconnect codes generated from codes.yaml")),
        ("license", Json::str("MIT OR Apache-2.0")),
        (
            "repository",
            Json::object([
                ("type", Json::str("git")),
                ("url", Json::Str(format!("git+{}.git", super::REPOSITORY_URL))),
                ("directory", Json::str("bindings/typescript")),
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
                (
                    "build",
                    Json::str("tsc -p tsconfig.json && tsc -p tsconfig.cjs.json && node scripts/build-cjs.mjs"),
                ),
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

/// The package's README: how to install it, the entry points, and the smallest use.
fn package_readme(registry: &Registry, provenance: &Provenance) -> String {
    let mut out = format!("<!-- {} -->\n<!-- {} -->\n\n", provenance.notice(), provenance.hash_line());
    let _ = write!(
        out,
        "# {PACKAGE_NAME}\n\nTyped error and disconnect codes, generated from the registry `codes.yaml` by \
         [codebook]({repository}): every code's number, name, wire message, description, causes and what a client \
         should do next, and classification of numbers nobody registered by the family's range rules.\n\n\
         ## Install\n\n```sh\nnpm install {PACKAGE_NAME}@{PACKAGE_VERSION}\n# or, from a release tarball:\n\
         npm install ./codebook-codes-{PACKAGE_VERSION}.tgz\n```\n\n\
         ES modules and CommonJS both work, with their own declarations (`.d.ts`, `.d.cts`) and declaration maps \
         into the TypeScript sources. The package has no dependencies and no side effects, so a bundler keeps only \
         what you import.\n\n## Entry points\n\n| Import | What |\n| --- | --- |\n\
         | `{PACKAGE_NAME}` | every family and the shared runtime |\n\
         | `{PACKAGE_NAME}/runtime` | the runtime alone: `delayMs`, `safeCloseCode`, `truncateCloseReason`, types |\n",
        repository = super::REPOSITORY_URL,
    );
    for family in &registry.families {
        let _ = writeln!(out, "| `{PACKAGE_NAME}/{}` | {} (`{}`) |", family.id, comment_text(&family.title).replace('|', "\\|"), family.names.type_name);
    }
    if let Some(family) = registry.families.first() {
        let t = &family.names.type_name;
        let variant = &family.codes_by_number()[0].names.variant;
        let _ = write!(
            out,
            "\n## Use\n\n```ts\nimport {{ {t}, classify{t} }} from \"{PACKAGE_NAME}/{id}\";\n\n\
             const classified = classify{t}(code); // any number; unregistered ones by their range\n\
             if (classified.known && classified.code === {t}.{variant}) {{\n  console.log(classified.info.message);\n}}\n\
             console.log(classified.action); // what a client should do next\n```\n\n\
             ```js\nconst {{ classify{t} }} = require(\"{PACKAGE_NAME}/{id}\");\n```\n",
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

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2022", "DOM"],
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "exactOptionalPropertyTypes": true,
    "verbatimModuleSyntax": true,
    "isolatedModules": true,
    "declaration": true,
    "declarationMap": true,
    "sourceMap": true,
    "rootDir": "src",
    "outDir": "dist",
    "skipLibCheck": false
  },
  "include": ["src"]
}
"#;

/// The CommonJS pass: the same sources into `dist/cjs-build/`, which `scripts/build-cjs.mjs`
/// renames to `.cjs`/`.d.cts` beside the ES modules.
const TSCONFIG_CJS: &str = r#"{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "module": "CommonJS",
    "moduleResolution": "Node10",
    "verbatimModuleSyntax": false,
    "outDir": "dist/cjs-build"
  }
}
"#;

/// The script that renames the CommonJS pass's output, a real file of this crate.
pub const BUILD_CJS: &str = include_str!("../runtime/typescript/scripts/build-cjs.mjs");

/// The type check also covers `typecheck/`, which only has to compile.
const TSCONFIG_CHECK: &str = r#"{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "noEmit": true,
    "rootDir": "."
  },
  "include": ["src", "typecheck"]
}
"#;

/// Compile-time proof of the API's types: a browser `CloseEvent.code` (or any number) goes
/// straight into `classify*`, a known code narrows to the family's union, and an unknown number
/// does not (`@ts-expect-error` fails the build if it ever did).
fn usage_check(registry: &Registry, header: &str) -> String {
    let mut out = String::from(header);
    out.push_str("// Type-level checks of the generated API; this file is type-checked, never run.\n\n");
    let mut imports = Vec::new();
    let mut body = String::new();
    for family in &registry.families {
        let t = &family.names.type_name;
        let p = &family.names.lower_camel;
        let first = family.codes_by_number()[0];
        imports.push(format!("classify{t}, {t}, {p}FromName, type {t}Name"));
        let (source, flag) = match family.kind {
            FamilyKind::WebsocketClose => ("event.code", format!("{p}ShouldReconnect(event.code)")),
            FamilyKind::Error => ("reply.code", format!("{p}IsTemporary(reply.code)")),
        };
        imports.push(match family.kind {
            FamilyKind::WebsocketClose => format!("{p}ShouldReconnect"),
            FamilyKind::Error => format!("{p}IsTemporary"),
        });
        imports.push(format!("{p}Action, {p}Backoff, {p}Family"));
        let _ = write!(
            body,
            r#"
export function check{t}(event: CloseEvent, reply: {{ code: number }}): boolean {{
  const classified = classify{t}({source});
  const action: Action = classified.action;
  const hint: BackoffHint | undefined = classified.backoff;
  if (classified.known) {{
    const code: {t} = classified.code;
    const name: {t}Name = classified.info.name;
    const origin: Origin = classified.info.origin;
    return code === {t}.{variant} && name === "{variant}" && origin !== "user_agent";
  }}
  const number: number = classified.code;
  // @ts-expect-error an unregistered number is not a registered code
  const wrong: {t} = classified.code;
  // @ts-expect-error an action is one of the closed set
  const unknownAction: Action = "retry_now";
  const fromName: {t} | undefined = {p}FromName("{variant}");
  const delay: number | undefined = hint && delayMs(hint, 0, 0, randomU32());
  const same = action === {p}Action({source}) && hint === {p}Backoff({source}) && action !== unknownAction;
  return number === wrong && fromName !== undefined && {flag} && same && delay !== 0;
}}
"#,
            variant = first.names.variant,
        );
        if family.kind == FamilyKind::WebsocketClose {
            let _ = write!(
                body,
                r#"
export function relay{t}(socket: WebSocket, downstream: WebSocket): void {{
  socket.addEventListener("close", (event) => {{
    const closed: Closed<{t}, {t}Name> = classifyCloseEvent({p}Family, event);
    if (closed.known) {{
      const code: {t} = closed.code;
      console.log(code, {p}Family.docs(code)?.docUrl);
    }}
    const action: Action = closed.action;
    const flags: boolean = closed.reasonTruncated || closed.localOnly || closed.wasClean;
    console.log(action, flags);
    downstream.close(safeCloseCode(event.code, "browser"), truncateCloseReason(event.reason));
  }});
}}
"#
            );
        }
    }
    imports.push("classifyCloseEvent, delayMs, randomU32, safeCloseCode, truncateCloseReason".to_string());
    imports.push("type Action, type BackoffHint, type Closed, type Origin".to_string());
    let _ = writeln!(out, "import {{
  {},
}} from \"../src/index.js\";", imports.join(",\n  "));
    out.push_str(&body);
    out
}

fn index(registry: &Registry, header: &str) -> String {
    let mut out = String::from(header);
    out.push_str(
        "/**\n * Typed error and disconnect codes of codes.yaml: one module per family, re-exported here.\n */\n\n",
    );
    out.push_str("export * from \"./runtime.js\";\n");
    let mut imports = String::new();
    let mut members = Vec::new();
    for family in &registry.families {
        let _ = writeln!(out, "export * from \"./{}.js\";", family.id);
        let descriptor = format!("{}Family", family.names.lower_camel);
        let _ = writeln!(imports, "import {{ {descriptor} }} from \"./{}.js\";", family.id);
        members.push(descriptor);
    }
    out.push_str("\nimport type { CodeFamily } from \"./runtime.js\";\n");
    out.push_str(&imports);
    out.push_str("\n/** Every family of the registry, in file order (for tools that are generic over families). */\n");
    let _ = writeln!(out, "export const families: readonly CodeFamily[] = [{}];", members.join(", "));
    out
}

fn family_module(family: &Family, header: &str) -> String {
    let t = &family.names.type_name;
    let p = &family.names.lower_camel;
    let codes = family.codes_by_number();
    let mut out = String::from(header);
    out.push_str(
        "import {\n  segmentOf,\n  type Action,\n  type BackoffHint,\n  type Classification,\n  type CodeDocs,\n  type CodeFamily,\n  type CodeInfo,\n  type Origin,\n  type Segment,\n} from \"./runtime.js\";\n\n",
    );

    let first = codes.first().expect("the model rejects a family without codes");
    let example_check = match family.kind {
        FamilyKind::WebsocketClose => format!(
            "socket.addEventListener(\"close\", (event) => {{\n  const closed = classify{t}(event.code);\n  if (closed.known && closed.code === {t}.{}) {{\n    console.log(closed.info.message);\n  }}\n  if (closed.behaviour === \"reconnect\") {{\n    scheduleReconnect();\n  }}\n}});",
            first.names.variant
        ),
        FamilyKind::Error => format!(
            "const failed = classify{t}(reply.error.code);\nif (failed.known && failed.code === {t}.{}) {{\n  console.log(failed.info.message);\n}}\nif ({p}IsTemporary(reply.error.code)) {{\n  scheduleRetry();\n}}",
            first.names.variant
        ),
    };
    out.push_str(&doc_comment_with_tags(
        &format!(
            "{}\n\n{}\n\nFamily `{}` of codes.yaml: every registered code by name.",
            family.title,
            family.description.trim_end(),
            family.id
        ),
        &format!("\n@example\n```ts\n{example_check}\n```"),
        "",
    ));
    let _ = writeln!(out, "export const {t} = {{");
    for code in &codes {
        // `@deprecated` makes editors strike the name through; its text is registry text.
        let deprecated = code.deprecated.as_deref().map_or_else(String::new, |text| {
            format!("@deprecated {}", comment_text(text).replace("*/", "*\\/").replace('\n', " "))
        });
        out.push_str(&doc_comment_with_tags(
            &format!(
                "{} \"{}\": {}\n\nWhat to do: `{}`. {}",
                code.number,
                code.message,
                code.description.trim_end(),
                code.action.as_str(),
                code.action.advice()
            ),
            &deprecated,
            "  ",
        ));
        let _ = writeln!(out, "  {}: {},", code.names.variant, code.number);
    }
    out.push_str("} as const;\n\n");
    let _ = writeln!(out, "/** A registered code of family `{}`. */", family.id);
    let _ = writeln!(out, "export type {t} = (typeof {t})[keyof typeof {t}];");
    let _ = writeln!(out, "/** The name of a registered code of family `{}`. */", family.id);
    let _ = writeln!(out, "export type {t}Name = keyof typeof {t};\n");

    let _ = writeln!(out, "/** The hint of the family's codes and ranges that try again, unless a code states its own. */");
    let _ = writeln!(out, "const backoff: BackoffHint = {};\n", hint_object(&family.backoff));

    let _ = writeln!(out, "const codes: readonly CodeInfo<{t}, {t}Name>[] = [");
    for code in &codes {
        let _ = writeln!(
            out,
            "  {{ code: {}, name: \"{}\", message: {}, behaviour: \"{}\", localOnly: {}, action: \"{}\", backoff: {}, origin: \"{}\" }},",
            code.number,
            code.names.variant,
            string_literal(&code.message),
            code.behaviour.as_str(),
            code.local_only,
            code.action.as_str(),
            hint_literal(code.backoff.as_ref(), &family.backoff),
            code.origin.as_str(),
        );
    }
    out.push_str("];\n\n");

    // The prose, in its own table: only the functions that return it reach it.
    let _ = writeln!(out, "const docs: readonly CodeDocs<{t}>[] = [");
    for code in &codes {
        let changes: Vec<String> = code
            .changes
            .iter()
            .map(|change| format!("{{ version: {}, note: {} }}", string_literal(&change.version), string_literal(&change.note)))
            .collect();
        let _ = writeln!(
            out,
            "  {{ code: {}, description: {}, causes: {}, since: {}, deprecated: {}, changes: [{}], docUrl: {} }},",
            code.number,
            string_literal(code.description.trim_end()),
            string_array(&code.causes),
            optional_string(code.since.as_deref()),
            optional_string(code.deprecated.as_deref()),
            changes.join(", "),
            string_literal(&code.doc_url),
        );
    }
    out.push_str("];\n\n");

    let _ = writeln!(out, "/** How unregistered numbers classify: sorted segments covering 0 to 65535. */");
    let _ = writeln!(out, "export const {p}Segments: readonly Segment[] = [");
    for segment in &family.segments {
        let _ = writeln!(out, "  {},", segment_literal(segment, &family.backoff));
    }
    out.push_str("];\n\n");

    let _ = write!(
        out,
        r#"// The indexes are built on first use: no top-level `new`, so a bundler drops what is not used.
let byCodeIndex: ReadonlyMap<number, CodeInfo<{t}, {t}Name>> | undefined;
let byNameIndex: ReadonlyMap<string, CodeInfo<{t}, {t}Name>> | undefined;
let byMessageIndex: ReadonlyMap<string, CodeInfo<{t}, {t}Name>> | undefined;
let docsIndex: ReadonlyMap<number, CodeDocs<{t}>> | undefined;

function byCode(): ReadonlyMap<number, CodeInfo<{t}, {t}Name>> {{
  return (byCodeIndex ??= new Map(codes.map((info) => [info.code, info])));
}}

/** True when `code` is a registered code of `{id}` (narrows a plain number, e.g. `CloseEvent.code`). */
export function is{t}(code: number): code is {t} {{
  return byCode().has(code);
}}

/** Everything the registry says about a registered code, or `undefined` for any other number. */
export function {p}Info(code: number): CodeInfo<{t}, {t}Name> | undefined {{
  return byCode().get(code);
}}

/** The prose of a registered code (description, causes, history, doc URL), or `undefined` for any other number. */
export function {p}Docs(code: number): CodeDocs<{t}> | undefined {{
  docsIndex ??= new Map(docs.map((entry) => [entry.code, entry]));
  return docsIndex.get(code);
}}

function documented(code: {t}): CodeDocs<{t}> {{
  const entry = {p}Docs(code);
  if (entry === undefined) {{
    throw new RangeError(`${{String(code)}} is not a registered code of {id}`);
  }}
  return entry;
}}

/** The registered code with this name (as in codes.yaml), e.g. `"{first_name}"`. */
export function {p}FromName(name: string): {t} | undefined {{
  byNameIndex ??= new Map(codes.map((info) => [info.name, info]));
  return byNameIndex.get(name)?.code;
}}

/** The registered code sent with this exact wire message (the lowest number if several share it). */
export function {p}FromMessage(message: string): {t} | undefined {{
  byMessageIndex ??= new Map([...codes].reverse().map((info) => [info.message, info]));
  return byMessageIndex.get(message)?.code;
}}

function registered(code: {t}): CodeInfo<{t}, {t}Name> {{
  const info = byCode().get(code);
  if (info === undefined) {{
    throw new RangeError(`${{String(code)}} is not a registered code of {id}`);
  }}
  return info;
}}

/** The name of a registered code, e.g. `"{first_name}"`. */
export function {p}Name(code: {t}): {t}Name {{
  return registered(code).name;
}}

/** The exact message or close reason sent on the wire with a registered code. */
export function {p}Message(code: {t}): string {{
  return registered(code).message;
}}

/** What a registered code means, as Markdown. */
export function {p}Description(code: {t}): string {{
  return documented(code).description;
}}

/** Typical causes of a registered code, one line each. */
export function {p}Causes(code: {t}): readonly string[] {{
  return documented(code).causes;
}}

/** Who emits a registered code: the server, a client library, or the user agent itself. */
export function {p}Origin(code: {t}): Origin {{
  return registered(code).origin;
}}

/** The portal's stable URL of a registered code, usable as an RFC 9457 problem `type`. */
export function {p}DocUrl(code: {t}): string {{
  return documented(code).docUrl;
}}

/**
 * Classifies any number: a registered code by its own behaviour, anything else by the family's
 * range rules, so a code from a newer server is still handled. Throws a `RangeError` for a value
 * that is not an integer from 0 to 65535.
 */
export function classify{t}(code: number): Classification<{t}, {t}Name> {{
  const segment = segmentOf({p}Segments, code);
  const info = byCode().get(code);
  return info === undefined
    ? {{ known: false, code, info, segment, behaviour: segment.behaviour, action: segment.action, backoff: segment.backoff }}
    : {{ known: true, code: info.code, info, segment, behaviour: info.behaviour, action: info.action, backoff: info.backoff }};
}}

/** What a client should do next after this code, registered or not (unregistered: what its range implies). */
export function {p}Action(code: number): Action {{
  return classify{t}(code).action;
}}

/**
 * How long to wait before trying again after this code, registered or not; `undefined` when its
 * action never tries again. Feed it to `delayMs`.
 */
export function {p}Backoff(code: number): BackoffHint | undefined {{
  return classify{t}(code).backoff;
}}
"#,
        id = family.id,
        first_name = first.names.variant,
    );
    match family.kind {
        FamilyKind::WebsocketClose => {
            let _ = write!(
                out,
                r#"
/** True when a client should reconnect (with backoff) after this close code, registered or not. */
export function {p}ShouldReconnect(code: number): boolean {{
  return classify{t}(code).behaviour === "reconnect";
}}

/** True when a client must not reconnect on its own after this close code, registered or not. */
export function {p}IsTerminal(code: number): boolean {{
  return classify{t}(code).behaviour === "terminal";
}}
"#
            );
        }
        FamilyKind::Error => {
            let _ = write!(
                out,
                r#"
/** True when retrying later may succeed after this error code, registered or not. */
export function {p}IsTemporary(code: number): boolean {{
  return classify{t}(code).behaviour === "temporary";
}}
"#
            );
        }
    }
    let _ = write!(
        out,
        r#"
/** Family `{id}` as a value, for code that is generic over families. */
export const {p}Family: CodeFamily<{t}, {t}Name> = {{
  id: {id_literal},
  title: {title},
  kind: "{kind}",
  backoff,
  codes,
  segments: {p}Segments,
  fromCode: (code) => byCode().get(code)?.code,
  fromName: {p}FromName,
  fromMessage: {p}FromMessage,
  info: {p}Info,
  docs: {p}Docs,
  classify: classify{t},
}};
"#,
        id = family.id,
        id_literal = string_literal(&family.id),
        title = string_literal(&family.title),
        kind = family.kind.as_str(),
    );
    out
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

/// `protocol.ts`: the protocol's tables from the model's constants (every action with its advice,
/// the close-code rules), which `runtime.ts` imports and re-exports.
pub fn protocol(header: &str) -> String {
    let mut out = String::from(header);
    out.push_str("import type { CloseCodeRule } from \"./runtime.js\";\n");
    out.push_str("\n/** What a client should do next, beyond \"reconnect or not\": the closed set every binding shares. */\nexport type Action =\n");
    for action in Action::ALL {
        let _ = writeln!(out, "  | \"{}\"", action.as_str());
    }
    out.push_str(";\n\n/** Every action with its advice in plain words and whether the client tries again (and so has a backoff hint). */\n");
    out.push_str("export const actions: Readonly<Record<Action, { readonly advice: string; readonly triesAgain: boolean }>> = {\n");
    for action in Action::ALL {
        let _ = writeln!(
            out,
            "  {}: {{ advice: {}, triesAgain: {} }},",
            action.as_str(),
            string_literal(action.advice()),
            action.tries_again()
        );
    }
    out.push_str("};\n");
    let _ = writeln!(
        out,
        "\n/** The longest close reason a close frame carries, in UTF-8 bytes (RFC 6455, section 5.5). */\nexport const MAX_CLOSE_REASON_BYTES = {MAX_CLOSE_REASON_BYTES};\n"
    );
    out.push_str("/** What every close code may be used for: sorted runs covering 0 to 65535 (RFC 6455 section 7.4, WHATWG WebSocket). */\n");
    out.push_str("export const closeCodeRules: readonly CloseCodeRule[] = [\n");
    for rule in &CLOSE_CODE_RULES {
        let _ = writeln!(
            out,
            "  {{ from: {}, to: {}, label: {}, endpointMaySend: {}, browserMaySend: {}, neverOnWire: {}, endpointForwards: {}, browserForwards: {} }},",
            rule.from,
            rule.to,
            string_literal(rule.label),
            rule.endpoint_may_send,
            rule.browser_may_send,
            rule.never_on_wire,
            rule.endpoint_forwards,
            rule.browser_forwards
        );
    }
    out.push_str("];\n");
    out
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
            assert!(runtime.contains(&format!("  | \"{}\"\n", action.as_str())), "{action:?} missing from the Action type");
            assert!(runtime.contains(&format!("  {}: {{ advice: {}, triesAgain: {} }},", action.as_str(), string_literal(action.advice()), action.tries_again())));
        }
        let rows = runtime.lines().filter(|line| line.contains("endpointMaySend: ") && line.starts_with("  { from: ")).count();
        assert_eq!(rows, CLOSE_CODE_RULES.len());
        for rule in &CLOSE_CODE_RULES {
            assert!(runtime.contains(&format!("{{ from: {}, to: {}, label: {},", rule.from, rule.to, string_literal(rule.label))), "{rule:?}");
        }
        assert!(runtime.contains(&format!("export const MAX_CLOSE_REASON_BYTES = {MAX_CLOSE_REASON_BYTES};")));
    }

    #[test]
    fn hints_are_shared_by_name_when_they_are_the_family_s() {
        let family = BackoffHint::DEFAULT;
        let own = BackoffHint { min_ms: 5, max_ms: 10, jitter: codebook_model::Jitter::None, give_up_after_ms: Some(60) };
        assert_eq!(hint_literal(Some(&family), &family), "backoff");
        assert_eq!(hint_literal(None, &family), "undefined");
        assert_eq!(hint_literal(Some(&own), &family), "{ minMs: 5, maxMs: 10, jitter: \"none\", giveUpAfterMs: 60 }");
        assert_eq!(hint_object(&family), "{ minMs: 1000, maxMs: 30000, jitter: \"full\", giveUpAfterMs: undefined }");
    }

    #[test]
    fn doc_comments_cannot_be_closed_or_tagged_by_registry_text() {
        assert_eq!(doc_comment_with_tags("x */ y\n@param z", "", ""), "/**\n * x *\\/ y\n * \\@param z\n */\n");
    }
}
