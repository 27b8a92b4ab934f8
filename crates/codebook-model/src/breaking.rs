//! Breaking-change rules: what an edit of `codes.yaml` does to clients already in the field.
//!
//! [`compare`] takes the registry before and after an edit and lists every break. Each rule has a
//! stable SCREAMING_SNAKE id, a one-line purpose and a [`BreakCategory`], the way buf groups its
//! rules, so a team chooses how strict to be. Codes are matched by number, never by name: the
//! number is what travels on the wire. Additions are never breaks.

use std::collections::BTreeSet;

use crate::registry::{Family, Location, Registry, WireMessage};

/// What a break endangers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BreakCategory {
    /// Numbers and strings that travel between server and client.
    Wire,
    /// What a client does with a code (retry, reconnect, stop).
    Behaviour,
    /// Identifiers in generated code (a rename breaks every program that names the code).
    Source,
}

impl BreakCategory {
    pub const ALL: [BreakCategory; 3] = [BreakCategory::Wire, BreakCategory::Behaviour, BreakCategory::Source];

    pub const fn as_str(self) -> &'static str {
        match self {
            BreakCategory::Wire => "wire",
            BreakCategory::Behaviour => "behaviour",
            BreakCategory::Source => "source",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|category| category.as_str() == text)
    }
}

/// One breaking-change rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BreakRule {
    pub id: &'static str,
    pub category: BreakCategory,
    pub purpose: &'static str,
}

pub const FAMILY_NO_DELETE: BreakRule = BreakRule {
    id: "FAMILY_NO_DELETE",
    category: BreakCategory::Wire,
    purpose: "a family is never removed or renamed: clients look codes up by family id",
};
pub const FAMILY_SAME_KIND: BreakRule = BreakRule {
    id: "FAMILY_SAME_KIND",
    category: BreakCategory::Wire,
    purpose: "a family keeps its kind: error codes and close codes travel differently",
};
pub const CODE_NO_DELETE: BreakRule = BreakRule {
    id: "CODE_NO_DELETE",
    category: BreakCategory::Wire,
    purpose: "a code is retired, never deleted: servers in the field still send it",
};
pub const RETIRED_NO_DELETE: BreakRule = BreakRule {
    id: "RETIRED_NO_DELETE",
    category: BreakCategory::Wire,
    purpose: "a retired number stays retired: forgetting it invites its reuse",
};
pub const NUMBER_NO_REUSE: BreakRule = BreakRule {
    id: "NUMBER_NO_REUSE",
    category: BreakCategory::Wire,
    purpose: "a retired or removed number is never registered again: old servers mean something else by it",
};
pub const CODE_SAME_MESSAGE: BreakRule = BreakRule {
    id: "CODE_SAME_MESSAGE",
    category: BreakCategory::Wire,
    purpose: "a code keeps its wire message: clients and log queries match on it",
};
pub const CODE_SAME_NAME: BreakRule = BreakRule {
    id: "CODE_SAME_NAME",
    category: BreakCategory::Source,
    purpose: "a code keeps its name: it is the identifier in every generated binding",
};
pub const CODE_SAME_BEHAVIOUR: BreakRule = BreakRule {
    id: "CODE_SAME_BEHAVIOUR",
    category: BreakCategory::Behaviour,
    purpose: "a code keeps its temporary or reconnect/terminal behaviour: clients change silently otherwise",
};
pub const RANGE_SAME_CLASSIFICATION: BreakRule = BreakRule {
    id: "RANGE_SAME_CLASSIFICATION",
    category: BreakCategory::Behaviour,
    purpose: "range rules keep classifying unregistered numbers the same way",
};

/// Every rule, in the order reports list them.
pub const BREAK_RULES: [BreakRule; 9] = [
    FAMILY_NO_DELETE,
    FAMILY_SAME_KIND,
    CODE_NO_DELETE,
    RETIRED_NO_DELETE,
    NUMBER_NO_REUSE,
    CODE_SAME_MESSAGE,
    CODE_SAME_NAME,
    CODE_SAME_BEHAVIOUR,
    RANGE_SAME_CLASSIFICATION,
];

/// Which side of the comparison a location points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// One break found by [`compare`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub rule: BreakRule,
    pub side: Side,
    pub location: Location,
    pub message: String,
}

/// Every break an edit from `before` to `after` makes, in family and number order.
pub fn compare(before: &Registry, after: &Registry) -> Vec<Break> {
    let mut breaks = Vec::new();
    for old in &before.families {
        match after.family(&old.id) {
            None => breaks.push(Break {
                rule: FAMILY_NO_DELETE,
                side: Side::Before,
                location: old.location,
                message: format!("family `{}` was removed or renamed", old.id),
            }),
            Some(new) => compare_family(old, new, &mut breaks),
        }
    }
    breaks
}

