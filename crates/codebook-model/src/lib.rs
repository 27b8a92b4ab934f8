//! The one model of `codes.yaml`: loading, validation, classification and naming.
//!
//! Every other part of codebook (the proc-macro, `cargo xtask gen`, the portal) reads the registry
//! through [`load_path`] or [`load_str`] and receives a validated [`Registry`]. Only this crate
//! parses YAML or knows a rule; emitters only format what it hands them.
//!
//! ```
//! let registry = codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap();
//! let disconnects = registry.family("centrifugo-disconnect").unwrap();
//! assert_eq!(disconnects.code(3500).unwrap().name, "InvalidToken");
//! // 4321 is not registered: its range rule says application codes 4000-4499 reconnect.
//! assert!(disconnects.classify(4321).behaviour.should_reconnect());
//! ```

mod breaking;
mod classify;
mod closed_sets;
mod diagnostic;
mod invariants;
mod load;
mod location;
mod naming;
mod package;
mod registry;
mod release;
mod release_history;
mod schema;
mod sdk_behaviour;
mod served;
mod source;
pub mod text;
mod validate;
mod version;
pub use source::MAX_CODES_PER_FAMILY;
pub use validate::MAX_LIST_ENTRIES;

pub use breaking::{BREAK_RULES, Break, BreakCategory, BreakRule, Side, compare};
pub use closed_sets::{BindingTarget, Delivery, FamilyKind, NumberDisplay, Sdk, SdkEvent};
pub use codebook_protocol::{
    Action, BackoffHint, Behaviour, CLOSE_CODE_RULES, CloseCodeRule, CloseSender, DelayWindow, Jitter,
    MAX_CLOSE_REASON_BYTES, Mulberry32, Origin, Scope, close_code_rule, duration_in_words, safe_close_code,
    truncate_close_reason,
};
pub use diagnostic::{Diagnostic, LoadError};
pub use invariants::check_invariants;
pub use load::{MAX_SOURCE_BYTES, load_bytes, load_path, load_str, read_bounded};
pub use naming::{CodeNames, FamilyNames, is_reserved_word, protocol_value_name};
pub use package::PackageIdentity;
pub use registry::{
    Change, Classification, Code, CodeSpace, Fallback, Family, Location, RangeRule, Registry, RetiredCode, RuleRef,
    Segment, WireMessage,
};
pub use release::{CHANGE_RULES, ChangeClass, ChangeRule, ReleaseChange, release_changes, required_bump};
pub use release_history::{CodeHistory, RecordedChange, ReleaseHistory, ReleaseRecord};
pub use schema::json_schema;
pub use sdk_behaviour::{Scenario, SdkBehaviour};
pub use served::{GrpcStatus, HTTP_STATUS_RANGE, Metric};
pub use version::{Bump, Version};

/// The default registry, `codes.yaml` at the workspace root, as it was when this crate was built.
pub const EMBEDDED_CODES_YAML: &str = include_str!("../codes.yaml");

/// The release history of the default registry, `CHANGELOG.md` at the workspace root (written by
/// `codebook release`; read with [`ReleaseHistory::read`]), as it was when this crate was built.
pub const EMBEDDED_CHANGELOG: &str = include_str!("../CHANGELOG.md");
