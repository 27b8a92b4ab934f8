//! The validated registry: families, codes, range rules and retired numbers, as every emitter sees them.
//!
//! Values of these types only come out of [`crate::load_str`], so an emitter may rely on every
//! invariant the validator checks (unique numbers and names, valid identifiers, total classification).

use codebook_protocol::{Action, BackoffHint, Behaviour, Origin, Scope};
use serde::Serialize;

use crate::naming::{CodeNames, FamilyNames};

/// A line and column in `codes.yaml`, both 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Every family of codes in `codes.yaml`, in file order.
#[derive(Clone, Debug, Serialize)]
pub struct Registry {
    /// Absolute base URL of the published portal, without a trailing slash, if the file gives one.
    pub doc_base_url: Option<String>,
    /// What the generated bindings are called in each language's package world (the `bindings:`
    /// section, defaults filled in): the one place a package name lives.
    pub bindings: crate::PackageIdentity,
    pub families: Vec<Family>,
}

impl Registry {
    /// The family with this id, e.g. `centrifugo-disconnect`.
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|family| family.id == id)
    }

    /// The family whose codes an official SDK's `event` carries (its own codes; numbers its range
    /// rules hand to another family are classified there, see [`Registry::classify_sdk_event`]).
    pub fn sdk_event_family(&self, event: SdkEvent) -> Option<&Family> {
        self.families.iter().find(|family| family.sdk_event == Some(event))
    }

    /// What an SDK event's `code` means: a number above 65535 is no code at all (`None`, never
    /// wrapped); a number registered in the event's family is that code; a number a range rule of
    /// the event's family gives to another family (`codes_of`) is classified in that family; any
    /// other number by the event's family's ranges. Returns the family that answered.
    pub fn classify_sdk_event(&self, event: SdkEvent, code: u32) -> Option<(&Family, Classification<'_>)> {
        let number = u16::try_from(code).ok()?;
        let own = self.sdk_event_family(event)?;
        let classified = own.classify(number);
        if classified.code.is_none()
            && let crate::RuleRef::Range(rule) = own.rule_for(number)
            && let Some(other) = rule.codes_of.as_deref().and_then(|id| self.family(id))
        {
            return Some((other, other.classify(number)));
        }
        Some((own, classified))
    }

    /// Total number of registered codes across all families.
    pub fn code_count(&self) -> usize {
        self.families.iter().map(|family| family.codes.len()).sum()
    }
}

/// What kind of number a family holds; it decides the allowed numbers and the behaviour field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyKind {
    /// WebSocket close codes sent in a close frame: registered codes are 1000-4999 and each code
    /// tells a client whether to reconnect.
    WebsocketClose,
    /// Error codes returned in replies to commands: each code tells whether retrying may succeed.
    Error,
}

impl FamilyKind {
    /// The numbers a registered code of this kind may have when its codes travel in a close frame
    /// (see [`Family::allowed_numbers`]).
    pub const fn allowed_numbers(self) -> std::ops::RangeInclusive<u16> {
        match self {
            FamilyKind::WebsocketClose => 1000..=4999,
            FamilyKind::Error => 0..=u16::MAX,
        }
    }

    /// The spelling used in `codes.yaml`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FamilyKind::WebsocketClose => "websocket_close",
            FamilyKind::Error => "error",
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

/// Where a client meets a family's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The code and reason of a WebSocket close frame (only 1000-4999 can travel there).
    CloseFrame,
    /// A Disconnect push of the Centrifugo protocol, on a transport that keeps the connection open
    /// (or in a close frame's JSON reason).
    DisconnectPush,
    /// The `error` object of a reply to one command.
    ErrorReply,
    /// An Unsubscribe push of the Centrifugo protocol for one subscription.
    UnsubscribePush,
    /// A state event of an official client SDK (its `code` and `reason`), see [`SdkEvent`].
    SdkEvent,
}

impl Delivery {
    pub const ALL: [Delivery; 5] = [
        Delivery::CloseFrame,
        Delivery::DisconnectPush,
        Delivery::ErrorReply,
        Delivery::UnsubscribePush,
        Delivery::SdkEvent,
    ];

