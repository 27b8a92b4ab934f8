//! The server's ranking against `tests/search_cases.json`, the cases the browser's `search.js`
//! must answer identically (`cargo xtask test` runs them in Node against the exported index).

use codebook_model::{EMBEDDED_CODES_YAML, load_str};
use serde::Deserialize;
use site::search::{Filters, SearchIndex, parse_action, parse_behaviour};

#[derive(Deserialize)]
struct Case {
    query: String,
    #[serde(default)]
    filters: CaseFilters,
    hits: Vec<String>,
    notes: Vec<String>,
}

#[derive(Default, Deserialize)]
struct CaseFilters {
    family: Option<String>,
    behaviour: Option<String>,
    action: Option<String>,
}

#[test]
fn server_ranking_matches_the_shared_cases() {
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).expect("embedded registry is valid");
    let index = SearchIndex::new(&registry);
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("search_cases.json")).expect("search_cases.json parses");
    assert!(cases.len() >= 10, "the shared cases cover the ranking rules");
    let mut failures = Vec::new();
    for case in &cases {
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
        let notes: Vec<String> = results
            .notes
            .iter()
            .map(|note| format!("{}/{}", registry.families[note.family].id, note.number))
            .collect();
        if hits != case.hits || notes != case.notes {
            failures.push(format!(
                "query {:?}: got hits {hits:?} notes {notes:?}, expected hits {:?} notes {:?}",
                case.query, case.hits, case.notes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
