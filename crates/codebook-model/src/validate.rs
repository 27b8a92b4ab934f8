//! Every rule a registry must satisfy, checked all at once so the user sees every problem in one run.
//!
//! Turns the as-written [`Document`] into a [`Registry`]. A problem never stops the walk: the
//! validator records a located [`Diagnostic`] and carries on with a best guess, and the registry is
//! only returned when no problem was found.

use std::collections::HashMap;

use serde_saphyr::Spanned;

use crate::Version;
use crate::classify::build_segments;
use crate::diagnostic::Diagnostic;
use crate::naming::{
    CodeNames, FamilyNames, RESERVED_FAMILY_IDS, RUNTIME_IDENTIFIERS, is_kebab_id, is_upper_camel_identifier,
    reserved_form,
};
use codebook_protocol::{Action, BackoffHint, Behaviour, MAX_CLOSE_REASON_BYTES, Origin};

use crate::closed_sets::{Delivery, FamilyKind, NumberDisplay, Sdk, SdkEvent};
use crate::registry::{
    Change, Code, CodeSpace, Fallback, Family, Location, RangeRule, Registry, RetiredCode, WireMessage,
};
use crate::source::{
    BackoffEntry, ChangeEntry, CodeEntry, Document, FallbackEntry, FamilyEntry, RangeEntry, RetiredEntry, at,
};

#[derive(Default)]
struct Problems(Vec<Diagnostic>);

impl Problems {
    fn report(&mut self, location: Location, message: impl Into<String>) {
        self.0.push(Diagnostic { location, message: message.into() });
    }
}