    /// The spelling used in `codes.yaml`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Delivery::CloseFrame => "close_frame",
            Delivery::DisconnectPush => "disconnect_push",
            Delivery::ErrorReply => "error_reply",
            Delivery::UnsubscribePush => "unsubscribe_push",
            Delivery::SdkEvent => "sdk_event",
        }
    }

    /// Where a reader meets the code, in words (for the portal and the Markdown pages).
    pub const fn in_words(self) -> &'static str {
        match self {
            Delivery::CloseFrame => "the code and reason of a WebSocket close frame",
            Delivery::DisconnectPush => "a Disconnect push (or a close frame whose reason is JSON)",
            Delivery::ErrorReply => "the error of a reply to one command",
            Delivery::UnsubscribePush => "an Unsubscribe push for one subscription",
            Delivery::SdkEvent => "the code and reason of an official SDK's state event",
        }
    }
}

/// The official SDK event whose context carries a family's codes (centrifuge-js and
/// centrifuge-go name their state events alike).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SdkEvent {
    /// The client lost or has not yet made its connection and is connecting (again).
    Connecting,
    /// The client stopped and will not connect again by itself.
    Disconnected,
    /// A subscription is being made (again).
    Subscribing,
    /// A subscription ended and will not be made again by itself.
    Unsubscribed,
    /// Something failed without changing the state: the `error` event of a client or a
    /// subscription, and the `{ code, message }` a call's promise rejects with (centrifuge-js only;
    /// centrifuge-go reports its own failures as Go errors without numbers).
    Error,
}

/// An official client SDK whose events carry codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Sdk {
    CentrifugeJs,
    CentrifugeGo,
    CentrifugePython,
    CentrifugeJava,
}

impl Sdk {
    /// The package name (`centrifuge-js`, `centrifuge-go`, `centrifuge-python`, `centrifuge-java`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Sdk::CentrifugeJs => "centrifuge-js",
            Sdk::CentrifugeGo => "centrifuge-go",
            Sdk::CentrifugePython => "centrifuge-python",
            Sdk::CentrifugeJava => "centrifuge-java",
        }
    }
}

impl SdkEvent {
    pub const ALL: [SdkEvent; 5] =
        [SdkEvent::Connecting, SdkEvent::Disconnected, SdkEvent::Subscribing, SdkEvent::Unsubscribed, SdkEvent::Error];

    /// The SDKs whose event of this name carries a numeric code in the numbers of the event's
    /// family. centrifuge-python's `error` contexts carry numbers of its own (13 is its connect
    /// error, centrifuge-js's 13 a failed `getState`) and centrifuge-java's carry none, so only
    /// centrifuge-js is listed for `error`.
    pub const fn sdks(self) -> &'static [Sdk] {
        match self {
            SdkEvent::Error => &[Sdk::CentrifugeJs],
            _ => &[Sdk::CentrifugeJs, Sdk::CentrifugeGo, Sdk::CentrifugePython, Sdk::CentrifugeJava],
        }
    }

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

    /// The event's name as the SDKs spell it (`client.on('disconnected', ..)`).
    pub const fn as_str(self) -> &'static str {
        match self {
            SdkEvent::Connecting => "connecting",
            SdkEvent::Disconnected => "disconnected",
            SdkEvent::Subscribing => "subscribing",
            SdkEvent::Unsubscribed => "unsubscribed",
            SdkEvent::Error => "error",
        }
    }
}

/// One entry of a code's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub version: String,
    pub note: String,
}

/// One family of codes, e.g. Centrifugo's client disconnect codes.
#[derive(Clone, Debug, Serialize)]
pub struct Family {
    /// Kebab-case id, unique in the registry (`centrifugo-disconnect`).
    pub id: String,
    pub title: String,
    pub kind: FamilyKind,
    /// Where a client meets the codes, never empty (default by kind: a close frame or an error reply).
    pub delivered_in: Vec<Delivery>,
    /// The SDK state event that carries the codes; set exactly when `delivered_in` has `sdk_event`.
    pub sdk_event: Option<SdkEvent>,
    /// Markdown.
    pub description: String,
    /// Default backoff of the family's codes and ranges that try again.
    pub backoff: BackoffHint,
    /// Rules that classify unregistered numbers, sorted by `from`, never overlapping.
    pub ranges: Vec<RangeRule>,
    pub fallback: Fallback,
    pub retired: Vec<RetiredCode>,
    /// Registered codes, in file order.
    pub codes: Vec<Code>,
    pub names: FamilyNames,
    /// The total partition of 0..=65535 that [`Family::classify`] searches; every emitter turns
    /// this table into its own lookup.
    pub segments: Vec<Segment>,
    pub location: Location,
}

