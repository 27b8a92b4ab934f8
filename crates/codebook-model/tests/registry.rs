//! The shipped registry and the classification rules, checked against the model's own data.

use codebook_model::{Behaviour, EMBEDDED_CODES_YAML, Family, Registry, Scope, Sdk, SdkEvent, load_path, load_str};
use proptest::prelude::*;

static REGISTRY: std::sync::LazyLock<Registry> =
    std::sync::LazyLock::new(|| load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap_or_else(|error| panic!("{error}")));

fn registry() -> &'static Registry {
    &REGISTRY
}

#[test]
fn shipped_registry_has_every_seed_family_complete() {
    let registry = registry();
    let counts: Vec<(&str, usize)> =
        registry.families.iter().map(|family| (family.id.as_str(), family.codes.len())).collect();
    assert_eq!(
        counts,
        [
            ("streaming-session", 12),
            ("centrifugo-error", 14),
            ("centrifugo-disconnect", 22),
            ("centrifugo-unsubscribe", 6),
            ("centrifugo-server-api-error", 7),
            ("centrifuge-sdk-connecting", 5),
            ("centrifuge-sdk-disconnected", 5),
            ("centrifuge-sdk-subscribing", 2),
            ("centrifuge-sdk-unsubscribed", 4),
            ("centrifuge-js-error", 14),
            ("centrifuge-python-error", 16)
        ]
    );
    let disconnects = registry.family("centrifugo-disconnect").unwrap();
    let retired: Vec<(u16, Option<u16>)> =
        disconnects.retired.iter().map(|retired| (retired.number, retired.moved_to)).collect();
    assert_eq!(retired, [(3002, Some(3500)), (3003, Some(3501)), (3007, Some(3502))]);
}

#[test]
fn each_family_says_where_a_client_meets_its_codes() {
    use codebook_model::{Delivery, SdkEvent};
    let registry = registry();
    let places: Vec<(&str, Vec<Delivery>, Option<SdkEvent>)> = registry
        .families
        .iter()
        .map(|family| (family.id.as_str(), family.delivered_in.clone(), family.sdk_event))
        .collect();
    assert_eq!(
        places,
        [
            ("streaming-session", vec![Delivery::CloseFrame], None),
            ("centrifugo-error", vec![Delivery::ErrorReply], None),
            ("centrifugo-disconnect", vec![Delivery::CloseFrame, Delivery::DisconnectPush], None),
            ("centrifugo-unsubscribe", vec![Delivery::UnsubscribePush], None),
            ("centrifugo-server-api-error", vec![Delivery::ServerApiReply], None),
            ("centrifuge-sdk-connecting", vec![Delivery::SdkEvent], Some(SdkEvent::Connecting)),
            ("centrifuge-sdk-disconnected", vec![Delivery::SdkEvent], Some(SdkEvent::Disconnected)),
            ("centrifuge-sdk-subscribing", vec![Delivery::SdkEvent], Some(SdkEvent::Subscribing)),
            ("centrifuge-sdk-unsubscribed", vec![Delivery::SdkEvent], Some(SdkEvent::Unsubscribed)),
            ("centrifuge-js-error", vec![Delivery::SdkEvent], Some(SdkEvent::Error)),
            ("centrifuge-python-error", vec![Delivery::SdkEvent], Some(SdkEvent::Error)),
        ]
    );
    // Only close-frame families are held to the close-code numbers.
    assert_eq!(registry.family("centrifuge-sdk-connecting").unwrap().allowed_numbers(), 0..=u16::MAX);
    assert_eq!(registry.family("centrifugo-disconnect").unwrap().allowed_numbers(), 1000..=4999);
}

