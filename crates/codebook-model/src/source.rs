//! The shape of `codes.yaml` exactly as written, before any rule is checked.
//!
//! Every scalar a rule may complain about is wrapped in `Spanned` so the validator can point at its
//! line and column. Numbers are read as `i64` so an out-of-range number becomes a located validation
//! message instead of a parse failure. Nothing outside this crate sees these types.

use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Document {
    pub families: Vec<FamilyEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FamilyEntry {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub kind: Spanned<KindName>,
    pub description: Spanned<String>,
    #[serde(default)]
    pub ranges: Vec<RangeEntry>,
    pub fallback: FallbackEntry,
    #[serde(default)]
    pub retired: Vec<RetiredEntry>,
    pub codes: Vec<CodeEntry>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KindName {
    WebsocketClose,
    Error,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ScopeName {
    Protocol,
    Registered,
    Private,
    Server,
    Application,
    Client,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeEntry {
    pub from: Spanned<i64>,
    pub to: Option<Spanned<i64>>,
    pub scope: Spanned<ScopeName>,
    pub label: Spanned<String>,
    pub reconnect: Option<Spanned<bool>>,
    pub temporary: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FallbackEntry {
    pub label: Spanned<String>,
    pub reconnect: Option<Spanned<bool>>,
    pub temporary: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetiredEntry {
    pub code: Spanned<i64>,
    pub moved_to: Option<Spanned<i64>>,
    pub note: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeEntry {
    pub code: Spanned<i64>,
    pub name: Spanned<String>,
    pub message: Spanned<String>,
    pub description: Spanned<String>,
    #[serde(default)]
    pub causes: Vec<Spanned<String>>,
    pub reconnect: Option<Spanned<bool>>,
    pub temporary: Option<Spanned<bool>>,
    pub range_override: Option<Spanned<String>>,
    pub rationale: Option<Spanned<String>>,
    pub local_only: Option<Spanned<bool>>,
}
