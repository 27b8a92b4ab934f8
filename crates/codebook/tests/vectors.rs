//! The conformance vectors (`bindings/vectors.json`, written by `cargo xtask gen`) hold for the
//! Rust enums too: every registered code and every boundary sample of unregistered numbers.

use codebook::centrifugo_disconnect::CentrifugoDisconnect;
use codebook::centrifugo_error::CentrifugoError;
use codebook::streaming_session::StreamingSession;
use codebook::{AnyCode, Behaviour, CodeFamily, Scope};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bindings/vectors.json");
    let text = std::fs::read_to_string(path).expect("bindings/vectors.json exists; run `cargo xtask gen`");
    serde_json::from_str(&text).expect("vectors.json is JSON")
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Protocol => "protocol",
        Scope::Registered => "registered",
        Scope::Private => "private",
        Scope::Server => "server",
        Scope::Application => "application",
        Scope::Client => "client",
        Scope::Unassigned => "unassigned",
    }
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
        assert_eq!(known.message(), text(row, "message"));
        check_behaviour_flags(known.behaviour(), row);
        let classified = F::classify(number(row));
        assert_eq!(classified.known, Some(known));
        assert_eq!(classified.behaviour, known.behaviour());
    }
    for row in family["unregistered"].as_array().expect("unregistered") {
        let code = number(row);
        assert_eq!(F::from_code(code), None, "{} {code} is not registered", F::ID);
        let classified = F::classify(code);
        check_behaviour_flags(classified.behaviour, row);
        assert_eq!(scope_name(classified.segment.scope), text(row, "scope"), "{row}");
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
            let causes: Vec<String> = row["causes"].as_array().expect("causes").iter().map(|c| c.as_str().unwrap().to_string()).collect();
            assert_eq!(code.causes(), causes.as_slice(), "{row}");
        }
    };
}

#[test]
fn every_vector_holds_for_the_rust_enums() {
    let vectors = vectors();
    let families = vectors["families"].as_array().expect("families");
    let ids: Vec<&str> = families.iter().map(|family| family["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [StreamingSession::ID, CentrifugoError::ID, CentrifugoDisconnect::ID], "a family was added: check it here");
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
            other => panic!("no Rust family for {other}"),
        }
    }
}
