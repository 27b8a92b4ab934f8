//! The conformance vectors, `vectors.json`: what every binding must answer for every registered
//! code, and for unregistered numbers at both sides of every segment boundary.
//!
//! Beside the families it pins what does not depend on the registry but every binding
//! reimplements: the actions, close-code safety at every rule boundary, close-reason truncation,
//! the Mulberry32 generator and seeded backoff delay sequences. Every expected value is computed
//! here by the model's own functions, never written by hand.
//!
//! The Rust, TypeScript and Go test suites each load this file and assert every row, so the three
//! bindings agree with the model (and each other) by test, not by trust.

use codebook_model::{
    Action, BackoffHint, BindingTarget, CLOSE_CODE_RULES, CloseCodeRule, CloseSender, Family, Jitter,
    MAX_CLOSE_REASON_BYTES, Mulberry32, Registry, close_code_rule, safe_close_code, truncate_close_reason,
};
use serde::Serialize;

use crate::backend::{Backend, GeneratedFile, Provenance};

pub struct Vectors;

/// The target each of [`vectors_paths`] belongs to: a copy is written when its target is chosen.
const VECTORS_COPIES: [BindingTarget; 5] =
    [BindingTarget::Vectors, BindingTarget::TypeScript, BindingTarget::Go, BindingTarget::Java, BindingTarget::Python];

/// Where the vectors are written: beside the bindings for any consumer, and inside every package
/// so each package's tests pass with nothing beside it: the TypeScript package, the Go module
/// (`testdata/`, which `go` leaves out of builds but keeps in the module), the Java test resources
/// and the Python tests. Rendered once; `gen` writes the copies as hard links of the first where
/// the file system allows, and `check` compares a linked copy without reading it again.
pub fn vectors_paths(registry: &Registry) -> [String; 5] {
    [
        "vectors.json".to_string(),
        "typescript/test/vectors.json".to_string(),
        format!("{}/testdata/vectors.json", super::go::module_dir(&registry.bindings)),
        "java/src/test/resources/vectors.json".to_string(),
        "python/tests/vectors.json".to_string(),
    ]
}

impl Backend for Vectors {
    fn name(&self) -> &'static str {
        "vectors"
    }

    /// Every package carries a copy: its tests need it when `vectors.json` itself is not a target.
    fn chosen_by(&self, targets: &[BindingTarget]) -> bool {
        VECTORS_COPIES.iter().any(|target| targets.contains(target))
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        // Rendered once; one copy per chosen package as well.
        let text = vectors_json(registry, provenance, Sections::All);
        vectors_paths(registry)
            .into_iter()
            .zip(VECTORS_COPIES)
            .filter(|(_, target)| registry.bindings.targets.contains(target))
            .map(|(path, _)| GeneratedFile::new(path, text.clone()))
            .collect()
    }
}

/// Which parts of the vectors to write.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Sections {
    /// Everything: the file `vectors.json`.
    All,
    /// Only what the registry decides (for snapshots): no actions, close codes or Mulberry32
    /// outputs, and delay sequences only for the registry's own hints.
    #[cfg_attr(not(test), allow(dead_code))]
    RegistryOnly,
}

pub(super) fn vectors_json(registry: &Registry, provenance: &Provenance, sections: Sections) -> String {
    let all = sections == Sections::All;
    let document = Document {
        comment: provenance.notice(),
        source_sha256: &provenance.sha256,
        families: registry.families.iter().map(family_vectors).collect(),
        actions: all.then(|| {
            Action::ALL
                .iter()
                .map(|action| ActionRow {
                    name: action.as_str(),
                    advice: action.advice(),
                    tries_again: action.tries_again(),
                })
                .collect()
        }),
        close_codes: all.then(close_code_vectors),
        mulberry32: all.then(mulberry32_vectors),
        delays: delay_vectors(registry, all),
        hostile_delays: all.then(hostile_delay_vectors),
        sdk_events: sdk_event_vectors(registry),
    };
    let mut text = codebook_model::text::escape_unsafe_in_json(
        &serde_json::to_string_pretty(&document).expect("vectors serialise"),
    );
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$comment")]
    comment: String,
    source_sha256: &'a str,
    families: Vec<FamilyVectors<'a>>,
    /// Every action, in the model's order.
    #[serde(skip_serializing_if = "Option::is_none")]
    actions: Option<Vec<ActionRow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    close_codes: Option<CloseCodeVectors>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mulberry32: Option<Vec<Mulberry32Row>>,
    delays: Vec<DelaySequence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hostile_delays: Option<Vec<HostileDelay>>,
    /// What the SDK event helpers answer for a context's `code` (absent without SDK families).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sdk_events: Vec<SdkEventRow<'a>>,
}

