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

/// The rule ids and messages `compare` reports for edits of the shipped registry.
fn shipped_breaks(edits: &[(&str, &str)]) -> Vec<(&'static str, String)> {
    let shipped = codebook_model::EMBEDDED_CODES_YAML;
    let mut after = shipped.to_string();
    for (from, to) in edits {
        assert_eq!(after.matches(from).count(), 1, "edit target {from:?} must occur exactly once");
        after = after.replacen(from, to, 1);
    }
    let before = load_str("before.yaml", shipped).unwrap();
    let after = load_str("after.yaml", &after).unwrap_or_else(|error| panic!("{error}"));
    compare(&before, &after).into_iter().map(|found| (found.rule.id, found.message)).collect()
}

/// The four edits of issue 20 that turn a waiting fleet into a storm, each on the shipped
/// registry: every one fails with a message naming the code, the old and new values and what
/// the change does to a fleet.
#[test]
fn the_edits_that_turn_a_waiting_fleet_into_a_storm_break() {
    let at_4001 = "        reconnect: true\n        action: wait_for_capacity\n        backoff:\n          min_ms: 5000\n          max_ms: 60000\n          jitter: full\n";
    assert_eq!(
        shipped_breaks(&[(at_4001, &at_4001.replace("action: wait_for_capacity", "action: reconnect"))]),
        [(
            "CODE_SAME_ACTION",
            "code 4001 `NoWorkerNodeAvailable` of `streaming-session` changed its action from wait_for_capacity to reconnect at the same behaviour (reconnect): a fleet that used to show a waiting state and retry slowly is now told to reconnect at its minimum delay on the same code".to_string()
        )]
    );
    assert_eq!(
        shipped_breaks(&[(at_4001, &at_4001.replace("min_ms: 5000", "min_ms: 1"))]),
        [(
            "BACKOFF_MIN_NO_DECREASE",
            "code 4001 `NoWorkerNodeAvailable` of `streaming-session`: backoff minimum lowered from 5000 ms to 1 ms: every client of a fleet now retries 5000x sooner after the same close, a reconnect storm against a server that asked it to wait".to_string()
        )]
    );
    assert_eq!(
        shipped_breaks(&[(at_4001, &at_4001.replace("jitter: full", "jitter: none"))]),
        [(
            "JITTER_NO_REDUCTION",
            "code 4001 `NoWorkerNodeAvailable` of `streaming-session`: jitter reduced from full to none: every client of a fleet that met the same close now retries at the same instant, in synchronised waves (a thundering herd)".to_string()
        )]
    );
    let family_default =
        "    backoff:\n      min_ms: 1000\n      max_ms: 30000\n      jitter: full\n      give_up_after_ms: 600000\n";
    assert_eq!(
        shipped_breaks(&[(family_default, &family_default.replace("min_ms: 1000", "min_ms: 1"))]),
        [(
            "BACKOFF_MIN_NO_DECREASE",
            "the default backoff of family `streaming-session`: backoff minimum lowered from 1000 ms to 1 ms: every client of a fleet now retries 1000x sooner after the same close, a reconnect storm against a server that asked it to wait".to_string()
        )],
        "one break for the family, none again for each code and range that inherits its default"
    );
}

const WITH_BACKOFF: &str = "    description: Codes a chat server closes with.\n    backoff:\n      min_ms: 1000\n      max_ms: 30000\n      jitter: full\n      give_up_after_ms: 600000\n";

/// `rules_fired` on `BEFORE` with a family default backoff for `chat`, then `edits`.
fn rules_fired_with_backoff(edits: &[(&str, &str)]) -> Vec<&'static str> {
    let mut all = vec![("    description: Codes a chat server closes with.\n", WITH_BACKOFF)];
    let base = BEFORE.replacen(all[0].0, all[0].1, 1);
    all.extend_from_slice(edits);
    let before = load_str("before.yaml", &base).unwrap_or_else(|error| panic!("{error}"));
    let mut after = base.clone();
    for (from, to) in edits {
        assert!(after.contains(from), "edit target {from:?} not found");
        after = after.replacen(from, to, 1);
    }
    let after = load_str("after.yaml", &after).unwrap_or_else(|error| panic!("{error}"));
    compare(&before, &after).iter().map(|found| found.rule.id).collect()
}

