//! The validated registry: families, codes, range rules and retired numbers, as every emitter sees them.
//!
//! Values of these types only come out of [`crate::load_str`], so an emitter may rely on every
//! invariant the validator checks (unique numbers and names, valid identifiers, total classification).

use serde::Serialize;

use crate::classify::Segment;
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
    pub families: Vec<Family>,
}

impl Registry {
    /// The family with this id, e.g. `centrifugo-disconnect`.
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|family| family.id == id)
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
    /// The numbers a registered code of this kind may have.
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

/// What a client should do with a code: the one fact a reconnect loop or retry policy needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Behaviour {
    /// Disconnect: the client should reconnect (with backoff).
    Reconnect,
    /// Disconnect: the client must not reconnect on its own.
    Terminal,
    /// Error: the command may succeed if retried later.
    Temporary,
    /// Error: retrying the same command will fail the same way.
    Permanent,
}

impl Behaviour {
    pub const fn should_reconnect(self) -> bool {
        matches!(self, Behaviour::Reconnect)
    }
    pub const fn is_terminal(self) -> bool {
        matches!(self, Behaviour::Terminal)
    }
    pub const fn is_temporary(self) -> bool {
        matches!(self, Behaviour::Temporary)
    }
    /// The value of the kind's behaviour field (`reconnect` or `temporary`).
    pub const fn flag(self) -> bool {
        matches!(self, Behaviour::Reconnect | Behaviour::Temporary)
    }
    /// Lower-case word used in tables and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Behaviour::Reconnect => "reconnect",
            Behaviour::Terminal => "terminal",
            Behaviour::Temporary => "temporary",
            Behaviour::Permanent => "permanent",
        }
    }
}

/// What a client should do next, beyond "reconnect or not": the closed set every binding shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing automatic: surface the problem to the application or the user.
    None,
    /// Retry the same command after a backoff delay.
    RetryAfterBackoff,
    /// Reconnect (still after the minimum backoff delay: never a zero-delay loop).
    Reconnect,
    /// Reconnect after an exponentially growing, jittered delay.
    ReconnectAfterBackoff,
    /// Get a fresh token first, then reconnect.
    RefreshTokenThenReconnect,
    /// The platform is out of capacity: show a waiting state and retry slowly.
    WaitForCapacity,
    /// The credentials were rejected: sign the user in again before connecting.
    Reauthenticate,
    /// The client asks for something that does not exist or is misconfigured: retrying cannot help.
    FixConfiguration,
    /// Stop: do not reconnect or retry.
    Stop,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::None,
        Action::RetryAfterBackoff,
        Action::Reconnect,
        Action::ReconnectAfterBackoff,
        Action::RefreshTokenThenReconnect,
        Action::WaitForCapacity,
        Action::Reauthenticate,
        Action::FixConfiguration,
        Action::Stop,
    ];

    /// The spelling used in `codes.yaml` and every binding.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::None => "none",
            Action::RetryAfterBackoff => "retry_after_backoff",
            Action::Reconnect => "reconnect",
            Action::ReconnectAfterBackoff => "reconnect_after_backoff",
            Action::RefreshTokenThenReconnect => "refresh_token_then_reconnect",
            Action::WaitForCapacity => "wait_for_capacity",
            Action::Reauthenticate => "reauthenticate",
            Action::FixConfiguration => "fix_configuration",
            Action::Stop => "stop",
        }
    }

    /// The action in plain words, for docs and the portal.
    pub const fn advice(self) -> &'static str {
        match self {
            Action::None => "Nothing to do automatically: report the problem to the application or the user.",
            Action::RetryAfterBackoff => "Retry the same command after a backoff delay.",
            Action::Reconnect => "Reconnect, waiting at least the minimum backoff delay.",
            Action::ReconnectAfterBackoff => "Reconnect after a growing, jittered backoff delay.",
            Action::RefreshTokenThenReconnect => "Fetch a fresh token, then reconnect with it.",
            Action::WaitForCapacity => "Show a waiting state and retry slowly until capacity frees up.",
            Action::Reauthenticate => "Sign the user in again before connecting; do not reconnect with the same credentials.",
            Action::FixConfiguration => "Fix the request or the configuration; retrying as is cannot succeed.",
            Action::Stop => "Stop: do not reconnect or retry.",
        }
    }

    /// Does the client try again (and so need a backoff hint)?
    pub const fn tries_again(self) -> bool {
        matches!(
            self,
            Action::RetryAfterBackoff
                | Action::Reconnect
                | Action::ReconnectAfterBackoff
                | Action::RefreshTokenThenReconnect
                | Action::WaitForCapacity
        )
    }

    /// Can a code with this behaviour carry this action? A reconnecting code must be told how to
    /// come back; a terminal one must not reconnect; a temporary error is retried; a permanent
    /// one is never retried as is, though a fresh connection or token may cure it.
    pub const fn agrees_with(self, behaviour: Behaviour) -> bool {
        match behaviour {
            Behaviour::Reconnect => matches!(
                self,
                Action::Reconnect
                    | Action::ReconnectAfterBackoff
                    | Action::RefreshTokenThenReconnect
                    | Action::WaitForCapacity
            ),
            Behaviour::Terminal => {
                matches!(self, Action::None | Action::Reauthenticate | Action::FixConfiguration | Action::Stop)
            }
            Behaviour::Temporary => matches!(self, Action::RetryAfterBackoff | Action::WaitForCapacity),
            Behaviour::Permanent => matches!(
                self,
                Action::None
                    | Action::Reconnect
                    | Action::ReconnectAfterBackoff
                    | Action::RefreshTokenThenReconnect
                    | Action::Reauthenticate
                    | Action::FixConfiguration
                    | Action::Stop
            ),
        }
    }

    /// The action of an unregistered number when its range rule names none.
    pub const fn default_for(behaviour: Behaviour) -> Action {
        match behaviour {
            Behaviour::Reconnect => Action::ReconnectAfterBackoff,
            Behaviour::Terminal => Action::Stop,
            Behaviour::Temporary => Action::RetryAfterBackoff,
            Behaviour::Permanent => Action::None,
        }
    }
}