/// Centrifugo v6.9.1's server API errors (`github.com/centrifugal/centrifugo/v6/internal/apiproto/errors.go`): messages, and the
/// statuses `MapErrorToHTTPCode` and `MapErrorToGRPCCode` give each in the transport error mode.
#[test]
fn the_server_api_family_keeps_the_status_mapping() {
    use codebook_model::GrpcStatus::*;
    let family = registry().family("centrifugo-server-api-error").unwrap();
    let facts: Vec<(u16, &str, Option<u16>, Option<codebook_model::GrpcStatus>)> = family
        .codes
        .iter()
        .map(|code| (code.number, code.message.fixed().unwrap(), code.http_status, code.grpc_status))
        .collect();
    assert_eq!(
        facts,
        [
            (100, "internal server error", Some(500), Some(Internal)),
            (102, "unknown channel", Some(404), Some(NotFound)),
            (104, "not found", Some(404), Some(NotFound)),
            (107, "bad request", Some(400), Some(InvalidArgument)),
            (108, "not available", Some(400), Some(InvalidArgument)),
            (112, "unrecoverable position", Some(416), Some(OutOfRange)),
            (113, "conflict", Some(409), Some(AlreadyExists)),
        ]
    );
    // No other family states transport statuses.
    for other in registry().families.iter().filter(|other| other.id != family.id) {
        assert!(
            other.codes.iter().all(|code| code.http_status.is_none() && code.grpc_status.is_none()),
            "{}",
            other.id
        );
    }
}

/// The counters a running Centrifugo v6.9.1 labels with codes, each read in one family.
#[test]
fn each_code_labelled_counter_names_its_family() {
    let registry = registry();
    let counted: Vec<(&str, &str, &str)> = registry
        .families
        .iter()
        .flat_map(|family| {
            family.metrics.iter().map(move |metric| (family.id.as_str(), metric.name.as_str(), metric.label.as_str()))
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("centrifugo-error", "centrifugo_client_num_reply_errors", "code"),
            ("centrifugo-disconnect", "centrifugo_client_num_server_disconnects", "code"),
            ("centrifugo-disconnect", "centrifugo_transport_outgoing_close_count", "code"),
            ("centrifugo-unsubscribe", "centrifugo_client_num_server_unsubscribes", "code"),
            ("centrifugo-server-api-error", "centrifugo_api_command_errors_total", "error"),
        ]
    );
    let (family, metric) = registry.family_counted_by("centrifugo_transport_outgoing_close_count").unwrap();
    assert_eq!((family.id.as_str(), metric.label.as_str()), ("centrifugo-disconnect", "code"));
    assert!(registry.family_counted_by("centrifugo_node_num_clients").is_none());
}

/// centrifuge-js 5.7.4 `errorCodes`: numbers and names as the SDK spells them, the five texts it
/// never varies, and the error event handing the server's replies to `centrifugo-error`.
#[test]
fn the_centrifuge_js_error_family_keeps_the_sdk_facts() {
    use codebook_model::{Sdk, SdkEvent, WireMessage};
    let registry = registry();
    let family = registry.family("centrifuge-js-error").unwrap();
    let names: Vec<(u16, &str)> =
        family.codes.iter().map(|code| (code.number, code.names.lower_camel.as_str())).collect();
    assert_eq!(
        names,
        [
            (1, "timeout"),
            (2, "transportClosed"),
            (3, "clientDisconnected"),
            (4, "clientClosed"),
            (5, "clientConnectToken"),
            (6, "clientRefreshToken"),
            (7, "subscriptionUnsubscribed"),
            (8, "subscriptionSubscribeToken"),
            (9, "subscriptionRefreshToken"),
            (10, "transportWriteError"),
            (11, "connectionClosed"),
            (12, "badConfiguration"),
            (13, "subscriptionGetState"),
            (14, "sharedPollGetSignature"),
        ]
    );
    let fixed: Vec<(u16, &str)> =
        family.codes.iter().filter_map(|code| code.message.fixed().map(|text| (code.number, text))).collect();
    assert_eq!(
        fixed,
        [
            (1, "timeout"),
            (2, "transport closed"),
            (7, "unsubscribed"),
            (10, "transport write error"),
            (11, "connection closed")
        ]
    );
    assert!(family.has_varying_messages());
    assert!(!registry.family("centrifugo-error").unwrap().has_varying_messages());
    let disconnected = family.code(3).unwrap();
    assert!(
        matches!(&disconnected.message, WireMessage::Varies { known, .. } if known == &["client disconnected", "disconnected"])
    );
    assert_eq!(disconnected.message.texts(), ["client disconnected", "disconnected"]);
    // This family is centrifuge-js's error event; its server numbers are error replies.
    assert_eq!(family.sdks, [Sdk::CentrifugeJs]);
    let (answered, classified) = registry.classify_sdk_event(SdkEvent::Error, Sdk::CentrifugeJs, 103).unwrap();
    assert_eq!(
        (answered.id.as_str(), classified.code.map(|code| code.name.as_str())),
        ("centrifugo-error", Some("PermissionDenied"))
    );
    let (answered, classified) = registry.classify_sdk_event(SdkEvent::Error, Sdk::CentrifugeJs, 5).unwrap();
    assert_eq!((answered.id.as_str(), classified.behaviour), ("centrifuge-js-error", Behaviour::Temporary));
    assert!(registry.classify_sdk_event(SdkEvent::Error, Sdk::CentrifugeJs, 65_536 + 5).is_none());
}

