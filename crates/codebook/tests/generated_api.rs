//! The generated API against the model it came from: lookups round-trip, and classification of
//! every `u16` agrees with `codebook_model` (the one place the rules live).

use codebook::centrifugo_disconnect::CentrifugoDisconnect;
use codebook::centrifugo_error::CentrifugoError;
use codebook::streaming_session::StreamingSession;
use codebook::{AnyCode, CodeFamily, UnknownCode};
use proptest::prelude::*;

fn model() -> codebook_model::Registry {
    codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap()
}

fn assert_classification_total_and_equal_to_model<F: CodeFamily>() {
    let registry = model();
    let family = registry.family(F::ID).unwrap();
    for number in 0..=u16::MAX {
        let ours = F::classify(number);
        let theirs = family.classify(number);
        assert_eq!(ours.code, number);
        assert_eq!(ours.known.map(F::code), theirs.code.map(|code| code.number), "{} {number}", F::ID);
        // The model and the runtime share the protocol types, so they compare directly.
        assert_eq!(ours.behaviour, theirs.behaviour, "{} {number}", F::ID);
        let (action, backoff) = match theirs.code {
            Some(code) => (code.action, code.backoff),
            None => (theirs.segment.action, theirs.segment.backoff),
        };
        assert_eq!((ours.action, ours.backoff), (action, backoff), "{} {number}", F::ID);
        assert_eq!((ours.segment.from, ours.segment.to), (theirs.segment.from, theirs.segment.to));
        assert_eq!(ours.segment.label, theirs.segment.label);
    }
}

#[test]
fn classification_of_every_u16_equals_the_model() {
    assert_classification_total_and_equal_to_model::<StreamingSession>();
    assert_classification_total_and_equal_to_model::<CentrifugoError>();
    assert_classification_total_and_equal_to_model::<CentrifugoDisconnect>();
}

#[test]
fn the_fast_behaviour_lookup_equals_full_classification() {
    for number in 0..=u16::MAX {
        assert_eq!(StreamingSession::behaviour_of(number), StreamingSession::classify(number).behaviour);
        assert_eq!(CentrifugoError::behaviour_of(number), CentrifugoError::classify(number).behaviour);
        assert_eq!(CentrifugoDisconnect::behaviour_of(number), CentrifugoDisconnect::classify(number).behaviour);
    }
}

fn assert_lookups_round_trip<F: CodeFamily + std::str::FromStr + TryFrom<u16, Error = UnknownCode> + Into<u16>>()
where
    <F as std::str::FromStr>::Err: std::fmt::Debug,
{
    let registry = model();
    let family = registry.family(F::ID).unwrap();
    assert_eq!(F::ALL.len(), family.codes.len());
    for &code in F::ALL {
        assert_eq!(F::from_code(code.code()), Some(code));
        assert_eq!(F::try_from(code.code()), Ok(code));
        assert_eq!(code.into(), code.code());
        assert_eq!(code.name().parse::<F>().unwrap(), code);
        // A code whose text varies prints its name, never an invented text.
        assert_eq!(code.to_string(), format!("{} {}", code.code(), code.message().unwrap_or(code.name())));
        assert_eq!(code.message(), code.wire_message().fixed());
        assert_eq!(AnyCode::<F>::from_code(code.code()), AnyCode::Known(code));
    }
    assert!(F::ALL.windows(2).all(|pair| pair[0].code() < pair[1].code()), "ALL is sorted");
    for number in 0..=u16::MAX {
        if family.code(number).is_none() {
            assert_eq!(F::try_from(number), Err(UnknownCode { family: F::ID, code: number }));
        }
    }
}

#[test]
fn lookups_round_trip_for_every_code() {
    assert_lookups_round_trip::<StreamingSession>();
    assert_lookups_round_trip::<CentrifugoError>();
    assert_lookups_round_trip::<CentrifugoDisconnect>();
}