/// One SDK event context's `code` (a `u32`, as the SDKs type it) and `reason`, and the model's
/// answer: `family` is `null` when the number is no code at all (above 65535; never wrapped). The
/// answer never depends on the reason (centrifuge-js reconnects after 4500-4999 when the reason
/// is empty, codebook does not), so every number comes with an empty and a non-empty reason.
#[derive(Serialize)]
struct SdkEventRow<'a> {
    event: &'static str,
    /// The SDKs whose helpers answer this row: the family's `sdks` (each binding asks the rows of
    /// its own SDK, so centrifuge-js's and centrifuge-python's `error` rows stay apart).
    sdks: Vec<&'static str>,
    code: u32,
    reason: &'static str,
    family: Option<&'a str>,
    known: bool,
    name: Option<&'a str>,
    action: Option<&'static str>,
}

/// The reasons every SDK event row is asked with: none, as a server API disconnect may send, and
/// one that is not JSON, as a custom disconnect sends.
const SDK_EVENT_REASONS: [&str; 2] = ["", "custom reason"];

/// For every SDK event family: its registered codes, every segment's ends, the registered codes
/// of the families it hands numbers to, and numbers beyond `u16` (65536 + 3500 must not read as
/// 3500).
fn sdk_event_vectors(registry: &Registry) -> Vec<SdkEventRow<'_>> {
    let mut rows = Vec::new();
    for family in &registry.families {
        let Some(event) = family.sdk_event else { continue };
        let mut numbers: Vec<u32> = family.codes.iter().map(|code| u32::from(code.number)).collect();
        for segment in &family.segments {
            numbers.extend([u32::from(segment.from), u32::from(segment.to)]);
        }
        for rule in &family.ranges {
            if let Some(other) = rule.codes_of.as_deref().and_then(|id| registry.family(id)) {
                numbers.extend(
                    other.codes.iter().filter(|code| rule.contains(code.number)).map(|code| u32::from(code.number)),
                );
            }
        }
        numbers.extend([65_536, 65_536 + 3_500, u32::MAX]);
        numbers.sort_unstable();
        numbers.dedup();
        for (code, reason) in numbers.into_iter().flat_map(|code| SDK_EVENT_REASONS.map(|reason| (code, reason))) {
            let answer = u16::try_from(code).ok().map(|number| registry.classify_in(family, number));
            rows.push(SdkEventRow {
                event: event.as_str(),
                sdks: family.sdks.iter().map(|sdk| sdk.as_str()).collect(),
                code,
                reason,
                family: answer.as_ref().map(|(family, _)| family.id.as_str()),
                known: answer.as_ref().is_some_and(|(_, classified)| classified.code.is_some()),
                name: answer.as_ref().and_then(|(_, classified)| classified.code.map(|code| code.name.as_str())),
                action: answer.as_ref().map(|(_, classified)| classified.action().as_str()),
            });
        }
    }
    rows
}

#[derive(Serialize)]
struct ActionRow {
    name: &'static str,
    advice: &'static str,
    tries_again: bool,
}

/// A backoff hint as every binding spells its fields; `give_up_after_ms` is `null` for never.
#[derive(Serialize)]
struct HintRow {
    min_ms: u32,
    max_ms: u32,
    jitter: &'static str,
    give_up_after_ms: Option<u32>,
}

impl From<&BackoffHint> for HintRow {
    fn from(hint: &BackoffHint) -> Self {
        HintRow {
            min_ms: hint.min_ms,
            max_ms: hint.max_ms,
            jitter: hint.jitter.as_str(),
            give_up_after_ms: hint.give_up_after_ms,
        }
    }
}

