//! The JSON Schema of `codes.yaml`, derived from the very types the loader deserialises into, so
//! editor completion and the parser can never disagree about which fields exist.
//!
//! The schema describes shape (field names, types, enums, unknown fields rejected) and every
//! single-value rule JSON Schema can express: numbers within 0-65535 (1000-4999 for a
//! `websocket_close` family's codes), kebab-case family ids, identifier-shaped code names, backoff
//! delays from 1 ms to a day. Rules that need more than one field (ranges that overlap, a missing
//! `range_override`) stay in the validator. It uses only standard keywords and no `format`, so a
//! strict validator (ajv `strict: true`) compiles it as it is.

use schemars::generate::SchemaSettings;
use schemars::transform::{RecursiveTransform, RestrictFormats, Transform};
use serde_json::json;

use crate::MAX_CLOSE_REASON_BYTES;
use crate::closed_sets::{Delivery, FamilyKind};
use crate::source::Document;

/// The JSON Schema (draft 2020-12) of a `codes.yaml` document, as a JSON value.
///
/// ```
/// let schema = codebook_model::json_schema();
/// assert_eq!(schema["properties"]["families"]["type"], "array");
/// assert_eq!(schema["$defs"]["CodeEntry"]["properties"]["code"]["maximum"], 65535);
/// ```
pub fn json_schema() -> serde_json::Value {
    let mut schema = SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<Document>();
    // `int64` and friends are not formats of the standard, and strict validators reject them.
    let mut no_formats = RestrictFormats::default();
    no_formats.infer_from_meta_schema = false;
    RecursiveTransform(no_formats).transform(&mut schema);
    schema.insert("title".into(), "codes.yaml".into());
    schema.insert(
        "description".into(),
        "The codebook registry of error and disconnect codes; the header comment of codes.yaml documents every field."
            .into(),
    );
    let mut value = schema.to_value();
    drop_null(&mut value);
    restrict_text(&mut value);
    restrict_by_kind(&mut value);
    restrict_package_names(&mut value);
    value
}

/// The `bindings:` names, held to the rules the loader checks (`package.rs`): the same character
/// sets and the same keyword lists, written as patterns an editor can apply while typing. (The
/// loader's one rule across fields, a Go package that is the module path's last element, stays
/// with the loader.)
fn restrict_package_names(schema: &mut serde_json::Value) {
    use crate::naming::{GO_KEYWORDS, JAVA_KEYWORDS, PYTHON_KEYWORDS};
    let not_keyword = |keywords: &[&str], end: &str| {
        // Keywords are letters, `_` and `-`, all literal outside a character class.
        format!("(?!(?:{}){end})", keywords.join("|"))
    };
    let dotted = |keywords: &[&str]| {
        let part = format!("{}[a-z][a-z0-9_]*", not_keyword(keywords, "(?:\\.|$)"));
        format!("^{part}(?:\\.{part})*$")
    };
    let npm_part = "[a-z0-9~-][a-z0-9._~-]*";
    let go_element = "[A-Za-z0-9_~-](?:[A-Za-z0-9._~-]*[A-Za-z0-9_~-])?";
    let patterns = [
        ("TypeScriptPackageEntry", "package", format!("^(?=.{{1,214}}$)(?:@{npm_part}/)?{npm_part}$")),
        ("GoPackageEntry", "module", format!("^(?=[^/]*\\.){go_element}(?:/{go_element})*$")),
        ("GoPackageEntry", "package", format!("^{}[a-z][a-z0-9_]*$", not_keyword(GO_KEYWORDS, "$"))),
        ("PythonPackageEntry", "distribution", "^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$".to_string()),
        ("PythonPackageEntry", "package", dotted(PYTHON_KEYWORDS)),
        ("JavaPackageEntry", "group_id", dotted(JAVA_KEYWORDS)),
        ("JavaPackageEntry", "artifact_id", "^[a-z0-9][a-z0-9._-]*$".to_string()),
        ("JavaPackageEntry", "package", dotted(JAVA_KEYWORDS)),
        (
            "BindingsEntry",
            "out",
            r"^(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+(?:/(?!\.{1,2}(?:/|$))[A-Za-z0-9._-]+)*$".to_string(),
        ),
        (
            "BindingsEntry",
            "repository",
            r"^https://[A-Za-z0-9._~-]*\.[A-Za-z0-9._~-]*(?:[/:][A-Za-z0-9._~/:-]*)?$".to_string(),
        ),
    ];
    for (definition, field, pattern) in patterns {
        let pointer = format!("/$defs/{definition}/properties/{field}");
        let property = schema
            .pointer_mut(&pointer)
            .and_then(|property| property.as_object_mut())
            .unwrap_or_else(|| panic!("the schema has no {pointer}"));
        property.insert("pattern".into(), pattern.into());
    }
    if let Some(targets) = schema.pointer_mut("/$defs/BindingsEntry/properties/targets").and_then(|p| p.as_object_mut())
    {
        targets.insert("minItems".into(), 1.into());
        targets.insert("uniqueItems".into(), true.into());
    }
}