/// Validates the whole document; returns the registry only if there is no problem at all.
pub(crate) fn build_registry(document: Document) -> Result<Registry, Vec<Diagnostic>> {
    let mut problems = Problems::default();
    let version = match &document.version {
        None => Version::UNRELEASED,
        Some(declared) => Version::parse(&declared.value).unwrap_or_else(|| {
            problems.report(
                at(declared),
                format!(
                    "version {:?} is not MAJOR.MINOR.PATCH (three numbers without leading zeros; no pre-release or build suffix, which npm, PyPI and Maven spell differently)",
                    declared.value
                ),
            );
            Version::UNRELEASED
        }),
    };
    let doc_base_url = document.doc_base_url.as_ref().map(|url| {
        let text = url.value.trim_end_matches('/');
        let scheme_ok = text.starts_with("https://") || text.starts_with("http://");
        if !scheme_ok
            || text.len() <= "https://".len()
            || text.contains(|c: char| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        {
            problems.report(
                at(url),
                format!("doc_base_url {:?} must be an absolute http(s) URL without spaces", url.value),
            );
        }
        text.to_string()
    });
    if document.families.is_empty() {
        problems.report(Location { line: 1, column: 1 }, "the registry has no families");
    }
    let mut families = Vec::new();
    let mut ids: HashMap<String, Location> = HashMap::new();
    // Go puts every family's types and constants in one package scope, so names derived from
    // different families must not meet there either.
    let mut package_scope: HashMap<String, (Location, String)> = RUNTIME_IDENTIFIERS
        .iter()
        .map(|name| (name.to_string(), (Location::default(), "the generated runtime".to_string())))
        .collect();
    // `codes_of` references, checked once every family is known: (family, target, location).
    let mut references: Vec<(String, String, Location)> = Vec::new();
    // Metric names, each listed by one family only: (where first listed, which family).
    let mut metrics_seen: HashMap<String, (Location, String)> = HashMap::new();
    for entry in document.families {
        for range in &entry.ranges {
            if let Some(target) = &range.codes_of {
                references.push((entry.id.value.clone(), target.value.clone(), at(target)));
            }
        }
        let id_location = at(&entry.id);
        let duplicate_id = ids.get(&entry.id.value).copied();
        if let Some(first) = duplicate_id {
            problems.report(id_location, format!("duplicate family id `{}`, first defined at {first}", entry.id.value));
        } else {
            ids.insert(entry.id.value.clone(), id_location);
        }
        let family = build_family(entry, doc_base_url.as_deref(), &mut metrics_seen, &mut problems);
        if duplicate_id.is_some() {
            families.push(family);
            continue;
        }
        // Two families of one event must not both give one SDK's event its numbers.
        if let Some(event) = family.sdk_event {
            for earlier in families.iter().filter(|earlier: &&Family| earlier.sdk_event == Some(event)) {
                if let Some(shared) = family.sdks.iter().find(|sdk| earlier.sdks.contains(sdk)) {
                    problems.report(
                        family.location,
                        format!(
                            "family `{}` and family `{}` (at {}) both give {}'s `{}` event its numbers; say which SDKs each is for with `sdks:`",
                            family.id,
                            earlier.id,
                            earlier.location,
                            shared.as_str(),
                            event.as_str()
                        ),
                    );
                }
            }
        }
        // Returns false (after reporting) when the identifier is taken.
        let mut claim = |identifier: String, location: Location, owner: String| -> bool {
            if let Some((first, first_owner)) = package_scope.get(&identifier) {
                let place = if first.line == 0 { String::new() } else { format!(" (at {first})") };
                problems.report(
                    location,
                    format!("{owner} generates the identifier `{identifier}`, which {first_owner}{place} also defines"),
                );
                false
            } else {
                package_scope.insert(identifier, (location, owner));
                true
            }
        };
        // One message per mistake: a family whose type name is taken is reported once, not once
        // per identifier derived from it.
        // An SDK event family also generates its event's helper (`ClassifyConnectingEvent`), so
        // a second family of the same event is reported here as a clash.
        // Families of one event for different SDKs (`sdks:`) share the helper's name, each
        // language generating it for its own SDK's family; the helper is claimed once.
        let helper = family
            .sdk_event
            .filter(|event| !families.iter().any(|earlier: &Family| earlier.sdk_event == Some(*event)))
            .map(|event| format!("Classify{}Event", event.upper_camel()));
        let family_claimed = family
            .names
            .generated_identifiers()
            .into_iter()
            .chain(helper)
            .all(|identifier| claim(identifier, family.location, format!("family `{}`", family.id)));
        if !family_claimed {
            families.push(family);
            continue;
        }
        let mut claimed_names = std::collections::HashSet::new();
        for code in &family.codes {
            // A bad or repeated name was already reported; one message per mistake.
            if name_problem(&code.name).is_some() || !claimed_names.insert(code.name.as_str()) {
                continue;
            }
            claim(
                code.names.go_constant.clone(),
                code.location,
                format!("code {} `{}` of family `{}`", code.number, code.name, family.id),
            );
        }
        families.push(family);
    }
    for (family, target, location) in &references {
        if family == target {
            problems.report(
                *location,
                format!("a range of family `{family}` says its numbers are `codes_of` the family itself"),
            );
        } else if !families.iter().any(|other| &other.id == target) {
            let known: Vec<&str> = families.iter().map(|other| other.id.as_str()).collect();
            problems.report(
                *location,
                format!("`codes_of: {target}` names no family of this file; its families are: {}", known.join(", ")),
            );
        } else if references.iter().any(|(other, _, _)| other == target) {
            problems.report(
                *location,
                format!("`codes_of: {target}` names a family that itself hands numbers to another family; name the final family"),
            );
        }
    }
    let mut bindings = crate::package::build_identity(document.bindings.as_ref(), &mut problems.0);
    // Go requires the major version in the module path from v2 on; the directory and the package
    // name stay as they are (the tag is still `bindings/go/<package>/v2.0.0`).
    if version.major >= 2 {
        bindings.go_module = format!("{}/v{}", bindings.go_module, version.major);
    }
    let family_ids: Vec<&str> = families.iter().map(|family| family.id.as_str()).collect();
    let sdk_behaviour = crate::sdk_behaviour::build(&document.sdk_behaviour, &family_ids, &mut problems.0);
    if problems.0.is_empty() {
        Ok(Registry { version, doc_base_url, bindings, families, sdk_behaviour })
    } else {
        Err(problems.0)
    }
}

/// Most entries of a code's `causes`, `known_messages` or `changes`.
pub const MAX_LIST_ENTRIES: usize = 100;

/// What every code of a family is checked against.
struct FamilyContext<'a> {
    id: &'a str,
    kind: FamilyKind,
    delivered_in: &'a [Delivery],
    /// The SDKs whose event carries the family's numbers (empty outside SDK event families).
    sdks: &'a [Sdk],
    names: &'a FamilyNames,
    ranges: &'a [RangeRule],
    segments: &'a [crate::registry::Segment],
    backoff: BackoffHint,
    doc_base_url: Option<&'a str>,
}