#[derive(Serialize)]
struct ChangeRow<'a> {
    version: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct FamilyVectors<'a> {
    id: &'a str,
    type_name: &'a str,
    kind: &'static str,
    /// Where a client meets the codes (`close_frame`, `sdk_event`, ...).
    delivered_in: Vec<&'static str>,
    /// The SDK state event carrying the codes, for SDK families.
    sdk_event: Option<&'static str>,
    /// The family's default hint.
    backoff: HintRow,
    codes: Vec<CodeRow<'a>>,
    /// Every text a from-message lookup resolves and the number it must find (the lowest of the
    /// codes using it); any other text finds nothing.
    message_lookups: Vec<MessageLookupRow<'a>>,
    unregistered: Vec<UnregisteredRow<'a>>,
    /// The family's whole classification table: sorted runs covering 0 to 65535. With the codes,
    /// it fixes the answer for every number, so a binding's test can check all 65,536.
    segments: Vec<SegmentRow<'a>>,
}

/// A text and the registered code a lookup by it finds.
#[derive(Serialize)]
struct MessageLookupRow<'a> {
    message: &'a str,
    code: u16,
}

/// One run of numbers that classify alike when unregistered.
#[derive(Serialize)]
struct SegmentRow<'a> {
    from: u16,
    to: u16,
    scope: &'static str,
    behaviour: &'static str,
    action: &'static str,
    backoff: Option<HintRow>,
    label: &'a str,
}

/// A registered code. `description` is trimmed at the end, as every binding returns it.
#[derive(Serialize)]
struct CodeRow<'a> {
    code: u16,
    name: &'a str,
    /// The exact text, or `None` when the sender builds it at run time.
    message: Option<&'a str>,
    /// What a text built at run time holds.
    message_varies: Option<&'a str>,
    /// Exact texts known for a varying text (empty for a fixed one).
    known_messages: &'a [String],
    description: &'a str,
    causes: &'a [String],
    behaviour: &'static str,
    should_reconnect: bool,
    is_terminal: bool,
    is_temporary: bool,
    local_only: bool,
    go_constant: &'a str,
    action: &'static str,
    /// Set exactly when the action tries again.
    backoff: Option<HintRow>,
    origin: &'static str,
    since: Option<&'a str>,
    deprecated: Option<&'a str>,
    changes: Vec<ChangeRow<'a>>,
    doc_url: &'a str,
    /// The HTTP status of the code as a transport error (only where the registry states one).
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    /// The gRPC status number of the code as a transport error (only where the registry states one).
    #[serde(skip_serializing_if = "Option::is_none")]
    grpc_status: Option<u8>,
}

/// An unregistered number and what its segment says.
#[derive(Serialize)]
struct UnregisteredRow<'a> {
    code: u16,
    behaviour: &'static str,
    should_reconnect: bool,
    is_terminal: bool,
    is_temporary: bool,
    scope: &'static str,
    label: &'a str,
    action: &'static str,
    backoff: Option<HintRow>,
}

fn family_vectors(family: &Family) -> FamilyVectors<'_> {
    let codes = family
        .codes_by_number()
        .into_iter()
        .map(|code| CodeRow {
            code: code.number,
            name: &code.name,
            message: code.message.fixed(),
            message_varies: code.message.varies(),
            known_messages: code.message.known(),
            description: code.description.trim_end(),
            causes: &code.causes,
            behaviour: code.behaviour.as_str(),
            should_reconnect: code.behaviour.should_reconnect(),
            is_terminal: code.behaviour.is_terminal(),
            is_temporary: code.behaviour.is_temporary(),
            local_only: code.local_only,
            go_constant: &code.names.go_constant,
            action: code.action.as_str(),
            backoff: code.backoff.as_ref().map(HintRow::from),
            origin: code.origin.as_str(),
            since: code.since.as_deref(),
            deprecated: code.deprecated.as_deref(),
            changes: code
                .changes
                .iter()
                .map(|change| ChangeRow { version: &change.version, note: &change.note })
                .collect(),
            doc_url: &code.doc_url,
            http_status: code.http_status,
            grpc_status: code.grpc_status.map(|status| status.number()),
        })
        .collect();
    let unregistered = boundary_samples(family)
        .into_iter()
        .map(|number| {
            let classified = family.classify(number);
            UnregisteredRow {
                code: number,
                behaviour: classified.behaviour.as_str(),
                should_reconnect: classified.behaviour.should_reconnect(),
                is_terminal: classified.behaviour.is_terminal(),
                is_temporary: classified.behaviour.is_temporary(),
                scope: classified.segment.scope.as_str(),
                label: &classified.segment.label,
                action: classified.segment.action.as_str(),
                backoff: classified.segment.backoff.as_ref().map(HintRow::from),
            }
        })
        .collect();
    FamilyVectors {
        id: &family.id,
        type_name: &family.names.type_name,
        kind: family.kind.as_str(),
        delivered_in: family.delivered_in.iter().map(|delivery| delivery.as_str()).collect(),
        sdk_event: family.sdk_event.map(|event| event.as_str()),
        backoff: HintRow::from(&family.backoff),
        codes,
        message_lookups: family
            .message_lookups()
            .into_iter()
            .map(|(message, code)| MessageLookupRow { message, code })
            .collect(),
        unregistered,
        segments: family
            .segments
            .iter()
            .map(|segment| SegmentRow {
                from: segment.from,
                to: segment.to,
                scope: segment.scope.as_str(),
                behaviour: segment.behaviour.as_str(),
                action: segment.action.as_str(),
                backoff: segment.backoff.as_ref().map(HintRow::from),
                label: &segment.label,
            })
            .collect(),
    }
}