/// An optional field is left out by omitting it; `null` is not offered (it also keeps every `type`
/// a single type, which strict validators ask for).
fn drop_null(schema: &mut serde_json::Value) {
    use serde_json::Value;
    match schema {
        Value::Object(object) => {
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|name| name != "null");
                if let [single] = types.as_slice() {
                    let single = single.clone();
                    object.insert("type".into(), single);
                }
            }
            if let Some(Value::Array(choices)) = object.get_mut("anyOf") {
                choices.retain(|choice| choice.get("type").is_none_or(|name| name != "null"));
                if let [Value::Object(single)] = choices.as_slice() {
                    let single = single.clone();
                    object.remove("anyOf");
                    object.extend(single);
                }
            }
            object.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// One line with something on it: titles, labels, causes, notes (the validator's `check_line`).
const ONE_LINE: &str = r"^[^\r\n]*\S[^\r\n]*\n*$";
/// Something besides whitespace: descriptions (Markdown, several lines allowed).
const NOT_BLANK: &str = r"\S";
/// A wire message: one line, no control or bidirectional-control characters, no padding.
const WIRE_MESSAGE: &str = r"^[^\s\p{Cc}\u202A-\u202E\u2066-\u2069](?:[^\p{Cc}\u202A-\u202E\u2066-\u2069]*[^\s\p{Cc}\u202A-\u202E\u2066-\u2069])?$";

/// The text rules of single fields, and the lists that may not be empty.
fn restrict_text(schema: &mut serde_json::Value) {
    let mut set = |pointer: &str, key: &str, value: serde_json::Value| {
        let property = schema
            .pointer_mut(pointer)
            .and_then(|property| property.as_object_mut())
            .unwrap_or_else(|| panic!("the schema has no {pointer}"));
        property.insert(key.into(), value);
    };
    for (definition, field) in [
        ("FamilyEntry", "title"),
        ("RangeEntry", "label"),
        ("FallbackEntry", "label"),
        ("RetiredEntry", "note"),
        ("CodeEntry", "rationale"),
        ("CodeEntry", "range_override"),
        ("CodeEntry", "since"),
        ("CodeEntry", "deprecated"),
        ("CodeEntry", "message_varies"),
        ("ChangeEntry", "version"),
        ("ChangeEntry", "note"),
    ] {
        set(&format!("/$defs/{definition}/properties/{field}"), "pattern", ONE_LINE.into());
    }
    set("/$defs/CodeEntry/properties/causes/items", "pattern", ONE_LINE.into());
    for definition in ["FamilyEntry", "CodeEntry"] {
        set(&format!("/$defs/{definition}/properties/description"), "pattern", NOT_BLANK.into());
    }
    set("/$defs/CodeEntry/properties/message", "pattern", WIRE_MESSAGE.into());
    set("/$defs/CodeEntry/properties/known_messages/items", "pattern", WIRE_MESSAGE.into());
    set("/$defs/CodeEntry/properties/known_messages", "uniqueItems", true.into());
    // Exactly one of a fixed text and a varying one; known texts only beside a varying one.
    // (Each branch names its property, which strict validators require of a `required` list.)
    set(
        "/$defs/CodeEntry",
        "oneOf",
        json!([
            { "properties": { "message": {} }, "required": ["message"] },
            { "properties": { "message_varies": {} }, "required": ["message_varies"] }
        ]),
    );
    set("/$defs/CodeEntry", "dependentRequired", json!({ "known_messages": ["message_varies"] }));
    set("/$defs/CodeSpaceEntry/properties/width_bits", "enum", json!([8, 16]));
    set("/properties/version", "pattern", r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$".into());
    set("/properties/doc_base_url", "pattern", r"^https?://[^\s]+$".into());
    for pointer in ["/properties/families", "/$defs/FamilyEntry/properties/codes", "/$defs/CodeEntry/properties/causes"]
    {
        set(pointer, "minItems", 1.into());
    }
    // `causes` reads as empty when left out, and the validator then asks for one.
    if let Some(serde_json::Value::Array(required)) = schema.pointer_mut("/$defs/CodeEntry/required") {
        required.push("causes".into());
    }
}

/// A family's kind narrows the numbers its codes may have (`FamilyKind::allowed_numbers`), names
/// the one behaviour field its codes, ranges and fallback use (`FamilyKind::behaviour_field`), and
/// decides whether a message is a close reason (at most 123 bytes, so at most 123 characters).
fn restrict_by_kind(schema: &mut serde_json::Value) {
    let conditions: Vec<serde_json::Value> = [FamilyKind::WebsocketClose, FamilyKind::Error]
        .into_iter()
        .map(|kind| {
            let own = kind.behaviour_field();
            let other = if own == "reconnect" { "temporary" } else { "reconnect" };
            // `false`: the field must not be there.
            let mut code = json!({ "type": "object", "properties": { other: false } });
            if kind == FamilyKind::WebsocketClose {
                let reason = json!({ "type": "string", "maxLength": MAX_CLOSE_REASON_BYTES });
                code["properties"]["message"] = reason.clone();
                code["properties"]["known_messages"] = json!({ "type": "array", "items": reason });
            } else {
                code["properties"]["origin"] = json!({ "not": { "const": "user_agent" } });
            }
            let mut range = json!({ "type": "object", "properties": { own: { "type": "boolean" }, other: false } });
            if kind == FamilyKind::WebsocketClose {
                range["required"] = json!([own]);
            }
            json!({
                "if": { "properties": { "kind": { "const": kind.as_str() } }, "required": ["kind"] },
                "then": {
                    "properties": {
                        "codes": { "type": "array", "items": code },
                        "ranges": { "type": "array", "items": range },
                        "fallback": {
                            "type": "object",
                            "properties": { own: { "type": "boolean" }, other: false },
                            "required": [own]
                        }
                    }
                }
            })
        })
        .collect();
    if let Some(family) = schema.pointer_mut("/$defs/FamilyEntry").and_then(|family| family.as_object_mut()) {
        let mut conditions = conditions;
        conditions.extend(restrict_numbers());
        conditions.push(restrict_to_one_byte());
        family.insert("allOf".into(), conditions.into());
    }
}

/// The numbers a family's codes may have (`Family::allowed_numbers`): a kind's narrower range
/// applies when the codes travel in a close frame, which `delivered_in` says, or which the kind
/// implies when `delivered_in` is left out.
fn restrict_numbers() -> Vec<serde_json::Value> {
    let close_frame = Delivery::CloseFrame.as_str();
    [FamilyKind::WebsocketClose, FamilyKind::Error]
        .into_iter()
        .filter(|kind| kind.allowed_numbers() != (0..=u16::MAX))
        .map(|kind| {
            let allowed = kind.allowed_numbers();
            json!({
                "if": {
                    "properties": {
                        "kind": { "const": kind.as_str() },
                        "delivered_in": { "type": "array", "contains": { "const": close_frame } }
                    },
                    "required": ["kind"]
                },
                "then": {
                    "properties": {
                        "codes": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "code": { "type": "integer", "minimum": allowed.start(), "maximum": allowed.end() }
                                }
                            }
                        }
                    }
                }
            })
        })
        .collect()
}

/// A one-byte code space (`code_space: { width_bits: 8 }`) holds its codes, ranges and retired
/// numbers to 0-255 (`CodeSpace::largest`).
fn restrict_to_one_byte() -> serde_json::Value {
    let largest = crate::CodeSpace { width_bits: 8, ..crate::CodeSpace::DEFAULT }.largest();
    let number = json!({ "type": "integer", "maximum": largest });
    let items = |fields: &[&str]| {
        let properties: serde_json::Map<String, serde_json::Value> =
            fields.iter().map(|field| (field.to_string(), number.clone())).collect();
        json!({ "type": "array", "items": { "type": "object", "properties": properties } })
    };
    json!({
        "if": {
            "properties": {
                "code_space": { "type": "object", "properties": { "width_bits": { "const": 8 } }, "required": ["width_bits"] }
            },
            "required": ["code_space"]
        },
        "then": {
            "properties": {
                "codes": items(&["code"]),
                "ranges": items(&["from", "to"]),
                "retired": items(&["code", "moved_to"])
            }
        }
    })
}
