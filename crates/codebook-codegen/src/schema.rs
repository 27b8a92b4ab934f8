//! The JSON Schema backend: `codes.schema.json`, which `codes.yaml` names on its first line
//! (`yaml-language-server: $schema=...`) so editors complete and check the registry.
//!
//! The schema itself comes from the model crate (derived from the types the loader reads); this
//! backend only adds the provenance notice and writes it.

use codebook_model::Registry;

use crate::backend::{Backend, GeneratedFile, Provenance};

pub struct Schema;

impl Backend for Schema {
    fn name(&self) -> &'static str {
        "schema"
    }

    fn generate(&self, _registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        // The notice goes first whether or not serde_json keeps insertion order.
        let mut schema = serde_json::Map::new();
        schema.insert("$comment".into(), format!("{} | {}", provenance.notice(), provenance.hash_line()).into());
        if let serde_json::Value::Object(derived) = codebook_model::json_schema() {
            schema.extend(derived);
        }
        let mut text = serde_json::to_string_pretty(&schema).expect("a JSON value serialises");
        text.push('\n');
        vec![GeneratedFile::new("codes.schema.json", text)]
    }
}

#[cfg(test)]
mod tests {
    /// Editors only help if every object rejects unknown fields (as the loader does) and every
    /// field says what it is for.
    #[test]
    fn every_object_is_closed_and_every_field_documented() {
        let schema = codebook_model::json_schema();
        let definitions = schema["$defs"].as_object().expect("definitions");
        for name in ["CodeEntry", "FamilyEntry", "RangeEntry", "FallbackEntry", "RetiredEntry"] {
            let definition = &definitions[name];
            assert_eq!(definition["additionalProperties"], false, "{name}");
            for (field, property) in definition["properties"].as_object().expect("properties") {
                assert!(property["description"].is_string(), "{name}.{field} has no description");
            }
        }
        assert_eq!(definitions["FamilyKind"]["enum"], serde_json::json!(["websocket_close", "error"]));
    }
}
