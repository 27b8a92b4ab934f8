//! Every code of both source documents (`/work/shared/seeds/`), typed in by hand from the sources: number,
//! name, exact wire string and behaviour. The generated enums must match them exactly, and hold
//! nothing else. Codes the seeds lack are typed in from the upstream sources they come from
//! (centrifuge v0.40.1 `errors.go`, `disconnect.go`, `unsubscribe.go`; centrifuge-js 5.7.4 `codes.ts`
//! and its reason strings; centrifuge-go v0.12.1 `codes.go`), each marked with its file.

use codebook::Behaviour::{self, Permanent, Reconnect, Temporary, Terminal};
use codebook::CodeFamily;
use codebook::centrifuge_sdk_connecting::CentrifugeSdkConnecting;
use codebook::centrifuge_sdk_disconnected::CentrifugeSdkDisconnected;
use codebook::centrifuge_sdk_subscribing::CentrifugeSdkSubscribing;
use codebook::centrifuge_sdk_unsubscribed::CentrifugeSdkUnsubscribed;
use codebook::centrifugo_disconnect::CentrifugoDisconnect;
use codebook::centrifugo_error::CentrifugoError;
use codebook::centrifugo_server_api_error::CentrifugoServerApiError;
use codebook::centrifugo_unsubscribe::CentrifugoUnsubscribe;
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
    // centrifuge errors.go (since v0.39.0)
    (113, "ConcurrentPagination", "concurrent pagination", Temporary),
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
    // centrifuge disconnect.go (since v0.39.0)
    (3014, "StateInvalidated", "state invalidated", Reconnect),
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

// centrifuge unsubscribe.go: UnsubscribeCode* constants and their reasons; 2502 has no reason of
// its own there, its one use (client.go) sends "server tags filter changed".
const CENTRIFUGO_UNSUBSCRIBES: &[Fact] = &[
    (0, "ClientUnsubscribed", "client unsubscribed", Terminal),
    (1, "ClientDisconnected", "client disconnected", Terminal),
    (2000, "ServerUnsubscribe", "server unsubscribe", Terminal),
    (2500, "InsufficientState", "insufficient state", Reconnect),
    (2501, "SubscriptionExpired", "subscription expired", Reconnect),
    (2502, "StateInvalidated", "server tags filter changed", Reconnect),
];

// Centrifugo v6.9.1 internal/apiproto/errors.go: the server API's Error* values, with the statuses
// MapErrorToHTTPCode and MapErrorToGRPCCode answer in the transport error mode (gRPC as the
// google.golang.org/grpc/codes number: Internal 13, NotFound 5, InvalidArgument 3, OutOfRange 11,
// AlreadyExists 6).
const CENTRIFUGO_SERVER_API_ERRORS: &[(Fact, u16, u8)] = &[
    ((100, "Internal", "internal server error", Temporary), 500, 13),
    ((102, "UnknownChannel", "unknown channel", Permanent), 404, 5),
    ((104, "NotFound", "not found", Permanent), 404, 5),
    ((107, "BadRequest", "bad request", Permanent), 400, 3),
    ((108, "NotAvailable", "not available", Permanent), 400, 3),
    ((112, "UnrecoverablePosition", "unrecoverable position", Permanent), 416, 11),
    ((113, "Conflict", "conflict", Permanent), 409, 6),
];

// centrifuge-js codes.ts connectingCodes / centrifuge-go codes.go connecting*, reasons as emitted.
const SDK_CONNECTING: &[Fact] = &[
    (0, "ConnectCalled", "connect called", Reconnect),
    (1, "TransportClosed", "transport closed", Reconnect),
    (2, "NoPing", "no ping", Reconnect),
    (3, "SubscribeTimeout", "subscribe timeout", Reconnect),
    (4, "UnsubscribeError", "unsubscribe error", Reconnect),
];

