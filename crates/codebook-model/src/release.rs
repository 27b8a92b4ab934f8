//! What a release holds: every change between two registries, each classified by one rule and
//! sized by semantic versioning. A break ([`crate::compare`]) is a major change; an added family,
//! code or known message, a retired number or any other change a program can see is minor; a
//! change of text alone (descriptions, causes, titles, labels, notes) is a patch.
//!
//! `codebook release` computes the next version from [`required_bump`] and writes one changelog
//! line per [`ReleaseChange`].

use std::collections::BTreeSet;

use serde_json::Value;

use crate::registry::{Code, Family, Registry};
use crate::{Bump, compare};

/// One rule that classifies a change that breaks nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChangeRule {
    pub id: &'static str,
    pub bump: Bump,
    pub purpose: &'static str,
}

/// Declares every non-breaking change rule once, and [`CHANGE_RULES`] in the order written.
macro_rules! change_rules {
    ($($id:ident: $bump:ident, $purpose:literal;)*) => {
        $(
            #[doc = $purpose]
            pub const $id: ChangeRule = ChangeRule { id: stringify!($id), bump: Bump::$bump, purpose: $purpose };
        )*
        /// Every rule for changes that break nothing.
        pub const CHANGE_RULES: &[ChangeRule] = &[$($id),*];
    };
}

change_rules! {
    FAMILY_ADDED: Minor, "a new family: new codes for programs that know them, nothing changes for the others";
    CODE_ADDED: Minor, "a new code: a number that classified by its range now has a name, a text and an answer of its own";
    KNOWN_MESSAGE_ADDED: Minor, "a varying text lists another text the sender is known to use";
    CODE_RETIRED: Minor, "a number is retired: it is never registered again";
    CODE_CHANGED: Minor, "a code changed in a way programs can see but that breaks no rule (a more careful backoff, a deprecation)";
    FAMILY_CHANGED: Minor, "a family changed in a way programs can see but that breaks no rule (a new range, a more careful default backoff)";
    TEXT_CHANGED: Patch, "only text for people changed: a description, causes, a title, a label or a note";
}

/// What classified a change: a breaking rule or a rule for changes that break nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeClass {
    Break(crate::BreakRule),
    Change(ChangeRule),
}

impl ChangeClass {
    pub fn id(self) -> &'static str {
        match self {
            ChangeClass::Break(rule) => rule.id,
            ChangeClass::Change(rule) => rule.id,
        }
    }

    pub fn bump(self) -> Bump {
        match self {
            ChangeClass::Break(_) => Bump::Major,
            ChangeClass::Change(rule) => rule.bump,
        }
    }
}

/// One line of a release's changelog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseChange {
    pub class: ChangeClass,
    pub family: String,
    /// The code, retired number or unregistered number the change is about.
    pub number: Option<u16>,
    /// The portal page of the family or number (absolute with `doc_base_url`).
    pub url: String,
    pub message: String,
}

