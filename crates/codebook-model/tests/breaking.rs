//! Each breaking-change rule fires on the edit it exists for, and a safe edit breaks nothing.

use codebook_model::{BreakCategory, compare, load_str};

const BEFORE: &str = r#"
families:
  - id: chat
    title: Chat disconnects
    kind: websocket_close
    description: Codes a chat server closes with.
    ranges:
      - from: 3000
        to: 3499
        scope: server
        label: server codes that reconnect
        reconnect: true
      - from: 3500
        to: 3999
        scope: server
        label: server codes that are terminal
        reconnect: false
    fallback:
      label: anything else
      reconnect: true
    retired:
      - code: 3002
        moved_to: 3500
        note: moved to the terminal range
    codes:
      - code: 3000
        name: Shutdown
        message: shutdown
        description: The server is going down.
        causes: [a deploy]
      - code: 3001
        name: Slow
        message: slow
        description: The client reads too slowly.
        causes: [a slow network]
      - code: 3500
        name: InvalidToken
        message: invalid token
        description: The token is not valid.
        causes: [a bad token]
  - id: rpc
    title: RPC errors
    kind: error
    description: Errors in command replies.
    fallback:
      label: anything else
      temporary: false
    codes:
      - code: 100
        name: Internal
        message: internal server error
        temporary: true
        description: Something failed inside the server.
        causes: [a bug]
"#;

/// The rule ids `compare` reports for the edit `from` → `to` applied to `BEFORE`.
fn rules_fired(edits: &[(&str, &str)]) -> Vec<&'static str> {
    let mut after = BEFORE.to_string();
    for (from, to) in edits {
        assert!(after.contains(from), "edit target {from:?} not found");
        after = after.replacen(from, to, 1);
    }
    let before = load_str("before.yaml", BEFORE).unwrap();
    let after = load_str("after.yaml", &after).unwrap_or_else(|error| panic!("{error}"));
    compare(&before, &after).iter().map(|found| found.rule.id).collect()
}

#[test]
fn safe_edits_break_nothing() {
    let added = "        causes: [a bad token]\n      - code: 3501\n        name: Banned\n        message: banned\n        description: The user is banned.\n        causes: [moderation]\n";
    assert_eq!(rules_fired(&[("        causes: [a bad token]\n", added)]), Vec::<&str>::new());
    assert_eq!(rules_fired(&[("The server is going down.", "The node restarts.")]), Vec::<&str>::new());
    // Retiring a code (instead of deleting it) is the safe way to stop using it.
    assert_eq!(
        rules_fired(&[
            (
                "      - code: 3001\n        name: Slow\n        message: slow\n        description: The client reads too slowly.\n        causes: [a slow network]\n",
                ""
            ),
            ("    retired:\n", "    retired:\n      - code: 3001\n        note: no longer sent\n"),
        ]),
        Vec::<&str>::new()
    );
}

#[test]
fn deleting_a_code_or_family_breaks_the_wire() {
    assert_eq!(
        rules_fired(&[(
            "      - code: 3001\n        name: Slow\n        message: slow\n        description: The client reads too slowly.\n        causes: [a slow network]\n",
            ""
        )]),
        ["CODE_NO_DELETE"]
    );
    assert_eq!(rules_fired(&[("id: rpc", "id: rpc-errors")]), ["FAMILY_NO_DELETE"]);
}

#[test]
fn renames_message_changes_and_flips_are_reported() {
    assert_eq!(rules_fired(&[("name: Slow", "name: TooSlow")]), ["CODE_SAME_NAME"]);
    assert_eq!(rules_fired(&[("message: slow", "message: too slow")]), ["CODE_SAME_MESSAGE"]);
    assert_eq!(rules_fired(&[("        temporary: true\n", "        temporary: false\n")]), ["CODE_SAME_BEHAVIOUR"]);
}

/// A text that begins to vary, or a known text that disappears, breaks log queries and clients
/// matching on it; rewording what a varying text holds or listing more known texts does not.
#[test]
fn message_texts_may_grow_but_never_vanish() {
    let varies = |known: &str| format!("message_varies: the reader's own words\n        known_messages: [{known}]");
    assert_eq!(rules_fired(&[("message: slow", &varies("slow"))]), ["CODE_SAME_MESSAGE"]);
    let from_varying = |before: &str, after: &str| {
        let base = BEFORE.replacen("message: slow", &varies(before), 1);
        let edited = BEFORE.replacen("message: slow", after, 1);
        let before = load_str("before.yaml", &base).unwrap_or_else(|error| panic!("{error}"));
        let after = load_str("after.yaml", &edited).unwrap_or_else(|error| panic!("{error}"));
        compare(&before, &after).iter().map(|found| found.rule.id).collect::<Vec<_>>()
    };
    assert_eq!(from_varying("slow", &varies("slow, too slow")), Vec::<&str>::new());
    assert_eq!(from_varying("slow", "message_varies: other words\n        known_messages: [slow]"), Vec::<&str>::new());
    assert_eq!(from_varying("slow", "message: slow"), Vec::<&str>::new());
    assert_eq!(from_varying("slow, too slow", &varies("slow")), ["CODE_SAME_MESSAGE"]);
    assert_eq!(from_varying("slow, too slow", "message: slow"), ["CODE_SAME_MESSAGE"]);
}

#[test]
fn retired_numbers_stay_retired() {
    let reuse = "        causes: [a bad token]\n      - code: 3002\n        name: Expired\n        message: expired\n        description: The connection expired.\n        causes: [time]\n";
    let unretire =
        ("    retired:\n      - code: 3002\n        moved_to: 3500\n        note: moved to the terminal range\n", "");
    assert_eq!(rules_fired(&[unretire, ("        causes: [a bad token]\n", reuse)]), ["NUMBER_NO_REUSE"]);
    assert_eq!(rules_fired(&[unretire]), ["RETIRED_NO_DELETE"]);
}

#[test]
fn a_range_that_reclassifies_names_the_first_such_number() {
    // Shrinking the reconnect range changes nothing: the fallback reconnects too.
    assert_eq!(rules_fired(&[("        to: 3499\n", "        to: 3199\n")]), Vec::<&str>::new());

    // Moving the terminal range up hands 3500-3599 to the reconnecting fallback: InvalidToken
    // (which took its behaviour from the range) flips, and so does every unregistered number there.
    let before = load_str("before.yaml", BEFORE).unwrap();
    let after = load_str("after.yaml", &BEFORE.replacen("      - from: 3500\n", "      - from: 3600\n", 1)).unwrap();
    let breaks = compare(&before, &after);
    let rules: Vec<&str> = breaks.iter().map(|found| found.rule.id).collect();
    assert_eq!(rules, ["CODE_SAME_BEHAVIOUR", "RANGE_SAME_CLASSIFICATION"]);
    assert_eq!(breaks[1].rule.category, BreakCategory::Behaviour);
    assert_eq!(
        breaks[1].message,
        "unregistered number 3501 of `chat` now classifies as reconnect (anything else); it was terminal (server codes that are terminal)"
    );
}