// centrifuge-js codes.ts disconnectedCodes / centrifuge-go codes.go disconnected*, disconnect*.
const SDK_DISCONNECTED: &[Fact] = &[
    (0, "DisconnectCalled", "disconnect called", Terminal),
    (1, "Unauthorized", "unauthorized", Terminal),
    (2, "BadProtocol", "decode error", Terminal),
    (3, "MessageSizeLimit", "message size limit exceeded", Terminal),
    (3014, "StateInvalidated", "state invalidated", Reconnect),
];

// centrifuge-js codes.ts subscribingCodes / centrifuge-go codes.go subscribing*.
const SDK_SUBSCRIBING: &[Fact] =
    &[(0, "SubscribeCalled", "subscribe called", Reconnect), (1, "TransportClosed", "transport closed", Reconnect)];

// centrifuge-js codes.ts unsubscribedCodes / centrifuge-go codes.go unsubscribed*.
const SDK_UNSUBSCRIBED: &[Fact] = &[
    (0, "UnsubscribeCalled", "unsubscribe called", Terminal),
    (1, "Unauthorized", "unauthorized", Terminal),
    (2, "ClientClosed", "client closed", Terminal),
    (2502, "StateInvalidated", "server tags filter changed", Reconnect),
];

fn assert_family_matches<F: CodeFamily>(facts: &[Fact]) {
    let actual: Vec<Fact> = F::ALL
        .iter()
        .map(|code| (code.code(), code.name(), code.message().expect("a fixed text"), code.behaviour()))
        .collect();
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
    assert_eq!(temporary, [100, 111, 113]);
}

#[test]
fn centrifugo_disconnect_codes_match_the_source() {
    assert_family_matches::<CentrifugoDisconnect>(CENTRIFUGO_DISCONNECTS);
    assert_eq!(CentrifugoDisconnect::RETIRED, [3002, 3003, 3007]);
}

#[test]
fn centrifugo_unsubscribe_and_sdk_codes_match_the_sources() {
    assert_family_matches::<CentrifugoUnsubscribe>(CENTRIFUGO_UNSUBSCRIBES);
    assert_family_matches::<CentrifugeSdkConnecting>(SDK_CONNECTING);
    assert_family_matches::<CentrifugeSdkDisconnected>(SDK_DISCONNECTED);
    assert_family_matches::<CentrifugeSdkSubscribing>(SDK_SUBSCRIBING);
    assert_family_matches::<CentrifugeSdkUnsubscribed>(SDK_UNSUBSCRIBED);
}

#[test]
fn centrifugo_server_api_errors_match_the_source() {
    let facts: Vec<Fact> = CENTRIFUGO_SERVER_API_ERRORS.iter().map(|(fact, _, _)| *fact).collect();
    assert_family_matches::<CentrifugoServerApiError>(&facts);
    let statuses: Vec<(u16, Option<u16>, Option<u8>)> = CentrifugoServerApiError::ALL
        .iter()
        .map(|code| (code.code(), code.http_status(), code.grpc_status()))
        .collect();
    let expected: Vec<(u16, Option<u16>, Option<u8>)> = CENTRIFUGO_SERVER_API_ERRORS
        .iter()
        .map(|((number, ..), http, grpc)| (*number, Some(*http), Some(*grpc)))
        .collect();
    assert_eq!(statuses, expected);
    // The client protocol's errors state no transport status.
    assert!(CentrifugoError::ALL.iter().all(|code| code.http_status().is_none() && code.grpc_status().is_none()));
}

#[test]
fn connection_closed_and_the_library_unsubscribes_never_reach_a_client() {
    let never_sent: Vec<u16> = CentrifugoDisconnect::ALL
        .iter()
        .filter(|code| code.origin() == codebook::Origin::ServerInternal)
        .map(|code| code.code())
        .collect();
    assert_eq!(never_sent, [3000]);
    let never_pushed: Vec<u16> = CentrifugoUnsubscribe::ALL
        .iter()
        .filter(|code| code.origin().never_on_the_wire())
        .map(|code| code.code())
        .collect();
    assert_eq!(never_pushed, [0, 1]);
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
