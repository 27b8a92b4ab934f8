//! "What you will see": a code as it reaches a client, one example per place the family is
//! delivered in (the close frame a browser reports, the push or reply on the wire, each official
//! SDK's event), built from the model's facts: the family's `delivered_in` and `sdk_event`, the
//! SDKs whose event carries the family's numbers (`Family::sdks`), which SDK events pass the code on
//! (`Registry::classify_sdk_event`), the code's number, text and behaviour. Nothing here decides
//! what a code means; the wire shapes are the fixed forms of each delivery.
//!
//! Registry text enters only as JSON string literals (`serde_json`), which are valid string
//! literals in TypeScript and Go too, and the result is escaped for HTML by the highlighter.

use codebook_model::{Code, Delivery, Family, Origin, Registry, Sdk, SdkEvent};

use crate::highlight::{Language, highlight};

/// One place a client meets the code, and what it looks like there.
pub struct Sighting {
    /// "Close frame", "centrifuge-js disconnected event", ...
    pub place: String,
    /// The example, highlighted HTML.
    pub html: String,
}

/// A JSON (and TypeScript and Go) string literal of `text`.
fn literal(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

/// The text the client receives: the fixed text, else the first known text, else what the text
/// holds in angle brackets.
fn received_text(code: &Code) -> String {
    match (code.message.fixed(), code.message.known().first(), code.message.varies()) {
        (Some(text), _, _) => text.to_string(),
        (None, Some(known), _) => known.clone(),
        (None, None, Some(what)) => format!("<{what}>"),
        (None, None, None) => String::new(),
    }
}

fn is_subscription_event(event: SdkEvent) -> bool {
    matches!(event, SdkEvent::Subscribing | SdkEvent::Unsubscribed)
}

/// What `sdk`'s listener of `event` receives for `code` carrying `text`.
fn sdk_event_sighting(sdk: Sdk, event: SdkEvent, number: u16, text: &str) -> Sighting {
    let name = event.as_str();
    let (language, source) = match (sdk, event) {
        (Sdk::CentrifugeJs, SdkEvent::Error) => (
            Language::TypeScript,
            format!(
                "client.on({}, (ctx) => {{ /* ctx.error: */ }});\n{{ code: {number}, message: {} }}",
                literal(name),
                literal(text)
            ),
        ),
        (Sdk::CentrifugeJs, _) => {
            let (target, channel) =
                if is_subscription_event(event) { ("sub", "channel: \"chat\", ") } else { ("client", "") };
            (
                Language::TypeScript,
                format!(
                    "{target}.on({}, (ctx) => {{ /* ctx: */ }});\n{{ {channel}code: {number}, reason: {} }}",
                    literal(name),
                    literal(text)
                ),
            )
        }
        (Sdk::CentrifugeGo, _) => {
            let camel = event.upper_camel();
            let target = if is_subscription_event(event) { "sub" } else { "client" };
            (
                Language::Go,
                format!(
                    "{target}.On{camel}(func(e centrifuge.{camel}Event) {{ /* e: */ }})\ncentrifuge.{camel}Event{{Code: {number}, Reason: {}}}",
                    literal(text)
                ),
            )
        }
        (Sdk::CentrifugePython, SdkEvent::Error) => (
            Language::Python,
            format!(
                "# in your ClientEventHandler or SubscriptionEventHandler:\nasync def on_error(self, ctx: ErrorContext) -> None: ...\nErrorContext(code={number}, error=CentrifugeError({}))",
                literal(text)
            ),
        ),
        (Sdk::CentrifugePython, _) => {
            let camel = event.upper_camel();
            let handler = if is_subscription_event(event) { "SubscriptionEventHandler" } else { "ClientEventHandler" };
            (
                Language::Python,
                format!(
                    "# in your {handler}:\nasync def on_{name}(self, ctx: {camel}Context) -> None: ...\n{camel}Context(code={number}, reason={})",
                    literal(text)
                ),
            )
        }
        (Sdk::CentrifugeJava, _) => {
            let camel = event.upper_camel();
            let target = if is_subscription_event(event) { "Subscription sub" } else { "Client client" };
            (
                Language::Java,
                format!(
                    "public void on{camel}({target}, {camel}Event event) {{ /* event: */ }}\nevent.getCode() == {number}; event.getReason().equals({})",
                    literal(text)
                ),
            )
        }
    };
    Sighting { place: format!("{} {name} event", sdk.as_str()), html: highlight(language, &source) }
}

/// Every place a client meets `code` of `family`, in the family's delivery order, then the SDK
/// events that pass the code on. Empty for a code the sender only records.
pub fn sightings(registry: &Registry, family: &Family, code: &Code) -> Vec<Sighting> {
    if code.origin == Origin::ServerInternal {
        return Vec::new();
    }
    let number = code.number;
    let text = received_text(code);
    let mut out = Vec::new();
    for delivery in &family.delivered_in {
        match delivery {
            Delivery::CloseFrame => {
                let source = if code.local_only {
                    format!(
                        "// No close frame travels: the browser's WebSocket reports it itself.\nws.onclose = (event) => {{ /* event: */ }};\n{{ code: {number}, reason: \"\", wasClean: false }}"
                    )
                } else {
                    format!(
                        "// Close frame: code {number}, reason {}\nws.onclose = (event) => {{ /* event: */ }};\n{{ code: {number}, reason: {}, wasClean: true }}",
                        literal(&text),
                        literal(&text)
                    )
                };
                out.push(Sighting { place: "Close frame".to_string(), html: highlight(Language::TypeScript, &source) });
            }
            Delivery::DisconnectPush => out.push(Sighting {
                place: "Disconnect push".to_string(),
                html: highlight(
                    Language::TypeScript,
                    &format!("{{\"push\":{{\"disconnect\":{{\"code\":{number},\"reason\":{}}}}}}}", literal(&text)),
                ),
            }),
            Delivery::UnsubscribePush => out.push(Sighting {
                place: "Unsubscribe push".to_string(),
                html: highlight(
                    Language::TypeScript,
                    &format!(
                        "{{\"push\":{{\"channel\":\"chat\",\"unsubscribe\":{{\"code\":{number},\"reason\":{}}}}}}}",
                        literal(&text)
                    ),
                ),
            }),
            Delivery::ErrorReply => {
                let temporary = if code.behaviour.is_temporary() { ",\"temporary\":true" } else { "" };
                out.push(Sighting {
                    place: "Error reply".to_string(),
                    html: highlight(
                        Language::TypeScript,
                        &format!(
                            "{{\"id\":1,\"error\":{{\"code\":{number},\"message\":{}{temporary}}}}}",
                            literal(&text)
                        ),
                    ),
                });
            }
            Delivery::ServerApiReply => {
                let transport = match (code.http_status, code.grpc_status) {
                    (Some(http), Some(grpc)) => {
                        format!("\n// transport error mode: HTTP {http}, gRPC {} ({})", grpc.name(), grpc.number())
                    }
                    (Some(http), None) => format!("\n// transport error mode: HTTP {http}"),
                    (None, Some(grpc)) => {
                        format!("\n// transport error mode: gRPC {} ({})", grpc.name(), grpc.number())
                    }
                    (None, None) => String::new(),
                };
                out.push(Sighting {
                    place: "Server API reply".to_string(),
                    html: highlight(
                        Language::TypeScript,
                        &format!("{{\"error\":{{\"code\":{number},\"message\":{}}}}}{transport}", literal(&text)),
                    ),
                });
            }
            Delivery::CloseMessage => out.push(Sighting {
                place: "Close message".to_string(),
                html: highlight(
                    Language::TypeScript,
                    &format!(
                        "// A close or disconnect message of the protocol\n{{ code: {}, reason: {} }}",
                        family.display_number(number),
                        literal(&text)
                    ),
                ),
            }),
            Delivery::Reply => out.push(Sighting {
                place: "Reply".to_string(),
                html: highlight(
                    Language::TypeScript,
                    &format!(
                        "// The status of a reply or acknowledgement\n{{ code: {}, message: {} }}",
                        family.display_number(number),
                        literal(&text)
                    ),
                ),
            }),
            Delivery::SdkEvent => {
                if let Some(event) = family.sdk_event {
                    for &sdk in &family.sdks {
                        out.push(sdk_event_sighting(sdk, event, number, &text));
                    }
                }
            }
        }
    }
    // A server code an SDK event passes on (its range rule says `codes_of` this family).
    for event in SdkEvent::ALL {
        if family.sdk_event == Some(event) {
            continue;
        }
        for sdk in Sdk::ALL {
            let passes_on =
                registry.classify_sdk_event(event, sdk, u32::from(number)).is_some_and(|(answered, classified)| {
                    answered.id == family.id && classified.code.is_some_and(|found| found.number == number)
                });
            if passes_on {
                out.push(sdk_event_sighting(sdk, event, number, &text));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use codebook_model::{EMBEDDED_CODES_YAML, load_str};

    fn places_and_text(number: u16, family: &str) -> Vec<(String, String)> {
        let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
        let family = registry.family(family).unwrap();
        let code = family.code(number).unwrap();
        sightings(&registry, family, code)
            .into_iter()
            .map(|sighting| {
                let mut text = String::new();
                let mut in_tag = false;
                for c in sighting.html.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        _ if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                (sighting.place, text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">"))
            })
            .collect()
    }

    #[test]
    fn a_disconnect_code_shows_its_frame_push_and_the_sdk_events_that_pass_it_on() {
        let seen = places_and_text(3500, "centrifugo-disconnect");
        let places: Vec<&str> = seen.iter().map(|(place, _)| place.as_str()).collect();
        assert_eq!(&places[..2], ["Close frame", "Disconnect push"], "{seen:?}");
        assert!(seen[0].1.contains("{ code: 3500, reason: \"invalid token\", wasClean: true }"), "{seen:?}");
        assert_eq!(seen[1].1, "{\"push\":{\"disconnect\":{\"code\":3500,\"reason\":\"invalid token\"}}}");
        // 3500 stops the client, so the SDKs report it in their disconnected event.
        assert!(places.contains(&"centrifuge-js disconnected event"), "{places:?}");
        assert!(
            seen.iter()
                .any(|(_, text)| text.contains("centrifuge.DisconnectedEvent{Code: 3500, Reason: \"invalid token\"}")),
            "{seen:?}"
        );
    }

    #[test]
    fn an_error_reply_says_temporary_only_when_it_is() {
        let busy = places_and_text(111, "centrifugo-error");
        assert_eq!(busy[0].0, "Error reply");
        assert_eq!(
            busy[0].1,
            "{\"id\":1,\"error\":{\"code\":111,\"message\":\"too many requests\",\"temporary\":true}}"
        );
        let denied = places_and_text(103, "centrifugo-error");
        assert_eq!(denied[0].1, "{\"id\":1,\"error\":{\"code\":103,\"message\":\"permission denied\"}}");
    }

    #[test]
    fn an_sdk_code_shows_each_sdk_that_reports_the_event_and_local_codes_no_frame() {
        let called = places_and_text(0, "centrifuge-sdk-disconnected");
        let places: Vec<&str> = called.iter().map(|(place, _)| place.as_str()).collect();
        assert_eq!(
            places,
            [
                "centrifuge-js disconnected event",
                "centrifuge-go disconnected event",
                "centrifuge-python disconnected event",
                "centrifuge-java disconnected event"
            ]
        );
        assert!(called[2].1.contains("DisconnectedContext(code=0, reason="), "{called:?}");
        assert!(called[3].1.contains("DisconnectedEvent event"), "{called:?}");
        let js_only = places_and_text(5, "centrifuge-js-error");
        assert_eq!(js_only.len(), 1, "centrifuge-go has no numbered error event: {js_only:?}");
        let abnormal = places_and_text(1006, "streaming-session");
        assert!(abnormal[0].1.contains("wasClean: false"), "{abnormal:?}");
        let registry = load_str("codes.yaml", EMBEDDED_CODES_YAML).unwrap();
        let family = registry.family("centrifugo-disconnect").unwrap();
        assert!(sightings(&registry, family, family.code(3000).unwrap()).is_empty(), "3000 is never sent");
    }
}