#[test]
fn handling_data_of_every_code_equals_the_model() {
    let registry = model();
    let family = registry.family(CentrifugoDisconnect::ID).unwrap();
    for &code in CentrifugoDisconnect::ALL {
        let theirs = family.code(code.code()).unwrap();
        assert_eq!(code.action(), theirs.action);
        assert_eq!(code.backoff(), theirs.backoff);
        assert_eq!(code.origin(), theirs.origin);
        assert_eq!(code.doc_url(), theirs.doc_url);
        assert_eq!(code.since(), theirs.since.as_deref());
        assert_eq!(code.deprecated(), theirs.deprecated.as_deref());
    }
    let family = registry.family(StreamingSession::ID).unwrap();
    for &code in StreamingSession::ALL {
        let theirs = family.code(code.code()).unwrap();
        assert_eq!((code.action(), code.backoff(), code.origin()), (theirs.action, theirs.backoff, theirs.origin));
    }
}

#[test]
fn the_issue_examples_say_what_to_do() {
    use codebook::Action;
    assert_eq!(CentrifugoError::TokenExpired.action(), Action::RefreshTokenThenReconnect);
    assert_eq!(CentrifugoDisconnect::Expired.action(), Action::RefreshTokenThenReconnect);
    assert_eq!(CentrifugoDisconnect::InvalidToken.action(), Action::Reauthenticate);
    assert_eq!(StreamingSession::NoWorkerNodeAvailable.action(), Action::WaitForCapacity);
    assert_eq!(StreamingSession::ApplicationNotFound.action(), Action::FixConfiguration);
    assert_eq!(StreamingSession::AbnormalClosure.origin(), codebook::Origin::UserAgent);
    // A fleet restart must not reconnect in lockstep: shutdown waits longer than a plain close.
    let shutdown = CentrifugoDisconnect::Shutdown.backoff().unwrap();
    let closed = CentrifugoDisconnect::ConnectionClosed.backoff().unwrap();
    assert!(shutdown.min_ms > closed.min_ms);
    assert_eq!(CentrifugoDisconnect::InvalidToken.backoff(), None);
    // An unknown number gets its range's action and hint.
    let unknown = AnyCode::<CentrifugoDisconnect>::from_code(4321);
    assert_eq!(unknown.action(), Action::ReconnectAfterBackoff);
    assert!(unknown.backoff().is_some());
    assert_eq!(AnyCode::<CentrifugoDisconnect>::from_code(4600).action(), Action::Stop);
}

#[test]
fn unknown_names_and_numbers_are_typed_errors() {
    let error = "invalid_token".parse::<CentrifugoDisconnect>().unwrap_err();
    assert_eq!(error.to_string(), "`invalid_token` is not a code name of family `centrifugo-disconnect`");
    let error = CentrifugoDisconnect::try_from(3002u16).unwrap_err();
    assert_eq!(error.to_string(), "3002 is not a registered code of family `centrifugo-disconnect`");
}

#[test]
fn error_families_are_std_errors_and_disconnects_say_what_to_do() {
    let error: Box<dyn std::error::Error> = Box::new(CentrifugoError::TokenExpired);
    assert_eq!(error.to_string(), "109 token expired");
    assert!(CentrifugoError::TooManyRequests.is_temporary());
    assert!(!CentrifugoError::BadRequest.is_temporary());
    assert!(CentrifugoDisconnect::Shutdown.should_reconnect());
    assert!(CentrifugoDisconnect::InvalidToken.is_terminal());
    assert!(StreamingSession::NoWorkerNodeAvailable.should_reconnect());
    assert!(StreamingSession::AbnormalClosure.is_local_only());
    assert!(!StreamingSession::GoingAway.is_local_only());
}

#[test]
fn unknown_codes_display_their_range() {
    let unknown = AnyCode::<CentrifugoDisconnect>::from_code(4321);
    assert_eq!(unknown, AnyCode::Unknown(4321));
    let label = CentrifugoDisconnect::segment(4321).label;
    assert_eq!(unknown.to_string(), format!("4321 (unregistered: {label})"));
    assert!(unknown.should_reconnect());
    assert!(AnyCode::<CentrifugoDisconnect>::from_code(4999).is_terminal());
}

