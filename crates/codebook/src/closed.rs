//! What a client makes of a closed connection: the number it got, what it means in a family, and
//! what to do next. The Rust counterpart of the TypeScript `CloseEvent` helper; with the
//! `tungstenite` feature it reads tungstenite's close frames directly.

use crate::{Action, AnyCode, BackoffHint, Classification, CodeFamily};

/// Close code RFC 6455 reports when a close frame carried no status (section 7.1.5).
pub const NO_STATUS_RECEIVED: u16 = 1005;
/// Close code RFC 6455 reports when the connection dropped without a close frame (section 7.1.5).
pub const ABNORMAL_CLOSURE: u16 = 1006;

/// A closed connection, read in family `F`.
///
/// ```
/// use codebook::closed::Closed;
/// use codebook::streaming_session::StreamingSession;
/// use codebook::{Action, random_u32};
///
/// let closed = Closed::<StreamingSession>::new(4001, "No Worker Node Available");
/// assert_eq!(closed.action(), Action::WaitForCapacity);
/// assert_eq!(closed.code.known(), Some(StreamingSession::NoWorkerNodeAvailable));
/// let delay = closed.backoff().unwrap().delay_ms(0, 0, random_u32()).unwrap();
/// assert!(delay >= 5_000, "capacity waits start slow: {delay}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed<F: 'static> {
    /// The close code, registered or not.
    pub code: AnyCode<F>,
    /// The reason text the peer sent (empty when none).
    pub reason: String,
    /// What the code means, from the family's codes and range rules.
    pub classification: Classification<F>,
}

impl<F: CodeFamily> Closed<F> {
    /// A close with this code and reason, classified in family `F`. The reason never changes the
    /// answer.
    ///
    /// Deliberate differences from the SDKs (for Centrifugo's close codes): centrifuge-js
    /// reconnects after a close code from 3500 to 3999 or 4500 to 4999 when the close reason is
    /// empty (it applies its range rule only to a non-empty reason that is not JSON); codebook
    /// reads the code alone and answers stop, as centrifuge-go does. When the reason is JSON, both
    /// SDKs let its reconnect field decide; codebook never reads the reason.
    pub fn new(code: u16, reason: &str) -> Self {
        Closed { code: AnyCode::from_code(code), reason: reason.to_string(), classification: F::classify(code) }
    }

    /// The connection dropped without any close frame.
    pub fn abnormal() -> Self {
        Self::new(ABNORMAL_CLOSURE, "")
    }

    /// What to do next: the code's own action, or its range's for an unregistered number.
    pub fn action(&self) -> Action {
        self.classification.action
    }

    /// How long to wait before trying again, when the action tries again.
    pub fn backoff(&self) -> Option<BackoffHint> {
        self.classification.backoff
    }

    /// Reads a tungstenite close frame; `None` (a close without status) is 1005.
    #[cfg(feature = "tungstenite")]
    pub fn from_close_frame(frame: Option<&tungstenite::protocol::CloseFrame>) -> Self {
        match frame {
            Some(frame) => Self::new(u16::from(frame.code), frame.reason.as_str()),
            None => Self::new(NO_STATUS_RECEIVED, ""),
        }
    }
}

#[cfg(all(test, feature = "tungstenite"))]
mod tests {
    use super::*;
    use crate::centrifugo_disconnect::CentrifugoDisconnect;
    use tungstenite::protocol::CloseFrame;
    use tungstenite::protocol::frame::coding::CloseCode;

    #[test]
    fn tungstenite_close_frames_become_typed_closes() {
        let frame = CloseFrame { code: CloseCode::from(3500), reason: "invalid token".into() };
        let closed = Closed::<CentrifugoDisconnect>::from_close_frame(Some(&frame));
        assert_eq!(closed.code, AnyCode::Known(CentrifugoDisconnect::InvalidToken));
        assert_eq!(closed.reason, "invalid token");
        assert_eq!(closed.action(), Action::Reauthenticate);

        let frame = CloseFrame { code: CloseCode::from(4321), reason: "".into() };
        let closed = Closed::<CentrifugoDisconnect>::from_close_frame(Some(&frame));
        assert_eq!(closed.code, AnyCode::Unknown(4321));
        assert_eq!(closed.action(), Action::ReconnectAfterBackoff);

        let closed = Closed::<crate::streaming_session::StreamingSession>::from_close_frame(None);
        assert_eq!(closed.code.code(), NO_STATUS_RECEIVED);
        assert!(closed.classification.known.is_some_and(|code| code.is_local_only()));
    }
}