/// For every segment: `from`, `to`, `from - 1` and `to + 1`, where they exist and are not
/// registered codes; sorted, without repeats.
fn boundary_samples(family: &Family) -> Vec<u16> {
    let mut numbers: Vec<u16> = family
        .segments
        .iter()
        .flat_map(|segment| {
            [Some(segment.from), Some(segment.to), segment.from.checked_sub(1), segment.to.checked_add(1)]
        })
        .flatten()
        .filter(|number| family.code(*number).is_none())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// The close-code rules as the model states them, and what they answer at every rule boundary.
#[derive(Serialize)]
struct CloseCodeVectors {
    max_reason_bytes: usize,
    /// The model's table as is (its field names are the JSON names).
    rules: &'static [CloseCodeRule],
    samples: Vec<CloseCodeSample>,
    truncation: Vec<TruncationRow>,
}

/// One number: its rule's flags and the code each sender passes on after receiving it.
#[derive(Serialize)]
struct CloseCodeSample {
    code: u16,
    label: &'static str,
    endpoint_may_send: bool,
    browser_may_send: bool,
    never_on_wire: bool,
    safe_for_endpoint: u16,
    safe_for_browser: u16,
}

#[derive(Serialize)]
struct TruncationRow {
    reason: String,
    reason_bytes: usize,
    truncated: String,
    truncated_bytes: usize,
}

fn close_code_vectors() -> CloseCodeVectors {
    let rules: &'static [CloseCodeRule] = &CLOSE_CODE_RULES;
    let mut numbers: Vec<u16> = CLOSE_CODE_RULES
        .iter()
        .flat_map(|rule| [Some(rule.from), Some(rule.to), rule.from.checked_sub(1), rule.to.checked_add(1)])
        .flatten()
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let samples = numbers
        .into_iter()
        .map(|code| {
            let rule = close_code_rule(code);
            CloseCodeSample {
                code,
                label: rule.label,
                endpoint_may_send: rule.endpoint_may_send,
                browser_may_send: rule.browser_may_send,
                never_on_wire: rule.never_on_wire,
                safe_for_endpoint: safe_close_code(code, CloseSender::Endpoint),
                safe_for_browser: safe_close_code(code, CloseSender::Browser),
            }
        })
        .collect();
    let truncation = truncation_samples()
        .into_iter()
        .map(|reason| {
            let truncated = truncate_close_reason(&reason).to_string();
            TruncationRow { reason_bytes: reason.len(), truncated_bytes: truncated.len(), reason, truncated }
        })
        .collect();
    CloseCodeVectors { max_reason_bytes: MAX_CLOSE_REASON_BYTES, rules, samples, truncation }
}

/// Reasons at and around the 123-byte limit: ASCII, two-, three- and four-byte characters whose
/// bytes straddle the limit, and a joined emoji sequence cut in its middle.
fn truncation_samples() -> Vec<String> {
    let limit = MAX_CLOSE_REASON_BYTES;
    let ascii = |n: usize| "a".repeat(n);
    vec![
        String::new(),
        "Going Away".to_string(),
        ascii(limit - 1),
        ascii(limit),
        ascii(limit + 1),
        ascii(300),
        "\u{e9}".repeat(61) + "a",
        "\u{e9}".repeat(62),
        ascii(1) + &"\u{e9}".repeat(62),
        ascii(limit - 2) + "\u{20ac}",
        ascii(limit - 1) + "\u{20ac}",
        ascii(limit - 3) + "\u{20ac}",
        ascii(limit - 4) + "\u{1f680}",
        ascii(limit - 3) + "\u{1f680}",
        ascii(limit - 1) + "\u{1f680}" + "tail",
        "\u{1f680}".repeat(40),
        ascii(110) + "\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}",
        "e\u{301}".repeat(50),
    ]
}

#[derive(Serialize)]
struct Mulberry32Row {
    seed: u32,
    outputs: Vec<u32>,
}

/// Seeds around the generator's wrap-around points and the first outputs of each.
fn mulberry32_vectors() -> Vec<Mulberry32Row> {
    [0, 1, 42, 0x6D2B_79F5, 0x9E37_79B9, u32::MAX]
        .into_iter()
        .map(|seed| {
            let mut random = Mulberry32::new(seed);
            Mulberry32Row { seed, outputs: (0..6).map(|_| random.next_u32()).collect() }
        })
        .collect()
}

/// One seeded run of a reconnect loop: each step draws the next Mulberry32 number, asks the hint
/// for a delay and adds it to the elapsed time, until the hint gives up or the steps run out.
#[derive(Serialize)]
struct DelaySequence {
    hint: HintRow,
    seed: u32,
    steps: Vec<DelayStep>,
}

#[derive(Serialize)]
struct DelayStep {
    attempt: u32,
    elapsed_ms: u64,
    random: u32,
    /// `null`: give up.
    delay_ms: Option<u32>,
}

/// Attempts of every sequence: the doubling steps, then around the 32-bit shift limit.
const DELAY_ATTEMPTS: &[u32] = &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 31, 32, 33, 64, u32::MAX];

