//! Each change rule sizes the edit it exists for: additions minor, text alone a patch, breaks major.

use codebook_model::{Bump, EMBEDDED_CODES_YAML, load_str, release_changes, required_bump};

/// The rule ids and the required step for an edit of the shipped registry.
fn classify(edits: &[(&str, &str)]) -> (Vec<&'static str>, Option<Bump>) {
    let mut after = EMBEDDED_CODES_YAML.to_string();
    for (from, to) in edits {
        assert_eq!(after.matches(from).count(), 1, "edit target {from:?}");
        after = after.replacen(from, to, 1);
    }
    let before = load_str("before.yaml", EMBEDDED_CODES_YAML).unwrap();
    let after = load_str("after.yaml", &after).unwrap_or_else(|error| panic!("{error}"));
    let changes = release_changes(&before, &after);
    (changes.iter().map(|change| change.class.id()).collect(), required_bump(&changes))
}

#[test]
fn each_kind_of_change_gets_its_rule_and_its_step() {
    assert_eq!(classify(&[]), (vec![], None));
    assert_eq!(
        classify(&[("\nversion: 0.1.0\n", "\nversion: 0.2.0\n")]),
        (vec![], None),
        "the version alone is no change"
    );
    assert_eq!(
        classify(&[("Every worker is busy with other sessions", "All workers are busy")]),
        (vec!["TEXT_CHANGED"], Some(Bump::Patch))
    );
    // A slower hint is no break, but programs see it.
    let hint = "          min_ms: 5000\n          max_ms: 60000\n          jitter: full\n          give_up_after_ms: 1800000\n";
    assert_eq!(
        classify(&[(hint, &hint.replace("min_ms: 5000", "min_ms: 6000"))]),
        (vec!["CODE_CHANGED"], Some(Bump::Minor))
    );
    // A more careful family default is the family's change, not one per inheriting code.
    let default =
        "    backoff:\n      min_ms: 1000\n      max_ms: 30000\n      jitter: full\n      give_up_after_ms: 600000\n";
    assert_eq!(
        classify(&[(default, &default.replace("min_ms: 1000", "min_ms: 2000"))]),
        (vec!["FAMILY_CHANGED"], Some(Bump::Minor))
    );
    // A break in a family is its line; no "family changed" line repeats it.
    let range = "        label: Custom application code, client reconnects\n        reconnect: true\n";
    assert_eq!(
        classify(&[(range, &range.replace("reconnect: true", "reconnect: false"))]),
        (vec!["RANGE_SAME_CLASSIFICATION"], Some(Bump::Major))
    );
    // A label alone is text.
    assert_eq!(
        classify(&[(range, &range.replace("client reconnects", "the client reconnects"))]),
        (vec!["TEXT_CHANGED"], Some(Bump::Patch))
    );
    assert_eq!(
        classify(&[(hint, &hint.replace("min_ms: 5000", "min_ms: 50"))]),
        (vec!["BACKOFF_MIN_NO_DECREASE"], Some(Bump::Major))
    );
}

#[test]
fn a_new_code_links_its_page() {
    let before = load_str("before.yaml", EMBEDDED_CODES_YAML).unwrap();
    let family = before.family("streaming-session").unwrap();
    let last = family.codes_by_number().last().unwrap().number;
    let anchor = "        causes:\n          - Every worker is busy with other sessions\n";
    let added = format!(
        "{anchor}          - Not enough GPUs left in the pool\n          - Workers offline or being drained\n\n      - code: {}\n        name: SeatLimit\n        message: Seat Limit\n        reconnect: false\n        description: The account has no free seat.\n        causes: [too many sessions]\n",
        last + 1
    );
    let after_text = EMBEDDED_CODES_YAML.replacen(
        &format!(
            "{anchor}          - Not enough GPUs left in the pool\n          - Workers offline or being drained\n"
        ),
        &added,
        1,
    );
    let after = load_str("after.yaml", &after_text).unwrap_or_else(|error| panic!("{error}"));
    let changes = release_changes(&before, &after);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].class.id(), "CODE_ADDED");
    assert_eq!(changes[0].url, format!("/codes/streaming-session/{}", last + 1));
    assert_eq!(required_bump(&changes), Some(Bump::Minor));
}
