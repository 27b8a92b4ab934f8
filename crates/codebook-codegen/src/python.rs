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
//! Registry text reaches Python only through [`string_literal`] (ASCII-only, every quote,
//! backslash and control character escaped) and [`comment_lines`] (`#` comments, one per line,
//! control and bidirectional characters removed), so no text can end a literal or a comment.

use std::fmt::Write as _;

use codebook_model::{Action, BackoffHint, CLOSE_CODE_RULES, Family, FamilyKind, MAX_CLOSE_REASON_BYTES, Registry};

use super::vectors::{Sections, vectors_json};
use super::{Backend, GeneratedFile, Provenance, comment_text};

/// The import package the real files (tests) name; the registry's `bindings:` section may choose
/// another, which replaces it wherever the copied files import it.
const DEFAULT_PACKAGE: &str = "codebook_codes";
const VERSION: &str = "0.1.0";

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
                format!("{header}{}", pyproject(&identity.python_distribution, package)),
            ),
            GeneratedFile::new(
                "python/.gitignore",
                format!("{header}__pycache__/\n.mypy_cache/\n.ruff_cache/\n.pytest_cache/\ndist/\nbuild/\n"),
            ),
            GeneratedFile::new(format!("{source}/py.typed"), header.clone()),
            GeneratedFile::new(format!("{source}/__init__.py"), index(registry, &header, package)),
            GeneratedFile::new(format!("{source}/_protocol.py"), protocol(&header)),
            GeneratedFile::new(format!("{source}/_runtime.py"), format!("{header}{RUNTIME}")),
            GeneratedFile::new("python/tests/test_vectors.py", format!("{header}{}", rename(TEST_VECTORS))),
            GeneratedFile::new("python/tests/test_api.py", format!("{header}{}", rename(TEST_API))),
            GeneratedFile::new("python/tests/vectors.json", vectors_json(registry, provenance, Sections::All)),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(format!("{source}/{}.py", family.names.module), family_module(family, &header)));
        }
        files
    }
}

/// A double-quoted Python string literal holding exactly `text`, in ASCII: quotes, backslashes and
/// every character outside printable ASCII are escapes, so no text ends the literal, and no
/// bidirectional or invisible character reaches the source.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFF => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// `#` comment lines with `prefix` (`# `, `#: `), indented by `indent`. A Python comment ends only
/// at a line break, and [`comment_text`] has turned every other line-breaking character into a
/// space, so each line of text stays inside its comment.
fn comment_lines(text: &str, indent: &str, prefix: &str) -> String {
    let mut out = String::new();
    for line in comment_text(text).replace(['\r', '\u{c}', '\u{b}'], " ").trim_end().lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            let _ = writeln!(out, "{indent}{}", prefix.trim_end());
        } else {
            let _ = writeln!(out, "{indent}{prefix}{line}");
        }
    }
    out
}

fn optional_literal(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_string(), string_literal)
}

fn bool_literal(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

fn hint_literal(hint: &BackoffHint) -> String {
    format!(
        "BackoffHint({}, {}, Jitter.{}, {})",
        hint.min_ms,
        hint.max_ms,
        hint.jitter.as_str().to_uppercase(),
        hint.give_up_after_ms.map_or_else(|| "None".to_string(), |ms| ms.to_string())
    )
}

/// The family's default hint by name, any other hint written out, `None` for none.
fn hint_expression(hint: Option<&BackoffHint>, family_hint: &BackoffHint) -> String {
    match hint {
        None => "None".to_string(),
        Some(hint) if hint == family_hint => "_BACKOFF".to_string(),
        Some(hint) => hint_literal(hint),
    }
}

fn action_member(action: Action) -> String {
    format!("Action.{}", action.as_str().to_uppercase())
}

fn pyproject(distribution: &str, package: &str) -> String {
    format!(
        r#"[build-system]
requires = ["flit_core>=3.12,<4"]
build-backend = "flit_core.buildapi"

[project]
name = "{distribution}"
version = "{VERSION}"
description = "Typed error and disconnect codes generated from codes.yaml"
requires-python = ">=3.9"
license = "MIT OR Apache-2.0"
dependencies = []
classifiers = [
    "Programming Language :: Python :: 3",
    "Typing :: Typed",
]

[tool.mypy]
strict = true
python_version = "3.9"

[tool.ruff]
target-version = "py39"
line-length = 160

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "PIE", "RUF"]
# Registry text is data: long lines of literals are expected; Optional keeps Python 3.9 readable.
ignore = ["E501", "UP006", "UP007", "UP035", "UP045", "RUF001", "RUF002", "RUF003"]

[tool.ruff.lint.isort]
known-first-party = ["{package}"]

[tool.pytest.ini_options]
testpaths = ["src", "tests"]
addopts = "--doctest-modules --import-mode=importlib"
filterwarnings = ["error"]
"#
    )
}