/// Hints that exercise what the registry may not: no jitter, an early give-up, extreme bounds,
/// and hand-built hints a registry rejects (a zero minimum or maximum, a maximum below the
/// minimum), which every runtime still answers with a delay of at least 1 ms.
const EXTRA_HINTS: &[BackoffHint] = &[
    BackoffHint { min_ms: 500, max_ms: 8_000, jitter: Jitter::None, give_up_after_ms: Some(20_000) },
    BackoffHint { min_ms: 100, max_ms: 1_000, jitter: Jitter::Full, give_up_after_ms: Some(2_500) },
    BackoffHint { min_ms: 1, max_ms: u32::MAX, jitter: Jitter::Full, give_up_after_ms: None },
    BackoffHint { min_ms: 1, max_ms: u32::MAX, jitter: Jitter::None, give_up_after_ms: None },
    BackoffHint { min_ms: 7, max_ms: 7, jitter: Jitter::Full, give_up_after_ms: None },
    BackoffHint { min_ms: 0, max_ms: 0, jitter: Jitter::Full, give_up_after_ms: None },
    BackoffHint { min_ms: 0, max_ms: 1_000, jitter: Jitter::Full, give_up_after_ms: None },
    BackoffHint { min_ms: 0, max_ms: 1_000, jitter: Jitter::None, give_up_after_ms: None },
    BackoffHint { min_ms: 5_000, max_ms: 100, jitter: Jitter::Full, give_up_after_ms: None },
    BackoffHint { min_ms: u32::MAX, max_ms: u32::MAX, jitter: Jitter::Full, give_up_after_ms: None },
    BackoffHint { min_ms: u32::MAX - 1, max_ms: 0, jitter: Jitter::None, give_up_after_ms: Some(u32::MAX) },
];

