//! The protocol facts every codebook binding shares, with no dependencies: what a client does
//! with a code ([`Behaviour`], [`Action`]), who sends it ([`Origin`]), how long it waits
//! ([`BackoffHint::delay_ms`], [`Mulberry32`]) and which close codes may travel where
//! ([`CLOSE_CODE_RULES`], [`safe_close_code`], [`truncate_close_reason`]).
//!
//! Both the model crate (which validates `codes.yaml`) and the `codebook` runtime (which users
//! depend on) re-export these, so the Rust rules exist once; the TypeScript and Go bindings are
//! generated from the same values and checked against shared vectors.

#![warn(missing_docs)]

mod closed_set;

pub use closed_set::{ClosedSet, UnknownSpelling, parse_written};

/// What the closed-set macros reach through `$crate`, with the features that use them.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "schema")]
    pub use schemars;
    #[cfg(feature = "serde")]
    pub use serde;
}

/// Length limit of a WebSocket close reason in UTF-8 bytes (RFC 6455, section 5.5: a control frame
/// payload is at most 125 bytes, two of which hold the code).
pub const MAX_CLOSE_REASON_BYTES: usize = 123;

closed_set! {
    /// What a client should do with a code: the one fact a reconnect loop or retry policy needs.
    pub enum Behaviour: "behaviour" {
        /// Disconnect: the client should reconnect (with backoff).
        Reconnect = "reconnect",
        /// Disconnect: the client must not reconnect on its own.
        Terminal = "terminal",
        /// Error: the command may succeed if retried later.
        Temporary = "temporary",
        /// Error: retrying the same command will fail the same way.
        Permanent = "permanent",
    }
}

impl Behaviour {
    /// Is this [`Behaviour::Reconnect`]?
    pub const fn should_reconnect(self) -> bool {
        matches!(self, Behaviour::Reconnect)
    }
    /// Is this [`Behaviour::Terminal`] (a disconnect after which the client must not reconnect)?
    pub const fn is_terminal(self) -> bool {
        matches!(self, Behaviour::Terminal)
    }
    /// Is this [`Behaviour::Temporary`] (an error that may go away on retry)?
    pub const fn is_temporary(self) -> bool {
        matches!(self, Behaviour::Temporary)
    }
    /// The value of the kind's behaviour field (`reconnect` or `temporary`).
    pub const fn flag(self) -> bool {
        matches!(self, Behaviour::Reconnect | Behaviour::Temporary)
    }
}

closed_set! {
    /// What a client should do next, beyond "reconnect or not": the closed set every binding shares.
    pub enum Action: "action" {
        /// Nothing automatic: surface the problem to the application or the user.
        None = "none",
        /// Retry the same command after a backoff delay.
        RetryAfterBackoff = "retry_after_backoff",
        /// Reconnect (still after the minimum backoff delay: never a zero-delay loop).
        Reconnect = "reconnect",
        /// Reconnect after an exponentially growing, jittered delay.
        ReconnectAfterBackoff = "reconnect_after_backoff",
        /// Get a fresh token first, then reconnect.
        RefreshTokenThenReconnect = "refresh_token_then_reconnect",
        /// The platform is out of capacity: show a waiting state and retry slowly.
        WaitForCapacity = "wait_for_capacity",
        /// The credentials were rejected: sign the user in again before connecting.
        Reauthenticate = "reauthenticate",
        /// The client asks for something that does not exist or is misconfigured: retrying cannot help.
        FixConfiguration = "fix_configuration",
        /// Stop: do not reconnect or retry.
        Stop = "stop",
        /// Nothing to do: the SDK is already doing what the app itself asked for (the `connecting`
        /// after the app's `connect()`, the `subscribing` after its `subscribe()`), at once. Not a
        /// failure: no reconnect, no backoff.
        InProgress = "in_progress",
    }
}

