//! What the official SDKs do with a code, as data (`sdk_behaviour:` in `codes.yaml`): one entry
//! per situation, what each SDK does there, the number codebook's answer is read for, where that
//! answer differs from an SDK on purpose, and the interop scenario that proves the row. The portal's
//! `/sdks` page prints these rows; it keeps no SDK facts of its own.
//!
//! The model checks what it can see (the family and number exist, every text is one line, each SDK
//! at most once, a scenario named); that each scenario exists and passes is the interop suite's
//! part (`xtask/src/test_suite/interop.rs`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::Diagnostic;
use crate::closed_sets::Sdk;
use crate::location::{Location, at};

/// One situation as written.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SdkBehaviourEntry {
    /// One line: what happens (`Close frame with 3500-3999 and an empty reason`).
    #[schemars(with = "String")]
    pub situation: Spanned<String>,
    /// The number whose answer the row shows, in a family (an SDK event family's number is read
    /// where its range hands it, `codes_of`); omit it when codebook has no number to answer.
    pub answer: Option<AnswerEntry>,
    /// What each SDK does, one line each, keyed by the SDK; at least one.
    pub sdks: SdkTextsEntry,
    /// Where codebook's answer differs from an SDK on purpose, and why (one line).
    #[schemars(with = "Option<String>")]
    pub differs: Option<Spanned<String>>,
    /// The interop scenarios that show the row against the real server and SDKs; at least one.
    pub proven_by: Vec<ScenarioEntry>,
}

/// One line per SDK, each optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SdkTextsEntry {
    /// What centrifuge-js does.
    #[serde(rename = "centrifuge-js")]
    #[schemars(with = "Option<String>")]
    pub js: Option<Spanned<String>>,
    /// What centrifuge-go does.
    #[serde(rename = "centrifuge-go")]
    #[schemars(with = "Option<String>")]
    pub go: Option<Spanned<String>>,
    /// What centrifuge-python does.
    #[serde(rename = "centrifuge-python")]
    #[schemars(with = "Option<String>")]
    pub python: Option<Spanned<String>>,
    /// What centrifuge-java does.
    #[serde(rename = "centrifuge-java")]
    #[schemars(with = "Option<String>")]
    pub java: Option<Spanned<String>>,
}

