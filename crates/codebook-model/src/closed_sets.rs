//! The model's own closed sets: what kind of numbers a family holds, where a client meets them,
//! and which SDK event carries them. Declared with the protocol's `closed_set!` table like the
//! protocol's enums, so the source types read them and the JSON Schema lists them from one place.

use codebook_protocol::Behaviour;

codebook_protocol::closed_set! {
    /// What kind of number a family holds; it decides the allowed numbers and the behaviour field.
    pub enum FamilyKind: "family kind" {
        /// WebSocket close codes sent in a close frame: registered codes are 1000-4999 and each code
        /// tells a client whether to reconnect.
        WebsocketClose = "websocket_close",
        /// Error codes returned in replies to commands: each code tells whether retrying may succeed.
        Error = "error",
    }
}

impl FamilyKind {
    /// The numbers a registered code of this kind may have when its codes travel in a close frame
    /// (see [`Family::allowed_numbers`](crate::Family::allowed_numbers)).
    pub const fn allowed_numbers(self) -> std::ops::RangeInclusive<u16> {
        match self {
            FamilyKind::WebsocketClose => 1000..=4999,
            FamilyKind::Error => 0..=u16::MAX,
        }
    }

    /// The name of the per-code behaviour field for this kind (`reconnect` or `temporary`).
    pub const fn behaviour_field(self) -> &'static str {
        match self {
            FamilyKind::WebsocketClose => "reconnect",
            FamilyKind::Error => "temporary",
        }
    }

    /// Builds the behaviour from the value of [`Self::behaviour_field`].
    pub const fn behaviour_from_flag(self, flag: bool) -> Behaviour {
        match (self, flag) {
            (FamilyKind::WebsocketClose, true) => Behaviour::Reconnect,
            (FamilyKind::WebsocketClose, false) => Behaviour::Terminal,
            (FamilyKind::Error, true) => Behaviour::Temporary,
            (FamilyKind::Error, false) => Behaviour::Permanent,
        }
    }
}

codebook_protocol::closed_set! {
    /// How a family's numbers are written for a reader (doc comments, Markdown, the portal); the
    /// wire value and every lookup stay numbers.
    pub enum NumberDisplay: "number display" {
        /// Decimal, as most registries write codes (`3500`).
        Decimal = "decimal",
        /// Hexadecimal with `0x` and upper-case digits, padded to the family's width (`0x87`), as
        /// protocols that write their codes in hex do (MQTT's reason codes).
        Hex = "hex",
    }
}

codebook_protocol::closed_set! {
    /// Where a client meets a family's codes.
    pub enum Delivery: "delivery" {
        /// The code and reason of a WebSocket close frame (only 1000-4999 can travel there).
        CloseFrame = "close_frame",
        /// A Disconnect push of the Centrifugo protocol, on a transport that keeps the connection open
        /// (or in a close frame's JSON reason).
        DisconnectPush = "disconnect_push",
        /// The `error` object of a reply to one command.
        ErrorReply = "error_reply",
        /// An Unsubscribe push of the Centrifugo protocol for one subscription.
        UnsubscribePush = "unsubscribe_push",
        /// A state event of an official client SDK (its `code` and `reason`), see [`SdkEvent`].
        SdkEvent = "sdk_event",
        /// The `error` of a server API reply to a backend (HTTP or gRPC), or its HTTP or gRPC
        /// status when the request asks for the transport error mode; never seen by a client SDK.
        ServerApiReply = "server_api_reply",
        /// A protocol's own close or disconnect message that is not a WebSocket close frame (an
        /// MQTT DISCONNECT packet, say): its code and reason end the session.
        CloseMessage = "close_message",
        /// The status of a reply or acknowledgement to one request (a gRPC status, an MQTT CONNACK
        /// or PUBACK reason code, an HTTP-style status in a response).
        Reply = "reply",
    }
}

impl Delivery {
    /// Where a reader meets the code, in words (for the portal and the Markdown pages).
    pub const fn in_words(self) -> &'static str {
        match self {
            Delivery::CloseFrame => "the code and reason of a WebSocket close frame",
            Delivery::DisconnectPush => "a Disconnect push (or a close frame whose reason is JSON)",
            Delivery::ErrorReply => "the error of a reply to one command",
            Delivery::UnsubscribePush => "an Unsubscribe push for one subscription",
            Delivery::SdkEvent => "the code and reason of an official SDK's state event",
            Delivery::ServerApiReply => {
                "the error of a server API reply to a backend (or its HTTP or gRPC status in the transport error mode)"
            }
            Delivery::CloseMessage => "the code of a close or disconnect message of the protocol",
            Delivery::Reply => "the status of a reply or acknowledgement to one request",
        }
    }
}

codebook_protocol::closed_set! {
    /// The official SDK event whose context carries a family's codes (the four official SDKs
    /// name their state events alike).
    pub enum SdkEvent: "SDK event" {
        /// The client lost or has not yet made its connection and is connecting (again).
        Connecting = "connecting",
        /// The client stopped and will not connect again by itself.
        Disconnected = "disconnected",
        /// A subscription is being made (again).
        Subscribing = "subscribing",
        /// A subscription ended and will not be made again by itself.
        Unsubscribed = "unsubscribed",
        /// Something failed without changing the state: the `error` event of a client or a
        /// subscription (and, in centrifuge-js, the `{ code, message }` a call's promise rejects
        /// with). Each SDK numbers these itself, so a family of this event names its SDK
        /// (`sdks:`); centrifuge-go and centrifuge-java report such failures without numbers.
        Error = "error",
    }
}

codebook_protocol::closed_set! {
    /// An official client SDK whose events carry codes: the SDK event families say which of them
    /// give an event its numbers (`sdks:`), and each language's helpers read its own SDK's.
    pub enum Sdk: "SDK" {
        /// centrifuge-js, the JavaScript and TypeScript SDK (the TypeScript binding's helpers).
        CentrifugeJs = "centrifuge-js",
        /// centrifuge-go, the Go SDK (the Go binding's helpers).
        CentrifugeGo = "centrifuge-go",
        /// centrifuge-python, the asyncio SDK (the Python binding's helpers).
        CentrifugePython = "centrifuge-python",
        /// centrifuge-java, the Java SDK (the Java binding's helpers).
        CentrifugeJava = "centrifuge-java",
    }
}

impl SdkEvent {
    /// The event's name in UpperCamelCase, for generated helper names (`classifyDisconnectedContext`).
    pub const fn upper_camel(self) -> &'static str {
        match self {
            SdkEvent::Connecting => "Connecting",
            SdkEvent::Disconnected => "Disconnected",
            SdkEvent::Subscribing => "Subscribing",
            SdkEvent::Unsubscribed => "Unsubscribed",
            SdkEvent::Error => "Error",
        }
    }
}

codebook_protocol::closed_set! {
    /// An output `codebook gen` writes, as the `bindings.targets` list of `codes.yaml` names it.
    pub enum BindingTarget: "binding target" {
        /// The npm package (TypeScript, built to ES modules and CommonJS).
        TypeScript = "typescript",
        /// The Go module.
        Go = "go",
        /// The Python package.
        Python = "python",
        /// The Java Maven module.
        Java = "java",
        /// The Markdown reference pages.
        Markdown = "markdown",
        /// The shared conformance vectors (`vectors.json`).
        Vectors = "vectors",
        /// The JSON Schema of `codes.yaml` (`codes.schema.json`).
        Schema = "schema",
    }
}