#[test]
fn each_sdk_reads_its_own_error_numbers() {
    let registry = registry();
    // centrifuge-python's codes.py: 13 CONNECT_ERROR, 14 SUBSCRIBE_ERROR, 15 SUBSCRIPTION_GET_STATE,
    // 109 TOKEN_EXPIRED; centrifuge-js's codes.ts: 13 subscriptionGetState, 14 sharedPollGetSignature.
    let name = |sdk: Sdk, number: u32| {
        registry
            .classify_sdk_event(SdkEvent::Error, sdk, number)
            .map(|(family, classified)| (family.id.clone(), classified.code.map(|code| code.name.clone())))
    };
    assert_eq!(name(Sdk::CentrifugePython, 13), Some(("centrifuge-python-error".into(), Some("ConnectError".into()))));
    assert_eq!(
        name(Sdk::CentrifugePython, 14),
        Some(("centrifuge-python-error".into(), Some("SubscribeError".into())))
    );
    assert_eq!(
        name(Sdk::CentrifugePython, 15),
        Some(("centrifuge-python-error".into(), Some("SubscriptionGetState".into())))
    );
    assert_eq!(name(Sdk::CentrifugePython, 109), Some(("centrifuge-python-error".into(), Some("TokenExpired".into()))));
    assert_eq!(name(Sdk::CentrifugeJs, 13), Some(("centrifuge-js-error".into(), Some("SubscriptionGetState".into()))));
    assert_eq!(
        name(Sdk::CentrifugeJs, 14),
        Some(("centrifuge-js-error".into(), Some("SharedPollGetSignature".into())))
    );
    // centrifuge-go and centrifuge-java number no error event; their state events share families.
    assert_eq!(name(Sdk::CentrifugeGo, 13), None);
    assert_eq!(name(Sdk::CentrifugeJava, 13), None);
    for sdk in Sdk::ALL {
        assert_eq!(registry.sdk_event_family(SdkEvent::Connecting, sdk).unwrap().id, "centrifuge-sdk-connecting");
    }
    // centrifuge-java 0.4.1 has no name for 3014 or 2502; the other three do.
    let invalidated = registry.family("centrifuge-sdk-disconnected").unwrap().code(3014).unwrap();
    assert_eq!(invalidated.sdks, [Sdk::CentrifugeJs, Sdk::CentrifugeGo, Sdk::CentrifugePython]);
}

#[test]
fn the_sdk_and_library_rules_classify_unregistered_numbers() {
    let registry = registry();
    let unsubscribe = registry.family("centrifugo-unsubscribe").unwrap();
    // unsubscribe.go: codes >= 2500 mean "resubscribe".
    for (number, resubscribe) in [(2001, false), (2499, false), (2503, true), (2999, true), (2100, false)] {
        assert_eq!(unsubscribe.classify(number).behaviour == Behaviour::Reconnect, resubscribe, "{number}");
    }
    let disconnect = registry.family("centrifugo-disconnect").unwrap();
    // centrifuge-js stops after 1009 (messageSizeLimit); other transport closes reconnect.
    assert_eq!(disconnect.classify(1009).behaviour, Behaviour::Terminal);
    assert_eq!(disconnect.classify(1011).behaviour, Behaviour::Reconnect);
    // >= 5000 is reserved by Centrifuge, not an application range.
    assert_eq!(disconnect.classify(5000).segment.scope, Scope::Server);
}