/// `_protocol.py`: the actions and the close-code table, written from the protocol crate.
fn protocol(header: &str) -> String {
    let mut out = format!(
        "{header}\"\"\"What every binding shares and the protocol crate states: the actions a client takes and the\n\
         close-code table (RFC 6455, section 7.4, and the WHATWG WebSocket rules).\"\"\"\n\n\
         from __future__ import annotations\n\n\
         import enum\n\
         from dataclasses import dataclass\n\
         from typing import Tuple\n\n\
         __all__ = [\"CLOSE_CODE_RULES\", \"MAX_CLOSE_REASON_BYTES\", \"Action\", \"CloseCodeRule\"]\n\n\
         MAX_CLOSE_REASON_BYTES = {MAX_CLOSE_REASON_BYTES}\n\
         \"\"\"The longest close reason a close frame carries, in UTF-8 bytes (RFC 6455, section 5.5).\"\"\"\n\n\n\
         class Action(str, enum.Enum):\n    \
             \"\"\"What a client should do next, beyond \"reconnect or not\": the closed set every binding shares.\"\"\"\n\n"
    );
    for action in Action::ALL {
        let _ = writeln!(out, "    {} = {}", action.as_str().to_uppercase(), string_literal(action.as_str()));
    }
    out.push_str(
        "\n    @property\n    def advice(self) -> str:\n        \"\"\"The action in plain words, for a user interface or a log line.\"\"\"\n        return _ADVICE[self]\n\n    \
         @property\n    def tries_again(self) -> bool:\n        \"\"\"Does a client with this action try again (and so wait for a backoff delay)?\"\"\"\n        return self in _TRIES_AGAIN\n\n\n",
    );
    out.push_str("_ADVICE = {\n");
    for action in Action::ALL {
        let _ = writeln!(out, "    Action.{}: {},", action.as_str().to_uppercase(), string_literal(action.advice()));
    }
    out.push_str("}\n\n_TRIES_AGAIN = frozenset({\n");
    for action in Action::ALL.iter().filter(|action| action.tries_again()) {
        let _ = writeln!(out, "    Action.{},", action.as_str().to_uppercase());
    }
    out.push_str(
        "})\n\n\n@dataclass(frozen=True)\nclass CloseCodeRule:\n    \"\"\"What a run of close codes may be used for.\"\"\"\n\n    \
         start: int\n    end: int\n    label: str\n    endpoint_may_send: bool\n    \"\"\"A server or other endpoint may send it in a close frame.\"\"\"\n    \
         browser_may_send: bool\n    \"\"\"A browser's ``WebSocket.close(code)`` accepts it; anything else throws.\"\"\"\n    \
         never_on_wire: bool\n    \"\"\"It must never appear in a close frame (reported locally only, or not a close code at all).\"\"\"\n    \
         endpoint_forwards: int\n    \"\"\"What an endpoint sends instead when it may not send the code itself.\"\"\"\n    \
         browser_forwards: int\n    \"\"\"What a browser passes to ``close()`` instead when it may not send the code itself.\"\"\"\n\n\n\
         CLOSE_CODE_RULES: Tuple[CloseCodeRule, ...] = (\n",
    );
    for rule in CLOSE_CODE_RULES {
        let _ = writeln!(
            out,
            "    CloseCodeRule({}, {}, {}, {}, {}, {}, {}, {}),",
            rule.from,
            rule.to,
            string_literal(rule.label),
            bool_literal(rule.endpoint_may_send),
            bool_literal(rule.browser_may_send),
            bool_literal(rule.never_on_wire),
            rule.endpoint_forwards,
            rule.browser_forwards
        );
    }
    out.push_str(")\n\"\"\"What every close code may be used for: sorted runs covering 0 to 65535.\"\"\"\n");
    out
}