fn build_family(
    entry: FamilyEntry,
    doc_base_url: Option<&str>,
    metrics_seen: &mut HashMap<String, (Location, String)>,
    problems: &mut Problems,
) -> Family {
    let location = at(&entry.id);
    let id = entry.id.value.clone();
    if RESERVED_FAMILY_IDS.contains(&id.as_str()) {
        problems
            .report(location, format!("family id `{id}` names a file the generated runtime uses; choose another id"));
    }
    let family_names = FamilyNames::from_id(&id);
    if let Some((form, language)) = family_names.reserved_form() {
        problems.report(
            location,
            format!("family id `{id}` would name `{form}` in {language}, where it is reserved; choose another id"),
        );
    }
    if !is_kebab_id(&id) {
        problems.report(
            location,
            format!("family id `{id}` must be kebab-case: lower-case letters, digits and single hyphens, starting with a letter"),
        );
    }
    check_line(problems, &entry.title, &format!("title of family `{id}`"));
    check_prose(problems, &entry.description, &format!("description of family `{id}`"));
    let kind = entry.kind.value;
    let names = FamilyNames::from_id(&id);
    let (delivered_in, sdk_event) = build_delivery(&entry, kind, location, problems);
    let sdks = build_sdks(entry.sdks.as_deref(), sdk_event.is_some(), &format!("family `{id}`"), location, problems)
        .unwrap_or_else(|| if sdk_event.is_some() { Sdk::ALL.to_vec() } else { Vec::new() });

    let backoff = entry
        .backoff
        .as_ref()
        .and_then(|hint| build_backoff(hint, &format!("backoff of family `{id}`"), problems))
        .unwrap_or(BackoffHint::DEFAULT);
    let code_space = build_code_space(&entry, problems);
    let fallback = build_fallback(&entry.fallback, kind, problems);
    let ranges = build_ranges(&entry.ranges, kind, code_space, problems);
    let segments = build_segments(&ranges, &fallback, backoff);
    let retired = build_retired(&entry.retired, problems);
    check_fits_code_space(&entry, code_space, problems);

    if entry.codes.is_empty() {
        problems.report(location, format!("family `{id}` has no codes"));
    }
    for code_entry in &entry.codes {
        let lists = [
            ("causes", code_entry.causes.len(), code_entry.causes.first().map(at)),
            ("known_messages", code_entry.known_messages.len(), code_entry.known_messages.first().map(at)),
            ("changes", code_entry.changes.len(), code_entry.changes.first().map(|change| at(&change.version))),
        ];
        for (field, count, first) in lists {
            if count > MAX_LIST_ENTRIES {
                problems.report(
                    first.unwrap_or(at(&code_entry.code)),
                    format!(
                        "`{field}` of code {} has {count} entries; at most {MAX_LIST_ENTRIES}",
                        code_entry.code.value
                    ),
                );
            }
        }
    }
    let mut codes = Vec::with_capacity(entry.codes.len());
    let mut numbers: HashMap<u16, Location> = HashMap::new();
    let mut names_seen: HashMap<String, Location> = HashMap::new();
    // Each text in the form messages are compared in, with the text as written and where it was.
    let mut texts_seen: HashMap<String, (String, Location)> = HashMap::new();
    for code_entry in &entry.codes {
        let context = FamilyContext {
            id: &id,
            kind,
            delivered_in: &delivered_in,
            sdks: &sdks,
            names: &names,
            ranges: &ranges,
            segments: &segments,
            backoff,
            doc_base_url,
        };
        let Some(code) = build_code(code_entry, &context, problems) else {
            continue;
        };
        if let Some(first) = numbers.get(&code.number) {
            problems.report(code.location, format!("duplicate code {}, first defined at {first}", code.number));
        } else {
            numbers.insert(code.number, code.location);
        }
        for text in code_entry.message.iter().chain(&code_entry.known_messages) {
            let compared = crate::text::comparison_form(&text.value);
            match texts_seen.get(&compared) {
                Some((first, first_at)) if *first != text.value => problems.report(
                    at(text),
                    format!(
                        "message {:?} reads the same as {first:?} at {first_at} (equal after Unicode normalisation); write them identically or make them differ visibly",
                        text.value
                    ),
                ),
                Some(_) => {}
                None => {
                    texts_seen.insert(compared, (text.value.clone(), at(text)));
                }
            }
        }
        let name_location = at(&code_entry.name);
        if let Some(first) = names_seen.get(&code.name) {
            problems.report(name_location, format!("duplicate name `{}`, first defined at {first}", code.name));
        } else {
            names_seen.insert(code.name.clone(), name_location);
        }
        if let Some(retired) = retired.iter().find(|retired| retired.number == code.number) {
            problems.report(
                code.location,
                format!(
                    "code {} reuses a retired number (retired at {}); retired numbers are never registered again",
                    code.number, retired.location
                ),
            );
        }
        codes.push(code);
    }
    for retired in &retired {
        if let Some(target) = retired.moved_to
            && !codes.iter().any(|code| code.number == target)
        {
            problems.report(
                retired.location,
                format!(
                    "retired code {} moved to {target}, which is not a registered code of family `{id}`",
                    retired.number
                ),
            );
        }
    }

    let metrics = crate::served::build_metrics(&entry.metrics, &id, metrics_seen, &mut problems.0);
    Family {
        by_number: Family::number_index(&codes),
        id,
        title: entry.title.value,
        kind,
        delivered_in,
        sdk_event,
        sdks,
        code_space,
        description: entry.description.value,
        backoff,
        ranges,
        fallback,
        retired,
        codes,
        names,
        segments,
        metrics,
        location,
    }
}

