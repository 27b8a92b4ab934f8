//! The validated registry: families, codes, range rules and retired numbers, as every emitter sees them.
//!
//! Values of these types only come out of [`crate::load_str`], so an emitter may rely on every
//! invariant the validator checks (unique numbers and names, valid identifiers, total classification).

use codebook_protocol::{Action, BackoffHint, Behaviour, Origin, Scope};
use serde::Serialize;

use crate::closed_sets::{Delivery, FamilyKind, NumberDisplay, Sdk, SdkEvent};
pub use crate::location::Location;
use crate::naming::{CodeNames, FamilyNames};

/// Every family of codes in `codes.yaml`, in file order.
#[derive(Clone, Debug, Serialize)]
pub struct Registry {
    /// The registry's version (`version:`, default 0.1.0): the version of every generated package.
    pub version: crate::Version,
    /// Absolute base URL of the published portal, without a trailing slash, if the file gives one.
    pub doc_base_url: Option<String>,
    /// What the generated bindings are called in each language's package world (the `bindings:`
    /// section, defaults filled in): the one place a package name lives.
    pub bindings: crate::PackageIdentity,
    pub families: Vec<Family>,
    /// What each official SDK does with a code, situation by situation, each tied to the interop
    /// scenario that proves it (`sdk_behaviour:`; the portal's `/sdks` page).
    pub sdk_behaviour: Vec<crate::sdk_behaviour::SdkBehaviour>,
}

impl Registry {
    /// The family with this id, e.g. `centrifugo-disconnect`.
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|family| family.id == id)
    }

    /// The family whose codes `sdk`'s `event` carries (its own codes; numbers its range rules
    /// hand to another family are classified there, see [`Registry::classify_sdk_event`]).
    pub fn sdk_event_family(&self, event: SdkEvent, sdk: Sdk) -> Option<&Family> {
        self.families.iter().find(|family| family.sdk_event == Some(event) && family.sdks.contains(&sdk))
    }

    /// Whether the registry says official SDKs report its codes (a family of SDK events). Only
    /// then do the bindings carry SDK helpers and the portal a page about the SDKs: a registry that
    /// names no SDK gets nothing written for one.
    pub fn declares_sdk_events(&self) -> bool {
        self.families.iter().any(|family| family.sdk_event.is_some())
    }

    /// Every family of `event`, in file order (one per SDK numbering, e.g. centrifuge-js's and
    /// centrifuge-python's `error` families).
    pub fn sdk_event_families(&self, event: SdkEvent) -> impl Iterator<Item = &Family> {
        self.families.iter().filter(move |family| family.sdk_event == Some(event))
    }

    /// What `sdk`'s `event` carrying `code` means: a number above 65535 is no code at all
    /// (`None`, never wrapped), and so is any number of an event `sdk` gives no numbers; otherwise
    /// [`Registry::classify_in`] the event's family. Returns the family that answered.
    pub fn classify_sdk_event(&self, event: SdkEvent, sdk: Sdk, code: u32) -> Option<(&Family, Classification<'_>)> {
        let number = u16::try_from(code).ok()?;
        Some(self.classify_in(self.sdk_event_family(event, sdk)?, number))
    }

    /// What `number` means in `family`: a registered code is that code; a number a range rule
    /// gives to another family (`codes_of`) is classified in that family; any other number by the
    /// family's ranges. Returns the family that answered.
    pub fn classify_in<'a>(&'a self, family: &'a Family, number: u16) -> (&'a Family, Classification<'a>) {
        let classified = family.classify(number);
        if classified.code.is_none()
            && let crate::RuleRef::Range(rule) = family.rule_for(number)
            && let Some(other) = rule.codes_of.as_deref().and_then(|id| self.family(id))
        {
            return (other, other.classify(number));
        }
        (family, classified)
    }

    /// The portal's URL of any number of `family`, registered or not (`/codes/<family>/<number>`,
    /// absolute with `doc_base_url`): a registered code's [`Code::doc_url`], and for other numbers
    /// the page that explains them by their range.
    pub fn doc_url(&self, family: &Family, number: u16) -> String {
        match family.code(number) {
            Some(code) => code.doc_url.clone(),
            None => format!("{}{}", self.doc_base_url.as_deref().unwrap_or(""), doc_path(&family.id, number)),
        }
    }

    /// The family a Prometheus counter counts the codes of, with the counter's entry.
    pub fn family_counted_by(&self, metric: &str) -> Option<(&Family, &crate::served::Metric)> {
        self.families
            .iter()
            .find_map(|family| family.metrics.iter().find(|entry| entry.name == metric).map(|entry| (family, entry)))
    }

    /// Total number of registered codes across all families.
    pub fn code_count(&self) -> usize {
        self.families.iter().map(|family| family.codes.len()).sum()
    }
}

