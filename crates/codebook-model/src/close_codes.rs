//! Close-code safety: which numbers may travel in a WebSocket close frame and who may send them.
//!
//! RFC 6455 (section 7.4) and the WHATWG WebSocket standard, written down once as a table covering
//! every `u16`: what an endpoint may send, what a browser's `WebSocket.close()` accepts (1000 and
//! 3000-4999; anything else throws), what must never be on the wire, and the safe code a proxy
//! forwards instead. Every binding emits this table rather than re-deriving the rules.

use serde::Serialize;

/// What a run of close codes may be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CloseCodeRule {
    pub from: u16,
    pub to: u16,
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
    CloseCodeRule { from, to, label, endpoint_may_send, browser_may_send, never_on_wire, endpoint_forwards, browser_forwards }
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
/// use codebook_model::{CloseSender, safe_close_code};
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
/// assert_eq!(codebook_model::truncate_close_reason(&long).len(), 122);
/// ```
pub fn truncate_close_reason(reason: &str) -> &str {
    if reason.len() <= crate::MAX_CLOSE_REASON_BYTES {
        return reason;
    }
    let mut end = crate::MAX_CLOSE_REASON_BYTES;
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}