/// Where the family's codes reach a client (`delivered_in`, defaulted by kind) and the SDK event
/// that carries them, which is given exactly when the codes arrive in an SDK event.
fn build_delivery(
    entry: &FamilyEntry,
    kind: FamilyKind,
    family_location: Location,
    problems: &mut Problems,
) -> (Vec<Delivery>, Option<SdkEvent>) {
    let id = &entry.id.value;
    let mut delivered_in: Vec<Delivery> = Vec::new();
    match &entry.delivered_in {
        None => delivered_in.push(match kind {
            FamilyKind::WebsocketClose => Delivery::CloseFrame,
            FamilyKind::Error => Delivery::ErrorReply,
        }),
        Some(list) if list.is_empty() => {
            problems.report(
                family_location,
                format!("`delivered_in` of family `{id}` is empty; say where a client meets its codes, or omit it"),
            );
        }
        Some(list) => {
            for stated in list {
                let delivery = stated.value;
                if delivered_in.contains(&delivery) {
                    problems.report(
                        at(stated),
                        format!("`delivered_in` of family `{id}` lists `{}` twice", delivery.as_str()),
                    );
                    continue;
                }
                let fits = match kind {
                    FamilyKind::WebsocketClose => {
                        !matches!(delivery, Delivery::ErrorReply | Delivery::ServerApiReply | Delivery::Reply)
                    }
                    FamilyKind::Error => matches!(
                        delivery,
                        Delivery::ErrorReply
                            | Delivery::SdkEvent
                            | Delivery::ServerApiReply
                            | Delivery::Reply
                            | Delivery::CloseMessage
                    ),
                };
                if !fits {
                    problems.report(
                        at(stated),
                        format!(
                            "family `{id}` is delivered in `{}`, which does not carry {} codes",
                            delivery.as_str(),
                            kind.as_str()
                        ),
                    );
                }
                delivered_in.push(delivery);
            }
        }
    }
    let sdk_event = entry.sdk_event.as_ref().map(|stated| stated.value);
    let in_sdk_event = delivered_in.contains(&Delivery::SdkEvent);
    match (&entry.sdk_event, in_sdk_event) {
        (None, true) => problems.report(
            family_location,
            format!("family `{id}` is delivered in `sdk_event` but does not say which: add `sdk_event: <event>`"),
        ),
        (Some(stated), false) => problems.report(
            at(stated),
            format!("family `{id}` names an `sdk_event` but `delivered_in` does not list `sdk_event`"),
        ),
        _ => {}
    }
    (delivered_in, sdk_event)
}

/// A stated `sdks:` list (of a family or a code): `None` when absent. Refused, located, when
/// `what` is not in an SDK event, when the list is empty or names an SDK twice.
fn build_sdks(
    stated: Option<&[Spanned<Sdk>]>,
    in_sdk_event: bool,
    what: &str,
    owner: Location,
    problems: &mut Problems,
) -> Option<Vec<Sdk>> {
    let list = stated?;
    let Some(first) = list.first() else {
        problems.report(owner, format!("`sdks` of {what} is empty; name the SDKs, or omit it"));
        return None;
    };
    if !in_sdk_event {
        problems.report(at(first), format!("{what} lists `sdks` but is not delivered in an SDK event (`sdk_event`)"));
        return None;
    }
    let mut sdks = Vec::new();
    for stated in list {
        if sdks.contains(&stated.value) {
            problems.report(at(stated), format!("`sdks` of {what} lists `{}` twice", stated.value.as_str()));
        } else {
            sdks.push(stated.value);
        }
    }
    Some(sdks)
}

/// A code's `sdks:` (default: its family's), each an SDK of the family.
fn code_sdks(entry: &CodeEntry, family: &FamilyContext<'_>, what: &str, problems: &mut Problems) -> Vec<Sdk> {
    let Some(stated) = build_sdks(entry.sdks.as_deref(), !family.sdks.is_empty(), what, at(&entry.code), problems)
    else {
        return family.sdks.to_vec();
    };
    for spanned in entry.sdks.iter().flatten() {
        let sdk = &spanned.value;
        if !family.sdks.contains(sdk) {
            problems.report(
                at(spanned),
                format!("{what} lists `{}` in `sdks`, which is not an SDK of family `{}`", sdk.as_str(), family.id),
            );
        }
    }
    stated
}

/// Reads the kind's behaviour field (`reconnect` or `temporary`) and rejects the other one.
fn behaviour_flag(
    kind: FamilyKind,
    reconnect: &Option<Spanned<bool>>,
    temporary: &Option<Spanned<bool>>,
    what: &str,
    problems: &mut Problems,
) -> Option<Spanned<bool>> {
    let (own, other, other_name) = match kind {
        FamilyKind::WebsocketClose => (reconnect, temporary, "temporary"),
        FamilyKind::Error => (temporary, reconnect, "reconnect"),
    };
    if let Some(other) = other {
        problems.report(
            at(other),
            format!(
                "{what} has `{other_name}`, which {} families do not use; write `{}`",
                kind.as_str(),
                kind.behaviour_field()
            ),
        );
    }
    own.clone()
}

