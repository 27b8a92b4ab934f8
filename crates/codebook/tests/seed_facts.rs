//! Every code of both source documents (`shared/seeds/`), typed in by hand from the sources: number,
//! name, exact wire string and behaviour. The generated enums must match them exactly, and hold
//! nothing else.

use codebook::Behaviour::{self, Permanent, Reconnect, Temporary, Terminal};
use codebook::CodeFamily;
use codebook::centrifugo_disconnect::CentrifugoDisconnect;
use codebook::centrifugo_error::CentrifugoError;
use codebook::streaming_session::StreamingSession;

type Fact = (u16, &'static str, &'static str, Behaviour);

const STREAMING: &[Fact] = &[
    (1000, "NormalClosure", "Normal Closure", Terminal),
    (1001, "GoingAway", "Going Away", Reconnect),
    (1005, "NoStatusReceived", "No Status Received", Reconnect),
    (1006, "AbnormalClosure", "Abnormal Closure", Reconnect),
    (4000, "ProjectDisabled", "Project Disabled", Terminal),
    (4001, "NoWorkerNodeAvailable", "No Worker Node Available", Reconnect),
    (4002, "ApplicationNotFound", "Application Not Found", Terminal),
    (4003, "ApplicationUnableToLaunch", "Application Unable to Launch", Terminal),
    (4004, "MaximumRuntimeReached", "Maximum Runtime Reached", Terminal),
    (4005, "StreamerNotFound", "Streamer Not Found", Reconnect),
    (4006, "ApplicationClosedOrCrashed", "Application Closed / Crashed", Terminal),
    (4007, "ReconnectionFailed", "Reconnection Failed", Terminal),
];

const CENTRIFUGO_ERRORS: &[Fact] = &[
    (100, "Internal", "internal server error", Temporary),
    (101, "Unauthorized", "unauthorized", Permanent),
    (102, "UnknownChannel", "unknown channel", Permanent),
    (103, "PermissionDenied", "permission denied", Permanent),
    (104, "MethodNotFound", "method not found", Permanent),
    (105, "AlreadySubscribed", "already subscribed", Permanent),
    (106, "LimitExceeded", "limit exceeded", Permanent),
    (107, "BadRequest", "bad request", Permanent),
    (108, "NotAvailable", "not available", Permanent),
    (109, "TokenExpired", "token expired", Permanent),
    (110, "Expired", "expired", Permanent),
    (111, "TooManyRequests", "too many requests", Temporary),
    (112, "UnrecoverablePosition", "unrecoverable position", Permanent),
];

const CENTRIFUGO_DISCONNECTS: &[Fact] = &[
    (3000, "ConnectionClosed", "connection closed", Reconnect),
    (3001, "Shutdown", "shutdown", Reconnect),
    (3004, "ServerError", "internal server error", Reconnect),
    (3005, "Expired", "connection expired", Reconnect),
    (3006, "SubscriptionExpired", "subscription expired", Reconnect),
    (3008, "Slow", "slow", Reconnect),
    (3009, "WriteError", "write error", Reconnect),
    (3010, "InsufficientState", "insufficient state", Reconnect),
    (3011, "ForceReconnect", "force reconnect", Reconnect),
    (3012, "NoPong", "no pong", Reconnect),
    (3013, "TooManyRequests", "too many requests", Reconnect),
    (3500, "InvalidToken", "invalid token", Terminal),
    (3501, "BadRequest", "bad request", Terminal),
    (3502, "Stale", "stale", Terminal),
    (3503, "ForceNoReconnect", "force disconnect", Terminal),
    (3504, "ConnectionLimit", "connection limit", Terminal),
    (3505, "ChannelLimit", "channel limit", Terminal),
    (3506, "InappropriateProtocol", "inappropriate protocol", Terminal),
    (3507, "PermissionDenied", "permission denied", Terminal),
    (3508, "NotAvailable", "not available", Terminal),
    (3509, "TooManyErrors", "too many errors", Terminal),
];

fn assert_family_matches<F: CodeFamily>(facts: &[Fact]) {
    let actual: Vec<Fact> =
        F::ALL.iter().map(|code| (code.code(), code.name(), code.message(), code.behaviour())).collect();
    assert_eq!(actual, facts, "family {}", F::ID);
}

#[test]
fn streaming_session_codes_match_the_source() {
    assert_family_matches::<StreamingSession>(STREAMING);
}

#[test]
fn centrifugo_error_codes_match_the_source() {
    assert_family_matches::<CentrifugoError>(CENTRIFUGO_ERRORS);
    let temporary: Vec<u16> =
        CentrifugoError::ALL.iter().filter(|code| code.is_temporary()).map(|code| code.code()).collect();
    assert_eq!(temporary, [100, 111]);
}

#[test]
fn centrifugo_disconnect_codes_match_the_source() {
    assert_family_matches::<CentrifugoDisconnect>(CENTRIFUGO_DISCONNECTS);
    assert_eq!(CentrifugoDisconnect::RETIRED, [3002, 3003, 3007]);
}

#[test]
fn only_1005_and_1006_are_local_only() {
    let local: Vec<u16> =
        StreamingSession::ALL.iter().filter(|code| code.is_local_only()).map(|code| code.code()).collect();
    assert_eq!(local, [1005, 1006]);
}

#[test]
fn every_code_is_documented() {
    fn check<F: CodeFamily>(describe: impl Fn(F) -> (&'static str, &'static [&'static str])) {
        for &code in F::ALL {
            let (description, causes) = describe(code);
            assert!(!description.trim().is_empty(), "{code:?} has no description");
            assert!(!causes.is_empty(), "{code:?} has no causes");
        }
    }
    check::<StreamingSession>(|code| (code.description(), code.causes()));
    check::<CentrifugoError>(|code| (code.description(), code.causes()));
    check::<CentrifugoDisconnect>(|code| (code.description(), code.causes()));
}
