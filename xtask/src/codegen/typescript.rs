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

use codebook_model::{Family, FamilyKind, Registry, Segment};

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
            GeneratedFile::new("typescript/src/runtime.ts", format!("{header}{RUNTIME}")),
            GeneratedFile::new("typescript/src/index.ts", index(registry, &header)),
            GeneratedFile::new("typescript/test/vectors.test.mjs", format!("{header}{VECTORS_TEST}")),
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

/// A JSDoc block of registry text, each line indented by `indent`. `*/` cannot close it early and a
/// line cannot start a tag (`@`).
fn doc_comment(text: &str, indent: &str) -> String {
    doc_comment_with_tags(text, "", indent)
}

/// [`doc_comment`] followed by `tags`: generator-written JSDoc lines, used as they are.
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

fn segment_literal(segment: &Segment) -> String {
    format!(
        "{{ from: {}, to: {}, scope: \"{}\", behaviour: \"{}\", label: {} }}",
        segment.from,
        segment.to,
        segment.scope.as_str(),
        segment.behaviour.as_str(),
        string_literal(&segment.label)
    )
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
            "test": "tsc -p tsconfig.json && node --test test/vectors.test.mjs"
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
        let _ = write!(
            body,
            r#"
export function check{t}(event: CloseEvent, reply: {{ code: number }}): boolean {{
  const classified = classify{t}({source});
  if (classified.known) {{
    const code: {t} = classified.code;
    const name: {t}Name = classified.info.name;
    return code === {t}.{variant} && name === "{variant}";
  }}
  const number: number = classified.code;
  // @ts-expect-error an unregistered number is not a registered code
  const wrong: {t} = classified.code;
  const fromName: {t} | undefined = {p}FromName("{variant}");
  return number === wrong && fromName !== undefined && {flag};
}}
"#,
            variant = first.names.variant,
        );
    }
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
    out.push_str("import { segmentOf, type Classification, type CodeFamily, type CodeInfo, type Segment } from \"./runtime.js\";\n\n");

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
        out.push_str(&doc_comment(
            &format!("{} \"{}\": {}", code.number, code.message, code.description.trim_end()),
            "  ",
        ));
        let _ = writeln!(out, "  {}: {},", code.names.variant, code.number);
    }
    out.push_str("} as const;\n\n");
    let _ = writeln!(out, "/** A registered code of family `{}`. */", family.id);
    let _ = writeln!(out, "export type {t} = (typeof {t})[keyof typeof {t}];");
    let _ = writeln!(out, "/** The name of a registered code of family `{}`. */", family.id);
    let _ = writeln!(out, "export type {t}Name = keyof typeof {t};\n");

    let _ = writeln!(out, "const codes: readonly CodeInfo<{t}, {t}Name>[] = [");
    for code in &codes {
        let _ = writeln!(
            out,
            "  {{ code: {}, name: \"{}\", message: {}, description: {}, causes: {}, behaviour: \"{}\", localOnly: {} }},",
            code.number,
            code.names.variant,
            string_literal(&code.message),
            string_literal(code.description.trim_end()),
            string_array(&code.causes),
            code.behaviour.as_str(),
            code.local_only
        );
    }
    out.push_str("];\n\n");

    let _ = writeln!(out, "/** How unregistered numbers classify: sorted segments covering 0 to 65535. */");
    let _ = writeln!(out, "export const {p}Segments: readonly Segment[] = [");
    for segment in &family.segments {
        let _ = writeln!(out, "  {},", segment_literal(segment));
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

/**
 * Classifies any number: a registered code by its own behaviour, anything else by the family's
 * range rules, so a code from a newer server is still handled. Throws a `RangeError` for a value
 * that is not an integer from 0 to 65535.
 */
export function classify{t}(code: number): Classification<{t}, {t}Name> {{
  const segment = segmentOf({p}Segments, code);
  const info = byCode.get(code);
  return info === undefined
    ? {{ known: false, code, info, segment, behaviour: segment.behaviour }}
    : {{ known: true, code: info.code, info, segment, behaviour: info.behaviour }};
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

const RUNTIME: &str = r#"/** What a client should do with a code. */
export type Behaviour = "reconnect" | "terminal" | "temporary" | "permanent";

/** Who a range of numbers belongs to; `unassigned` when no range rule covers it. */
export type Scope = "protocol" | "registered" | "private" | "server" | "application" | "client" | "unassigned";

/** A run of numbers that classify the same way when they are not registered. */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly scope: Scope;
  readonly behaviour: Behaviour;
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
}

/**
 * What any number means in a family. `known` tells a registered code (typed as the family's union)
 * from an unregistered number (a plain `number`, e.g. from a newer server), and both carry the
 * segment and the behaviour to act on.
 */
export type Classification<C extends number = number, N extends string = string> =
  | {
      readonly known: true;
      readonly code: C;
      readonly info: CodeInfo<C, N>;
      readonly segment: Segment;
      readonly behaviour: Behaviour;
    }
  | {
      readonly known: false;
      readonly code: number;
      readonly info: undefined;
      readonly segment: Segment;
      readonly behaviour: Behaviour;
    };

/** One family as a value, for code that is generic over families. */
export interface CodeFamily<C extends number = number, N extends string = string> {
  readonly id: string;
  readonly title: string;
  readonly kind: "websocket_close" | "error";
  /** Every registered code, sorted by number. */
  readonly codes: readonly CodeInfo<C, N>[];
  readonly segments: readonly Segment[];
  fromCode(code: number): C | undefined;
  fromName(name: string): C | undefined;
  fromMessage(message: string): C | undefined;
  info(code: number): CodeInfo<C, N> | undefined;
  classify(code: number): Classification<C, N>;
}

/** The segment covering `code`; segments are sorted and cover 0 to 65535, so there always is one. */
export function segmentOf(segments: readonly Segment[], code: number): Segment {
  if (!Number.isInteger(code) || code < 0 || code > 65535) {
    throw new RangeError(`${String(code)} is not a code number (an integer from 0 to 65535)`);
  }
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const segment = segments[middle];
    if (segment !== undefined && segment.from <= code) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const found = segments[low];
  if (found === undefined) {
    throw new RangeError("a family has no segments");
  }
  return found;
}
"#;

const VECTORS_TEST: &str = r#"// The conformance vectors shared by every binding: each row must hold for this package too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { families } from "../dist/index.js";

const vectors = JSON.parse(readFileSync(new URL("../../vectors.json", import.meta.url), "utf8"));

test("the package holds exactly the families of the vectors", () => {
  assert.deepEqual(families.map((family) => family.id), vectors.families.map((family) => family.id));
});

for (const expected of vectors.families) {
  const family = families.find((candidate) => candidate.id === expected.id);

  test(`${expected.id}: every registered code`, () => {
    assert.ok(family, `no family ${expected.id}`);
    assert.equal(family.codes.length, expected.codes.length);
    for (const row of expected.codes) {
      const info = family.info(row.code);
      assert.ok(info, `code ${row.code} is missing`);
      assert.equal(info.name, row.name);
      assert.equal(info.message, row.message);
      assert.equal(info.description, row.description);
      assert.deepEqual([...info.causes], row.causes);
      assert.equal(info.behaviour, row.behaviour);
      assert.equal(info.localOnly, row.local_only);
      assert.equal(family.fromCode(row.code), row.code);
      assert.equal(family.fromName(row.name), row.code);
      assert.equal(family.info(family.fromMessage(row.message)).message, row.message);
      const classified = family.classify(row.code);
      assert.equal(classified.known, true);
      assert.equal(classified.code, row.code);
      assert.equal(classified.behaviour, row.behaviour);
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
    }
  });
}

test("numbers that are not codes are rejected", () => {
  for (const family of families) {
    for (const bad of [-1, 65536, 1.5, Number.NaN]) {
      assert.throws(() => family.classify(bad), RangeError);
    }
  }
});
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

    #[test]
    fn doc_comments_cannot_be_closed_or_tagged_by_registry_text() {
        assert_eq!(doc_comment("x */ y\n@param z", ""), "/**\n * x *\\/ y\n * \\@param z\n */\n");
    }
}