/// `__init__.py`: the runtime's names, every family's enum and module, and `FAMILIES` by id.
fn index(registry: &Registry, header: &str, package: &str) -> String {
    let mut out = format!(
        "{header}\"\"\"Typed error and disconnect codes generated from codes.yaml: one ``IntEnum`` per family, with\n\
         classification of any number, backoff delays and close-code safety.\n\n\
         >>> from {package} import FAMILIES\n\
         >>> FAMILIES[{}].classify(65535).code\n\
         65535\n\
         \"\"\"\n\nfrom __future__ import annotations\n\nfrom typing import Any, Dict\n\n",
        string_literal(&registry.families[0].id),
        package = package,
    );
    let mut by_module: Vec<&Family> = registry.families.iter().collect();
    by_module.sort_by(|a, b| a.names.module.cmp(&b.names.module));
    out.push_str("from . import (\n");
    for family in &by_module {
        let _ = writeln!(out, "    {},", family.names.module);
    }
    out.push_str(")\n");
    out.push_str(
        "from ._protocol import CLOSE_CODE_RULES, MAX_CLOSE_REASON_BYTES, Action, CloseCodeRule\n\
         from ._runtime import (\n    BackoffHint,\n    Behaviour,\n    Change,\n    Classification,\n    Closed,\n    CloseSender,\n    \
         CodeEnum,\n    CodeFamily,\n    CodeInfo,\n    Jitter,\n    Mulberry32,\n    Origin,\n    Scope,\n    Segment,\n    \
         check_code_number,\n    close_code_rule,\n    random_u32,\n    safe_close_code,\n    truncate_close_reason,\n)\n",
    );
    for family in &by_module {
        let _ = writeln!(out, "from .{} import {}", family.names.module, family.names.type_name);
    }
    out.push_str("\nFAMILIES: Dict[str, CodeFamily[Any]] = {\n");
    for family in &registry.families {
        let _ = writeln!(out, "    {}: {}.FAMILY,", string_literal(&family.id), family.names.module);
    }
    out.push_str("}\n\"\"\"Every family by its id in codes.yaml.\"\"\"\n\n");
    let mut names: Vec<String> = [
        "CLOSE_CODE_RULES",
        "FAMILIES",
        "MAX_CLOSE_REASON_BYTES",
        "Action",
        "BackoffHint",
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
        "Segment",
        "check_code_number",
        "close_code_rule",
        "random_u32",
        "safe_close_code",
        "truncate_close_reason",
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
    out.push_str("__all__ = [\n");
    for name in names {
        let _ = writeln!(out, "    {},", string_literal(&name));
    }
    out.push_str("]\n");
    out
}

fn family_module(family: &Family, header: &str) -> String {
    let t = &family.names.type_name;
    let codes = family.codes_by_number();
    let first = codes.first().expect("the model rejects a family without codes");
    // The doctest must not name a deprecated code: the package's tests turn warnings into errors.
    let example = codes.iter().find(|code| code.deprecated.is_none());
    let mut out = String::from(header);
    let docstring = format!("{}\n\n{}\n\nFamily {} of codes.yaml.", family.title, family.description.trim_end(), family.id);
    let _ = writeln!(out, "{}\n", string_literal(&docstring));
    let has_changes = codes.iter().any(|code| !code.changes.is_empty());
    let change = if has_changes { "    Change,\n" } else { "" };
    let _ = write!(
        out,
        "from __future__ import annotations\n\nfrom typing import Optional, Tuple\n\n\
         from ._protocol import Action\n\
         from ._runtime import (\n    BackoffHint,\n    Behaviour,\n{change}    Classification,\n    CodeEnum,\n    CodeFamily,\n    \
         CodeInfo,\n    Jitter,\n    Origin,\n    Scope,\n    Segment,\n)\n\n",
    );
    let _ = writeln!(
        out,
        "__all__ = [\"FAMILY\", \"SEGMENTS\", {}, \"classify\", \"from_code\", \"from_message\", \"from_name\"]\n",
        string_literal(t)
    );
    out.push_str("# The hint of the family's codes and ranges that try again, unless a code states its own.\n");
    let _ = writeln!(out, "_BACKOFF = {}\n\n", hint_literal(&family.backoff));

    let _ = writeln!(out, "class {t}(CodeEnum):");
    let _ = writeln!(out, "    {}\n", string_literal(&format!("A registered code of family {}: {}.", family.id, family.title)));
    for code in &codes {
        let mut text = format!("{} {}: {}", code.number, string_literal(&code.message), code.description.trim_end());
        let _ = write!(text, "\n\nWhat to do: {}. {}", code.action.as_str(), code.action.advice());
        if let Some(deprecated) = &code.deprecated {
            let _ = write!(text, "\n\nDeprecated: {deprecated}");
        }
        out.push_str(&comment_lines(&text, "    ", "#: "));
        let _ = writeln!(out, "    {} = {}", code.names.screaming, code.number);
    }

    out.push_str("\n\n_INFOS: Tuple[CodeInfo, ...] = (\n");
    for code in &codes {
        let causes: Vec<String> = code.causes.iter().map(|cause| string_literal(cause)).collect();
        let changes: Vec<String> = code
            .changes
            .iter()
            .map(|change| format!("Change({}, {})", string_literal(&change.version), string_literal(&change.note)))
            .collect();
        let _ = writeln!(
            out,
            "    CodeInfo({}, {}, {}, {}, ({}), Behaviour.{}, {}, {}, {}, Origin.{}, {}, {}, ({}), {}),",
            code.number,
            string_literal(&code.name),
            string_literal(&code.message),
            string_literal(code.description.trim_end()),
            tuple_items(&causes),
            code.behaviour.as_str().to_uppercase(),
            bool_literal(code.local_only),
            action_member(code.action),
            hint_expression(code.backoff.as_ref(), &family.backoff),
            code.origin.as_str().to_uppercase(),
            optional_literal(code.since.as_deref()),
            optional_literal(code.deprecated.as_deref()),
            tuple_items(&changes),
            string_literal(&code.doc_url),
        );
    }
    out.push_str(")\n\n");

    out.push_str("SEGMENTS: Tuple[Segment, ...] = (\n");
    for segment in &family.segments {
        let _ = writeln!(
            out,
            "    Segment({}, {}, Scope.{}, Behaviour.{}, {}, {}, {}),",
            segment.from,
            segment.to,
            segment.scope.as_str().to_uppercase(),
            segment.behaviour.as_str().to_uppercase(),
            action_member(segment.action),
            hint_expression(segment.backoff.as_ref(), &family.backoff),
            string_literal(&segment.label)
        );
    }
    out.push_str(")\n\"\"\"How numbers of the family classify when they are not registered: sorted runs covering 0 to 65535.\"\"\"\n\n");

    let kind = match family.kind {
        FamilyKind::WebsocketClose => "websocket_close",
        FamilyKind::Error => "error",
    };
    let _ = writeln!(
        out,
        "FAMILY: CodeFamily[{t}] = CodeFamily(\n    id={},\n    title={},\n    kind={},\n    backoff=_BACKOFF,\n    enum_type={t},\n    infos=_INFOS,\n    segments=SEGMENTS,\n)\n",
        string_literal(&family.id),
        string_literal(&family.title),
        string_literal(kind),
    );
    let _ = write!(
        out,
        r#"
def classify(code: int) -> Classification[{t}]:
    """Classifies any number: a registered code by its own entry, anything else by the family's
    range rules. Raises ``ValueError`` for ``bool``, negatives, numbers above 65535, floats and
    strings; warns with ``DeprecationWarning`` for a deprecated code.

    {example}
    """
    return FAMILY.classify(code)


def from_code(code: int) -> Optional[{t}]:
    """The registered code with this number, or ``None``."""
    return FAMILY.from_code(code)


def from_name(name: str) -> Optional[{t}]:
    """The registered code with this name as in codes.yaml (e.g. ``{name}``), or ``None``."""
    return FAMILY.from_name(name)


def from_message(message: str) -> Optional[{t}]:
    """The registered code sent with this exact wire message (the lowest number if several share it)."""
    return FAMILY.from_message(message)
"#,
        example = match example {
            Some(code) => format!(">>> classify({}).member is {t}.{}\n    True", code.number, code.names.screaming),
            None => format!(">>> FAMILY.segment_of({0}).start <= {0}\n    True", first.number),
        },
        name = first.name,
    );
    out
}

fn tuple_items(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => format!("{},", items[0]),
        _ => items.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii_and_closed() {
        let literal = string_literal("say \"hi\" \\ \u{202E}evil\u{202C} 🚀 \n\u{0}\u{7}\u{85}\u{2028}'''\"\"\"");
        assert!(literal.is_ascii(), "{literal}");
        assert_eq!(
            literal,
            r#""say \"hi\" \\ \u202eevil\u202c \U0001f680 \n\x00\x07\x85\u2028'''\"\"\"""#
        );
    }

    #[test]
    fn comments_keep_every_line_commented() {
        let text = "one\ntwo\u{2028}three\rfour\u{c}five\u{b}six\u{85}seven\u{202E}";
        let comment = comment_lines(text, "    ", "#: ");
        for line in comment.lines() {
            assert!(line.trim_start().starts_with('#'), "{line:?} in {comment:?}");
        }
        assert_eq!(comment.lines().count(), 2);
    }
}
