//! Breaking-change rules: what an edit of `codes.yaml` does to clients already in the field.
//!
//! [`compare`] takes the registry before and after an edit and lists every break. Each rule has a
//! stable SCREAMING_SNAKE id, a one-line purpose and a [`BreakCategory`], the way buf groups its
//! rules, so a team chooses how strict to be. Codes are matched by number, never by name: the
//! number is what travels on the wire. Additions are never breaks.

use std::collections::BTreeSet;

use codebook_protocol::{Action, BackoffHint, Jitter, duration_in_words};

use crate::registry::{Family, Location, Registry, Segment, WireMessage};

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

/// Declares every rule once: its constant (whose name is its id), its category and its purpose,
/// and [`BREAK_RULES`], the list reports and the portal show, in the order written.
macro_rules! break_rules {
    ($($id:ident: $category:ident, $purpose:literal;)*) => {
        $(
            #[doc = $purpose]
            pub const $id: BreakRule =
                BreakRule { id: stringify!($id), category: BreakCategory::$category, purpose: $purpose };
        )*
        /// Every rule, in the order reports list them.
        pub const BREAK_RULES: &[BreakRule] = &[$($id),*];
    };
}

break_rules! {
    FAMILY_NO_DELETE: Wire, "a family is never removed or renamed: clients look codes up by family id";
    FAMILY_SAME_KIND: Wire, "a family keeps its kind: error codes and close codes travel differently";
    FAMILY_NO_NARROWING: Wire, "a family's code space is never narrowed: a client that reads one byte cannot hold the numbers a wider sender sends";
    CODE_NO_DELETE: Wire, "a code is retired, never deleted: servers in the field still send it";
    RETIRED_NO_DELETE: Wire, "a retired number stays retired: forgetting it invites its reuse";
    NUMBER_NO_REUSE: Wire, "a retired or removed number is never registered again: old servers mean something else by it";
    CODE_SAME_MESSAGE: Wire, "a code keeps its wire message: clients and log queries match on it";
    CODE_SAME_NAME: Source, "a code keeps its name: it is the identifier in every generated binding";
    CODE_SAME_BEHAVIOUR: Behaviour, "a code keeps its temporary or reconnect/terminal behaviour: clients change silently otherwise";
    RANGE_SAME_CLASSIFICATION: Behaviour, "range rules keep classifying unregistered numbers the same way";
    CODE_SAME_ACTION: Behaviour, "a code keeps its action: at the same behaviour, a new action still changes what a whole fleet does on the same close";
    RANGE_SAME_ACTION: Behaviour, "range rules keep answering unregistered numbers with the same action";
    BACKOFF_MIN_NO_DECREASE: Behaviour, "a backoff minimum (a code's, a family's default, a range's) is never lowered: a fleet would retry sooner than the server asked, all at once";
    BACKOFF_MAX_NO_DECREASE: Behaviour, "a backoff maximum is never lowered: a long outage would meet a fleet's retries at a higher steady rate";
    JITTER_NO_REDUCTION: Behaviour, "jitter is never reduced: without it every client of a fleet retries at the same instant";
    GIVE_UP_NO_EXTENSION: Behaviour, "a give-up limit is never removed or raised: clients that stopped would keep a dead or overloaded server under load";
}

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
    /// The family the break is in.
    pub family: String,
    /// The code, retired number or first unregistered number the break is about; `None` for a
    /// family as a whole.
    pub number: Option<u16>,
    pub message: String,
}