/// The registry's distinct hints (families first, then codes), then [`EXTRA_HINTS`] if `extra`.
fn delay_vectors(registry: &Registry, extra: bool) -> Vec<DelaySequence> {
    let mut hints: Vec<BackoffHint> = Vec::new();
    let registered = registry
        .families
        .iter()
        .flat_map(|family| std::iter::once(family.backoff).chain(family.codes.iter().filter_map(|code| code.backoff)));
    let extra_hints = if extra { EXTRA_HINTS } else { &[] };
    for hint in registered.chain(extra_hints.iter().copied()) {
        if !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    let mut sequences = Vec::new();
    for (index, hint) in hints.iter().enumerate() {
        for seed in [index as u32, 0xC0DE_B00C ^ index as u32] {
            let mut random = Mulberry32::new(seed);
            let mut elapsed_ms: u64 = 0;
            let mut steps = Vec::new();
            for &attempt in DELAY_ATTEMPTS {
                let drawn = random.next_u32();
                let delay_ms = hint.delay_ms(attempt, elapsed_ms, drawn);
                steps.push(DelayStep { attempt, elapsed_ms, random: drawn, delay_ms });
                match delay_ms {
                    Some(delay) => elapsed_ms += u64::from(delay),
                    None => break,
                }
            }
            sequences.push(DelaySequence { hint: HintRow::from(hint), seed, steps });
        }
    }
    sequences
}

/// Single calls with the numbers a careless or unlucky caller passes: attempt counts at and beyond
/// the 32-bit maximum, elapsed times that are negative (a wall clock stepped backwards: every
/// runtime counts them as 0) or far beyond any give-up time, and random numbers at both ends.
///
/// `attempt` may exceed `u32::MAX` (dynamic languages can pass it; typed runtimes saturate to
/// `u32::MAX`, which has the same window); `elapsed_ms` may be negative, where a runtime's type
/// allows it (Rust's and Go's millisecond arguments are unsigned, so they check 0 instead). All
/// values stay within +-2^53 so every JSON reader holds them exactly.
#[derive(Serialize)]
struct HostileDelay {
    hint: HintRow,
    attempt: u64,
    elapsed_ms: i64,
    random: u32,
    /// `null`: give up. Otherwise at least 1 and at most `max(max_ms, min_ms, 1)`.
    delay_ms: Option<u32>,
}

const HOSTILE_ATTEMPTS: &[u64] = &[0, 31, 32, 33, u32::MAX as u64 - 1, u32::MAX as u64, 1 << 32, 1 << 53];
const HOSTILE_ELAPSED: &[i64] = &[-1, -86_400_000, -86_400_000_000, 0, 1 << 53];

fn hostile_delay_vectors() -> Vec<HostileDelay> {
    let hints = [
        BackoffHint { min_ms: 5_000, max_ms: 60_000, jitter: Jitter::Full, give_up_after_ms: Some(1_800_000) },
        BackoffHint { min_ms: 500, max_ms: 20_000, jitter: Jitter::Full, give_up_after_ms: None },
        // Not `Some(0)`: Go spells "never" as 0, so a zero limit cannot travel to every binding.
        BackoffHint { min_ms: 0, max_ms: 0, jitter: Jitter::Full, give_up_after_ms: Some(1) },
        BackoffHint { min_ms: 0, max_ms: 0, jitter: Jitter::None, give_up_after_ms: None },
        BackoffHint { min_ms: 1, max_ms: u32::MAX, jitter: Jitter::Full, give_up_after_ms: Some(u32::MAX) },
        BackoffHint { min_ms: u32::MAX, max_ms: 1, jitter: Jitter::None, give_up_after_ms: None },
    ];
    let mut calls = Vec::new();
    for hint in &hints {
        for &attempt in HOSTILE_ATTEMPTS {
            for &elapsed_ms in HOSTILE_ELAPSED {
                for random in [0, u32::MAX] {
                    let typed_attempt = u32::try_from(attempt).unwrap_or(u32::MAX);
                    let delay_ms = hint.delay_ms(typed_attempt, u64::try_from(elapsed_ms).unwrap_or(0), random);
                    calls.push(HostileDelay { hint: HintRow::from(hint), attempt, elapsed_ms, random, delay_ms });
                }
            }
        }
    }
    // Just below and at a give-up limit, with the clock stepped back across it.
    let limited = hints[0];
    let limit = i64::from(limited.give_up_after_ms.expect("a limit"));
    for elapsed_ms in [limit - 1, limit, limit + 1, -limit] {
        let delay_ms = limited.delay_ms(3, u64::try_from(elapsed_ms).unwrap_or(0), 1 << 31);
        calls.push(HostileDelay { hint: HintRow::from(&limited), attempt: 3, elapsed_ms, random: 1 << 31, delay_ms });
    }
    calls
}