fn build_fallback(entry: &FallbackEntry, kind: FamilyKind, problems: &mut Problems) -> Fallback {
    let location = at(&entry.label);
    check_line(problems, &entry.label, "fallback label");
    let flag = behaviour_flag(kind, &entry.reconnect, &entry.temporary, "the fallback", problems);
    let behaviour = match flag {
        Some(flag) => kind.behaviour_from_flag(flag.value),
        None => {
            problems.report(
                location,
                format!(
                    "the fallback must say `{}: true` or `{}: false`",
                    kind.behaviour_field(),
                    kind.behaviour_field()
                ),
            );
            kind.behaviour_from_flag(false)
        }
    };
    let action = build_action(entry.action.as_ref(), behaviour, kind, "the fallback", problems);
    Fallback { label: entry.label.value.clone(), behaviour, action, location }
}

/// The stated action (checked against the behaviour it must agree with) or the behaviour's default.
fn build_action(
    stated: Option<&Spanned<Action>>,
    behaviour: Behaviour,
    kind: FamilyKind,
    what: &str,
    problems: &mut Problems,
) -> Action {
    let Some(stated) = stated else {
        return Action::default_for(behaviour);
    };
    let action = stated.value;
    if !action.agrees_with(behaviour) {
        let fitting: Vec<&str> = Action::ALL.iter().filter(|a| a.agrees_with(behaviour)).map(|a| a.as_str()).collect();
        problems.report(
            at(stated),
            format!(
                "{what} has the action `{}`, which contradicts `{}: {}`; it can be one of: {}",
                action.as_str(),
                kind.behaviour_field(),
                behaviour.flag(),
                fitting.join(", ")
            ),
        );
    }
    action
}

/// Milliseconds as written, checked to fit a `u32` and be at most a day.
fn checked_millis(problems: &mut Problems, value: &Spanned<i64>, what: &str) -> Option<u32> {
    const DAY_MS: i64 = 86_400_000;
    if (0..=DAY_MS).contains(&value.value) {
        Some(value.value as u32)
    } else {
        problems.report(at(value), format!("{what} is {} ms; it must be between 0 and {DAY_MS} (a day)", value.value));
        None
    }
}

fn build_backoff(entry: &BackoffEntry, what: &str, problems: &mut Problems) -> Option<BackoffHint> {
    let min_ms = checked_millis(problems, &entry.min_ms, &format!("min_ms of the {what}"));
    let max_ms = checked_millis(problems, &entry.max_ms, &format!("max_ms of the {what}"));
    let give_up = entry
        .give_up_after_ms
        .as_ref()
        .map(|value| checked_millis(problems, value, &format!("give_up_after_ms of the {what}")));
    let (min_ms, max_ms) = (min_ms?, max_ms?);
    if min_ms == 0 {
        problems.report(
            at(&entry.min_ms),
            format!("min_ms of the {what} is 0; a zero delay lets a whole fleet reconnect at once, use at least 1"),
        );
    }
    if max_ms < min_ms {
        problems.report(at(&entry.max_ms), format!("max_ms of the {what} ({max_ms}) is below its min_ms ({min_ms})"));
    }
    let give_up_after_ms = match give_up {
        Some(Some(limit)) if limit < min_ms => {
            problems.report(
                at(entry.give_up_after_ms.as_ref().expect("present")),
                format!("give_up_after_ms of the {what} ({limit}) is below its min_ms ({min_ms})"),
            );
            Some(limit)
        }
        Some(limit) => Some(limit?),
        None => None,
    };
    Some(BackoffHint { min_ms, max_ms, jitter: entry.jitter.value, give_up_after_ms })
}

fn checked_number(problems: &mut Problems, value: &Spanned<i64>, what: &str) -> Option<u16> {
    match u16::try_from(value.value) {
        Ok(number) => Some(number),
        Err(_) => {
            problems.report(at(value), format!("{what} {} is out of range: numbers are 0-65535", value.value));
            None
        }
    }
}

/// The family's `code_space`: a width of 8 or 16 bits and a display base.
fn build_code_space(entry: &FamilyEntry, problems: &mut Problems) -> CodeSpace {
    let Some(space) = &entry.code_space else {
        return CodeSpace::DEFAULT;
    };
    let width_bits = match &space.width_bits {
        None => 16,
        Some(width) if width.value == 8 || width.value == 16 => width.value as u8,
        Some(width) => {
            problems.report(
                at(width),
                format!(
                    "`width_bits` of family `{}` is {}; a code space is 8 bits (one byte) or 16 bits wide",
                    entry.id.value, width.value
                ),
            );
            16
        }
    };
    CodeSpace { width_bits, display: space.display.as_ref().map_or(NumberDisplay::Decimal, |display| display.value) }
}