#[test]
fn local_only_codes_are_exactly_1005_and_1006() {
    let registry = registry();
    let local: Vec<u16> = registry
        .families
        .iter()
        .flat_map(|family| family.codes.iter())
        .filter(|code| code.local_only)
        .map(|code| code.number)
        .collect();
    assert_eq!(local, [1005, 1006]);
}

#[test]
fn every_streaming_code_explains_its_reconnect_decision() {
    let registry = registry();
    for code in &registry.family("streaming-session").unwrap().codes {
        assert!(code.rationale.as_deref().is_some_and(|text| !text.trim().is_empty()), "{}", code.number);
    }
}

#[test]
fn segments_cover_every_number_exactly_once_in_order() {
    for family in &registry().families {
        let segments = &family.segments;
        assert_eq!(segments.first().unwrap().from, 0, "{}", family.id);
        assert_eq!(segments.last().unwrap().to, u16::MAX, "{}", family.id);
        for pair in segments.windows(2) {
            assert_eq!(u32::from(pair[0].to) + 1, u32::from(pair[1].from), "{}", family.id);
        }
    }
}

#[test]
fn range_rules_from_the_sources_classify_unregistered_numbers() {
    let registry = registry();
    let disconnects = registry.family("centrifugo-disconnect").unwrap();
    let behaviour = |number| disconnects.classify(number).behaviour;
    assert_eq!(behaviour(3499), Behaviour::Reconnect);
    assert_eq!(behaviour(3510), Behaviour::Terminal);
    assert_eq!(behaviour(3999), Behaviour::Terminal);
    assert_eq!(behaviour(4321), Behaviour::Reconnect);
    assert_eq!(behaviour(4500), Behaviour::Terminal);
    assert_eq!(behaviour(4999), Behaviour::Terminal);
    assert_eq!(behaviour(5000), Behaviour::Reconnect);
    assert_eq!(behaviour(u16::MAX), Behaviour::Reconnect);
    assert_eq!(disconnects.classify(4321).segment.scope, Scope::Application);
    // A retired number is not a code, but it is remembered.
    let retired = disconnects.classify(3002);
    assert!(retired.code.is_none());
    assert_eq!(retired.retired.unwrap().moved_to, Some(3500));

    let errors = registry.family("centrifugo-error").unwrap();
    assert_eq!(errors.classify(42).segment.scope, Scope::Client);
    assert_eq!(errors.classify(399).segment.scope, Scope::Server);
    assert_eq!(errors.classify(400).segment.scope, Scope::Application);
    assert_eq!(errors.classify(1999).segment.scope, Scope::Application);
    assert_eq!(errors.classify(2000).segment.scope, Scope::Unassigned);
    assert_eq!(errors.classify(500).behaviour, Behaviour::Permanent);
    assert_eq!(errors.classify(100).behaviour, Behaviour::Temporary);
}

#[test]
fn registered_codes_keep_their_own_behaviour_against_their_range() {
    let registry = registry();
    let streaming = registry.family("streaming-session").unwrap();
    // 4001 overrides the terminal 4000-4999 rule: capacity comes back.
    assert_eq!(streaming.classify(4001).behaviour, Behaviour::Reconnect);
    assert_eq!(streaming.classify(4001).segment.behaviour, Behaviour::Terminal);
    assert!(streaming.code(4001).unwrap().range_override.is_some());
    assert_eq!(streaming.classify(4008).behaviour, Behaviour::Terminal);
    assert_eq!(streaming.classify(1000).behaviour, Behaviour::Terminal);
    assert_eq!(streaming.classify(1002).behaviour, Behaviour::Reconnect);
}

