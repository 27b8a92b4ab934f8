//! The conformance vectors, `vectors.json`: what every binding must answer for every registered
//! code, and for unregistered numbers at both sides of every segment boundary.
//!
//! The Rust, TypeScript and Go test suites each load this file and assert every row, so the three
//! bindings agree with the model (and each other) by test, not by trust.

use codebook_model::{Family, Registry};
use serde::Serialize;

use super::{Backend, GeneratedFile, Provenance};

pub struct Vectors;

impl Backend for Vectors {
    fn name(&self) -> &'static str {
        "vectors"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let document = Document {
            comment: provenance.notice(),
            source_sha256: &provenance.sha256,
            families: registry.families.iter().map(family_vectors).collect(),
        };
        let mut text = serde_json::to_string_pretty(&document).expect("vectors serialise");
        text.push('\n');
        vec![GeneratedFile::new("vectors.json", text)]
    }
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$comment")]
    comment: String,
    source_sha256: &'a str,
    families: Vec<FamilyVectors<'a>>,
}

#[derive(Serialize)]
struct FamilyVectors<'a> {
    id: &'a str,
    type_name: &'a str,
    kind: &'static str,
    codes: Vec<CodeRow<'a>>,
    unregistered: Vec<UnregisteredRow<'a>>,
}

/// A registered code. `description` is trimmed at the end, as every binding returns it.
#[derive(Serialize)]
struct CodeRow<'a> {
    code: u16,
    name: &'a str,
    message: &'a str,
    description: &'a str,
    causes: &'a [String],
    behaviour: &'static str,
    should_reconnect: bool,
    is_terminal: bool,
    is_temporary: bool,
    local_only: bool,
    go_constant: &'a str,
}

/// An unregistered number and what its segment says.
#[derive(Serialize)]
struct UnregisteredRow<'a> {
    code: u16,
    behaviour: &'static str,
    should_reconnect: bool,
    is_terminal: bool,
    is_temporary: bool,
    scope: &'static str,
    label: &'a str,
}

fn family_vectors(family: &Family) -> FamilyVectors<'_> {
    let codes = family
        .codes_by_number()
        .into_iter()
        .map(|code| CodeRow {
            code: code.number,
            name: &code.name,
            message: &code.message,
            description: code.description.trim_end(),
            causes: &code.causes,
            behaviour: code.behaviour.as_str(),
            should_reconnect: code.behaviour.should_reconnect(),
            is_terminal: code.behaviour.is_terminal(),
            is_temporary: code.behaviour.is_temporary(),
            local_only: code.local_only,
            go_constant: &code.names.go_constant,
        })
        .collect();
    let unregistered = boundary_samples(family)
        .into_iter()
        .map(|number| {
            let classified = family.classify(number);
            UnregisteredRow {
                code: number,
                behaviour: classified.behaviour.as_str(),
                should_reconnect: classified.behaviour.should_reconnect(),
                is_terminal: classified.behaviour.is_terminal(),
                is_temporary: classified.behaviour.is_temporary(),
                scope: classified.segment.scope.as_str(),
                label: &classified.segment.label,
            }
        })
        .collect();
    FamilyVectors {
        id: &family.id,
        type_name: &family.names.type_name,
        kind: family.kind.as_str(),
        codes,
        unregistered,
    }
}

/// For every segment: `from`, `to`, `from - 1` and `to + 1`, where they exist and are not
/// registered codes; sorted, without repeats.
fn boundary_samples(family: &Family) -> Vec<u16> {
    let mut numbers: Vec<u16> = family
        .segments
        .iter()
        .flat_map(|segment| {
            [Some(segment.from), Some(segment.to), segment.from.checked_sub(1), segment.to.checked_add(1)]
        })
        .flatten()
        .filter(|number| family.code(*number).is_none())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}