/// Every registered, ranged and retired number of the family fits its code space.
fn check_fits_code_space(entry: &FamilyEntry, space: CodeSpace, problems: &mut Problems) {
    let largest = i64::from(space.largest());
    let id = &entry.id.value;
    let numbers = entry
        .codes
        .iter()
        .map(|code| (&code.code, "code"))
        .chain(entry.ranges.iter().flat_map(|range| {
            std::iter::once((&range.from, "range start")).chain(range.to.as_ref().map(|to| (to, "range end")))
        }))
        .chain(entry.retired.iter().flat_map(|retired| {
            std::iter::once((&retired.code, "retired code")).chain(retired.moved_to.as_ref().map(|to| (to, "moved_to")))
        }));
    for (number, what) in numbers {
        if number.value > largest && number.value <= i64::from(u16::MAX) {
            problems.report(
                at(number),
                format!(
                    "{what} {} does not fit family `{id}`'s {}-bit code space (0-{largest})",
                    number.value, space.width_bits
                ),
            );
        }
    }
}

fn build_ranges(entries: &[RangeEntry], kind: FamilyKind, space: CodeSpace, problems: &mut Problems) -> Vec<RangeRule> {
    let mut ranges: Vec<RangeRule> = Vec::new();
    for entry in entries {
        let location = at(&entry.from);
        check_line(problems, &entry.label, "range label");
        let flag = behaviour_flag(kind, &entry.reconnect, &entry.temporary, "a range rule", problems);
        if kind == FamilyKind::WebsocketClose && flag.is_none() {
            problems.report(
                location,
                "a range rule of a websocket_close family must say `reconnect: true` or `reconnect: false`",
            );
        }
        let Some(from) = checked_number(problems, &entry.from, "range start") else {
            continue;
        };
        let to = match &entry.to {
            Some(to) => match checked_number(problems, to, "range end") {
                Some(to) => to,
                None => continue,
            },
            None => space.largest().max(from),
        };
        if from > to {
            problems.report(location, format!("range {from}-{to} ends before it starts"));
            continue;
        }
        ranges.push(RangeRule {
            from,
            to,
            scope: entry.scope.value,
            label: entry.label.value.clone(),
            codes_of: entry.codes_of.as_ref().map(|target| target.value.clone()),
            behaviour: flag.as_ref().map(|flag| kind.behaviour_from_flag(flag.value)),
            action: entry.action.as_ref().map(|stated| {
                let behaviour =
                    flag.as_ref().map_or(kind.behaviour_from_flag(false), |flag| kind.behaviour_from_flag(flag.value));
                if flag.is_none() {
                    problems.report(
                        at(stated),
                        format!("a range rule with an action must also say `{}`", kind.behaviour_field()),
                    );
                }
                build_action(Some(stated), behaviour, kind, &format!("range {}-{}", from, to), problems)
            }),
            location,
        });
    }
    ranges.sort_by_key(|rule| (rule.from, rule.location));
    let mut kept: Vec<RangeRule> = Vec::with_capacity(ranges.len());
    for rule in ranges {
        if let Some(previous) = kept.last()
            && rule.from <= previous.to
        {
            problems.report(
                rule.location,
                format!(
                    "range {}-{} overlaps range {}-{} defined at {}",
                    rule.from, rule.to, previous.from, previous.to, previous.location
                ),
            );
            continue;
        }
        kept.push(rule);
    }
    kept
}

fn build_retired(entries: &[RetiredEntry], problems: &mut Problems) -> Vec<RetiredCode> {
    let mut retired: Vec<RetiredCode> = Vec::new();
    for entry in entries {
        check_line(problems, &entry.note, "retirement note");
        let Some(number) = checked_number(problems, &entry.code, "retired code") else {
            continue;
        };
        let moved_to = entry.moved_to.as_ref().and_then(|to| checked_number(problems, to, "moved_to"));
        if let Some(first) = retired.iter().find(|other| other.number == number) {
            problems.report(at(&entry.code), format!("code {number} is retired twice, first at {}", first.location));
            continue;
        }
        retired.push(RetiredCode { number, moved_to, note: entry.note.value.clone(), location: at(&entry.code) });
    }
    retired
}

