//! The conformance vectors (`bindings/vectors.json`, written by `cargo xtask gen`) hold for the
//! Rust enums too: every registered code and every boundary sample of unregistered numbers, the
//! actions, the close-code rules, reason truncation and the seeded delay sequences.

use codebook::centrifuge_js_error::CentrifugeJsError;
use codebook::centrifuge_python_error::CentrifugePythonError;
use codebook::centrifuge_sdk_connecting::CentrifugeSdkConnecting;
use codebook::centrifuge_sdk_disconnected::CentrifugeSdkDisconnected;
use codebook::centrifuge_sdk_subscribing::CentrifugeSdkSubscribing;
use codebook::centrifuge_sdk_unsubscribed::CentrifugeSdkUnsubscribed;
use codebook::centrifugo_disconnect::CentrifugoDisconnect;
use codebook::centrifugo_error::CentrifugoError;
use codebook::centrifugo_server_api_error::CentrifugoServerApiError;
use codebook::centrifugo_unsubscribe::CentrifugoUnsubscribe;
use codebook::streaming_session::StreamingSession;
use codebook::{
    Action, AnyCode, BackoffHint, Behaviour, CloseSender, CodeFamily, Jitter, MAX_CLOSE_REASON_BYTES, Mulberry32,
    WireMessage, close_code_rule, safe_close_code, truncate_close_reason,
};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bindings/vectors.json");
    let text = std::fs::read_to_string(path).expect("bindings/vectors.json exists; run `cargo xtask gen`");
    serde_json::from_str(&text).expect("vectors.json is JSON")
}

/// A backoff hint as the vectors write it (`null` when the action never tries again).
fn hint(value: &Value) -> Option<BackoffHint> {
    if value.is_null() {
        return None;
    }
    let millis = |field: &str| value[field].as_u64().map(|ms| u32::try_from(ms).expect("ms fits a u32"));
    Some(BackoffHint {
        min_ms: millis("min_ms").expect("min_ms"),
        max_ms: millis("max_ms").expect("max_ms"),
        jitter: match value["jitter"].as_str() {
            Some("full") => Jitter::Full,
            Some("none") => Jitter::None,
            other => panic!("jitter {other:?}"),
        },
        give_up_after_ms: millis("give_up_after_ms"),
    })
}

fn optional_text(row: &Value, field: &str) -> Option<String> {
    row[field].as_str().map(str::to_string)
}

fn text(row: &Value, field: &str) -> String {
    row[field].as_str().unwrap_or_else(|| panic!("{field} is a string in {row}")).to_string()
}

fn flag(row: &Value, field: &str) -> bool {
    row[field].as_bool().unwrap_or_else(|| panic!("{field} is a bool in {row}"))
}

fn number(row: &Value) -> u16 {
    row["code"].as_u64().and_then(|code| u16::try_from(code).ok()).expect("code is a u16")
}

fn check_behaviour_flags(behaviour: Behaviour, row: &Value) {
    assert_eq!(behaviour.as_str(), text(row, "behaviour"), "{row}");
    assert_eq!(behaviour.should_reconnect(), flag(row, "should_reconnect"), "{row}");
    assert_eq!(behaviour.is_terminal(), flag(row, "is_terminal"), "{row}");
    assert_eq!(behaviour.is_temporary(), flag(row, "is_temporary"), "{row}");
}

/// What the trait can answer, for any family.
fn check_family<F: CodeFamily>(family: &Value) {
    let codes = family["codes"].as_array().expect("codes");
    assert_eq!(F::ALL.len(), codes.len(), "{}", F::ID);
    for (row, code) in codes.iter().zip(F::ALL) {
        assert_eq!(code.code(), number(row), "ALL is sorted by number like the vectors");
        let known = F::from_code(number(row)).unwrap_or_else(|| panic!("{} has no code {}", F::ID, number(row)));
        assert_eq!(known.name(), text(row, "name"));
        assert_eq!(known.message(), row["message"].as_str(), "{row}");
        match known.wire_message() {
            WireMessage::Fixed(fixed) => {
                assert_eq!(Some(fixed), row["message"].as_str());
                assert_eq!(row["known_messages"].as_array().map(Vec::len), Some(0), "{row}");
            }
            WireMessage::Varies { what, known: texts } => {
                assert_eq!(Some(what), row["message_varies"].as_str(), "{row}");
                let listed: Vec<&str> = row["known_messages"]
                    .as_array()
                    .expect("known_messages")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                assert_eq!(texts, listed.as_slice(), "{row}");
            }
        }
        check_behaviour_flags(known.behaviour(), row);
        assert_eq!(known.action().as_str(), text(row, "action"), "{row}");
        assert_eq!(known.backoff(), hint(&row["backoff"]), "{row}");
        let classified = F::classify(number(row));
        assert_eq!(classified.known, Some(known));
        assert_eq!(classified.behaviour, known.behaviour());
        assert_eq!((classified.action, classified.backoff), (known.action(), known.backoff()));
    }
    for row in family["message_lookups"].as_array().expect("message_lookups") {
        let found = F::from_message(&text(row, "message")).map(F::code);
        assert_eq!(found, Some(number(row)), "{} from_message {row}", F::ID);
    }
    assert_eq!(F::from_message("no code sends this text"), None);
    for row in family["unregistered"].as_array().expect("unregistered") {
        let code = number(row);
        assert_eq!(F::from_code(code), None, "{} {code} is not registered", F::ID);
        let classified = F::classify(code);
        check_behaviour_flags(classified.behaviour, row);
        assert_eq!(classified.segment.scope.as_str(), text(row, "scope"), "{row}");
        assert_eq!(classified.action.as_str(), text(row, "action"), "{row}");
        assert_eq!(classified.backoff, hint(&row["backoff"]), "{row}");
        assert_eq!(classified.segment.label, text(row, "label"), "{row}");
        assert_eq!(AnyCode::<F>::from_code(code).code(), code, "an unknown number round-trips");
    }
}

