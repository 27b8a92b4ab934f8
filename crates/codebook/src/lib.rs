//! Typed error and disconnect codes, generated at compile time from a `codes.yaml`.
//!
//! A crate expands the families of its own registry with [`include_codes!`] (the path is relative
//! to the invoking crate's `Cargo.toml`):
//! `codebook::include_codes!(path = "codes.yaml", families = ["chat-close"]);`. Each family becomes
//! a module with one `#[non_exhaustive]` enum carrying its number, name, wire message,
//! description, causes and behaviour. This file holds the small runtime every generated family
//! shares: [`Behaviour`], range [`Segment`]s, [`AnyCode`] for numbers a newer server may send, and
//! the [`CodeFamily`] trait that lets code be generic over families.
//!
//! The families of the registry shipped with codebook (Centrifugo's and the official SDKs' codes)
//! are modules of this crate only with the `shipped` feature, so a crate that brings its own
//! registry compiles none of them:
//!
//! ```
//! use codebook::centrifugo_disconnect::CentrifugoDisconnect;
//! use codebook::{AnyCode, Behaviour};
//!
//! let code = CentrifugoDisconnect::from_code(3500).unwrap();
//! assert_eq!(code, CentrifugoDisconnect::InvalidToken);
//! assert_eq!(code.message(), "invalid token");
//! assert!(code.is_terminal());
//!
//! // A number this build does not know is still classified by its range and round-trips.
//! let unknown = AnyCode::<CentrifugoDisconnect>::from_code(4321);
//! assert_eq!(unknown.behaviour(), Behaviour::Reconnect);
//! assert_eq!(unknown.code(), 4321);
//! ```

#![warn(missing_docs)]

extern crate self as codebook;

use std::fmt;

pub use codebook_macros::include_codes;
pub use codebook_protocol::{
    Action, BackoffHint, Behaviour, CLOSE_CODE_RULES, CloseCodeRule, CloseSender, DelayWindow, Jitter,
    MAX_CLOSE_REASON_BYTES, Mulberry32, Origin, Scope, close_code_rule, duration_in_words, safe_close_code,
    truncate_close_reason,
};

// The shipped registry's families, only with the `shipped` feature: an adopter's crate that
// expands its own registry compiles none of ours.
#[cfg(feature = "shipped")]
include_codes!(path = "codes.yaml");

/// A run of numbers that classify the same way when they are not registered. A family's segments
/// cover every `u16` exactly once, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First number of the segment (inclusive).
    pub from: u16,
    /// Last number of the segment (inclusive).
    pub to: u16,
    /// Who the numbers belong to.
    pub scope: Scope,
    /// What an unregistered number here means for a client.
    pub behaviour: Behaviour,
    /// What a client should do with an unregistered number here.
    pub action: Action,
    /// How long to wait before trying again; set exactly when `action` tries again.
    pub backoff: Option<BackoffHint>,
    /// The range rule's one-line label (or the fallback's).
    pub label: &'static str,
}

/// The text a sender puts beside a code: its close reason or error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WireMessage {
    /// The exact string that always travels with the code.
    Fixed(&'static str),
    /// The sender builds the text at run time (centrifuge-js puts the text of the app's own
    /// exception there, for example), so no single string identifies the code.
    Varies {
        /// One line on what the text holds.
        what: &'static str,
        /// Exact texts the sender is known to use for the code (may be empty).
        known: &'static [&'static str],
    },
}

impl WireMessage {
    /// The exact string, when the text never changes.
    pub const fn fixed(self) -> Option<&'static str> {
        match self {
            WireMessage::Fixed(text) => Some(text),
            WireMessage::Varies { .. } => None,
        }
    }
}

/// What any number means in family `F`: the registered code if there is one, and the range it
/// falls in either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification<F: 'static> {
    /// The number that was classified.
    pub code: u16,
    /// The registered code, if the number is one.
    pub known: Option<F>,
    /// The segment the number falls in, registered or not.
    pub segment: &'static Segment,
    /// The registered code's behaviour, or the segment's for an unregistered number.
    pub behaviour: Behaviour,
    /// The registered code's action, or the segment's.
    pub action: Action,
    /// The registered code's backoff hint, or the segment's.
    pub backoff: Option<BackoffHint>,
}

