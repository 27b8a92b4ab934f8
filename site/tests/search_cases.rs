//! The server's ranking against `tests/search_cases.json`, the cases the browser's `search.js`
//! must answer identically (`cargo xtask test` runs them in Node against the exported index).
//! `CODEBOOK_BLESS=1` rewrites the expected hits and notes after a deliberate registry change;
//! review the diff before committing.

use codebook_model::{EMBEDDED_CODES_YAML, load_str};
use serde::Deserialize;
use site::search::{Filters, SearchIndex, parse_action, parse_behaviour};

#[derive(Deserialize, serde::Serialize)]
struct Case {
    query: String,
    #[serde(default)]
    filters: CaseFilters,
    hits: Vec<String>,
    notes: Vec<String>,
    /// "Did you mean", when the query has typos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
}

#[derive(Default, Deserialize, serde::Serialize)]
struct CaseFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    behaviour: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<String>,
}

#[test]
fn server_ranking_matches_the_shared_cases() {
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).expect("embedded registry is valid");
    let index = SearchIndex::new(&registry);
    let mut cases: Vec<Case> =
        serde_json::from_str(include_str!("search_cases.json")).expect("search_cases.json parses");
    let bless = std::env::var_os("CODEBOOK_BLESS").is_some();
    assert!(cases.len() >= 10, "the shared cases cover the ranking rules");
    let mut failures = Vec::new();
    for case in &mut cases {
        let filters = Filters {
            family: case.filters.family.clone(),
            behaviour: case.filters.behaviour.as_deref().map(|b| parse_behaviour(b).expect("known behaviour")),
            action: case.filters.action.as_deref().map(|a| parse_action(a).expect("known action")),
        };
        let results = index.search(&registry, &case.query, &filters);
        let hits: Vec<String> = results
            .hits
            .iter()
            .map(|hit| {
                let family = &registry.families[hit.family];
                format!("{}/{}", family.id, family.codes[hit.code].number)
            })
            .collect();
        let notes: Vec<String> =
            results.notes.iter().map(|note| format!("{}/{}", registry.families[note.family].id, note.number)).collect();
        if bless {
            (case.hits, case.notes, case.suggestion) = (hits, notes, results.suggestion);
            continue;
        }
        if hits != case.hits || notes != case.notes || results.suggestion != case.suggestion {
            failures.push(format!(
                "query {:?}: got hits {hits:?} notes {notes:?} suggestion {:?}, expected hits {:?} notes {:?} suggestion {:?}",
                case.query, results.suggestion, case.hits, case.notes, case.suggestion
            ));
        }
    }
    if bless {
        let lines: Vec<String> =
            cases.iter().map(|case| serde_json::to_string(case).expect("a case serialises")).collect();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search_cases.json");
        std::fs::write(path, format!("[\n  {}\n]\n", lines.join(",\n  "))).expect("search_cases.json is writable");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
