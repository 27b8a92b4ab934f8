//! The portal's search on the shipped registry with arbitrary queries and filters: it never
//! panics, ranks by tier, and an exact registered number always comes first.
#![no_main]

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use codebook_model::Registry;
use libfuzzer_sys::fuzz_target;
use site::search::{Filters, SearchIndex, parse_behaviour};

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).expect("the shipped registry loads")
});
static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| SearchIndex::new(&REGISTRY));

#[derive(Arbitrary, Debug)]
struct Input {
    query: String,
    family: Option<String>,
    behaviour: Option<String>,
}

fuzz_target!(|input: Input| {
    let filters = Filters {
        family: input.family,
        behaviour: input.behaviour.as_deref().and_then(parse_behaviour),
        ..Filters::default()
    };
    let results = INDEX.search(&REGISTRY, &input.query, &filters);
    assert!(results.hits.windows(2).all(|pair| pair[0].tier <= pair[1].tier), "hits out of tier order");
    for hit in &results.hits {
        let family = &REGISTRY.families[hit.family];
        let _ = &family.codes[hit.code];
        if let Some(wanted) = &filters.family {
            assert_eq!(&family.id, wanted, "a hit outside the family filter");
        }
    }
    // Only a number written the canonical way counts (Rust's parser also takes "+102" and "0102").
    let typed = input.query.trim();
    if let Some(number) = typed.parse::<u16>().ok().filter(|number| number.to_string() == typed) {
        if filters.is_empty() && REGISTRY.families.iter().any(|family| family.code(number).is_some()) {
            let first = results.hits.first().expect("a registered number is found");
            assert_eq!(REGISTRY.families[first.family].codes[first.code].number, number);
        }
    }
});