impl SdkTextsEntry {
    /// Each SDK with its text, in the SDKs' order.
    fn by_sdk(&self) -> [(Sdk, Option<&Spanned<String>>); Sdk::ALL.len()] {
        Sdk::ALL.map(|sdk| {
            let text = match sdk {
                Sdk::CentrifugeJs => &self.js,
                Sdk::CentrifugeGo => &self.go,
                Sdk::CentrifugePython => &self.python,
                Sdk::CentrifugeJava => &self.java,
            };
            (sdk, text.as_ref())
        })
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerEntry {
    /// The family's id.
    #[schemars(with = "String")]
    pub family: Spanned<String>,
    /// The number, 0-65535.
    #[schemars(with = "i64", range(min = 0, max = 65535))]
    pub code: Spanned<i64>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioEntry {
    /// The SDK whose interop runner plays the scenario.
    #[schemars(with = "Sdk")]
    pub sdk: Spanned<Sdk>,
    /// The scenario's name, as the runner prints it.
    #[schemars(with = "String")]
    pub scenario: Spanned<String>,
}

/// One validated situation of the `/sdks` page.
#[derive(Clone, Debug, Serialize)]
pub struct SdkBehaviour {
    pub situation: String,
    /// The family id and number codebook's answer is read for.
    pub answer: Option<(String, u16)>,
    /// What each SDK does, in the SDKs' order.
    pub sdks: Vec<(Sdk, String)>,
    pub differs: Option<String>,
    pub proven_by: Vec<Scenario>,
    pub location: Location,
}

/// An interop scenario: the runner of `sdk` prints a row named `scenario` (or `scenario (...)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub sdk: Sdk,
    pub scenario: String,
    pub location: Location,
}

impl Scenario {
    /// True when a runner's row (its `sdk` field, `centrifuge-go v0.12.1`, and its scenario name)
    /// is this scenario's.
    pub fn matches(&self, row_sdk: &str, row_scenario: &str) -> bool {
        let sdk_matches =
            row_sdk.strip_prefix(self.sdk.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
        let name_matches = row_scenario
            .strip_prefix(self.scenario.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(" ("));
        sdk_matches && name_matches
    }
}

/// One line of text: not empty, no line break.
fn check_line(text: &Spanned<String>, what: &str, problems: &mut Vec<Diagnostic>) {
    if text.value.trim().is_empty() || text.value.contains(['\n', '\r']) {
        problems.push(Diagnostic { location: at(text), message: format!("{what} must be one non-empty line") });
    }
}

/// Validates every entry against the registry's family ids; reports every problem, located.
pub(crate) fn build(
    entries: &[SdkBehaviourEntry],
    families: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Vec<SdkBehaviour> {
    let mut rows = Vec::new();
    for entry in entries {
        let location = at(&entry.situation);
        let what = format!("sdk_behaviour {:?}", entry.situation.value);
        check_line(&entry.situation, "an sdk_behaviour situation", problems);
        let answer = entry.answer.as_ref().and_then(|answer| {
            let Some(family) = families.iter().find(|family| **family == answer.family.value) else {
                let known = families;
                problems.push(Diagnostic {
                    location: at(&answer.family),
                    message: format!(
                        "{what} answers in family `{}`, which this file does not define; its families are: {}",
                        answer.family.value,
                        known.join(", ")
                    ),
                });
                return None;
            };
            match u16::try_from(answer.code.value) {
                Ok(number) => Some((family.to_string(), number)),
                Err(_) => {
                    problems.push(Diagnostic {
                        location: at(&answer.code),
                        message: format!("{what} answers for {}, which is not 0-65535", answer.code.value),
                    });
                    None
                }
            }
        });
        let mut sdks: Vec<(Sdk, String)> = Vec::new();
        for (sdk, text) in entry.sdks.by_sdk() {
            if let Some(text) = text {
                check_line(text, &format!("what {} does in {what}", sdk.as_str()), problems);
                sdks.push((sdk, text.value.clone()));
            }
        }
        if sdks.is_empty() {
            problems.push(Diagnostic {
                location,
                message: format!("{what} says what no SDK does; name at least one under `sdks`"),
            });
        }
        if let Some(differs) = &entry.differs {
            check_line(differs, &format!("`differs` of {what}"), problems);
        }
        if entry.proven_by.is_empty() {
            problems.push(Diagnostic {
                location,
                message: format!("{what} names no interop scenario; add `proven_by: [{{sdk: ..., scenario: ...}}]`"),
            });
        }
        let proven_by = entry
            .proven_by
            .iter()
            .map(|proof| {
                check_line(&proof.scenario, &format!("a scenario of {what}"), problems);
                Scenario { sdk: proof.sdk.value, scenario: proof.scenario.value.clone(), location: at(&proof.scenario) }
            })
            .collect();
        rows.push(SdkBehaviour {
            situation: entry.situation.value.clone(),
            answer,
            sdks,
            differs: entry.differs.as_ref().map(|text| text.value.clone()),
            proven_by,
            location,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(sdk: Sdk, name: &str) -> Scenario {
        Scenario { sdk, scenario: name.to_string(), location: Location::default() }
    }

    #[test]
    fn a_scenario_matches_its_runners_rows_only() {
        let invalid = scenario(Sdk::CentrifugeJs, "invalid token");
        assert!(invalid.matches("centrifuge-js 5.7.4", "invalid token"));
        assert!(invalid.matches("centrifuge-js 5.7.4", "invalid token (reply)"));
        assert!(!invalid.matches("centrifuge-go v0.12.1", "invalid token"));
        assert!(!invalid.matches("centrifuge-jsx 1", "invalid token"));
        assert!(!invalid.matches("centrifuge-js 5.7.4", "invalid tokens"));
    }
}