/// Descriptions and causes live on the inherent methods of each enum.
macro_rules! check_texts {
    ($family:ty, $vectors:expr) => {
        for row in $vectors["codes"].as_array().expect("codes") {
            let code = <$family>::from_code(number(row)).expect("registered");
            assert_eq!(code.description(), text(row, "description"), "{row}");
            let causes: Vec<String> =
                row["causes"].as_array().expect("causes").iter().map(|c| c.as_str().unwrap().to_string()).collect();
            assert_eq!(code.causes(), causes.as_slice(), "{row}");
            assert_eq!(code.origin().as_str(), text(row, "origin"), "{row}");
            assert_eq!(code.doc_url(), text(row, "doc_url"), "{row}");
            assert_eq!(code.since().map(str::to_string), optional_text(row, "since"), "{row}");
            assert_eq!(code.deprecated().map(str::to_string), optional_text(row, "deprecated"), "{row}");
            assert_eq!(code.http_status().map(u64::from), row["http_status"].as_u64(), "{row}");
            assert_eq!(code.grpc_status().map(u64::from), row["grpc_status"].as_u64(), "{row}");
        }
    };
}

#[test]
fn every_vector_holds_for_the_rust_enums() {
    let vectors = vectors();
    let families = vectors["families"].as_array().expect("families");
    let ids: Vec<&str> = families.iter().map(|family| family["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            StreamingSession::ID,
            CentrifugoError::ID,
            CentrifugoDisconnect::ID,
            CentrifugoUnsubscribe::ID,
            CentrifugoServerApiError::ID,
            CentrifugeSdkConnecting::ID,
            CentrifugeSdkDisconnected::ID,
            CentrifugeSdkSubscribing::ID,
            CentrifugeSdkUnsubscribed::ID,
            CentrifugeJsError::ID,
            CentrifugePythonError::ID
        ],
        "a family was added: check it here"
    );
    for family in families {
        match family["id"].as_str().unwrap() {
            id if id == StreamingSession::ID => {
                check_family::<StreamingSession>(family);
                check_texts!(StreamingSession, family);
                for row in family["codes"].as_array().unwrap() {
                    let code = StreamingSession::from_code(number(row)).unwrap();
                    assert_eq!(code.is_local_only(), flag(row, "local_only"));
                }
            }
            id if id == CentrifugoError::ID => {
                check_family::<CentrifugoError>(family);
                check_texts!(CentrifugoError, family);
            }
            id if id == CentrifugoDisconnect::ID => {
                check_family::<CentrifugoDisconnect>(family);
                check_texts!(CentrifugoDisconnect, family);
                for row in family["codes"].as_array().unwrap() {
                    let code = CentrifugoDisconnect::from_code(number(row)).unwrap();
                    assert_eq!(code.is_local_only(), flag(row, "local_only"));
                }
            }
            id if id == CentrifugoUnsubscribe::ID => {
                check_family::<CentrifugoUnsubscribe>(family);
                check_texts!(CentrifugoUnsubscribe, family);
                for row in family["codes"].as_array().unwrap() {
                    let code = CentrifugoUnsubscribe::from_code(number(row)).unwrap();
                    assert_eq!(code.is_local_only(), flag(row, "local_only"));
                }
            }
            id if id == CentrifugoServerApiError::ID => {
                check_family::<CentrifugoServerApiError>(family);
                check_texts!(CentrifugoServerApiError, family);
            }
            id if id == CentrifugeSdkConnecting::ID => {
                check_family::<CentrifugeSdkConnecting>(family);
                check_texts!(CentrifugeSdkConnecting, family);
            }
            id if id == CentrifugeSdkDisconnected::ID => {
                check_family::<CentrifugeSdkDisconnected>(family);
                check_texts!(CentrifugeSdkDisconnected, family);
            }
            id if id == CentrifugeSdkSubscribing::ID => {
                check_family::<CentrifugeSdkSubscribing>(family);
                check_texts!(CentrifugeSdkSubscribing, family);
            }
            id if id == CentrifugeSdkUnsubscribed::ID => {
                check_family::<CentrifugeSdkUnsubscribed>(family);
                check_texts!(CentrifugeSdkUnsubscribed, family);
            }
            id if id == CentrifugeJsError::ID => {
                check_family::<CentrifugeJsError>(family);
                check_texts!(CentrifugeJsError, family);
            }
            id if id == CentrifugePythonError::ID => {
                check_family::<CentrifugePythonError>(family);
                check_texts!(CentrifugePythonError, family);
            }
            other => panic!("no Rust family for {other}"),
        }
    }
}