impl Family {
    /// The registered code with this number.
    pub fn code(&self, number: u16) -> Option<&Code> {
        self.codes.iter().find(|code| code.number == number)
    }

    /// Registered codes sorted by number (the order generated tables use).
    pub fn codes_by_number(&self) -> Vec<&Code> {
        let mut codes: Vec<&Code> = self.codes.iter().collect();
        codes.sort_by_key(|code| code.number);
        codes
    }

    pub fn retired(&self, number: u16) -> Option<&RetiredCode> {
        self.retired.iter().find(|retired| retired.number == number)
    }

    /// The numbers a registered code may have: a family whose codes travel in a close frame is
    /// held to 1000-4999; any other family may use every number.
    pub fn allowed_numbers(&self) -> std::ops::RangeInclusive<u16> {
        Self::allowed_numbers_for(self.kind, &self.delivered_in)
    }

    pub(crate) fn allowed_numbers_for(kind: FamilyKind, delivered_in: &[Delivery]) -> std::ops::RangeInclusive<u16> {
        if delivered_in.contains(&Delivery::CloseFrame) { kind.allowed_numbers() } else { 0..=u16::MAX }
    }

    /// Every text a lookup by message resolves, each with the number it finds, in number order:
    /// what every binding's from-message lookup must answer.
    pub fn message_lookups(&self) -> Vec<(&str, u16)> {
        let mut lookups: Vec<(&str, u16)> = Vec::new();
        for code in self.codes_by_number() {
            for text in code.message.texts() {
                if !lookups.iter().any(|(seen, _)| *seen == text) {
                    lookups.push((text, code.number));
                }
            }
        }
        lookups
    }

    /// True when some code's text is built at run time, so the family's message type is optional
    /// in every binding (a family whose texts are all fixed keeps a plain string).
    pub fn has_varying_messages(&self) -> bool {
        self.codes.iter().any(|code| code.message.fixed().is_none())
    }

    /// True for families whose codes say reconnect or terminal.
    pub fn is_disconnect_family(&self) -> bool {
        self.kind == FamilyKind::WebsocketClose
    }
}

/// A rule that classifies every unregistered number from `from` to `to` inclusive.
#[derive(Clone, Debug, Serialize)]
pub struct RangeRule {
    pub from: u16,
    pub to: u16,
    pub scope: Scope,
    pub label: String,
    /// `None` when the rule only names an owner and leaves behaviour to the fallback.
    pub behaviour: Option<Behaviour>,
    /// `None` when the rule leaves the action to its behaviour's default.
    pub action: Option<Action>,
    /// The id of the family whose codes these numbers are, when they belong to another family
    /// (an SDK event carries the server's disconnect or error codes too).
    pub codes_of: Option<String>,
    pub location: Location,
}

impl RangeRule {
    pub fn contains(&self, number: u16) -> bool {
        (self.from..=self.to).contains(&number)
    }
}

/// Classification of numbers that no range rule covers.
#[derive(Clone, Debug, Serialize)]
pub struct Fallback {
    pub label: String,
    pub behaviour: Behaviour,
    pub action: Action,
    pub location: Location,
}

/// A number that was used once and must never be registered again.
#[derive(Clone, Debug, Serialize)]
pub struct RetiredCode {
    pub number: u16,
    pub moved_to: Option<u16>,
    pub note: String,
    pub location: Location,
}

/// The text a sender puts beside a code: the close reason or the error message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireMessage {
    /// The exact string that always travels with the code.
    Fixed(String),
    /// The sender builds the text at run time (centrifuge-js puts the text of the app's own
    /// exception there, for example), so no single string identifies the code.
    Varies {
        /// One line on what the text holds.
        what: String,
        /// Exact texts the sender is known to use for the code, in file order (may be empty).
        known: Vec<String>,
    },
}

