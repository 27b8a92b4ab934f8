//! What a client should do: actions, backoff hints, origins and close-code safety, as data.

use codebook_model::{
    Action, BackoffHint, CLOSE_CODE_RULES, CloseSender, Jitter, Mulberry32, Origin, close_code_rule, load_str,
    safe_close_code, truncate_close_reason,
};
use proptest::prelude::*;

fn registry() -> codebook_model::Registry {
    load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap()
}

#[test]
fn the_shipped_codes_say_what_to_do() {
    let registry = registry();
    let action = |family: &str, number: u16| registry.family(family).unwrap().code(number).unwrap().action;
    assert_eq!(action("centrifugo-error", 109), Action::RefreshTokenThenReconnect);
    assert_eq!(action("centrifugo-disconnect", 3005), Action::RefreshTokenThenReconnect);
    assert_eq!(action("centrifugo-disconnect", 3500), Action::Reauthenticate);
    assert_eq!(action("streaming-session", 4001), Action::WaitForCapacity);
    assert_eq!(action("streaming-session", 4002), Action::FixConfiguration);
    assert_eq!(action("streaming-session", 1000), Action::Stop);
    // Every code's action agrees with its behaviour, and has a hint exactly when it tries again.
    for family in &registry.families {
        for code in &family.codes {
            assert!(code.action.agrees_with(code.behaviour), "{} {}", family.id, code.number);
            assert_eq!(code.backoff.is_some(), code.action.tries_again(), "{} {}", family.id, code.number);
        }
    }
}

#[test]
fn shutdown_waits_longer_than_an_ordinary_reconnect() {
    let registry = registry();
    let disconnects = registry.family("centrifugo-disconnect").unwrap();
    let shutdown = disconnects.code(3001).unwrap().backoff.unwrap();
    let closed = disconnects.code(3000).unwrap().backoff.unwrap();
    assert!(shutdown.min_ms > closed.min_ms, "{shutdown:?} vs {closed:?}");
    assert_eq!(closed, disconnects.backoff);
}

#[test]
fn user_agent_codes_are_the_local_only_ones() {
    let registry = registry();
    for family in &registry.families {
        for code in &family.codes {
            assert_eq!(code.origin == Origin::UserAgent, code.local_only, "{}", code.number);
            assert_eq!(code.local_only, matches!(code.number, 1005 | 1006));
            assert!(!code.local_only || close_code_rule(code.number).never_on_wire);
        }
    }
}

#[test]
fn doc_urls_are_stable_portal_paths() {
    let registry = registry();
    let code = registry.family("centrifugo-disconnect").unwrap().code(3500).unwrap();
    assert_eq!(code.doc_url, "/codes/centrifugo-disconnect/3500");
    let absolute = load_str(
        "codes.yaml",
        &format!("doc_base_url: https://codes.example.com/\n{}", codebook_model::EMBEDDED_CODES_YAML),
    )
    .unwrap();
    let code = absolute.family("centrifugo-error").unwrap().code(109).unwrap();
    assert_eq!(code.doc_url, "https://codes.example.com/codes/centrifugo-error/109");
}

#[test]
fn unregistered_numbers_get_the_action_and_hint_of_their_range() {
    let registry = registry();
    let disconnects = registry.family("centrifugo-disconnect").unwrap();
    let reconnecting = disconnects.classify(4321).segment;
    assert_eq!(reconnecting.action, Action::ReconnectAfterBackoff);
    assert_eq!(reconnecting.backoff, Some(disconnects.backoff));
    let terminal = disconnects.classify(4600).segment;
    assert_eq!((terminal.action, terminal.backoff), (Action::Stop, None));
    let errors = registry.family("centrifugo-error").unwrap();
    assert_eq!(errors.classify(1500).segment.action, Action::None);
}

#[test]
fn close_code_rules_cover_every_number_and_forward_only_sendable_codes() {
    assert_eq!(CLOSE_CODE_RULES.first().unwrap().from, 0);
    assert_eq!(CLOSE_CODE_RULES.last().unwrap().to, u16::MAX);
    for pair in CLOSE_CODE_RULES.windows(2) {
        assert_eq!(u32::from(pair[0].to) + 1, u32::from(pair[1].from));
    }
    for code in 0..=u16::MAX {
        let rule = close_code_rule(code);
        assert!(rule.from <= code && code <= rule.to);
        // What a browser's WebSocket.close() accepts: 1000 and 3000-4999, nothing else.
        assert_eq!(rule.browser_may_send, code == 1000 || (3000..=4999).contains(&code), "{code}");
        assert!(!(rule.never_on_wire && rule.endpoint_may_send), "{code}");
        let for_browser = safe_close_code(code, CloseSender::Browser);
        assert!(close_code_rule(for_browser).browser_may_send, "{code} -> {for_browser}");
        let for_endpoint = safe_close_code(code, CloseSender::Endpoint);
        assert!(close_code_rule(for_endpoint).endpoint_may_send, "{code} -> {for_endpoint}");
    }
    for never in [1004, 1005, 1006, 1015] {
        assert!(close_code_rule(never).never_on_wire);
    }
}

#[test]
fn close_reasons_are_cut_to_123_bytes_on_a_character_boundary() {
    assert_eq!(truncate_close_reason("invalid token"), "invalid token");
    let ascii = "x".repeat(200);
    assert_eq!(truncate_close_reason(&ascii).len(), 123);
    let emoji = "🎉".repeat(40); // 4 bytes each: 30 fit in 120 bytes
    assert_eq!(truncate_close_reason(&emoji), "🎉".repeat(30));
}