/// Every break an edit from `before` to `after` makes, in family and number order.
pub fn compare(before: &Registry, after: &Registry) -> Vec<Break> {
    let mut breaks = Vec::new();
    for old in &before.families {
        match after.family(&old.id) {
            None => breaks.push(Break {
                family: old.id.clone(),
                number: None,
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
            family: id.clone(),
            number: None,
            rule: FAMILY_SAME_KIND,
            side: Side::After,
            location: new.location,
            message: format!("family `{id}` changed kind from {} to {}", old.kind.as_str(), new.kind.as_str()),
        });
    }
    if new.code_space.width_bits < old.code_space.width_bits {
        breaks.push(Break {
            family: id.clone(),
            number: None,
            rule: FAMILY_NO_NARROWING,
            side: Side::After,
            location: new.location,
            message: format!(
                "family `{id}` narrowed its code space from {} to {} bits",
                old.code_space.width_bits, new.code_space.width_bits
            ),
        });
    }
    let subject = format!("the default backoff of family `{id}`");
    backoff_breaks((id, None, &subject), old.backoff, new.backoff, new.location, breaks);
    for code in old.codes_by_number() {
        match new.code(code.number) {
            None if new.retired(code.number).is_some() => {}
            None => breaks.push(Break {
                family: id.clone(),
                number: Some(code.number),
                rule: CODE_NO_DELETE,
                side: Side::Before,
                location: code.location,
                message: format!("code {} `{}` of `{id}` was removed without being retired", code.number, code.name),
            }),
            Some(now) => {
                if now.name != code.name {
                    breaks.push(Break {
                        family: id.clone(),
                        number: Some(code.number),
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
                        family: id.clone(),
                        number: Some(code.number),
                        rule: CODE_SAME_MESSAGE,
                        side: Side::After,
                        location: now.location,
                        message: format!("code {} of `{id}` {change}", code.number),
                    });
                }
                if now.behaviour != code.behaviour {
                    breaks.push(Break {
                        family: id.clone(),
                        number: Some(code.number),
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
                if now.behaviour == code.behaviour && now.action != code.action {
                    breaks.push(Break {
                        family: id.clone(),
                        number: Some(code.number),
                        rule: CODE_SAME_ACTION,
                        side: Side::After,
                        location: now.location,
                        message: format!(
                            "code {} `{}` of `{id}` changed its action from {} to {} at the same behaviour ({}): {}",
                            code.number,
                            now.name,
                            code.action.as_str(),
                            now.action.as_str(),
                            now.behaviour.as_str(),
                            action_change_effect(code.action, now.action)
                        ),
                    });
                }
                // A hint both sides inherit from the family is judged once, as the family's default.
                if let (Some(was), Some(is)) = (code.backoff, now.backoff)
                    && !(was == old.backoff && is == new.backoff)
                {
                    let subject = format!("code {} `{}` of `{id}`", code.number, now.name);
                    backoff_breaks((id, Some(code.number), &subject), was, is, now.location, breaks);
                }
            }
        }
    }
    for retired in &old.retired {
        if new.retired(retired.number).is_none() {
            match new.code(retired.number) {
                Some(code) => breaks.push(Break {
                    family: id.clone(),
                    number: Some(retired.number),
                    rule: NUMBER_NO_REUSE,
                    side: Side::After,
                    location: code.location,
                    message: format!(
                        "retired number {} of `{id}` is registered again as `{}`",
                        retired.number, code.name
                    ),
                }),
                None => breaks.push(Break {
                    family: id.clone(),
                    number: Some(retired.number),
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
            family: id.clone(),
            number: Some(number),
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
    range_answer_breaks(old, new, &registered, breaks);
}

/// The answers for unregistered numbers that keep their behaviour but change their action or
/// loosen their backoff, one break per run of numbers both sides classify by one segment each.
fn range_answer_breaks(old: &Family, new: &Family, registered: &BTreeSet<u16>, breaks: &mut Vec<Break>) {
    let id = &old.id;
    for (from, to) in segment_pieces(old, new) {
        let (before, after) = (old.segment_of(from), new.segment_of(from));
        if before.behaviour != after.behaviour || (from..=to).all(|number| registered.contains(&number)) {
            continue;
        }
        let location = match new.rule_for(from) {
            crate::registry::RuleRef::Range(rule) => rule.location,
            crate::registry::RuleRef::Fallback(fallback) => fallback.location,
        };
        let subject = format!("unregistered numbers {from}-{to} of `{id}` ({})", after.label);
        if before.action != after.action {
            breaks.push(Break {
                family: id.clone(),
                number: Some(from),
                rule: RANGE_SAME_ACTION,
                side: Side::After,
                location,
                message: format!(
                    "{subject} changed their action from {} to {} at the same behaviour ({}): {}",
                    before.action.as_str(),
                    after.action.as_str(),
                    after.behaviour.as_str(),
                    action_change_effect(before.action, after.action)
                ),
            });
        }
        if let (Some(was), Some(is)) = (before.backoff, after.backoff)
            && !(was == old.backoff && is == new.backoff)
        {
            backoff_breaks((id, Some(from), &subject), was, is, location, breaks);
        }
    }
}

/// The runs `[from, to]` of 0..=65535 within which neither side changes segment.
fn segment_pieces(old: &Family, new: &Family) -> Vec<(u16, u16)> {
    let mut starts: BTreeSet<u16> = old.segments.iter().chain(new.segments.iter()).map(|s: &Segment| s.from).collect();
    starts.insert(0);
    let starts: Vec<u16> = starts.into_iter().collect();
    starts
        .iter()
        .enumerate()
        .map(|(index, &from)| (from, starts.get(index + 1).map_or(u16::MAX, |next| next - 1)))
        .collect()
}

/// Every way a retry hint got more aggressive from `was` to `is`, each as its own break naming
/// `subject`, the old and the new value, and what it does to a fleet of clients.
fn backoff_breaks(
    (family, number, subject): (&str, Option<u16>, &str),
    was: BackoffHint,
    is: BackoffHint,
    location: Location,
    breaks: &mut Vec<Break>,
) {
    let mut push = |rule: BreakRule, message: String| {
        breaks.push(Break { rule, side: Side::After, location, family: family.to_string(), number, message });
    };
    if is.min_ms < was.min_ms {
        push(
            BACKOFF_MIN_NO_DECREASE,
            format!(
                "{subject}: backoff minimum lowered from {} ms to {} ms: every client of a fleet now retries {} sooner after the same close, a reconnect storm against a server that asked it to wait",
                was.min_ms,
                is.min_ms,
                times(was.min_ms, is.min_ms)
            ),
        );
    }
    if is.max_ms < was.max_ms {
        push(
            BACKOFF_MAX_NO_DECREASE,
            format!(
                "{subject}: backoff maximum lowered from {} ms to {} ms: through a long outage a fleet keeps retrying every {} at most instead of {}, {} the steady load",
                was.max_ms,
                is.max_ms,
                duration_in_words(is.max_ms),
                duration_in_words(was.max_ms),
                times(was.max_ms, is.max_ms)
            ),
        );
    }
    if was.jitter == Jitter::Full && is.jitter == Jitter::None {
        push(
            JITTER_NO_REDUCTION,
            format!(
                "{subject}: jitter reduced from {} to {}: every client of a fleet that met the same close now retries at the same instant, in synchronised waves (a thundering herd)",
                was.jitter.as_str(),
                is.jitter.as_str()
            ),
        );
    }
    match (was.give_up_after_ms, is.give_up_after_ms) {
        (Some(limit), None) => push(
            GIVE_UP_NO_EXTENSION,
            format!(
                "{subject}: give-up limit removed (was {limit} ms): clients that stopped after {} now retry forever, keeping a dead or overloaded server under load",
                duration_in_words(limit)
            ),
        ),
        (Some(limit), Some(now)) if now > limit => push(
            GIVE_UP_NO_EXTENSION,
            format!(
                "{subject}: give-up limit raised from {limit} ms to {now} ms: clients keep a failing server under load {} as long before they stop",
                times(now, limit)
            ),
        ),
        _ => {}
    }
}

/// `big / small` as a factor in words (`5000x`, `2.5x`).
fn times(big: u32, small: u32) -> String {
    let factor = f64::from(big) / f64::from(small.max(1));
    if factor >= 10.0 { format!("{factor:.0}x") } else { format!("{factor:.1}x") }
}

/// What a fleet does on the same close after an action change, in words.
fn action_change_effect(was: Action, is: Action) -> String {
    format!(
        "a fleet that used to {} is now told to {} on the same code",
        action_in_fleet_words(was),
        action_in_fleet_words(is)
    )
}

fn action_in_fleet_words(action: Action) -> &'static str {
    match action {
        Action::None => "leave it to the application",
        Action::RetryAfterBackoff => "retry the command after a backoff",
        Action::Reconnect => "reconnect at its minimum delay",
        Action::ReconnectAfterBackoff => "reconnect after growing, jittered delays",
        Action::RefreshTokenThenReconnect => "fetch a new token from its backend, then reconnect",
        Action::WaitForCapacity => "show a waiting state and retry slowly",
        Action::Reauthenticate => "ask its users to sign in again",
        Action::FixConfiguration => "stop until someone fixes its configuration",
        Action::Stop => "stop",
        Action::InProgress => "wait for the SDK's own next event",
    }
}

/// The lowest number registered on neither side whose classification changed. Walks segment
/// boundaries rather than all 65,536 numbers.
fn first_reclassified_number(old: &Family, new: &Family, registered: &BTreeSet<u16>) -> Option<u16> {
    for (from, to) in segment_pieces(old, new) {
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