impl Action {
    /// The action in plain words, for docs and the portal.
    pub const fn advice(self) -> &'static str {
        match self {
            Action::None => "Nothing to do automatically: report the problem to the application or the user.",
            Action::RetryAfterBackoff => "Retry the same command after a backoff delay.",
            Action::Reconnect => "Reconnect, waiting at least the minimum backoff delay.",
            Action::ReconnectAfterBackoff => "Reconnect after a growing, jittered backoff delay.",
            Action::RefreshTokenThenReconnect => "Fetch a fresh token, then reconnect with it.",
            Action::WaitForCapacity => "Show a waiting state and retry slowly until capacity frees up.",
            Action::Reauthenticate => {
                "Sign the user in again before connecting; do not reconnect with the same credentials."
            }
            Action::FixConfiguration => "Fix the request or the configuration; retrying as is cannot succeed.",
            Action::Stop => "Stop: do not reconnect or retry.",
            Action::InProgress => {
                "Nothing to do: the SDK is already doing what the app asked for, at once; wait for its next event."
            }
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
    /// come back (or that the SDK is already coming back at the app's own call); a terminal one must not reconnect; a temporary error is retried; a permanent
    /// one is never retried as is, though a fresh connection or token may cure it.
    pub const fn agrees_with(self, behaviour: Behaviour) -> bool {
        match behaviour {
            Behaviour::Reconnect => matches!(
                self,
                Action::Reconnect
                    | Action::ReconnectAfterBackoff
                    | Action::RefreshTokenThenReconnect
                    | Action::WaitForCapacity
                    | Action::InProgress
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

closed_set! {
    /// Who emits a code.
    pub enum Origin: "origin" {
        /// Sent by the server.
        Server = "server",
        /// Produced by a client library itself.
        ClientLibrary = "client_library",
        /// Reported locally by the browser or WebSocket stack; never sent in a close frame.
        UserAgent = "user_agent",
        /// Recorded by the server itself (logs, metrics, disconnect handlers) and never sent to a
        /// client: asking the server to send it yields no close frame at all.
        ServerInternal = "server_internal",
        /// Sent by the client to the server (a close code or status the client initiates).
        Client = "client",
        /// Sent by either side: the server or the client.
        Either = "either",
    }
}

impl Origin {
    /// Who emits a code of this origin, in words for a reader: the one wording the portal and the
    /// Markdown pages show.
    pub const fn describe(self) -> &'static str {
        match self {
            Origin::Server => "The server.",
            Origin::ClientLibrary => "The client library itself, not the server.",
            Origin::UserAgent => {
                "The user agent (the browser or WebSocket stack) itself: it is never on the wire, so a server must not send it."
            }
            Origin::ServerInternal => {
                "The server, which only records it (logs, metrics, disconnect handlers): it is never sent to a client, and asking the server to send it produces no close frame at all."
            }
            Origin::Client => "The client, which sends it to the server.",
            Origin::Either => "Either side: the server or the client.",
        }
    }

    /// True when a code of this origin never travels to a client in a close frame or message.
    pub const fn never_on_the_wire(self) -> bool {
        matches!(self, Origin::UserAgent | Origin::ServerInternal)
    }
}

closed_set! {
    /// How a delay grows between attempts (the formula is `BackoffHint::delay_ms`).
    pub enum Jitter: "jitter" {
        /// A uniformly random delay between the minimum and the exponential ceiling.
        Full = "full",
        /// Exactly the exponential ceiling.
        None = "none",
    }
}

/// How long to wait before trying again, and when to give up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BackoffHint {
    /// Delay of the first attempt; never zero.
    pub min_ms: u32,
    /// Largest delay between attempts.
    pub max_ms: u32,
    /// How randomness spreads the delays.
    pub jitter: Jitter,
    /// Give up once this much time has passed since the first failure.
    pub give_up_after_ms: Option<u32>,
}

closed_set! {
    /// Who a range of numbers belongs to.
    pub enum Scope: "scope" {
        /// Defined by the WebSocket protocol (RFC 6455) and the IANA registry.
        Protocol = "protocol",
        /// Registered with IANA by libraries and frameworks (3000-3999).
        Registered = "registered",
        /// Private use of the platform that owns the family (4000-4999).
        Private = "private",
        /// Reserved for the server's built-in codes.
        Server = "server",
        /// Custom codes chosen by the application built on the platform.
        Application = "application",
        /// Produced by client libraries themselves.
        Client = "client",
        /// Covered by no range rule; the family's fallback applies.
        Unassigned = "unassigned" @computed,
    }
}

impl BackoffHint {
    /// The hint of a family that gives none: a second, doubling to thirty, full jitter.
    pub const DEFAULT: BackoffHint =
        BackoffHint { min_ms: 1_000, max_ms: 30_000, jitter: Jitter::Full, give_up_after_ms: None };

    /// The hint as one sentence for people, the same in the portal and the Markdown bindings.
    ///
    /// ```
    /// use codebook_protocol::{BackoffHint, Jitter};
    /// let hint = BackoffHint { min_ms: 5_000, max_ms: 60_000, jitter: Jitter::Full, give_up_after_ms: Some(1_800_000) };
    /// assert_eq!(hint.describe(), "Wait 5 s, doubling to 60 s, with full jitter; give up after 30 min.");
    /// ```
    pub fn describe(&self) -> String {
        let min = duration_in_words(self.min_ms);
        let mut text = if self.max_ms > self.min_ms {
            format!("Wait {min}, doubling to {}", duration_in_words(self.max_ms))
        } else {
            format!("Wait {min} between attempts")
        };
        text.push_str(match self.jitter {
            Jitter::Full => ", with full jitter",
            Jitter::None => ", without jitter",
        });
        match self.give_up_after_ms {
            Some(limit) => text.push_str(&format!("; give up after {}.", duration_in_words(limit))),
            None => text.push_str("; keep trying, with no time limit."),
        }
        text
    }

    /// The smallest and largest delay of attempt `attempt` (0 for the first retry): the window
    /// [`delay_ms`](Self::delay_ms) draws from. Never below 1 ms, never above the maximum.
    ///
    /// ```
    /// use codebook_protocol::{BackoffHint, DelayWindow, Jitter};
    /// let hint = BackoffHint { min_ms: 5_000, max_ms: 60_000, jitter: Jitter::Full, give_up_after_ms: None };
    /// assert_eq!(hint.window(0), DelayWindow { low_ms: 5_000, high_ms: 10_000 });
    /// assert_eq!(hint.window(2), DelayWindow { low_ms: 5_000, high_ms: 40_000 });
    /// assert_eq!(hint.window(u32::MAX), DelayWindow { low_ms: 5_000, high_ms: 60_000 });
    /// ```
    pub fn window(&self, attempt: u32) -> DelayWindow {
        let low = self.min_ms.max(1);
        let cap = u64::from(self.max_ms.max(low));
        // `low < 2^32`, so a shift of at most 32 fits in a u64 and already exceeds any cap.
        let doubled = |exponent: u32| (u64::from(low) << exponent.min(32)).min(cap) as u32;
        match self.jitter {
            Jitter::None => {
                let delay = doubled(attempt);
                DelayWindow { low_ms: delay, high_ms: delay }
            }
            Jitter::Full => DelayWindow { low_ms: low, high_ms: doubled(attempt.saturating_add(1)) },
        }
    }

    /// The delay before attempt `attempt` (0 for the first retry), given the milliseconds since
    /// the first failure and one 32-bit random number, or `None` when it is time to give up.
    ///
    /// Draw `random` from a real random source: `codebook::random_u32()` in Rust, `crypto.getRandomValues` in TypeScript, `math/rand/v2` in Go. A constant or
    /// a shared seed gives every client of a fleet the same delay. [`Mulberry32`] exists for the
    /// shared test vectors only.
    ///
    /// # The formula, exactly (every binding reproduces it bit for bit)
    ///
    /// 1. `low = max(min_ms, 1)` and `cap = max(max_ms, low)`: a zero minimum or a maximum below
    ///    the minimum can never produce a zero delay or a window upside down.
    /// 2. Give up (`None`) when `give_up_after_ms` is set and `elapsed_ms >= give_up_after_ms`.
    ///    Runtimes whose elapsed time can be negative (a wall clock stepped backwards) count a
    ///    negative value as 0; they never fail on it.
    /// 3. `e(k) = min(k, 32)`: `low * 2^32` already exceeds every 32-bit cap, so attempt counts
    ///    of 32 and above (up to `u32::MAX`, where `attempt + 1` saturates) share the largest window
    ///    and nothing wraps or overflows. Products are exact (64-bit integers, or doubles).
    /// 4. `Jitter::None`: the delay is `min(cap, low * 2^e(attempt))`.
    /// 5. `Jitter::Full`: `high = min(cap, low * 2^e(attempt + 1))` and the delay is
    ///    `low + floor(random / 2^32 * (high - low + 1))`, the division and the product each
    ///    rounded to an `f64`. It lies in `low..=high`.
    ///
    /// Why the ceiling is `low * 2^(n + 1)`, not `low * 2^n`: the latter makes attempt 0's window
    /// `[low, low]`, and a fleet closed at once with the same code comes back in one instant: the
    /// thundering herd the minimum was meant to prevent. With `2^(n + 1)` the first window is
    /// `[low, 2 * low]` (as wide as centrifuge-js's first step, `min + U(0, min)`), the mean
    /// delay of attempt `n` is about `low * 2^n` (the unjittered delay), and unlike
    /// centrifuge-js's `min + U(0, min(max, min * 2^n))` the delay never exceeds `max_ms`.
    ///
    /// ```
    /// use codebook_protocol::{BackoffHint, Jitter};
    /// let hint = BackoffHint { min_ms: 500, max_ms: 8_000, jitter: Jitter::None, give_up_after_ms: Some(60_000) };
    /// assert_eq!(hint.delay_ms(0, 0, 0), Some(500));
    /// assert_eq!(hint.delay_ms(3, 0, 0), Some(4_000));
    /// assert_eq!(hint.delay_ms(10, 0, 0), Some(8_000));
    /// assert_eq!(hint.delay_ms(2, 60_000, 0), None);
    ///
    /// let jittered = BackoffHint { jitter: Jitter::Full, ..hint };
    /// assert_eq!(jittered.delay_ms(0, 0, 0), Some(500));
    /// assert_eq!(jittered.delay_ms(0, 0, u32::MAX), Some(1_000));
    /// assert_eq!(jittered.delay_ms(0, 0, 1 << 31), Some(750));
    /// ```
    pub fn delay_ms(&self, attempt: u32, elapsed_ms: u64, random: u32) -> Option<u32> {
        if self.give_up_after_ms.is_some_and(|limit| elapsed_ms >= u64::from(limit)) {
            return None;
        }
        let window = self.window(attempt);
        let span = f64::from(window.high_ms - window.low_ms) + 1.0;
        let offset = (f64::from(random) / 4_294_967_296.0 * span).floor() as u32;
        Some(window.low_ms + offset)
    }

    /// [`delay_ms`](Self::delay_ms) with [`Duration`](std::time::Duration)s, for a loop that
    /// measures with [`Instant`](std::time::Instant) (which never goes backwards). A wall clock
    /// stepped backwards (`SystemTime::duration_since` failing) counts as
    /// `Duration::ZERO`, as in every other binding; an elapsed time beyond `u64::MAX` ms saturates.
    ///
    /// ```
    /// use std::time::Duration;
    /// use codebook_protocol::{BackoffHint, Jitter};
    /// let hint = BackoffHint { min_ms: 500, max_ms: 8_000, jitter: Jitter::None, give_up_after_ms: Some(60_000) };
    /// assert_eq!(hint.delay(1, Duration::from_secs(3), 0), Some(Duration::from_millis(1_000)));
    /// assert_eq!(hint.delay(1, Duration::MAX, 0), None);
    /// ```
    pub fn delay(&self, attempt: u32, elapsed: std::time::Duration, random: u32) -> Option<std::time::Duration> {
        let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        self.delay_ms(attempt, elapsed_ms, random).map(|ms| std::time::Duration::from_millis(u64::from(ms)))
    }
}

/// The delays one attempt may draw, inclusive, in milliseconds ([`BackoffHint::window`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DelayWindow {
    /// The shortest delay the attempt may draw.
    pub low_ms: u32,
    /// The longest delay the attempt may draw.
    pub high_ms: u32,
}

/// Milliseconds in the largest unit that reads exactly: `250 ms`, `1.5 s`, `60 s`, `10 min`, `24 h`.
///
/// ```
/// use codebook_protocol::duration_in_words;
/// assert_eq!(duration_in_words(1_500), "1.5 s");
/// assert_eq!(duration_in_words(600_000), "10 min");
/// ```
pub fn duration_in_words(ms: u32) -> String {
    match ms {
        ms if ms >= 3_600_000 && ms % 3_600_000 == 0 => format!("{} h", ms / 3_600_000),
        ms if ms >= 120_000 && ms % 60_000 == 0 => format!("{} min", ms / 60_000),
        ms if ms % 1_000 == 0 && ms > 0 => format!("{} s", ms / 1_000),
        ms if ms > 1_000 => format!("{} s", f64::from(ms) / 1_000.0),
        ms => format!("{ms} ms"),
    }
}

/// Mulberry32, a tiny seeded 32-bit generator: the random source of the shared test vectors and
/// of simulations that must repeat exactly. **Not for production delays**: a fleet whose clients
/// share a seed shares its delays. Use real randomness (`codebook::random_u32`).
///
/// ```
/// let mut random = codebook_protocol::Mulberry32::new(42);
/// assert_eq!(random.next_u32(), 2_581_720_956);
/// ```
#[derive(Clone, Debug)]
pub struct Mulberry32 {
    state: u32,
}

impl Mulberry32 {
    /// A generator that starts from `seed`; the same seed gives the same sequence in every binding.
    pub fn new(seed: u32) -> Self {
        Mulberry32 { state: seed }
    }

    /// The next number of the sequence.
    pub fn next_u32(&mut self) -> u32 {
        self.state = self.state.wrapping_add(0x6D2B_79F5);
        let mut t = self.state;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        t ^ (t >> 14)
    }
}

/// What a run of close codes may be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CloseCodeRule {
    /// First code of the run (inclusive).
    pub from: u16,
    /// Last code of the run (inclusive).
    pub to: u16,
    /// What the run is, in a few words.
    pub label: &'static str,
    /// A server or other endpoint may send it in a close frame.
    pub endpoint_may_send: bool,
    /// A browser's `WebSocket.close(code)` accepts it.
    pub browser_may_send: bool,
    /// It must never appear in a close frame (reported locally only, or not a close code at all).
    pub never_on_wire: bool,
    /// What an endpoint forwards instead when it may not send the code itself.
    pub endpoint_forwards: u16,
    /// What a browser passes to `close()` instead when it may not send the code itself.
    pub browser_forwards: u16,
}

/// One row of [`CLOSE_CODE_RULES`]; positional so the table reads as a table.
#[allow(clippy::too_many_arguments)]
const fn rule(
    from: u16,
    to: u16,
    label: &'static str,
    endpoint_may_send: bool,
    browser_may_send: bool,
    never_on_wire: bool,
    endpoint_forwards: u16,
    browser_forwards: u16,
) -> CloseCodeRule {
    CloseCodeRule {
        from,
        to,
        label,
        endpoint_may_send,
        browser_may_send,
        never_on_wire,
        endpoint_forwards,
        browser_forwards,
    }
}

/// The rules, sorted and covering 0..=65535. A code that may be sent forwards as itself.
pub const CLOSE_CODE_RULES: [CloseCodeRule; 11] = [
    rule(0, 999, "not a close code", false, false, true, 1011, 1000),
    rule(1000, 1000, "normal closure", true, true, false, 1000, 1000),
    rule(1001, 1003, "protocol code an endpoint may send", true, false, false, 1001, 1000),
    rule(1004, 1004, "reserved by RFC 6455", false, false, true, 1011, 1000),
    rule(1005, 1005, "no status received: reported locally, never sent", false, false, true, 1000, 1000),
    rule(1006, 1006, "abnormal closure: reported locally, never sent", false, false, true, 1001, 1000),
    rule(1007, 1014, "protocol code an endpoint may send", true, false, false, 1007, 1000),
    rule(1015, 1015, "TLS handshake failure: reported locally, never sent", false, false, true, 1001, 1000),
    rule(1016, 2999, "reserved for future protocol use", false, false, false, 1011, 1000),
    rule(3000, 4999, "registered (3000-3999) or private (4000-4999) code", true, true, false, 3000, 3000),
    rule(5000, u16::MAX, "outside the close code space", false, false, true, 1011, 1000),
];

/// The rule covering `code`.
pub fn close_code_rule(code: u16) -> &'static CloseCodeRule {
    let index = CLOSE_CODE_RULES.partition_point(|rule| rule.to < code);
    &CLOSE_CODE_RULES[index]
}