#[test]
fn an_action_change_at_the_same_behaviour_breaks_behaviour() {
    // 3000 reconnects by its range, with the default action reconnect_after_backoff.
    let shutdown = "        message: shutdown\n";
    assert_eq!(
        rules_fired(&[(shutdown, "        message: shutdown\n        action: reconnect\n")]),
        ["CODE_SAME_ACTION"]
    );
    // The range's answer for unregistered numbers, likewise.
    let range = "        label: server codes that reconnect\n        reconnect: true\n";
    let before = load_str("before.yaml", BEFORE).unwrap();
    let after =
        load_str("after.yaml", &BEFORE.replacen(range, &format!("{range}        action: wait_for_capacity\n"), 1))
            .unwrap();
    let breaks = compare(&before, &after);
    // Registered codes keep their own action (it follows their behaviour, not the range's).
    assert_eq!(breaks.iter().map(|found| found.rule.id).collect::<Vec<_>>(), ["RANGE_SAME_ACTION"]);
    assert_eq!(breaks[0].rule.category, BreakCategory::Behaviour);
    assert!(
        breaks[0].message.starts_with("unregistered numbers 3000-3499 of `chat` (server codes that reconnect) changed their action from reconnect_after_backoff to wait_for_capacity at the same behaviour (reconnect)"),
        "{}",
        breaks[0].message
    );
    // A change of behaviour is one break, not two.
    assert_eq!(rules_fired(&[("        temporary: true\n", "        temporary: false\n")]), ["CODE_SAME_BEHAVIOUR"]);
}

#[test]
fn a_looser_backoff_breaks_for_the_family_default_and_a_code_of_its_own() {
    assert_eq!(
        rules_fired_with_backoff(&[("      min_ms: 1000\n", "      min_ms: 999\n")]),
        ["BACKOFF_MIN_NO_DECREASE"]
    );
    assert_eq!(
        rules_fired_with_backoff(&[("      max_ms: 30000\n", "      max_ms: 20000\n")]),
        ["BACKOFF_MAX_NO_DECREASE"]
    );
    assert_eq!(rules_fired_with_backoff(&[("      jitter: full\n", "      jitter: none\n")]), ["JITTER_NO_REDUCTION"]);
    assert_eq!(rules_fired_with_backoff(&[("      give_up_after_ms: 600000\n", "")]), ["GIVE_UP_NO_EXTENSION"]);
    assert_eq!(
        rules_fired_with_backoff(&[("      give_up_after_ms: 600000\n", "      give_up_after_ms: 600001\n")]),
        ["GIVE_UP_NO_EXTENSION"]
    );
    // Every loosening at once: one break per rule, in table order.
    assert_eq!(
        rules_fired_with_backoff(&[(
            "      min_ms: 1000\n      max_ms: 30000\n      jitter: full\n      give_up_after_ms: 600000\n",
            "      min_ms: 10\n      max_ms: 100\n      jitter: none\n"
        )]),
        ["BACKOFF_MIN_NO_DECREASE", "BACKOFF_MAX_NO_DECREASE", "JITTER_NO_REDUCTION", "GIVE_UP_NO_EXTENSION"]
    );
    // A code with its own hint is judged on it; one that only inherits is not judged again.
    let own = "        message: slow\n        backoff:\n          min_ms: 5000\n          max_ms: 60000\n          jitter: full\n          give_up_after_ms: 600000\n";
    assert_eq!(
        rules_fired_with_backoff(&[("        message: slow\n", own)]),
        Vec::<&str>::new(),
        "giving a code a slower hint of its own breaks nothing"
    );
    // ... but a hint of its own that drops the family's give-up limit does.
    let forever = own.replace("          give_up_after_ms: 600000\n", "");
    assert_eq!(rules_fired_with_backoff(&[("        message: slow\n", &forever)]), ["GIVE_UP_NO_EXTENSION"]);
    let base = BEFORE.replacen("    description: Codes a chat server closes with.\n", WITH_BACKOFF, 1).replacen(
        "        message: slow\n",
        own,
        1,
    );
    let before = load_str("before.yaml", &base).unwrap();
    let after = load_str("after.yaml", &base.replacen("min_ms: 5000", "min_ms: 50", 1)).unwrap();
    let breaks = compare(&before, &after);
    assert_eq!(breaks.len(), 1);
    assert_eq!(
        breaks[0].message,
        "code 3001 `Slow` of `chat`: backoff minimum lowered from 5000 ms to 50 ms: every client of a fleet now retries 100x sooner after the same close, a reconnect storm against a server that asked it to wait"
    );
}