fn build_code(entry: &CodeEntry, family: &FamilyContext<'_>, problems: &mut Problems) -> Option<Code> {
    let FamilyContext { kind, ranges, segments, delivered_in, .. } = *family;
    let location = at(&entry.code);
    let number = checked_number(problems, &entry.code, "code")?;
    let allowed = Family::allowed_numbers_for(kind, delivered_in);
    if !allowed.contains(&number) {
        problems.report(
            location,
            format!(
                "code {number} is outside {}-{}, the numbers a {} family delivered in a close frame may register",
                allowed.start(),
                allowed.end(),
                kind.as_str()
            ),
        );
    }

    let name = &entry.name.value;
    if let Some(problem) = name_problem(name) {
        problems.report(at(&entry.name), problem);
    }

    let what = format!("code {number}");
    let message = build_message(entry, kind, &what, problems);
    check_prose(problems, &entry.description, &format!("description of {what}"));
    if entry.causes.is_empty() {
        problems.report(location, format!("{what} lists no causes; add at least one under `causes:`"));
    }
    for cause in &entry.causes {
        check_line(problems, cause, &format!("a cause of {what}"));
    }
    if let Some(text) = &entry.rationale {
        check_line(problems, text, &format!("rationale of {what}"));
    }
    if let Some(text) = &entry.range_override {
        check_line(problems, text, &format!("range_override of {what}"));
    }
    let origin = entry.origin.as_ref().map_or(Origin::Server, |origin| origin.value);
    if let Some(stated) = &entry.origin
        && origin == Origin::UserAgent
        && kind != FamilyKind::WebsocketClose
    {
        problems.report(
            at(stated),
            format!("`origin: user_agent` applies to close codes, not to {} families", kind.as_str()),
        );
    }
    // A code the protocol never lets travel in a close frame cannot be sent in one by anybody.
    if family.delivered_in.contains(&Delivery::CloseFrame)
        && matches!(origin, Origin::Server | Origin::Client | Origin::Either)
        && (1000..=4999).contains(&number)
    {
        let rule = codebook_protocol::close_code_rule(number);
        if rule.never_on_wire {
            problems.report(
                entry.origin.as_ref().map_or(location, at),
                format!(
                    "code {number} says `origin: {}`, but {number} never travels in a close frame ({}); a WebSocket stack reports it locally: write `origin: user_agent`",
                    origin.as_str(),
                    rule.label
                ),
            );
        }
    }
    for (text, label) in [(&entry.since, "since"), (&entry.deprecated, "deprecated")] {
        if let Some(text) = text {
            check_line(problems, text, &format!("`{label}` of {what}"));
        }
    }
    for change in &entry.changes {
        check_line(problems, &change.version, &format!("a change version of {what}"));
        check_line(problems, &change.note, &format!("a change note of {what}"));
    }

    // Behaviour: explicit flag, else the range rule's, else the fallback's.
    let segment_index = segments.partition_point(|segment| segment.to < number);
    let segment = &segments[segment_index];
    let rule = segment.range_index.map(|index| &ranges[index]);
    let explicit = behaviour_flag(kind, &entry.reconnect, &entry.temporary, &what, problems);
    let behaviour = match &explicit {
        Some(flag) => kind.behaviour_from_flag(flag.value),
        None => segment.behaviour,
    };
    let field = kind.behaviour_field();
    match (rule.and_then(|rule| rule.behaviour.map(|b| (rule, b))), &explicit) {
        (Some((rule, ruled)), Some(flag)) if ruled != behaviour => {
            if entry.range_override.is_none() {
                problems.report(
                    at(flag),
                    format!(
                        "{what} says `{field}: {}` but its range {}-{} (defined at {}) says `{field}: {}`; add `range_override: <why>` if this is intended",
                        flag.value, rule.from, rule.to, rule.location, ruled.flag()
                    ),
                );
            }
        }
        _ => {
            if let Some(text) = &entry.range_override {
                problems.report(
                    at(text),
                    format!("{what} has a range_override but its behaviour agrees with its range rule; remove it"),
                );
            }
        }
    }
    let action = build_action(entry.action.as_ref(), behaviour, kind, &what, problems);
    let own_backoff =
        entry.backoff.as_ref().and_then(|hint| build_backoff(hint, &format!("backoff of {what}"), problems));
    let backoff = if action.tries_again() {
        Some(own_backoff.unwrap_or(family.backoff))
    } else {
        if let (Some(_), Some(hint)) = (own_backoff, &entry.backoff) {
            problems.report(
                at(&hint.min_ms),
                format!("{what} has a backoff but its action `{}` never tries again; remove it", action.as_str()),
            );
        }
        None
    };
    let doc_path = crate::registry::doc_path(family.id, number);
    Some(Code {
        number,
        name: name.clone(),
        message: message?,
        description: entry.description.value.clone(),
        causes: entry.causes.iter().map(|cause| cause.value.clone()).collect(),
        behaviour,
        range_override: entry.range_override.as_ref().map(|text| text.value.clone()),
        rationale: entry.rationale.as_ref().map(|text| text.value.clone()),
        local_only: origin == Origin::UserAgent,
        action,
        backoff,
        origin,
        since: entry.since.as_ref().map(|text| text.value.clone()),
        deprecated: entry.deprecated.as_ref().map(|text| text.value.clone()),
        changes: entry.changes.iter().map(change_of).collect(),
        doc_url: format!("{}{doc_path}", family.doc_base_url.unwrap_or("")),
        http_status: crate::served::build_http_status(entry.http_status.as_ref(), &what, &mut problems.0),
        grpc_status: entry.grpc_status.as_ref().map(|status| status.value),
        sdks: code_sdks(entry, family, &what, problems),
        names: CodeNames::new(family.names, number, name),
        location,
    })
}

fn change_of(entry: &ChangeEntry) -> Change {
    Change { version: entry.version.value.clone(), note: entry.note.value.clone() }
}