#[test]
fn actions_close_codes_and_truncation_match_the_vectors() {
    let vectors = vectors();
    for row in vectors["actions"].as_array().expect("actions") {
        let action = Action::ALL.into_iter().find(|action| action.as_str() == text(row, "name")).expect("known action");
        assert_eq!(action.advice(), text(row, "advice"));
        assert_eq!(action.tries_again(), flag(row, "tries_again"));
    }
    let close = &vectors["close_codes"];
    assert_eq!(close["max_reason_bytes"].as_u64(), Some(MAX_CLOSE_REASON_BYTES as u64));
    for row in close["samples"].as_array().expect("samples") {
        let code = number(row);
        let rule = close_code_rule(code);
        assert_eq!(rule.label, text(row, "label"), "{row}");
        assert_eq!(rule.endpoint_may_send, flag(row, "endpoint_may_send"), "{row}");
        assert_eq!(rule.browser_may_send, flag(row, "browser_may_send"), "{row}");
        assert_eq!(rule.never_on_wire, flag(row, "never_on_wire"), "{row}");
        assert_eq!(
            u64::from(safe_close_code(code, CloseSender::Endpoint)),
            row["safe_for_endpoint"].as_u64().unwrap(),
            "{row}"
        );
        assert_eq!(
            u64::from(safe_close_code(code, CloseSender::Browser)),
            row["safe_for_browser"].as_u64().unwrap(),
            "{row}"
        );
    }
    for row in close["truncation"].as_array().expect("truncation") {
        let truncated = truncate_close_reason(row["reason"].as_str().unwrap());
        assert_eq!(truncated, text(row, "truncated"), "{row}");
        assert_eq!(truncated.len() as u64, row["truncated_bytes"].as_u64().unwrap());
    }
}

#[test]
fn seeded_delays_match_the_vectors() {
    let vectors = vectors();
    for row in vectors["mulberry32"].as_array().expect("mulberry32") {
        let mut random = Mulberry32::new(u32::try_from(row["seed"].as_u64().unwrap()).unwrap());
        for expected in row["outputs"].as_array().unwrap() {
            assert_eq!(u64::from(random.next_u32()), expected.as_u64().unwrap(), "{row}");
        }
    }
    for sequence in vectors["delays"].as_array().expect("delays") {
        let hint = hint(&sequence["hint"]).expect("a hint");
        let mut random = Mulberry32::new(u32::try_from(sequence["seed"].as_u64().unwrap()).unwrap());
        for step in sequence["steps"].as_array().unwrap() {
            let draw = random.next_u32();
            assert_eq!(u64::from(draw), step["random"].as_u64().unwrap(), "{step}");
            let attempt = u32::try_from(step["attempt"].as_u64().unwrap()).unwrap();
            let delay = hint.delay_ms(attempt, step["elapsed_ms"].as_u64().unwrap(), draw);
            assert_eq!(delay.map(u64::from), step["delay_ms"].as_u64(), "{step}");
        }
    }
}

/// Attempts beyond `u32::MAX` saturate (they share the largest window); a negative elapsed time
/// cannot be expressed in Rust's `u64`/`Duration`, and every runtime that can express it counts it
/// as 0, so the row must equal the answer at 0.
#[test]
fn hostile_delay_calls_match_the_vectors() {
    let vectors = vectors();
    let calls = vectors["hostile_delays"].as_array().expect("hostile_delays");
    assert!(calls.len() > 100);
    for call in calls {
        let hint = hint(&call["hint"]).expect("a hint");
        let attempt = u32::try_from(call["attempt"].as_u64().unwrap()).unwrap_or(u32::MAX);
        let elapsed_ms = call["elapsed_ms"].as_i64().unwrap();
        let random = u32::try_from(call["random"].as_u64().unwrap()).unwrap();
        let delay = match u64::try_from(elapsed_ms) {
            Ok(elapsed_ms) => hint.delay_ms(attempt, elapsed_ms, random),
            Err(_) => hint.delay(attempt, std::time::Duration::ZERO, random).map(|delay| delay.as_millis() as u32),
        };
        assert_eq!(delay.map(u64::from), call["delay_ms"].as_u64(), "{call}");
        if let Some(delay) = delay {
            assert!(delay >= 1 && delay <= hint.max_ms.max(hint.min_ms).max(1), "{call}");
        }
    }
}
