//! The JSON Schema of `codes.yaml`, derived from the very types the loader deserialises into, so
//! editor completion and the parser can never disagree about which fields exist.
//!
//! The schema only describes shape (field names, types, enums, unknown fields rejected); rules that
//! need more than one field (ranges that overlap, a missing `range_override`) stay in the validator.

use crate::source::Document;

/// The JSON Schema (draft 2020-12) of a `codes.yaml` document, as a JSON value.
///
/// ```
/// let schema = codebook_model::json_schema();
/// assert_eq!(schema["properties"]["families"]["type"], "array");
/// ```
pub fn json_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Document);
    schema.insert("title".into(), "codes.yaml".into());
    schema.insert(
        "description".into(),
        "The codebook registry of error and disconnect codes; the header comment of codes.yaml documents every field."
            .into(),
    );
    schema.to_value()
}
