//! The shape of `codes.yaml` exactly as written, before any rule is checked.
//!
//! Every scalar a rule may complain about is wrapped in `Spanned` so the validator can point at its
//! line and column. Numbers are read as `i64` so an out-of-range number becomes a located validation
//! message instead of a parse failure. Nothing outside this crate sees these types.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Document {
    pub families: Vec<FamilyEntry>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FamilyEntry {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    #[schemars(with = "KindName")]
    pub kind: Spanned<KindName>,
    #[schemars(with = "String")]
    pub description: Spanned<String>,
    #[serde(default)]
    pub ranges: Vec<RangeEntry>,
    pub fallback: FallbackEntry,
    #[serde(default)]
    pub retired: Vec<RetiredEntry>,
    pub codes: Vec<CodeEntry>,
}

#[derive(Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KindName {
    WebsocketClose,
    Error,
}

#[derive(Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ScopeName {
    Protocol,
    Registered,
    Private,
    Server,
    Application,
    Client,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RangeEntry {
    #[schemars(with = "i64")]
    pub from: Spanned<i64>,
    #[schemars(with = "Option<i64>")]
    pub to: Option<Spanned<i64>>,
    #[schemars(with = "ScopeName")]
    pub scope: Spanned<ScopeName>,
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    #[schemars(with = "Option<bool>")]
    pub reconnect: Option<Spanned<bool>>,
    #[schemars(with = "Option<bool>")]
    pub temporary: Option<Spanned<bool>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FallbackEntry {
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    #[schemars(with = "Option<bool>")]
    pub reconnect: Option<Spanned<bool>>,
    #[schemars(with = "Option<bool>")]
    pub temporary: Option<Spanned<bool>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RetiredEntry {
    #[schemars(with = "i64")]
    pub code: Spanned<i64>,
    #[schemars(with = "Option<i64>")]
    pub moved_to: Option<Spanned<i64>>,
    #[schemars(with = "String")]
    pub note: Spanned<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeEntry {
    #[schemars(with = "i64")]
    pub code: Spanned<i64>,
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    #[schemars(with = "String")]
    pub message: Spanned<String>,
    #[schemars(with = "String")]
    pub description: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub causes: Vec<Spanned<String>>,
    #[schemars(with = "Option<bool>")]
    pub reconnect: Option<Spanned<bool>>,
    #[schemars(with = "Option<bool>")]
    pub temporary: Option<Spanned<bool>>,
    #[schemars(with = "Option<String>")]
    pub range_override: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub rationale: Option<Spanned<String>>,
    #[schemars(with = "Option<bool>")]
    pub local_only: Option<Spanned<bool>>,
}