/// Who passes the code on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseSender {
    /// A server or proxy writing a close frame.
    Endpoint,
    /// Browser code calling `WebSocket.close(code)`.
    Browser,
}

/// The code to pass on after receiving `received`: itself when `sender` may send it, otherwise the
/// rule's safe replacement (a proxy copying 1006 into `close()` would throw).
///
/// ```
/// use codebook_protocol::{CloseSender, safe_close_code};
/// assert_eq!(safe_close_code(1006, CloseSender::Browser), 1000);
/// assert_eq!(safe_close_code(1006, CloseSender::Endpoint), 1001);
/// assert_eq!(safe_close_code(4001, CloseSender::Browser), 4001);
/// assert_eq!(safe_close_code(1008, CloseSender::Endpoint), 1008);
/// ```
pub fn safe_close_code(received: u16, sender: CloseSender) -> u16 {
    let rule = close_code_rule(received);
    match sender {
        CloseSender::Endpoint if rule.endpoint_may_send => received,
        CloseSender::Browser if rule.browser_may_send => received,
        CloseSender::Endpoint => rule.endpoint_forwards,
        CloseSender::Browser => rule.browser_forwards,
    }
}

/// The longest prefix of `reason` that fits a close frame (123 UTF-8 bytes), cut on a character
/// boundary.
///
/// ```
/// let long = "é".repeat(100); // 200 bytes
/// assert_eq!(codebook_protocol::truncate_close_reason(&long).len(), 122);
/// ```
pub fn truncate_close_reason(reason: &str) -> &str {
    if reason.len() <= MAX_CLOSE_REASON_BYTES {
        return reason;
    }
    let mut end = MAX_CLOSE_REASON_BYTES;
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}

#[cfg(test)]
mod display_tests {
    use super::{Action, Behaviour, Jitter, Origin, Scope};

    #[test]
    fn printing_a_protocol_value_gives_its_wire_spelling() {
        for action in Action::ALL {
            assert_eq!(action.to_string(), action.as_str());
        }
        for behaviour in Behaviour::ALL {
            assert_eq!(behaviour.to_string(), behaviour.as_str());
        }
        for origin in Origin::ALL {
            assert_eq!(origin.to_string(), origin.as_str());
        }
        for scope in Scope::ALL {
            assert_eq!(scope.to_string(), scope.as_str());
        }
        for jitter in Jitter::ALL {
            assert_eq!(jitter.to_string(), jitter.as_str());
        }
        assert_eq!(format!("{:>25}", Action::ReconnectAfterBackoff), "  reconnect_after_backoff");
    }
}