/// Who emits a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Sent by the server.
    Server,
    /// Produced by a client library itself.
    ClientLibrary,
    /// Reported locally by the browser or WebSocket stack; never sent in a close frame.
    UserAgent,
}

impl Origin {
    pub const fn as_str(self) -> &'static str {
        match self {
            Origin::Server => "server",
            Origin::ClientLibrary => "client_library",
            Origin::UserAgent => "user_agent",
        }
    }
}

/// How a delay grows between attempts (see [`crate::BackoffHint::delay_ms`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Jitter {
    /// A uniformly random delay between the minimum and the exponential ceiling.
    Full,
    /// Exactly the exponential ceiling.
    None,
}

impl Jitter {
    pub const fn as_str(self) -> &'static str {
        match self {
            Jitter::Full => "full",
            Jitter::None => "none",
        }
    }
}

/// How long to wait before trying again, and when to give up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct BackoffHint {
    /// Delay of the first attempt; never zero.
    pub min_ms: u32,
    pub max_ms: u32,
    pub jitter: Jitter,
    /// Give up once this much time has passed since the first failure.
    pub give_up_after_ms: Option<u32>,
}

impl BackoffHint {
    /// The hint of a family that gives none: a second, doubling to thirty, full jitter.
    pub const DEFAULT: BackoffHint =
        BackoffHint { min_ms: 1_000, max_ms: 30_000, jitter: Jitter::Full, give_up_after_ms: None };
}

/// One entry of a code's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub version: String,
    pub note: String,
}

/// Who a range of numbers belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Defined by the WebSocket protocol (RFC 6455) and the IANA registry.
    Protocol,
    /// Registered with IANA by libraries and frameworks (3000-3999).
    Registered,
    /// Private use of the platform that owns the family (4000-4999).
    Private,
    /// Reserved for the server's built-in codes.
    Server,
    /// Custom codes chosen by the application built on the platform.
    Application,
    /// Produced by client libraries themselves.
    Client,
    /// Covered by no range rule; the family's fallback applies.
    Unassigned,
}

impl Scope {
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::Protocol => "protocol",
            Scope::Registered => "registered",
            Scope::Private => "private",
            Scope::Server => "server",
            Scope::Application => "application",
            Scope::Client => "client",
            Scope::Unassigned => "unassigned",
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

    /// The registered code with this identifier name.
    pub fn code_named(&self, name: &str) -> Option<&Code> {
        self.codes.iter().find(|code| code.name == name)
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

/// One registered code.
#[derive(Clone, Debug, Serialize)]
pub struct Code {
    pub number: u16,
    /// UpperCamelCase identifier (`InvalidToken`).
    pub name: String,
    /// The exact string sent on the wire with the code (close reason or error message).
    pub message: String,
    /// Markdown.
    pub description: String,
    pub causes: Vec<String>,
    pub behaviour: Behaviour,
    /// Why this code's behaviour differs from its range rule, when it does.
    pub range_override: Option<String>,
    /// Why this behaviour was chosen, when the source did not say.
    pub rationale: Option<String>,
    /// Reported locally by an endpoint and never sent in a close frame (RFC 6455, section 7.4.1);
    /// true exactly when `origin` is the user agent.
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
