//! Closed sets declared once. [`closed_set!`](crate::closed_set) turns one table (the enum's doc,
//! each variant's doc and its spelling in `codes.yaml` and every binding) into the enum, its
//! [`ClosedSet`] impl (`ALL`, `as_str`, parsing, docs), `FromStr` and `Display`, and, with the
//! `serde` and `schema` features, its serde impls and the JSON Schema `codes.yaml` is checked
//! against. The protocol's enums and the model's own closed sets (delivery, SDK event, family kind)
//! are all declared with it, so no second list of a set's values exists anywhere in Rust.
//!
//! To add a value: add one line to the table. Every binding's spelling, the loader, the JSON
//! Schema and the docs follow; the compiler then points at each `match` that must decide what the
//! new value means.

/// A closed set of values with one spelling each, declared by [`closed_set!`](crate::closed_set).
pub trait ClosedSet: Copy + Eq + std::fmt::Debug + 'static {
    /// What one value is called in messages (`action`, `scope`).
    const WHAT: &'static str;
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    /// The spelling in `codes.yaml` and every binding.
    fn as_str(self) -> &'static str;
    /// The value's doc comment, as one line of text.
    fn doc(self) -> &'static str;
    /// May `codes.yaml` state this value? (`false` for a value the model computes, such as the
    /// scope of a number no range covers.)
    fn written(self) -> bool;
    /// The value spelled `text`, if any.
    fn from_wire(text: &str) -> Option<Self> {
        Self::all().iter().copied().find(|value| value.as_str() == text)
    }
    /// The values `codes.yaml` may state, in declaration order.
    fn written_values() -> impl Iterator<Item = Self> {
        Self::all().iter().copied().filter(|value| value.written())
    }
}

/// A spelling that names no value of a closed set; its message names every value `codes.yaml`
/// may state (the loader adds a "did you mean").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSpelling {
    /// The text that matched nothing.
    pub text: String,
    /// The spellings that would have matched.
    pub expected: Vec<&'static str>,
}

impl std::fmt::Display for UnknownSpelling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown variant `{}`, expected one of {}", self.text, self.expected.join(", "))
    }
}

impl std::error::Error for UnknownSpelling {}

/// Parses `text` as a value of `T` that `codes.yaml` may state.
pub fn parse_written<T: ClosedSet>(text: &str) -> Result<T, UnknownSpelling> {
    T::from_wire(text).filter(|value| value.written()).ok_or_else(|| UnknownSpelling {
        text: text.to_string(),
        expected: T::written_values().map(T::as_str).collect(),
    })
}

/// Declares a closed set: the enum, its values' spellings and docs, once.
///
/// ```
/// codebook_protocol::closed_set! {
///     /// How a door stands.
///     pub enum Door: "door" {
///         /// Wide open.
///         Open = "open",
///         /// Shut, and the model decides it: `codes.yaml` cannot say `shut`.
///         Shut = "shut" @computed,
///     }
/// }
/// use codebook_protocol::ClosedSet;
/// assert_eq!(Door::ALL, [Door::Open, Door::Shut]);
/// assert_eq!(Door::Shut.as_str(), "shut");
/// assert_eq!("open".parse(), Ok(Door::Open));
/// assert_eq!(Door::Open.doc(), "Wide open.");
/// assert!(!Door::Shut.written());
/// ```
#[macro_export]
macro_rules! closed_set {
    (
        $(#[doc = $enum_doc:literal])*
        $vis:vis enum $name:ident : $what:literal {
            $(
                $(#[doc = $doc:literal])*
                $variant:ident = $wire:literal $(@ $computed:ident)?,
            )+
        }
    ) => {
        $(#[doc = $enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                $(#[doc = $doc])*
                #[doc = ""]
                #[doc = concat!("Spelled `", $wire, "`.")]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order: the list each binding's spellings are written from.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The spelling used in `codes.yaml` and every binding (each value's doc names its own).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            /// The value's doc comment, as one line of text.
            pub fn doc(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($($doc),*).trim_start(),)+
                }
            }

            /// The enum's own doc comment, as one line of text (the JSON Schema's description).
            pub fn set_doc() -> &'static str {
                concat!($($enum_doc),*).trim_start()
            }
        }

        impl $crate::ClosedSet for $name {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &$name::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn doc(self) -> &'static str {
                $name::doc(self)
            }
            fn written(self) -> bool {
                match self {
                    $($name::$variant => $crate::closed_set!(@written $($computed)?),)+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownSpelling;
            /// Any value of the set by its spelling, computed ones included.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                <$name as $crate::ClosedSet>::from_wire(text).ok_or_else(|| $crate::UnknownSpelling {
                    text: text.to_string(),
                    expected: $name::ALL.iter().map(|value| value.as_str()).collect(),
                })
            }
        }

        /// Writes the value's spelling ([`ClosedSet`](crate::ClosedSet)'s `as_str`), as every
        /// binding prints it; width and alignment apply.
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        $crate::__closed_set_serde!($name);
        $crate::__closed_set_schema!($name);
    };
    (@written) => { true };
    (@written computed) => { false };
}

/// With the `serde` feature: a closed set serialises as its spelling and deserialises from any
/// spelling `codes.yaml` may state.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __closed_set_serde {
    ($name:ident) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                $crate::parse_written::<$name>(&text).map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
            }
        }
    };
}

#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __closed_set_serde {
    ($name:ident) => {};
}

/// With the `schema` feature: a closed set's JSON Schema is a string enum of the spellings
/// `codes.yaml` may state, described by the enum's doc.
#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __closed_set_schema {
    ($name:ident) => {
        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
            fn json_schema(_: &mut $crate::__private::schemars::SchemaGenerator) -> $crate::__private::schemars::Schema {
                let values: ::std::vec::Vec<&str> =
                    <$name as $crate::ClosedSet>::written_values().map($name::as_str).collect();
                $crate::__private::schemars::json_schema!({
                    "type": "string",
                    "enum": values,
                    "description": $name::set_doc(),
                })
            }
        }
    };
}

#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __closed_set_schema {
    ($name:ident) => {};
}