#[test]
fn mulberry32_matches_the_reference_sequence() {
    // The reference JavaScript implementation gives these for seed 42.
    let mut random = Mulberry32::new(42);
    assert_eq!(
        [random.next_u32(), random.next_u32(), random.next_u32()],
        [2_581_720_956, 1_925_393_290, 3_661_312_704]
    );
}

fn hint() -> impl Strategy<Value = BackoffHint> {
    (1u32..100_000, 0u32..100_000, prop::bool::ANY, prop::option::of(0u32..1_000_000)).prop_map(
        |(min_ms, extra, full, give_up)| BackoffHint {
            min_ms,
            max_ms: min_ms + extra,
            jitter: if full { Jitter::Full } else { Jitter::None },
            give_up_after_ms: give_up.map(|limit| limit.max(min_ms)),
        },
    )
}

/// Any hint at all, including what a registry rejects (a zero minimum, a maximum below the
/// minimum, the extremes of `u32`) but a hand-built hint may still carry.
fn hostile_hint() -> impl Strategy<Value = BackoffHint> {
    let millis = prop_oneof![Just(0u32), Just(1), Just(u32::MAX), Just(u32::MAX - 1), any::<u32>(), 0u32..100_000];
    (millis.clone(), millis.clone(), prop::bool::ANY, prop::option::of(millis)).prop_map(
        |(min_ms, max_ms, full, give_up_after_ms)| BackoffHint {
            min_ms,
            max_ms,
            jitter: if full { Jitter::Full } else { Jitter::None },
            give_up_after_ms,
        },
    )
}

fn hostile_attempt() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..80, Just(31), Just(32), Just(33), Just(u32::MAX - 1), Just(u32::MAX), any::<u32>()]
}

proptest! {
    #[test]
    fn delays_stay_between_the_minimum_and_the_ceiling(hint in hint(), attempt in 0u32..80, random in any::<u32>()) {
        let delay = hint.delay_ms(attempt, 0, random);
        if hint.give_up_after_ms == Some(0) {
            prop_assert_eq!(delay, None);
        } else {
            let delay = delay.unwrap();
            let doubled = |exponent: u32| (u64::from(hint.min_ms) << exponent.min(32)).min(u64::from(hint.max_ms)) as u32;
            // Full jitter: attempt n draws from min..=min(max, min * 2^(n+1)), so even attempt 0 spreads.
            let ceiling = match hint.jitter {
                Jitter::Full => doubled(attempt + 1),
                Jitter::None => doubled(attempt),
            };
            prop_assert!(hint.min_ms <= delay && delay <= ceiling, "{} not in {}..={}", delay, hint.min_ms, ceiling);
            if hint.jitter == Jitter::None {
                prop_assert_eq!(delay, ceiling);
            }
        }
    }

    #[test]
    fn giving_up_depends_only_on_elapsed_time(hint in hint(), attempt in 0u32..80, elapsed in 0u64..2_000_000) {
        let gave_up = hint.delay_ms(attempt, elapsed, 7).is_none();
        prop_assert_eq!(gave_up, hint.give_up_after_ms.is_some_and(|limit| elapsed >= u64::from(limit)));
    }

    /// Hostile numbers: any hint, attempt, elapsed time and random number gives either "give up"
    /// or a delay of at least 1 ms and at most the larger of the hint's bounds; never a panic.
    #[test]
    fn hostile_numbers_never_give_a_zero_or_out_of_bounds_delay(
        hint in hostile_hint(),
        attempt in hostile_attempt(),
        elapsed in prop_oneof![Just(0u64), Just(u64::MAX), any::<u64>()],
        random in prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>()],
    ) {
        match hint.delay_ms(attempt, elapsed, random) {
            None => prop_assert!(hint.give_up_after_ms.is_some_and(|limit| elapsed >= u64::from(limit))),
            Some(delay) => {
                let low = hint.min_ms.max(1);
                prop_assert!(delay >= low && delay <= hint.max_ms.max(low), "{:?} attempt {}: {}", hint, attempt, delay);
                let window = hint.window(attempt);
                prop_assert!(window.low_ms <= delay && delay <= window.high_ms);
                // Windows never shrink as attempts grow, and the largest attempt has the largest.
                let next = hint.window(attempt.saturating_add(1));
                prop_assert!(next.low_ms >= window.low_ms && next.high_ms >= window.high_ms);
                prop_assert_eq!(hint.window(u32::MAX).high_ms, hint.max_ms.max(low));
            }
        }
    }
}

#[test]
fn the_first_attempt_is_jittered() {
    // A fleet closed at once with the same code must not come back in one instant.
    let hint = BackoffHint { min_ms: 5_000, max_ms: 60_000, jitter: Jitter::Full, give_up_after_ms: None };
    let mut random = Mulberry32::new(1);
    let first: Vec<u32> = (0..1_000).map(|_| hint.delay_ms(0, 0, random.next_u32()).unwrap()).collect();
    assert!(first.iter().all(|delay| (5_000..=10_000).contains(delay)));
    assert!(first.iter().any(|&delay| delay < 5_500) && first.iter().any(|&delay| delay > 9_500));
}

#[test]
fn full_jitter_reaches_both_ends() {
    let hint = BackoffHint { min_ms: 100, max_ms: 1_000, jitter: Jitter::Full, give_up_after_ms: None };
    assert_eq!(hint.delay_ms(5, 0, 0), Some(100));
    assert_eq!(hint.delay_ms(5, 0, u32::MAX), Some(1_000));
}