/// The rule the model is meant to apply, written the slow and obvious way.
fn classify_by_scanning_rules(family: &Family, number: u16) -> Behaviour {
    if let Some(code) = family.code(number) {
        return code.behaviour;
    }
    family
        .ranges
        .iter()
        .find(|rule| (rule.from..=rule.to).contains(&number))
        .and_then(|rule| rule.behaviour)
        .unwrap_or(family.fallback.behaviour)
}

proptest! {
    #[test]
    fn classification_agrees_with_scanning_the_rules(number in any::<u16>()) {
        for family in &registry().families {
            prop_assert_eq!(family.classify(number).behaviour, classify_by_scanning_rules(family, number));
        }
    }
}

#[test]
fn names_for_every_target_come_from_the_model() {
    let registry = registry();
    let disconnects = registry.family("centrifugo-disconnect").unwrap();
    assert_eq!(disconnects.names.type_name, "CentrifugoDisconnect");
    assert_eq!(disconnects.names.module, "centrifugo_disconnect");
    let code = disconnects.code(3500).unwrap();
    assert_eq!(code.names.go_constant, "CentrifugoDisconnectInvalidToken");
    assert_eq!(code.names.snake, "invalid_token");
    assert_eq!(code.names.anchor, "3500-invalid-token");
}

#[test]
fn unreadable_and_non_utf8_files_get_located_messages() {
    let dir = std::env::temp_dir().join(format!("codebook-model-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1.yaml");
    std::fs::write(&path, b"families:\n  - id: caf\xe9\n").unwrap();
    let error = load_path(&path).unwrap_err();
    assert_eq!(error.messages(), [format!("{}:2:12: the registry is not valid UTF-8", path.display())]);

    let missing = dir.join("missing.yaml");
    let error = load_path(&missing).unwrap_err();
    assert!(error.messages()[0].starts_with(&format!("{}: cannot read the registry:", missing.display())));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn oversized_registry_is_refused_before_parsing() {
    let huge = " ".repeat(codebook_model::MAX_SOURCE_BYTES + 1);
    let error = load_str("codes.yaml", &huge).unwrap_err();
    assert_eq!(
        error.messages(),
        [format!(
            "codes.yaml: the registry is {} bytes; the limit is {}",
            huge.len(),
            codebook_model::MAX_SOURCE_BYTES
        )]
    );
}

/// The Rust crates take their version from `[workspace.package]`; it must be the registry's own
/// (`codebook release` stamps both).
#[test]
fn the_crates_carry_the_registry_version() {
    assert_eq!(
        registry().version.to_string(),
        env!("CARGO_PKG_VERSION"),
        "codes.yaml's `version:` and Cargo.toml's [workspace.package] version differ; run `codebook release` or set both"
    );
}

#[test]
fn from_version_2_on_the_go_module_path_ends_in_its_major_version() {
    let at = |version: &str| {
        let text = EMBEDDED_CODES_YAML.replacen("\nversion: 0.1.0\n", &format!("\nversion: {version}\n"), 1);
        load_str("codes.yaml", &text).unwrap_or_else(|error| panic!("{error}")).bindings.go_module
    };
    assert_eq!(at("1.9.0"), "github.com/codebook-dev/codebook/bindings/go/codebook");
    assert_eq!(at("2.0.0"), "github.com/codebook-dev/codebook/bindings/go/codebook/v2");
    assert_eq!(at("13.1.4"), "github.com/codebook-dev/codebook/bindings/go/codebook/v13");
}

/// The published crates require each other exactly (`version = "=X.Y.Z"` beside `path` in the
/// workspace manifest); `codebook release` stamps those too.
#[test]
fn the_published_crates_require_each_other_at_the_registry_version() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml")).unwrap();
    let exact = format!("version = \"={}\"", registry().version);
    let lines: Vec<&str> =
        manifest.lines().filter(|line| line.starts_with("codebook") && line.contains("path = ")).collect();
    assert!(lines.len() >= 4, "{lines:?}");
    for line in lines.iter().filter(|line| line.contains("version = ")) {
        assert!(line.contains(&exact), "{line} does not require {exact}");
    }
}
