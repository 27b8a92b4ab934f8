//! The relevance set (`tests/search_relevance.json`): queries as users type or paste them, each
//! with the codes that must be in the first three results. Prints hit@1 and hit@3 of the server's
//! ranking and fails below the set's goal; `search_cases.mjs` does the same for `search.js`.

use codebook_model::{EMBEDDED_CODES_YAML, load_str};
use serde::Deserialize;
use site::search::{Filters, SearchIndex};

#[derive(Deserialize)]
struct RelevanceSet {
    goal: Goal,
    queries: Vec<Judged>,
}

#[derive(Deserialize)]
struct Goal {
    hit_at_1: f64,
    hit_at_3: f64,
}

#[derive(Deserialize)]
struct Judged {
    query: String,
    top3: Vec<String>,
}

#[test]
fn the_relevance_set_meets_its_goal() {
    let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).expect("embedded registry is valid");
    let index = SearchIndex::new(&registry);
    let set: RelevanceSet =
        serde_json::from_str(include_str!("search_relevance.json")).expect("search_relevance.json parses");
    assert!(set.queries.len() >= 30, "the set holds at least 30 queries");
    let (mut at_1, mut at_3) = (0, 0);
    let mut misses = Vec::new();
    for judged in &set.queries {
        assert!(!judged.top3.is_empty() && judged.top3.len() <= 3, "{:?}: list one to three codes", judged.query);
        let ranked: Vec<String> = index
            .search(&registry, &judged.query, &Filters::default())
            .hits
            .iter()
            .map(|hit| {
                let family = &registry.families[hit.family];
                format!("{}/{}", family.id, family.codes[hit.code].number)
            })
            .collect();
        let first = ranked.first().is_some_and(|first| judged.top3.contains(first));
        let top = judged.top3.iter().all(|wanted| ranked.iter().take(3).any(|got| got == wanted));
        at_1 += usize::from(first);
        at_3 += usize::from(top);
        if !first || !top {
            misses.push(format!(
                "{:?}: want {:?} in the top 3, got {:?}",
                judged.query,
                judged.top3,
                &ranked[..ranked.len().min(5)]
            ));
        }
    }
    let total = set.queries.len() as f64;
    let (hit_1, hit_3) = (at_1 as f64 / total, at_3 as f64 / total);
    eprintln!("search relevance (server): hit@1 {hit_1:.3} ({at_1}/{total}), hit@3 {hit_3:.3} ({at_3}/{total})");
    for miss in &misses {
        eprintln!("  {miss}");
    }
    assert!(
        hit_1 >= set.goal.hit_at_1 && hit_3 >= set.goal.hit_at_3,
        "below the goal (hit@1 >= {}, hit@3 >= {}):\n{}",
        set.goal.hit_at_1,
        set.goal.hit_at_3,
        misses.join("\n")
    );
}