/// Implemented by every generated family enum, for code that is generic over families.
pub trait CodeFamily: Copy + Eq + Ord + std::hash::Hash + fmt::Debug + fmt::Display + 'static {
    /// The family id in `codes.yaml`, e.g. `"centrifugo-disconnect"`.
    const ID: &'static str;
    /// Every registered code, sorted by number.
    const ALL: &'static [Self];
    /// The range segments, sorted, covering every `u16`.
    const SEGMENTS: &'static [Segment];
    /// The number.
    fn code(self) -> u16;
    /// The registered code with this number, if any.
    fn from_code(code: u16) -> Option<Self>;
    /// The identifier in `codes.yaml` (`InvalidToken`).
    fn name(self) -> &'static str;
    /// The exact wire message or close reason (`invalid token`), or `None` for a code whose text
    /// the sender builds at run time (see [`CodeFamily::wire_message`]). A family whose texts are
    /// all fixed also has an inherent `message()` returning `&'static str`.
    fn message(self) -> Option<&'static str>;
    /// The text that travels with the code: fixed, or what a varying text holds.
    fn wire_message(self) -> WireMessage;
    /// The registered code sent with this exact text (a fixed text, or a varying one's known
    /// text); the lowest number when several share it.
    fn from_message(text: &str) -> Option<Self>;
    /// Reconnect or terminal (close codes), temporary or permanent (errors).
    fn behaviour(self) -> Behaviour;
    /// What a client should do next.
    fn action(self) -> Action;
    /// How long to wait before trying again; set exactly when the action tries again.
    fn backoff(self) -> Option<BackoffHint>;
    /// Classifies any number by the family's registered codes and range rules.
    fn classify(code: u16) -> Classification<Self>;
}

/// Any number of family `F`: a registered code, or one this build does not know (a newer server
/// may send it). Round-trips every `u16` and is still classified by the range rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnyCode<F> {
    /// A code this build registers.
    Known(F),
    /// A number this build does not register; its range still classifies it.
    Unknown(u16),
}

impl<F: CodeFamily> AnyCode<F> {
    /// The registered code with this number, or `Unknown` (never fails).
    ///
    /// ```
    /// use codebook::AnyCode;
    /// use codebook::centrifugo_disconnect::CentrifugoDisconnect;
    ///
    /// let known = AnyCode::<CentrifugoDisconnect>::from_code(3500);
    /// assert_eq!(known.known(), Some(CentrifugoDisconnect::InvalidToken));
    /// let unknown = AnyCode::<CentrifugoDisconnect>::from_code(3999);
    /// assert_eq!((unknown.known(), unknown.code()), (None, 3999));
    /// assert!(unknown.is_terminal()); // 3500-3999 never reconnect, registered or not
    /// ```
    pub fn from_code(code: u16) -> Self {
        F::from_code(code).map_or(AnyCode::Unknown(code), AnyCode::Known)
    }
    /// The number, registered or not.
    pub fn code(self) -> u16 {
        match self {
            AnyCode::Known(known) => known.code(),
            AnyCode::Unknown(code) => code,
        }
    }
    /// The registered code, if the number is one.
    pub fn known(self) -> Option<F> {
        match self {
            AnyCode::Known(known) => Some(known),
            AnyCode::Unknown(_) => None,
        }
    }
    /// What the number means: its code if registered, its segment either way.
    pub fn classify(self) -> Classification<F> {
        F::classify(self.code())
    }
    /// The code's behaviour, or its range's for an unknown number.
    pub fn behaviour(self) -> Behaviour {
        self.classify().behaviour
    }
    /// Should a client reconnect after this close code?
    pub fn should_reconnect(self) -> bool {
        self.behaviour().should_reconnect()
    }
    /// Must a client stay disconnected after this close code?
    pub fn is_terminal(self) -> bool {
        self.behaviour().is_terminal()
    }
    /// May a command that failed with this error code succeed later?
    pub fn is_temporary(self) -> bool {
        self.behaviour().is_temporary()
    }
    /// What to do next: the code's own action, or its range's for an unknown number.
    pub fn action(self) -> Action {
        self.classify().action
    }
    /// How long to wait before trying again; `None` when the action does not try again.
    pub fn backoff(self) -> Option<BackoffHint> {
        self.classify().backoff
    }
}

impl<F: CodeFamily> From<u16> for AnyCode<F> {
    fn from(code: u16) -> Self {
        AnyCode::from_code(code)
    }
}

impl<F: CodeFamily> From<AnyCode<F>> for u16 {
    fn from(code: AnyCode<F>) -> u16 {
        code.code()
    }
}

/// `3500 invalid token` for a known code; `4321 (unregistered: <range label>)` otherwise.
impl<F: CodeFamily> fmt::Display for AnyCode<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyCode::Known(known) => fmt::Display::fmt(known, f),
            AnyCode::Unknown(code) => {
                write!(f, "{code} (unregistered: {})", F::classify(*code).segment.label)
            }
        }
    }
}

/// A number that is not a registered code of the family (from `TryFrom<u16>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode {
    /// The family id (`centrifugo-disconnect`).
    pub family: &'static str,
    /// The number that is not registered.
    pub code: u16,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a registered code of family `{}`", self.code, self.family)
    }
}

impl std::error::Error for UnknownCode {}

