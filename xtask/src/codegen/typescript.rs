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
            GeneratedFile::new("typescript/package.json", package_json(provenance)),
            GeneratedFile::new("typescript/tsconfig.json", format!("{header}{TSCONFIG}")),
            GeneratedFile::new("typescript/tsconfig.check.json", format!("{header}{TSCONFIG_CHECK}")),
            GeneratedFile::new("typescript/typecheck/usage.ts", usage_check(registry, &header)),
            GeneratedFile::new("typescript/.gitignore", format!("{}dist/\nnode_modules/\n", provenance.line_comments("#"))),
            GeneratedFile::new("typescript/src/runtime.ts", runtime(&header)),
            GeneratedFile::new("typescript/src/index.ts", index(registry, &header)),
            GeneratedFile::new("typescript/test/vectors.test.mjs", format!("{header}{VECTORS_TEST}")),
            GeneratedFile::new("typescript/test/close.test.mjs", format!("{header}{CLOSE_TEST}")),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(format!("typescript/src/{}.ts", family.id), family_module(family, &header)));
        }
        files
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

fn package_json(provenance: &Provenance) -> String {
    let package = serde_json::json!({
        "$comment": format!("{} | {}", provenance.notice(), provenance.hash_line()),
        "name": "@codebook/codes",
        "version": "0.1.0",
        "description": "Typed error and disconnect codes generated from codes.yaml",
        "license": "MIT OR Apache-2.0",
        "private": true,
        "type": "module",
        "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } },
        "types": "./dist/index.d.ts",
        "files": ["dist", "src"],
        "scripts": {
            "build": "tsc -p tsconfig.json",
            "typecheck": "tsc --strict --noEmit -p tsconfig.check.json",
            "test": "tsc -p tsconfig.json && node --test test/vectors.test.mjs && node --experimental-websocket --test test/close.test.mjs"
        },
        "devDependencies": { "typescript": TYPESCRIPT_VERSION }
    });
    // serde_json keeps keys sorted (no preserve_order), so the text is the same on every run.
    let mut text = serde_json::to_string_pretty(&package).expect("a JSON value serialises");
    text.push('\n');
    text
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
    "rootDir": "src",
    "outDir": "dist",
    "skipLibCheck": false
  },
  "include": ["src"]
}
"#;

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
      console.log(code, closed.info.docUrl);
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
        "import {\n  segmentOf,\n  type Action,\n  type BackoffHint,\n  type Classification,\n  type CodeFamily,\n  type CodeInfo,\n  type Origin,\n  type Segment,\n} from \"./runtime.js\";\n\n",
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
        let changes: Vec<String> = code
            .changes
            .iter()
            .map(|change| format!("{{ version: {}, note: {} }}", string_literal(&change.version), string_literal(&change.note)))
            .collect();
        let _ = writeln!(
            out,
            "  {{ code: {}, name: \"{}\", message: {}, description: {}, causes: {}, behaviour: \"{}\", localOnly: {}, action: \"{}\", backoff: {}, origin: \"{}\", since: {}, deprecated: {}, changes: [{}], docUrl: {} }},",
            code.number,
            code.names.variant,
            string_literal(&code.message),
            string_literal(code.description.trim_end()),
            string_array(&code.causes),
            code.behaviour.as_str(),
            code.local_only,
            code.action.as_str(),
            hint_literal(code.backoff.as_ref(), &family.backoff),
            code.origin.as_str(),
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
        r#"const byCode: ReadonlyMap<number, CodeInfo<{t}, {t}Name>> = new Map(codes.map((info) => [info.code, info]));
const byName: ReadonlyMap<string, CodeInfo<{t}, {t}Name>> = new Map(codes.map((info) => [info.name, info]));
const byMessage: ReadonlyMap<string, CodeInfo<{t}, {t}Name>> = new Map([...codes].reverse().map((info) => [info.message, info]));

/** True when `code` is a registered code of `{id}` (narrows a plain number, e.g. `CloseEvent.code`). */
export function is{t}(code: number): code is {t} {{
  return byCode.has(code);
}}

/** Everything the registry says about a registered code, or `undefined` for any other number. */
export function {p}Info(code: number): CodeInfo<{t}, {t}Name> | undefined {{
  return byCode.get(code);
}}

/** The registered code with this name (as in codes.yaml), e.g. `"{first_name}"`. */
export function {p}FromName(name: string): {t} | undefined {{
  return byName.get(name)?.code;
}}

/** The registered code sent with this exact wire message (the lowest number if several share it). */
export function {p}FromMessage(message: string): {t} | undefined {{
  return byMessage.get(message)?.code;
}}

function registered(code: {t}): CodeInfo<{t}, {t}Name> {{
  const info = byCode.get(code);
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
  return registered(code).description;
}}

/** Typical causes of a registered code, one line each. */
export function {p}Causes(code: {t}): readonly string[] {{
  return registered(code).causes;
}}

/** Who emits a registered code: the server, a client library, or the user agent itself. */
export function {p}Origin(code: {t}): Origin {{
  return registered(code).origin;
}}

/** The portal's stable URL of a registered code, usable as an RFC 9457 problem `type`. */
export function {p}DocUrl(code: {t}): string {{
  return registered(code).docUrl;
}}

/**
 * Classifies any number: a registered code by its own behaviour, anything else by the family's
 * range rules, so a code from a newer server is still handled. Throws a `RangeError` for a value
 * that is not an integer from 0 to 65535.
 */
export function classify{t}(code: number): Classification<{t}, {t}Name> {{
  const segment = segmentOf({p}Segments, code);
  const info = byCode.get(code);
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
  fromCode: (code) => byCode.get(code)?.code,
  fromName: {p}FromName,
  fromMessage: {p}FromMessage,
  info: {p}Info,
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

/// `runtime.ts`: the types and functions every family module shares. The same for every registry;
/// the action list and the close-code table are written from the model's constants.
fn runtime(header: &str) -> String {
    let mut out = String::from(header);
    out.push_str(RUNTIME_TYPES);
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
    out.push_str(RUNTIME_FUNCTIONS);
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
    out.push_str(RUNTIME_CLOSE_CODES);
    out
}

const RUNTIME_TYPES: &str = r#"/** What a client should do with a code. */
export type Behaviour = "reconnect" | "terminal" | "temporary" | "permanent";

/** Who a range of numbers belongs to; `unassigned` when no range rule covers it. */
export type Scope = "protocol" | "registered" | "private" | "server" | "application" | "client" | "unassigned";

/**
 * Who emits a code: the server, a client library, the user agent (reported locally, never on the
 * wire), or the server only recording it (`server_internal`, never sent to a client).
 */
export type Origin = "server" | "client_library" | "user_agent" | "server_internal";

/** `full`: a uniformly random delay between the minimum and the doubling ceiling; `none`: the ceiling. */
export type Jitter = "full" | "none";

/** How long to wait before trying again, and when to give up (see `delayMs`). */
export interface BackoffHint {
  /** Delay of the first attempt; never zero. */
  readonly minMs: number;
  readonly maxMs: number;
  readonly jitter: Jitter;
  /** Give up once this much time has passed since the first failure; `undefined`: never. */
  readonly giveUpAfterMs: number | undefined;
}

/** One entry of a code's history. */
export interface Change {
  readonly version: string;
  readonly note: string;
}

/** A run of numbers that classify the same way when they are not registered. */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly scope: Scope;
  readonly behaviour: Behaviour;
  /** What to do with an unregistered number of this run. */
  readonly action: Action;
  /** Set exactly when `action` tries again. */
  readonly backoff: BackoffHint | undefined;
  readonly label: string;
}

/** Everything the registry says about one registered code. */
export interface CodeInfo<C extends number = number, N extends string = string> {
  readonly code: C;
  readonly name: N;
  /** The exact message or close reason sent on the wire. */
  readonly message: string;
  /** Markdown. */
  readonly description: string;
  readonly causes: readonly string[];
  readonly behaviour: Behaviour;
  /** Reported locally by an endpoint and never sent in a close frame (RFC 6455, section 7.4.1). */
  readonly localOnly: boolean;
  /** What a client should do next. */
  readonly action: Action;
  /** How long to wait before trying again: set exactly when the action tries again. */
  readonly backoff: BackoffHint | undefined;
  readonly origin: Origin;
  /** The version that introduced the code, if the registry says. */
  readonly since: string | undefined;
  /** What to use instead, when the code is deprecated. */
  readonly deprecated: string | undefined;
  /** The code's history, oldest first. */
  readonly changes: readonly Change[];
  /** The portal's stable URL of the code, usable as an RFC 9457 problem `type`. */
  readonly docUrl: string;
}

/**
 * What any number means in a family. `known` tells a registered code (typed as the family's union)
 * from an unregistered number (a plain `number`, e.g. from a newer server), and both carry the
 * segment, the behaviour, the action and the backoff hint to act on.
 */
export type Classification<C extends number = number, N extends string = string> =
  | {
      readonly known: true;
      readonly code: C;
      readonly info: CodeInfo<C, N>;
      readonly segment: Segment;
      readonly behaviour: Behaviour;
      readonly action: Action;
      readonly backoff: BackoffHint | undefined;
    }
  | {
      readonly known: false;
      readonly code: number;
      readonly info: undefined;
      readonly segment: Segment;
      readonly behaviour: Behaviour;
      readonly action: Action;
      readonly backoff: BackoffHint | undefined;
    };

/** One family as a value, for code that is generic over families. */
export interface CodeFamily<C extends number = number, N extends string = string> {
  readonly id: string;
  readonly title: string;
  readonly kind: "websocket_close" | "error";
  /** The hint of the family's codes and ranges that try again, unless a code states its own. */
  readonly backoff: BackoffHint;
  /** Every registered code, sorted by number. */
  readonly codes: readonly CodeInfo<C, N>[];
  readonly segments: readonly Segment[];
  fromCode(code: number): C | undefined;
  fromName(name: string): C | undefined;
  fromMessage(message: string): C | undefined;
  info(code: number): CodeInfo<C, N> | undefined;
  classify(code: number): Classification<C, N>;
}
"#;

const RUNTIME_FUNCTIONS: &str = r#"
/** The action in plain words, for a user interface or a log line. */
export function actionAdvice(action: Action): string {
  return actions[action].advice;
}

/** Does a client with this action try again (and so wait for a backoff delay)? */
export function actionTriesAgain(action: Action): boolean {
  return actions[action].triesAgain;
}

function checkCodeNumber(code: number): void {
  if (!Number.isInteger(code) || code < 0 || code > 65535) {
    throw new RangeError(`${String(code)} is not a code number (an integer from 0 to 65535)`);
  }
}

/** The run of sorted, gap-free `runs` (covering 0 to 65535) that holds `code`. */
function runOf<T extends { readonly from: number }>(runs: readonly T[], code: number): T {
  checkCodeNumber(code);
  let low = 0;
  let high = runs.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const run = runs[middle];
    if (run !== undefined && run.from <= code) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const found = runs[low];
  if (found === undefined) {
    throw new RangeError("a table of runs is empty");
  }
  return found;
}

/** The segment covering `code`; segments are sorted and cover 0 to 65535, so there always is one. */
export function segmentOf(segments: readonly Segment[], code: number): Segment {
  return runOf(segments, code);
}

function isU32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/**
 * The delay before attempt `attempt` (0 for the first retry), given the milliseconds since the
 * first failure and one random 32-bit unsigned integer (`randomU32()`, or `Mulberry32` in tests),
 * or `undefined` when it is time to give up.
 *
 * The ceiling doubles from `minMs` each attempt up to `maxMs`; with full jitter the delay is
 * uniform from `minMs` to the ceiling. The same arithmetic as every other binding, so a seeded
 * source gives the same delays in Rust, TypeScript and Go. Throws a `RangeError` when `attempt`
 * or `random` is not a 32-bit unsigned integer or `elapsedMs` is negative.
 *
 * @example
 * ```ts
 * const hint = streamingSessionBackoff(event.code);
 * const delay = hint && delayMs(hint, attempt, Date.now() - firstFailure, randomU32());
 * if (delay === undefined) showError(); else setTimeout(connect, delay);
 * ```
 */
export function delayMs(hint: BackoffHint, attempt: number, elapsedMs: number, random: number): number | undefined {
  if (!isU32(attempt) || !isU32(random) || !(elapsedMs >= 0)) {
    throw new RangeError(`bad delayMs arguments: attempt ${String(attempt)}, elapsedMs ${String(elapsedMs)}, random ${String(random)}`);
  }
  if (hint.giveUpAfterMs !== undefined && elapsedMs >= hint.giveUpAfterMs) {
    return undefined;
  }
  // Doubling by a power of two is exact in a double, so this equals the integer computation.
  const ceiling = Math.min(hint.minMs * 2 ** Math.min(attempt, 32), hint.maxMs);
  if (hint.jitter === "none") {
    return ceiling;
  }
  const span = ceiling - hint.minMs + 1;
  return hint.minMs + Math.floor((random / 4294967296) * span);
}

/** A random 32-bit unsigned integer from the platform's cryptographic generator, for `delayMs`. */
export function randomU32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

/** Mulberry32, a tiny seeded 32-bit generator: the random source of the shared test vectors. */
export class Mulberry32 {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

/** What a run of close codes may be used for. */
export interface CloseCodeRule {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  /** A server or other endpoint may send it in a close frame. */
  readonly endpointMaySend: boolean;
  /** A browser's `WebSocket.close(code)` accepts it; anything else throws. */
  readonly browserMaySend: boolean;
  /** It must never appear in a close frame (reported locally only, or not a close code at all). */
  readonly neverOnWire: boolean;
  /** What an endpoint sends instead when it may not send the code itself. */
  readonly endpointForwards: number;
  /** What a browser passes to `close()` instead when it may not send the code itself. */
  readonly browserForwards: number;
}

/** Who passes a close code on: browser code calling `WebSocket.close`, or a server or proxy. */
export type CloseSender = "browser" | "endpoint";
"#;

const RUNTIME_CLOSE_CODES: &str = r#"
/** The rule covering a close code. Throws a `RangeError` for a value that is not an integer from 0 to 65535. */
export function closeCodeRule(code: number): CloseCodeRule {
  return runOf(closeCodeRules, code);
}

/**
 * The code to pass on after receiving `code`: itself when `sender` may send it, otherwise a safe
 * replacement (copying 1006 into `WebSocket.close()` would throw).
 */
export function safeCloseCode(code: number, sender: CloseSender): number {
  const rule = closeCodeRule(code);
  if (sender === "browser") {
    return rule.browserMaySend ? code : rule.browserForwards;
  }
  return rule.endpointMaySend ? code : rule.endpointForwards;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The longest prefix of `reason` that fits a close frame (123 UTF-8 bytes), cut on a character
 * boundary. (A lone surrogate in a longer reason comes back as U+FFFD, as it would be sent.)
 */
export function truncateCloseReason(reason: string): string {
  const bytes = encoder.encode(reason);
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
    return reason;
  }
  let end = MAX_CLOSE_REASON_BYTES;
  // A continuation byte (0b10xxxxxx) is never the start of a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) {
    end -= 1;
  }
  return decoder.decode(bytes.subarray(0, end));
}

/** What a close listener receives: a browser `CloseEvent`, or anything with the same fields. */
export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/**
 * A classified close: the family's classification of the code (known code or unknown number, with
 * its action and backoff hint) plus what the event said.
 */
export type Closed<C extends number = number, N extends string = string> = Classification<C, N> & {
  /** The event's reason, truncated to fit a close frame if it was longer. */
  readonly reason: string;
  readonly reasonTruncated: boolean;
  readonly wasClean: boolean;
  /**
   * The code did not come from the peer: the user agent reported it locally (1005, 1006, 1015) or
   * it cannot travel in a close frame at all.
   */
  readonly localOnly: boolean;
};

/**
 * Classifies a close event by a close-code family.
 *
 * @example
 * ```ts
 * socket.addEventListener("close", (event) => {
 *   const closed = classifyCloseEvent(streamingSessionFamily, event);
 *   if (closed.action === "wait_for_capacity") showWaitScreen();
 * });
 * ```
 */
export function classifyCloseEvent<C extends number, N extends string>(
  family: CodeFamily<C, N>,
  event: CloseEventLike,
): Closed<C, N> {
  const classified = family.classify(event.code);
  const reason = truncateCloseReason(event.reason);
  const localOnly = (classified.info?.localOnly ?? false) || closeCodeRule(event.code).neverOnWire;
  return { ...classified, reason, reasonTruncated: reason !== event.reason, wasClean: event.wasClean, localOnly };
}
"#;

const VECTORS_TEST: &str = r#"// The conformance vectors shared by every binding: each row must hold for this package too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  actionAdvice,
  actions,
  actionTriesAgain,
  classifyCloseEvent,
  closeCodeRule,
  closeCodeRules,
  delayMs,
  families,
  MAX_CLOSE_REASON_BYTES,
  Mulberry32,
  randomU32,
  safeCloseCode,
  truncateCloseReason,
} from "../dist/index.js";

const vectors = JSON.parse(readFileSync(new URL("../../vectors.json", import.meta.url), "utf8"));

/** A hint as vectors.json spells it, in this package's spelling. */
function hint(row) {
  return row === null
    ? undefined
    : { minMs: row.min_ms, maxMs: row.max_ms, jitter: row.jitter, giveUpAfterMs: row.give_up_after_ms ?? undefined };
}

test("the package holds exactly the families of the vectors", () => {
  assert.deepEqual(families.map((family) => family.id), vectors.families.map((family) => family.id));
});

for (const expected of vectors.families) {
  const family = families.find((candidate) => candidate.id === expected.id);

  test(`${expected.id}: every registered code`, () => {
    assert.ok(family, `no family ${expected.id}`);
    assert.equal(family.codes.length, expected.codes.length);
    assert.deepEqual({ ...family.backoff }, hint(expected.backoff));
    for (const row of expected.codes) {
      const info = family.info(row.code);
      assert.ok(info, `code ${row.code} is missing`);
      assert.equal(info.name, row.name);
      assert.equal(info.message, row.message);
      assert.equal(info.description, row.description);
      assert.deepEqual([...info.causes], row.causes);
      assert.equal(info.behaviour, row.behaviour);
      assert.equal(info.localOnly, row.local_only);
      assert.equal(info.action, row.action, `action of ${row.code}`);
      assert.deepEqual(info.backoff && { ...info.backoff }, hint(row.backoff), `backoff of ${row.code}`);
      assert.equal(info.origin, row.origin);
      assert.equal(info.since, row.since ?? undefined);
      assert.equal(info.deprecated, row.deprecated ?? undefined);
      assert.deepEqual(info.changes.map((change) => ({ ...change })), row.changes);
      assert.equal(info.docUrl, row.doc_url);
      assert.equal(family.fromCode(row.code), row.code);
      assert.equal(family.fromName(row.name), row.code);
      assert.equal(family.info(family.fromMessage(row.message)).message, row.message);
      const classified = family.classify(row.code);
      assert.equal(classified.known, true);
      assert.equal(classified.code, row.code);
      assert.equal(classified.behaviour, row.behaviour);
      assert.equal(classified.action, row.action);
      assert.equal(classified.backoff, info.backoff);
      assert.equal(classified.behaviour === "reconnect", row.should_reconnect);
      assert.equal(classified.behaviour === "terminal", row.is_terminal);
      assert.equal(classified.behaviour === "temporary", row.is_temporary);
    }
  });

  test(`${expected.id}: unregistered numbers classify by their segment`, () => {
    assert.ok(family, `no family ${expected.id}`);
    for (const row of expected.unregistered) {
      const classified = family.classify(row.code);
      assert.equal(classified.known, false, `code ${row.code}`);
      assert.equal(classified.code, row.code);
      assert.equal(classified.info, undefined);
      assert.equal(family.fromCode(row.code), undefined);
      assert.equal(classified.behaviour, row.behaviour, `code ${row.code}`);
      assert.equal(classified.segment.scope, row.scope, `code ${row.code}`);
      assert.equal(classified.segment.label, row.label, `code ${row.code}`);
      assert.equal(classified.action, row.action, `code ${row.code}`);
      assert.deepEqual(classified.backoff && { ...classified.backoff }, hint(row.backoff), `code ${row.code}`);
    }
  });
}

test("numbers that are not codes are rejected", () => {
  for (const family of families) {
    for (const bad of [-1, 65536, 1.5, Number.NaN]) {
      assert.throws(() => family.classify(bad), RangeError);
      assert.throws(() => closeCodeRule(bad), RangeError);
    }
  }
});

test("actions: names, advice and whether they try again", () => {
  assert.deepEqual(Object.keys(actions), vectors.actions.map((row) => row.name));
  for (const row of vectors.actions) {
    assert.equal(actionAdvice(row.name), row.advice);
    assert.equal(actionTriesAgain(row.name), row.tries_again);
  }
});

test("close codes: the rule table and every boundary", () => {
  const expected = vectors.close_codes;
  assert.equal(MAX_CLOSE_REASON_BYTES, expected.max_reason_bytes);
  assert.deepEqual(
    closeCodeRules.map((rule) => ({ ...rule })),
    expected.rules.map((rule) => ({
      from: rule.from,
      to: rule.to,
      label: rule.label,
      endpointMaySend: rule.endpoint_may_send,
      browserMaySend: rule.browser_may_send,
      neverOnWire: rule.never_on_wire,
      endpointForwards: rule.endpoint_forwards,
      browserForwards: rule.browser_forwards,
    })),
  );
  assert.ok(expected.samples.length > expected.rules.length);
  for (const row of expected.samples) {
    const rule = closeCodeRule(row.code);
    assert.equal(rule.label, row.label, `code ${row.code}`);
    assert.equal(rule.endpointMaySend, row.endpoint_may_send, `code ${row.code}`);
    assert.equal(rule.browserMaySend, row.browser_may_send, `code ${row.code}`);
    assert.equal(rule.neverOnWire, row.never_on_wire, `code ${row.code}`);
    assert.equal(safeCloseCode(row.code, "endpoint"), row.safe_for_endpoint, `code ${row.code}`);
    assert.equal(safeCloseCode(row.code, "browser"), row.safe_for_browser, `code ${row.code}`);
  }
});

test("close reasons are truncated to 123 UTF-8 bytes on a character boundary", () => {
  const encoder = new TextEncoder();
  for (const row of vectors.close_codes.truncation) {
    assert.equal(encoder.encode(row.reason).length, row.reason_bytes);
    const truncated = truncateCloseReason(row.reason);
    assert.equal(truncated, row.truncated, `reason of ${row.reason_bytes} bytes`);
    assert.equal(encoder.encode(truncated).length, row.truncated_bytes);
  }
});

test("close events: classification, action, hint, reason and local-only", () => {
  const long = "x".repeat(200);
  for (const family of families.filter((candidate) => candidate.kind === "websocket_close")) {
    for (const code of [...family.codes.map((info) => info.code), 1005, 1006, 1015, 4999, 0]) {
      const event = { code, reason: long, wasClean: code !== 1006 };
      const closed = classifyCloseEvent(family, event);
      const classified = family.classify(code);
      assert.equal(closed.known, classified.known);
      assert.equal(closed.code, code);
      assert.equal(closed.action, classified.action);
      assert.equal(closed.backoff, classified.backoff);
      assert.equal(closed.behaviour, classified.behaviour);
      assert.equal(closed.reason, long.slice(0, 123));
      assert.equal(closed.reasonTruncated, true);
      assert.equal(closed.wasClean, code !== 1006);
      const info = family.info(code);
      assert.equal(closed.localOnly, (info?.localOnly ?? false) || closeCodeRule(code).neverOnWire, `code ${code}`);
    }
    const short = classifyCloseEvent(family, { code: 1000, reason: "bye", wasClean: true });
    assert.equal(short.reason, "bye");
    assert.equal(short.reasonTruncated, false);
    assert.equal(short.localOnly, false);
    assert.equal(classifyCloseEvent(family, { code: 1006, reason: "", wasClean: false }).localOnly, true);
  }
});

test("Mulberry32 reproduces the model's outputs", () => {
  for (const row of vectors.mulberry32) {
    const random = new Mulberry32(row.seed);
    assert.deepEqual(row.outputs.map(() => random.nextU32()), row.outputs, `seed ${row.seed}`);
  }
});

test("seeded delay sequences match the model step by step", () => {
  assert.ok(vectors.delays.some((sequence) => sequence.steps.some((step) => step.delay_ms === null)), "a sequence gives up");
  for (const sequence of vectors.delays) {
    const random = new Mulberry32(sequence.seed);
    let elapsed = 0;
    for (const step of sequence.steps) {
      const drawn = random.nextU32();
      assert.equal(drawn, step.random);
      assert.equal(elapsed, step.elapsed_ms);
      const delay = delayMs(hint(sequence.hint), step.attempt, step.elapsed_ms, drawn);
      assert.equal(delay, step.delay_ms ?? undefined, `seed ${sequence.seed}, attempt ${step.attempt}`);
      elapsed += delay ?? 0;
    }
  }
});

test("delayMs rejects what is not a 32-bit attempt, a random u32 or an elapsed time", () => {
  const hint = { minMs: 100, maxMs: 1000, jitter: "full", giveUpAfterMs: undefined };
  for (const [attempt, elapsed, random] of [[-1, 0, 0], [1.5, 0, 0], [0, -1, 0], [0, Number.NaN, 0], [0, 0, 2 ** 32], [0, 0, -1]]) {
    assert.throws(() => delayMs(hint, attempt, elapsed, random), RangeError);
  }
  for (let i = 0; i < 100; i += 1) {
    const value = randomU32();
    assert.ok(Number.isInteger(value) && value >= 0 && value < 2 ** 32, String(value));
  }
});
"#;

/// End to end over a real socket: a WebSocket server on 127.0.0.1 (a few lines of `node:http`)
/// closes with every registered code it may send, and with no close frame at all (1006); the
/// platform's own `WebSocket` client receives each close, and a reconnect policy built on the
/// binding decides what to do. Needs a global `WebSocket` (Node 22, or Node 20 with
/// `--experimental-websocket`); without one it skips, unless `CODEBOOK_REQUIRE_WEBSOCKET` is set.
const CLOSE_TEST: &str = r#"// A real WebSocket server closes in every way the registry knows; the client decides each time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

import { actionTriesAgain, classifyCloseEvent, closeCodeRule, delayMs, families, randomU32, truncateCloseReason } from "../dist/index.js";

const vectors = JSON.parse(readFileSync(new URL("../../vectors.json", import.meta.url), "utf8"));
const available = typeof WebSocket === "function";
const skip = !available && !process.env.CODEBOOK_REQUIRE_WEBSOCKET && "no global WebSocket (use Node 22, or --experimental-websocket)";

/** A server that answers every WebSocket handshake and hands the socket to `next()`'s plan. */
async function startServer() {
  const plans = [];
  const server = createServer((request, response) => {
    response.writeHead(426).end();
  });
  server.connections = 0;
  server.on("upgrade", (request, socket) => {
    server.connections += 1;
    const accept = createHash("sha1")
      .update(`${request.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const plan = plans.shift();
    if (plan === undefined) {
      socket.destroy();
    } else {
      plan(socket);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.next = (plan) => plans.push(plan);
  return server;
}

/** Sends a close frame and ends the connection once the client answers with its own. */
function closeWith(code, reason) {
  return (socket) => {
    const text = Buffer.from(reason, "utf8");
    const payload = Buffer.alloc(2 + text.length);
    payload.writeUInt16BE(code, 0);
    text.copy(payload, 2);
    socket.on("data", () => socket.end());
    socket.on("error", () => {});
    socket.write(Buffer.concat([Buffer.from([0x88, payload.length]), payload]));
  };
}

/** Drops the connection without a close frame: the client reports 1006. */
function drop(socket) {
  setTimeout(() => socket.destroy(), 10);
}

/**
 * A reconnect policy on the binding: classify the close, then either stop (with the action to show)
 * or schedule the next attempt after the hint's delay. Returns what it decided.
 */
function connectOnce(url, family) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.addEventListener("error", () => {});
    socket.addEventListener("close", (event) => {
      try {
        const closed = classifyCloseEvent(family, event);
        if (!actionTriesAgain(closed.action)) {
          resolve({ closed, reconnect: false });
          return;
        }
        const delay = delayMs(closed.backoff, 0, 0, randomU32());
        resolve({ closed, reconnect: delay !== undefined, delay });
      } catch (error) {
        reject(error);
      }
    });
  });
}

for (const expected of vectors.families.filter((family) => family.delivered_in.includes("close_frame"))) {
  test(`${expected.id}: a real server's closes are classified and acted on`, { skip }, async () => {
    const family = families.find((candidate) => candidate.id === expected.id);
    assert.ok(family, `no family ${expected.id}`);
    const server = await startServer();
    const url = `ws://127.0.0.1:${server.address().port}/`;
    try {
      const sendable = expected.codes.filter((row) => closeCodeRule(row.code).endpointMaySend);
      assert.ok(sendable.length > 0 || expected.codes.length === 0);
      for (const row of sendable) {
        const before = server.connections;
        const reason = truncateCloseReason(row.message);
        server.next(closeWith(row.code, reason));
        const { closed, reconnect, delay } = await connectOnce(url, family);
        assert.equal(closed.code, row.code);
        assert.equal(closed.known, true);
        assert.equal(closed.reason, reason, `reason of ${row.code}`);
        assert.equal(closed.wasClean, true, `close ${row.code} was not clean`);
        assert.equal(closed.localOnly, false);
        assert.equal(closed.action, row.action, `action after ${row.code}`);
        assert.equal(reconnect, row.backoff !== null, `reconnect after ${row.code}`);
        if (reconnect) {
          assert.ok(delay >= row.backoff.min_ms && delay >= 1, `a zero or short delay after ${row.code}: ${delay}`);
        }
        assert.equal(server.connections, before + 1, `the client reconnected on its own after ${row.code}`);
      }
      server.next(drop);
      const { closed } = await connectOnce(url, family);
      assert.equal(closed.code, 1006);
      assert.equal(closed.wasClean, false);
      assert.equal(closed.localOnly, true);
      assert.equal(closed.action, family.classify(1006).action);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii_and_cannot_close_a_script() {
        assert_eq!(string_literal("a\"b\\c\n\u{7}"), "\"a\\\"b\\\\c\\n\\u0007\"");
        assert_eq!(string_literal("</script> ${x} `y`"), "\"\\u003c/script\\u003e ${x} `y`\"");
        assert_eq!(string_literal("🚀é"), "\"\\ud83d\\ude80\\u00e9\"");
    }

    /// The runtime is left out of the snapshots (it is the same for every registry), so its
    /// model-derived tables are pinned here.
    #[test]
    fn runtime_carries_every_action_and_close_code_rule_of_the_model() {
        let runtime = runtime("");
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