impl WireMessage {
    /// The exact string, when the text never changes.
    pub fn fixed(&self) -> Option<&str> {
        match self {
            WireMessage::Fixed(text) => Some(text),
            WireMessage::Varies { .. } => None,
        }
    }

    /// What the text holds, when the sender builds it at run time.
    pub fn varies(&self) -> Option<&str> {
        match self {
            WireMessage::Fixed(_) => None,
            WireMessage::Varies { what, .. } => Some(what),
        }
    }

    /// The exact texts a sender of a varying text is known to use (empty for a fixed text).
    pub fn known(&self) -> &[String] {
        match self {
            WireMessage::Fixed(_) => &[],
            WireMessage::Varies { known, .. } => known,
        }
    }

    /// Every exact string that identifies the code: the fixed text, or the known ones. A lookup
    /// by message resolves each of them (to the lowest number when codes share one).
    pub fn texts(&self) -> Vec<&str> {
        match self {
            WireMessage::Fixed(text) => vec![text.as_str()],
            WireMessage::Varies { known, .. } => known.iter().map(String::as_str).collect(),
        }
    }
}

/// One registered code.
#[derive(Clone, Debug, Serialize)]
pub struct Code {
    pub number: u16,
    /// UpperCamelCase identifier (`InvalidToken`).
    pub name: String,
    /// The text sent with the code (close reason or error message): fixed, or built at run time.
    pub message: WireMessage,
    /// Markdown.
    pub description: String,
    pub causes: Vec<String>,
    pub behaviour: Behaviour,
    /// Why this code's behaviour differs from its range rule, when it does.
    pub range_override: Option<String>,
    /// Why this behaviour was chosen, when the source did not say.
    pub rationale: Option<String>,
    /// Reported locally by an endpoint and never sent in a close frame (RFC 6455, section 7.4.1);
    /// true exactly when `origin` is the user agent. (A `server_internal` code is never sent
    /// either, but one that arrives anyway did arrive in a close frame.)
    pub local_only: bool,
    /// What a client should do next.
    pub action: Action,
    /// How long to wait before trying again: set exactly when the action tries again (the code's
    /// own hint, else the family's).
    pub backoff: Option<BackoffHint>,
    pub origin: Origin,
    pub since: Option<String>,
    /// What to use instead, when the code is deprecated.
    pub deprecated: Option<String>,
    pub changes: Vec<Change>,
    /// The portal's stable URL of this code (absolute with `doc_base_url`), usable as the `type`
    /// of an RFC 9457 problem details object.
    pub doc_url: String,
    pub names: CodeNames,
    pub location: Location,
}

/// A run of numbers that unregistered codes classify the same way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub from: u16,
    pub to: u16,
    pub scope: Scope,
    pub behaviour: Behaviour,
    /// What a client should do with an unregistered number here.
    pub action: Action,
    /// Set exactly when `action` tries again.
    pub backoff: Option<BackoffHint>,
    /// The range rule's label, or the fallback's for numbers no rule covers.
    pub label: String,
    /// Index into [`Family::ranges`], or `None` for the fallback.
    pub range_index: Option<usize>,
}

/// Which rule decided the classification of a number.
#[derive(Clone, Copy, Debug)]
pub enum RuleRef<'a> {
    Range(&'a RangeRule),
    Fallback(&'a Fallback),
}

/// What a number means in a family, whether or not it is registered.
#[derive(Clone, Copy, Debug)]
pub struct Classification<'a> {
    pub number: u16,
    /// The registered code, if any.
    pub code: Option<&'a Code>,
    /// Set when the number was retired and must not be reused.
    pub retired: Option<&'a RetiredCode>,
    /// The segment the number falls in (for a registered code: what its range would say).
    pub segment: &'a Segment,
    /// The registered code's behaviour, or the segment's for an unregistered number.
    pub behaviour: Behaviour,
}

impl Classification<'_> {
    pub fn is_registered(&self) -> bool {
        self.code.is_some()
    }

    /// The registered code's action, or the segment's for an unregistered number.
    pub fn action(&self) -> codebook_protocol::Action {
        self.code.map_or(self.segment.action, |code| code.action)
    }
}