/// The site-relative path of a number's page; the one place the portal's code URLs are spelled.
pub(crate) fn doc_path(family_id: &str, number: u16) -> String {
    format!("/codes/{family_id}/{number}")
}

/// One entry of a code's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub version: String,
    pub note: String,
}

/// The space a family's numbers live in: their width on the wire and how a reader sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CodeSpace {
    /// 8 or 16.
    pub width_bits: u8,
    pub display: NumberDisplay,
}

impl CodeSpace {
    /// Sixteen bits, written in decimal: every family that does not say otherwise.
    pub const DEFAULT: CodeSpace = CodeSpace { width_bits: 16, display: NumberDisplay::Decimal };

    /// The largest number of the space (255 for one byte).
    pub const fn largest(self) -> u16 {
        if self.width_bits >= 16 { u16::MAX } else { (1u16 << self.width_bits) - 1 }
    }

    /// A number as a reader sees it: `3500`, or `0x87` (hex digits padded to the width).
    pub fn display(self, number: u16) -> String {
        match self.display {
            NumberDisplay::Decimal => number.to_string(),
            NumberDisplay::Hex => {
                let digits = usize::from(self.width_bits).div_ceil(4);
                format!("0x{number:0digits$X}")
            }
        }
    }
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
    /// The official SDKs whose `sdk_event` carries this family's numbers (`sdks:`, default every
    /// SDK); empty when the family is not delivered in an SDK event.
    pub sdks: Vec<Sdk>,
    /// How wide the numbers are and how they are written (default 16 bits, decimal).
    pub code_space: CodeSpace,
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
    /// Prometheus counters that count the family's codes (empty when none is known).
    pub metrics: Vec<crate::served::Metric>,
    pub location: Location,
    /// `(number, index into codes)` sorted by number, so a lookup by number is a binary search
    /// at 100,000 codes (see [`Family::code`]).
    #[serde(skip)]
    pub(crate) by_number: Vec<(u16, u32)>,
}

impl Family {
    pub(crate) fn number_index(codes: &[Code]) -> Vec<(u16, u32)> {
        let mut index: Vec<(u16, u32)> =
            codes.iter().enumerate().map(|(position, code)| (code.number, position as u32)).collect();
        index.sort_by_key(|(number, _)| *number);
        index
    }

    /// The registered code with this number (the first, if a number repeats).
    pub fn code(&self, number: u16) -> Option<&Code> {
        let found = self.by_number.partition_point(|(held, _)| *held < number);
        match self.by_number.get(found).and_then(|(_, position)| self.codes.get(*position as usize)) {
            Some(code) if code.number == number => Some(code),
            // The index is built with the family; a family whose codes were changed since falls back to a scan.
            _ if self.by_number.len() != self.codes.len() => self.codes.iter().find(|code| code.number == number),
            _ => None,
        }
    }

    /// Registered codes sorted by number (the order generated tables use).
    pub fn codes_by_number(&self) -> Vec<&Code> {
        if self.by_number.len() == self.codes.len() {
            return self.by_number.iter().map(|(_, position)| &self.codes[*position as usize]).collect();
        }
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

    /// A number of this family as a reader sees it (`3500`, or `0x87` in a hex code space).
    /// Takes the number or a reference to it, as templates hold either.
    pub fn display_number(&self, number: impl std::borrow::Borrow<u16>) -> String {
        self.code_space.display(*number.borrow())
    }

    /// Every text a lookup by message resolves, each with the number it finds, in number order:
    /// what every binding's from-message lookup must answer.
    pub fn message_lookups(&self) -> Vec<(&str, u16)> {
        let mut lookups: Vec<(&str, u16)> = Vec::new();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for code in self.codes_by_number() {
            for text in code.message.texts() {
                if seen.insert(text) {
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
    /// The HTTP status the server answers with when it returns the code as a transport error.
    pub http_status: Option<u16>,
    /// The gRPC status the server answers with when it returns the code as a transport error.
    pub grpc_status: Option<crate::served::GrpcStatus>,
    /// In an SDK event family: the SDKs whose own code table names this code (`sdks:`, default
    /// the family's `sdks`); empty in other families.
    pub sdks: Vec<Sdk>,
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