/// An integer that is not a registered code of the family (from `TryFrom<i32/i64/u32/u64>`):
/// either no code number at all, which is never wrapped into one (`70036 as u16` would be 4500), or
/// a number the family does not register.
///
/// ```
/// use codebook::centrifugo_disconnect::CentrifugoDisconnect;
/// use codebook::{AnyCode, CodeFromIntError};
///
/// assert_eq!(CentrifugoDisconnect::try_from(3500i64), Ok(CentrifugoDisconnect::InvalidToken));
/// let wrapped = CentrifugoDisconnect::try_from(65_536u32 + 3500).unwrap_err();
/// assert_eq!(wrapped.to_string(), "69036 is not a code number of family `centrifugo-disconnect` (codes are 0 to 65535)");
/// assert!(matches!(CentrifugoDisconnect::try_from(-1i32), Err(CodeFromIntError::OutOfRange { value: -1, .. })));
/// assert!(AnyCode::<CentrifugoDisconnect>::try_from(4321u64).is_ok());
/// assert!(AnyCode::<CentrifugoDisconnect>::try_from(i64::MAX).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFromIntError {
    /// The number is not 0 to 65535, so it cannot be a code of any family.
    OutOfRange {
        /// The family id (`centrifugo-disconnect`).
        family: &'static str,
        /// The number that was given.
        value: i128,
    },
    /// The number fits, but the family does not register it.
    Unregistered(UnknownCode),
}

impl fmt::Display for CodeFromIntError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeFromIntError::OutOfRange { family, value } => {
                write!(f, "{value} is not a code number of family `{family}` (codes are 0 to 65535)")
            }
            CodeFromIntError::Unregistered(unknown) => fmt::Display::fmt(unknown, f),
        }
    }
}

impl std::error::Error for CodeFromIntError {}

/// The `u16` of `value`, or the error naming it; never a wrapped number.
fn code_number<F: CodeFamily>(value: impl Into<i128> + Copy) -> Result<u16, CodeFromIntError> {
    let value: i128 = value.into();
    u16::try_from(value).map_err(|_| CodeFromIntError::OutOfRange { family: F::ID, value })
}

macro_rules! any_code_try_from_ints {
    ($($int:ty),*) => {$(
        /// Checks the range: a number outside 0..=65535 is an error, never wrapped.
        impl<F: CodeFamily> TryFrom<$int> for AnyCode<F> {
            type Error = CodeFromIntError;
            fn try_from(value: $int) -> Result<Self, $crate::CodeFromIntError> {
                code_number::<F>(value).map(AnyCode::from_code)
            }
        }
    )*};
}
any_code_try_from_ints!(i32, i64, u32, u64);

/// `TryFrom<i32/i64/u32/u64>` for a generated family: used by generated code.
#[doc(hidden)]
pub fn __family_from_int<F: CodeFamily>(value: impl Into<i128> + Copy) -> Result<F, CodeFromIntError> {
    let code = code_number::<F>(value)?;
    F::from_code(code).ok_or(CodeFromIntError::Unregistered(UnknownCode { family: F::ID, code }))
}

/// Implements `TryFrom` of the wider integers for a generated family. Used by generated code.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_try_from_ints_for_family {
    ($family:ty) => {
        $crate::__impl_try_from_ints_for_family!($family; i32, i64, u32, u64);
    };
    ($family:ty; $($int:ty),*) => {$(
        /// Checks the range and the registry: a number outside 0..=65535 is an error, never wrapped.
        impl ::core::convert::TryFrom<$int> for $family {
            type Error = $crate::CodeFromIntError;
            fn try_from(value: $int) -> Result<Self, $crate::CodeFromIntError> {
                $crate::__family_from_int::<$family>(value)
            }
        }
    )*};
}

/// A name that is not a registered code name of the family (from `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The family id (`centrifugo-disconnect`).
    pub family: &'static str,
    /// The name that is not registered.
    pub name: String,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a code name of family `{}`", self.name, self.family)
    }
}

impl std::error::Error for UnknownName {}

/// Finds the segment holding `code` (segments are sorted and total). Used by generated code.
pub const fn segment_of(segments: &'static [Segment], code: u16) -> &'static Segment {
    let (mut low, mut high) = (0, segments.len());
    while high - low > 1 {
        let middle = (low + high) / 2;
        if segments[middle].from <= code { low = middle } else { high = middle }
    }
    &segments[low]
}

pub mod closed;
mod random;
pub use random::random_u32;
#[cfg(feature = "serde")]
mod serde_impls;

/// The README's Rust examples, compiled and run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

/// Implements serde for a generated family (as its number) when the `serde` feature is on.
#[doc(hidden)]
#[cfg(feature = "serde")]
#[macro_export]
macro_rules! __impl_serde_for_family {
    ($family:ty) => {
        impl $crate::__private::serde::Serialize for $family {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u16(self.code())
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $family {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <u16 as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                <$family>::from_code(code).ok_or_else(|| {
                    <D::Error as $crate::__private::serde::de::Error>::custom($crate::UnknownCode {
                        family: <$family as $crate::CodeFamily>::ID,
                        code,
                    })
                })
            }
        }
    };
}

#[doc(hidden)]
#[cfg(not(feature = "serde"))]
#[macro_export]
macro_rules! __impl_serde_for_family {
    ($family:ty) => {};
}

#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "serde")]
    pub use serde;
}