/// Every change from `before` to `after`: breaks first (in [`compare`]'s order), then the rest
/// in family and number order. Empty when nothing but the declared version changed.
pub fn release_changes(before: &Registry, after: &Registry) -> Vec<ReleaseChange> {
    let base = after.doc_base_url.as_deref().unwrap_or("");
    let url = |family: &str, number: Option<u16>| match number {
        Some(number) => format!("{base}/codes/{family}/{number}"),
        None => format!("{base}/families/{family}"),
    };
    let breaks = compare(before, after);
    let broken: BTreeSet<(String, Option<u16>)> =
        breaks.iter().map(|found| (found.family.clone(), found.number)).collect();
    // A family with any break already has its lines; "the family changed" would say it again.
    let broken_families: BTreeSet<String> = breaks.iter().map(|found| found.family.clone()).collect();
    let mut changes: Vec<ReleaseChange> = breaks
        .into_iter()
        .map(|found| ReleaseChange {
            class: ChangeClass::Break(found.rule),
            url: url(&found.family, found.number),
            family: found.family,
            number: found.number,
            message: found.message,
        })
        .collect();
    let mut push = |rule: ChangeRule, family: &str, number: Option<u16>, message: String| {
        changes.push(ReleaseChange {
            class: ChangeClass::Change(rule),
            family: family.to_string(),
            number,
            url: url(family, number),
            message,
        });
    };
    for new in &after.families {
        let id = new.id.as_str();
        let Some(old) = before.family(id) else {
            let count = match new.codes.len() {
                1 => "1 code".to_string(),
                count => format!("{count} codes"),
            };
            push(FAMILY_ADDED, id, None, format!("family `{id}` added with {count}"));
            continue;
        };
        if !broken_families.contains(id) {
            match (
                family_facts(old, false) != family_facts(new, false),
                family_facts(old, true) != family_facts(new, true),
            ) {
                (true, _) => push(FAMILY_CHANGED, id, None, format!("family `{id}` changed")),
                (false, true) => push(TEXT_CHANGED, id, None, format!("the text of family `{id}` changed")),
                _ => {}
            }
        }
        for code in new.codes_by_number() {
            let number = Some(code.number);
            if broken.contains(&(id.to_string(), number)) {
                continue;
            }
            let Some(was) = old.code(code.number) else {
                push(CODE_ADDED, id, number, format!("code {} `{}` of `{id}` added", code.number, code.name));
                continue;
            };
            let added: Vec<&String> =
                code.message.known().iter().filter(|text| !was.message.known().contains(text)).collect();
            if !added.is_empty() {
                let texts: Vec<String> = added.iter().map(|text| format!("{text:?}")).collect();
                let message =
                    format!("code {} `{}` of `{id}` lists the known text {}", code.number, code.name, texts.join(", "));
                push(KNOWN_MESSAGE_ADDED, id, number, message);
            } else if code_facts(was, old, false) != code_facts(code, new, false) {
                push(CODE_CHANGED, id, number, format!("code {} `{}` of `{id}` changed", code.number, code.name));
            } else if code_facts(was, old, true) != code_facts(code, new, true) {
                push(
                    TEXT_CHANGED,
                    id,
                    number,
                    format!("the text of code {} `{}` of `{id}` changed", code.number, code.name),
                );
            }
        }
        for retired in &new.retired {
            if old.retired(retired.number).is_none() && !broken.contains(&(id.to_string(), Some(retired.number))) {
                push(
                    CODE_RETIRED,
                    id,
                    Some(retired.number),
                    format!("number {} of `{id}` retired: {}", retired.number, retired.note),
                );
            }
        }
    }
    changes
}

/// The smallest version step that may carry `changes`; `None` when there is nothing to release.
pub fn required_bump(changes: &[ReleaseChange]) -> Option<Bump> {
    changes.iter().map(|change| change.class.bump()).max()
}

/// Fields that only people read; a change limited to them is a patch.
const TEXT_FIELDS: &[&str] = &[
    "description",
    "causes",
    "rationale",
    "range_override",
    "title",
    "label",
    "note",
    "since",
    "changes",
    "what",
    "display",
];

/// A code as programs see it (`with_text`: as people read it too), without its place in the file.
/// A backoff the code takes from its family is the family's change, judged there.
fn code_facts(code: &Code, family: &Family, with_text: bool) -> Value {
    let mut value = serde_json::to_value(code).expect("a code serialises");
    if code.backoff == Some(family.backoff)
        && let Value::Object(fields) = &mut value
    {
        fields.remove("backoff");
    }
    strip(&mut value, with_text);
    value
}

/// A family without its codes (judged one by one) and derived tables.
fn family_facts(family: &Family, with_text: bool) -> Value {
    let mut value = serde_json::to_value(family).expect("a family serialises");
    if let Value::Object(fields) = &mut value {
        fields.remove("codes");
        fields.remove("segments");
    }
    strip(&mut value, with_text);
    value
}

/// Removes locations everywhere, and the text fields unless `with_text`; a deprecation stays
/// visible as a yes/no fact.
fn strip(value: &mut Value, with_text: bool) {
    match value {
        Value::Object(fields) => {
            fields.remove("location");
            if !with_text {
                for field in TEXT_FIELDS {
                    fields.remove(*field);
                }
                if let Some(deprecated) = fields.get_mut("deprecated") {
                    *deprecated = Value::Bool(!deprecated.is_null());
                }
            }
            fields.values_mut().for_each(|inner| strip(inner, with_text));
        }
        Value::Array(items) => items.iter_mut().for_each(|inner| strip(inner, with_text)),
        _ => {}
    }
}