#[test]
fn a_more_careful_backoff_breaks_nothing() {
    assert_eq!(
        rules_fired_with_backoff(&[(
            "      min_ms: 1000\n      max_ms: 30000\n      jitter: full\n      give_up_after_ms: 600000\n",
            "      min_ms: 2000\n      max_ms: 60000\n      jitter: full\n      give_up_after_ms: 300000\n"
        )]),
        Vec::<&str>::new()
    );
    // Adding jitter or a give-up limit where there was none is safer, too.
    let careless = BEFORE.replacen(
        "    description: Codes a chat server closes with.\n",
        "    description: Codes a chat server closes with.\n    backoff:\n      min_ms: 1000\n      max_ms: 30000\n      jitter: none\n",
        1,
    );
    let careful = careless.replacen("      jitter: none\n", "      jitter: full\n      give_up_after_ms: 60000\n", 1);
    let (before, after) = (load_str("before.yaml", &careless).unwrap(), load_str("after.yaml", &careful).unwrap());
    assert!(compare(&before, &after).is_empty());
}

#[test]
fn every_rule_is_declared_once_with_a_category_and_a_purpose() {
    let ids: Vec<&str> = codebook_model::BREAK_RULES.iter().map(|rule| rule.id).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert_eq!(ids.len(), 16);
    assert!(codebook_model::BREAK_RULES.iter().all(|rule| rule.purpose.len() > 20 && !rule.purpose.contains('\n')));
    assert!(ids.iter().all(|id| id.bytes().all(|byte| byte.is_ascii_uppercase() || byte == b'_')));
}

/// A code space may widen or change how its numbers are written, but never narrow: a client
/// built for one byte cannot hold a sixteen-bit number.
#[test]
fn a_narrower_code_space_breaks_the_wire() {
    let rpc = "    description: Errors in command replies.\n";
    let one_byte =
        "    description: Errors in command replies.\n    code_space:\n      width_bits: 8\n      display: hex\n";
    assert_eq!(rules_fired(&[(rpc, one_byte)]), ["FAMILY_NO_NARROWING"]);
    let narrow = load_str("narrow.yaml", &BEFORE.replacen(rpc, one_byte, 1)).unwrap();
    let wide = load_str("wide.yaml", BEFORE).unwrap();
    assert!(compare(&narrow, &wide).is_empty(), "widening back breaks nothing");
    let decimal = load_str("decimal.yaml", &BEFORE.replacen(rpc, &one_byte.replace("hex", "decimal"), 1)).unwrap();
    assert!(compare(&narrow, &decimal).is_empty(), "a display base is only how numbers are written");
    assert_eq!(narrow.family("rpc").unwrap().display_number(100), "0x64");
    assert_eq!(decimal.family("rpc").unwrap().display_number(100), "100");
}