proptest! {
    #[test]
    fn any_code_round_trips_every_number(number in any::<u16>()) {
        let any = AnyCode::<CentrifugoDisconnect>::from_code(number);
        prop_assert_eq!(u16::from(any), number);
        prop_assert_eq!(any.known().is_some(), CentrifugoDisconnect::from_code(number).is_some());
        prop_assert_eq!(any.behaviour(), CentrifugoDisconnect::classify(number).behaviour);
    }
}

#[cfg(feature = "serde")]
mod serde_as_numbers {
    use super::*;

    #[test]
    fn codes_serialise_as_their_number() {
        assert_eq!(serde_json::to_string(&CentrifugoDisconnect::InvalidToken).unwrap(), "3500");
        assert_eq!(serde_json::from_str::<CentrifugoError>("109").unwrap(), CentrifugoError::TokenExpired);
        let error = serde_json::from_str::<CentrifugoError>("399").unwrap_err();
        assert!(error.to_string().contains("399 is not a registered code of family `centrifugo-error`"));
    }

    proptest! {
        #[test]
        fn any_code_survives_json(number in any::<u16>()) {
            let any = AnyCode::<StreamingSession>::from_code(number);
            let json = serde_json::to_string(&any).unwrap();
            prop_assert_eq!(&json, &number.to_string());
            prop_assert_eq!(serde_json::from_str::<AnyCode<StreamingSession>>(&json).unwrap(), any);
        }
    }
}

/// Hostile integers: a value outside 0..=65535 is an error naming it, never wrapped into a
/// registered code (`(65_536 + 3500) as u16` is 3500).
#[test]
fn wide_integers_never_wrap_into_a_registered_code() {
    use codebook::CodeFromIntError;
    for code in CentrifugoDisconnect::ALL {
        let number = code.code();
        assert_eq!(CentrifugoDisconnect::try_from(i64::from(number)), Ok(*code));
        assert_eq!(CentrifugoDisconnect::try_from(u32::from(number)), Ok(*code));
        for wrapped in [u32::from(number) + 65_536, u32::from(number) + (1 << 31), u32::from(number) | 0xFFFF_0000] {
            assert_eq!(
                CentrifugoDisconnect::try_from(wrapped),
                Err(CodeFromIntError::OutOfRange { family: "centrifugo-disconnect", value: i128::from(wrapped) })
            );
            assert!(AnyCode::<CentrifugoDisconnect>::try_from(wrapped).is_err());
        }
        assert!(CentrifugoDisconnect::try_from(i64::from(number) - 65_536).is_err());
    }
    for value in [i64::MIN, -1, 65_536, i64::MAX] {
        let error = CentrifugoDisconnect::try_from(value).unwrap_err();
        assert!(error.to_string().starts_with(&format!("{value} is not a code number")), "{error}");
    }
    assert!(CentrifugoDisconnect::try_from(u64::MAX).is_err());
    assert_eq!(
        CentrifugoDisconnect::try_from(3002i64),
        Err(CodeFromIntError::Unregistered(UnknownCode { family: "centrifugo-disconnect", code: 3002 }))
    );
    assert_eq!(AnyCode::<CentrifugoDisconnect>::try_from(3002i32), Ok(AnyCode::Unknown(3002)));
}

proptest! {
    #[test]
    fn any_i64_converts_exactly_when_it_is_a_code_number(value in prop_oneof![any::<i64>(), -70_000i64..140_000]) {
        match AnyCode::<StreamingSession>::try_from(value) {
            Ok(code) => prop_assert_eq!(i64::from(code.code()), value),
            Err(_) => prop_assert!(!(0..=65_535).contains(&value)),
        }
        if let Ok(code) = StreamingSession::try_from(value) {
            prop_assert_eq!(i64::from(code.code()), value);
        }
    }
}