fn compare_family(old: &Family, new: &Family, breaks: &mut Vec<Break>) {
    let id = &old.id;
    if old.kind != new.kind {
        breaks.push(Break {
            rule: FAMILY_SAME_KIND,
            side: Side::After,
            location: new.location,
            message: format!("family `{id}` changed kind from {} to {}", old.kind.as_str(), new.kind.as_str()),
        });
    }
    for code in old.codes_by_number() {
        match new.code(code.number) {
            None if new.retired(code.number).is_some() => {}
            None => breaks.push(Break {
                rule: CODE_NO_DELETE,
                side: Side::Before,
                location: code.location,
                message: format!("code {} `{}` of `{id}` was removed without being retired", code.number, code.name),
            }),
            Some(now) => {
                if now.name != code.name {
                    breaks.push(Break {
                        rule: CODE_SAME_NAME,
                        side: Side::After,
                        location: now.location,
                        message: format!(
                            "code {} of `{id}` was renamed from `{}` to `{}`",
                            code.number, code.name, now.name
                        ),
                    });
                }
                if let Some(change) = message_change(&code.message, &now.message) {
                    breaks.push(Break {
                        rule: CODE_SAME_MESSAGE,
                        side: Side::After,
                        location: now.location,
                        message: format!("code {} of `{id}` {change}", code.number),
                    });
                }
                if now.behaviour != code.behaviour {
                    breaks.push(Break {
                        rule: CODE_SAME_BEHAVIOUR,
                        side: Side::After,
                        location: now.location,
                        message: format!(
                            "code {} of `{id}` changed from {} to {}",
                            code.number,
                            code.behaviour.as_str(),
                            now.behaviour.as_str()
                        ),
                    });
                }
            }
        }
    }
    for retired in &old.retired {
        if new.retired(retired.number).is_none() {
            match new.code(retired.number) {
                Some(code) => breaks.push(Break {
                    rule: NUMBER_NO_REUSE,
                    side: Side::After,
                    location: code.location,
                    message: format!(
                        "retired number {} of `{id}` is registered again as `{}`",
                        retired.number, code.name
                    ),
                }),
                None => breaks.push(Break {
                    rule: RETIRED_NO_DELETE,
                    side: Side::Before,
                    location: retired.location,
                    message: format!("retired number {} of `{id}` is no longer listed as retired", retired.number),
                }),
            }
        }
    }
    // Numbers that were removed (not retired) and registered again under another meaning are
    // caught above as renames or message changes; a number that vanished and came back as the
    // same code is harmless.

    // Unregistered numbers on both sides must classify the same way.
    let registered: BTreeSet<u16> = old.codes.iter().chain(new.codes.iter()).map(|code| code.number).collect();
    if let Some(number) = first_reclassified_number(old, new, &registered) {
        let (before, after) = (old.segment_of(number), new.segment_of(number));
        breaks.push(Break {
            rule: RANGE_SAME_CLASSIFICATION,
            side: Side::After,
            location: match new.rule_for(number) {
                crate::registry::RuleRef::Range(rule) => rule.location,
                crate::registry::RuleRef::Fallback(fallback) => fallback.location,
            },
            message: format!(
                "unregistered number {number} of `{id}` now classifies as {} ({}); it was {} ({})",
                after.behaviour.as_str(),
                after.label,
                before.behaviour.as_str(),
                before.label
            ),
        });
    }
}

/// The lowest number registered on neither side whose classification changed. Walks segment
/// boundaries rather than all 65,536 numbers.
fn first_reclassified_number(old: &Family, new: &Family, registered: &BTreeSet<u16>) -> Option<u16> {
    let mut starts: BTreeSet<u16> = old.segments.iter().chain(new.segments.iter()).map(|s| s.from).collect();
    starts.insert(0);
    let starts: Vec<u16> = starts.into_iter().collect();
    for (index, &from) in starts.iter().enumerate() {
        let to = starts.get(index + 1).map_or(u16::MAX, |next| next - 1);
        if old.segment_of(from).behaviour == new.segment_of(from).behaviour {
            continue;
        }
        // Within [from, to] both sides are constant; find the first unregistered number.
        if let Some(number) = (from..=to).find(|number| !registered.contains(number)) {
            return Some(number);
        }
    }
    None
}

/// How a code's text changed in a way that breaks a client or a log query matching on it, if it
/// did: a fixed text that changed or began to vary, or a known text that is no longer listed.
/// Rewording what a varying text holds, listing more known texts, or fixing a varying text to one
/// it was known to use breaks nothing.
fn message_change(old: &WireMessage, new: &WireMessage) -> Option<String> {
    match (old, new) {
        (WireMessage::Fixed(before), WireMessage::Fixed(after)) if before != after => {
            Some(format!("changed its wire message from {before:?} to {after:?}"))
        }
        (WireMessage::Fixed(before), WireMessage::Varies { .. }) => {
            Some(format!("no longer sends the fixed wire message {before:?}: its text now varies"))
        }
        (WireMessage::Varies { known, .. }, _) => {
            let now = new.texts();
            known
                .iter()
                .find(|text| !now.contains(&text.as_str()))
                .map(|text| format!("no longer lists the known wire message {text:?}"))
        }
        _ => None,
    }
}