/// Why `name` cannot be a code name, if it cannot.
fn name_problem(name: &str) -> Option<String> {
    if !is_upper_camel_identifier(name) {
        let suggestion = heck::ToUpperCamelCase::to_upper_camel_case(name);
        let hint =
            if is_upper_camel_identifier(&suggestion) { format!("; write `{suggestion}`") } else { String::new() };
        return Some(format!(
            "name `{name}` is not an UpperCamelCase identifier (ASCII letters and digits, starting with a capital){hint}"
        ));
    }
    if let Some((form, languages)) = reserved_form(name) {
        return Some(format!("name `{name}` is reserved: `{form}` is a keyword in {}", languages.join(", ")));
    }
    None
}

/// The text that travels with a code: exactly one of a fixed `message` or `message_varies` (what a
/// text built at run time holds), with `known_messages` only beside `message_varies`. Every exact
/// text is held to the rules of a wire message. `None` when the entry says neither or both.
fn build_message(entry: &CodeEntry, kind: FamilyKind, what: &str, problems: &mut Problems) -> Option<WireMessage> {
    for known in &entry.known_messages {
        check_message(problems, known, kind, &format!("a known message of {what}"));
    }
    for (index, known) in entry.known_messages.iter().enumerate() {
        if let Some(first) = entry.known_messages[..index].iter().find(|earlier| earlier.value == known.value) {
            problems.report(
                at(known),
                format!("{what} lists the known message {:?} twice, first at {}", known.value, at(first)),
            );
        }
    }
    match (&entry.message, &entry.message_varies) {
        (Some(message), None) => {
            check_message(problems, message, kind, &format!("message of {what}"));
            if let Some(first) = entry.known_messages.first() {
                problems.report(
                    at(first),
                    format!("{what} has a fixed `message`, so `known_messages` says nothing; remove it, or replace `message` with `message_varies`"),
                );
            }
            Some(WireMessage::Fixed(message.value.clone()))
        }
        (None, Some(varies)) => {
            check_line(problems, varies, &format!("message_varies of {what}"));
            Some(WireMessage::Varies {
                what: varies.value.trim_end_matches('\n').to_string(),
                known: entry.known_messages.iter().map(|known| known.value.clone()).collect(),
            })
        }
        (Some(message), Some(varies)) => {
            problems.report(
                at(varies),
                format!(
                    "{what} has both `message` (at {}) and `message_varies`; keep `message` when the text is always the same, else `message_varies`",
                    at(message)
                ),
            );
            None
        }
        (None, None) => {
            problems.report(
                at(&entry.code),
                format!("{what} has no `message`; give the exact wire text, or `message_varies: <what the text holds>` when the sender builds it at run time"),
            );
            None
        }
    }
}

/// A wire message: one non-empty line, no control characters, no padding, and for close codes no
/// longer than a close frame can carry.
fn check_message(problems: &mut Problems, message: &Spanned<String>, kind: FamilyKind, subject: &str) {
    let text = &message.value;
    let location = at(message);
    if text.trim().is_empty() {
        problems.report(location, format!("{subject} is empty"));
        return;
    }
    if text.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        problems.report(location, format!("{subject} spans several lines; a wire message is one line"));
    } else if let Some(control) = text.chars().find(|c| c.is_control()) {
        problems.report(location, format!("{subject} contains the control character U+{:04X}", control as u32));
    } else if let Some(format) = text.chars().find(|c| crate::text::is_bidi_control(*c)) {
        problems.report(
            location,
            format!(
                "{subject} contains the bidirectional control U+{:04X}, which can make logs and code read differently from what they hold",
                format as u32
            ),
        );
    } else if let Some(format) = text.chars().find(|c| crate::text::is_format_char(*c)) {
        problems.report(
            location,
            format!(
                "{subject} contains the invisible format character U+{:04X}; two messages that differ only by one look identical",
                format as u32
            ),
        );
    } else if text.trim() != text {
        problems.report(location, format!("{subject} starts or ends with whitespace"));
    }
    if kind == FamilyKind::WebsocketClose && text.len() > MAX_CLOSE_REASON_BYTES {
        problems.report(
            location,
            format!(
                "{subject} is {} bytes of UTF-8; a close reason holds at most {MAX_CLOSE_REASON_BYTES}",
                text.len()
            ),
        );
    }
}

/// A one-line, non-empty text such as a title, label or cause.
fn check_line(problems: &mut Problems, text: &Spanned<String>, what: &str) {
    let value = text.value.trim_end_matches('\n');
    if value.trim().is_empty() {
        problems.report(at(text), format!("{what} is empty"));
    } else if value.contains(['\n', '\r']) {
        problems.report(at(text), format!("{what} spans several lines; keep it to one"));
    }
}

/// A non-empty Markdown text such as a description.
fn check_prose(problems: &mut Problems, text: &Spanned<String>, what: &str) {
    if text.value.trim().is_empty() {
        problems.report(at(text), format!("{what} is empty"));
    }
}
