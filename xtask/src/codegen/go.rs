//! The Go backend: a stdlib-only module under `go/`, package `codes`, one file per family.
//!
//! Per family a named `uint16` type whose constants are the registered codes; any other number
//! converts to the same type and is still classified from the family's precomputed segments.
//! Exported helpers use a verb prefix (`ClassifyT`, `ParseT`, `AllT`) or the reserved `Error`
//! suffix, so they can never collide with a constant `T<CodeName>`.
//!
//! Every registry string reaches the output through [`string_literal`] (ASCII-only) and every
//! comment through [`line_comment`]. The output is already `gofmt`-clean: tabs, aligned nothing.

use std::fmt::Write as _;

use codebook_model::{
    Action, BackoffHint, Behaviour, CLOSE_CODE_RULES, CloseSender, Family, FamilyKind, Jitter, MAX_CLOSE_REASON_BYTES, Mulberry32,
    Origin, Registry, Scope, safe_close_code,
};

use super::{Backend, GeneratedFile, Provenance, comment_text};

pub struct Go;

/// The module path the package is imported by.
pub const MODULE_PATH: &str = "github.com/codebook/codebook/bindings/go";

impl Backend for Go {
    fn name(&self) -> &'static str {
        "go"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = format!("// Code {}. DO NOT EDIT.\n// {}\n\n", provenance.notice(), provenance.hash_line());
        let mut files = vec![
            GeneratedFile::new("go/go.mod", format!("{}module {MODULE_PATH}\n\ngo 1.22\n", provenance.line_comments("//"))),
            GeneratedFile::new("go/codes.go", runtime(&header)),
            GeneratedFile::new("go/vectors_test.go", vectors_test(registry, &header)),
            GeneratedFile::new("go/handling_test.go", format!("{header}{HANDLING_TEST}")),
            GeneratedFile::new("go/example_test.go", examples(registry, &header)),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(format!("go/{}.go", family.names.module), family_file(family, &header)));
        }
        files
    }
}

/// A double-quoted Go string literal holding exactly `text`; non-ASCII becomes `\u`/`\U` escapes
/// so no bidirectional or invisible character reaches the source.
fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// `//` comment lines (a blank comment line for an empty line), indented by `indent`.
fn line_comment(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in comment_text(text).trim_end().lines() {
        let line = line.trim();
        if line.is_empty() {
            let _ = writeln!(out, "{indent}//");
        } else {
            let _ = writeln!(out, "{indent}// {line}");
        }
    }
    out
}

fn behaviour_constant(behaviour: Behaviour) -> &'static str {
    match behaviour {
        Behaviour::Reconnect => "BehaviourReconnect",
        Behaviour::Terminal => "BehaviourTerminal",
        Behaviour::Temporary => "BehaviourTemporary",
        Behaviour::Permanent => "BehaviourPermanent",
    }
}

/// `ActionRefreshTokenThenReconnect` for `refresh_token_then_reconnect`.
fn action_constant(action: Action) -> String {
    let words: String = action
        .as_str()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| first.to_ascii_uppercase().to_string() + chars.as_str())
        })
        .collect();
    format!("Action{words}")
}

fn origin_constant(origin: Origin) -> &'static str {
    match origin {
        Origin::Server => "OriginServer",
        Origin::ClientLibrary => "OriginClientLibrary",
        Origin::UserAgent => "OriginUserAgent",
        Origin::ServerInternal => "OriginServerInternal",
    }
}

fn jitter_constant(jitter: Jitter) -> &'static str {
    match jitter {
        Jitter::Full => "JitterFull",
        Jitter::None => "JitterNone",
    }
}

/// A `BackoffHint` composite literal; the family's own hint is the package variable
/// `<family>Backoff` and is referred to by name.
fn hint_expression(hint: Option<&BackoffHint>, family_hint: &BackoffHint, family_var: &str) -> String {
    match hint {
        None => "BackoffHint{}".to_string(),
        Some(hint) if hint == family_hint => family_var.to_string(),
        Some(hint) => hint_literal(hint),
    }
}

fn hint_literal(hint: &BackoffHint) -> String {
    format!(
        "BackoffHint{{MinMs: {}, MaxMs: {}, Jitter: {}, GiveUpAfterMs: {}}}",
        hint.min_ms,
        hint.max_ms,
        jitter_constant(hint.jitter),
        hint.give_up_after_ms.unwrap_or(0)
    )
}

fn scope_constant(scope: Scope) -> &'static str {
    match scope {
        Scope::Protocol => "ScopeProtocol",
        Scope::Registered => "ScopeRegistered",
        Scope::Private => "ScopePrivate",
        Scope::Server => "ScopeServer",
        Scope::Application => "ScopeApplication",
        Scope::Client => "ScopeClient",
        Scope::Unassigned => "ScopeUnassigned",
    }
}

fn family_file(family: &Family, header: &str) -> String {
    let t = &family.names.type_name;
    let p = &family.names.lower_camel;
    let codes = family.codes_by_number();
    let mut out = format!("{header}package codes\n\n");

    out.push_str(&line_comment(
        &format!(
            "{t} is a code of family {}: {}.\n\n{}\n\nAny uint16 converts to {t}: IsKnown tells a registered code from a number this \
             build does not know, and Behaviour classifies both by the family's range rules.",
            family.id,
            family.title,
            family.description.trim_end()
        ),
        "",
    ));
    let _ = writeln!(out, "type {t} uint16\n");
    // One declaration per constant: a const block would need gofmt's column alignment.
    for code in &codes {
        // A "Deprecated:" paragraph is what go vet's and gopls's deprecation checks look for.
        let deprecated = code.deprecated.as_deref().map_or_else(String::new, |text| format!("\n\nDeprecated: {text}"));
        out.push_str(&line_comment(
            &format!(
                "{} is {} {}: {}\n\nWhat to do: {}. {}{deprecated}",
                code.names.go_constant,
                code.number,
                string_literal(&code.message),
                code.description.trim_end(),
                code.action.as_str(),
                code.action.advice()
            ),
            "",
        ));
        let _ = writeln!(out, "const {} {t} = {}\n", code.names.go_constant, code.number);
    }

    let family_var = format!("{p}Backoff");
    let _ = writeln!(out, "// {family_var} is the hint of the family's codes and ranges that try again, unless a code states its own.");
    let _ = writeln!(out, "var {family_var} = {}\n", hint_literal(&family.backoff));

    let _ = writeln!(out, "var {p}Entries = entriesByCode[{t}]([]entry{{");
    for code in &codes {
        let causes: Vec<String> = code.causes.iter().map(|cause| string_literal(cause)).collect();
        let changes: Vec<String> = code
            .changes
            .iter()
            .map(|change| format!("{{Version: {}, Note: {}}}", string_literal(&change.version), string_literal(&change.note)))
            .collect();
        let changes = if changes.is_empty() { "nil".to_string() } else { format!("[]Change{{{}}}", changes.join(", ")) };
        let _ = writeln!(
            out,
            "\t{{code: {}, name: {}, message: {}, description: {}, causes: []string{{{}}}, behaviour: {}, localOnly: {}, action: {}, backoff: {}, origin: {}, since: {}, deprecated: {}, changes: {changes}, docURL: {}}},",
            code.number,
            string_literal(&code.names.variant),
            string_literal(&code.message),
            string_literal(code.description.trim_end()),
            causes.join(", "),
            behaviour_constant(code.behaviour),
            code.local_only,
            action_constant(code.action),
            hint_expression(code.backoff.as_ref(), &family.backoff, &family_var),
            origin_constant(code.origin),
            string_literal(code.since.as_deref().unwrap_or("")),
            string_literal(code.deprecated.as_deref().unwrap_or("")),
            string_literal(&code.doc_url),
        );
    }
    out.push_str("})\n\n");

    let _ = writeln!(out, "var {p}All = []{t}{{");
    for code in &codes {
        let _ = writeln!(out, "\t{},", code.names.go_constant);
    }
    out.push_str("}\n\n");

    let _ = writeln!(out, "var {p}Segments = []Segment{{");
    for segment in &family.segments {
        let _ = writeln!(
            out,
            "\t{{From: {}, To: {}, Scope: {}, Behaviour: {}, Action: {}, Backoff: {}, Label: {}}},",
            segment.from,
            segment.to,
            scope_constant(segment.scope),
            behaviour_constant(segment.behaviour),
            action_constant(segment.action),
            hint_expression(segment.backoff.as_ref(), &family.backoff, &family_var),
            string_literal(&segment.label)
        );
    }
    out.push_str("}\n\n");

    let first = codes.first().expect("the model rejects a family without codes");
    let _ = write!(
        out,
        r#"var {p}ByName = indexByName({p}All, func(c {t}) string {{ return {p}Entries[c].name }})

var {p}ByMessage = indexByName({p}All, func(c {t}) string {{ return {p}Entries[c].message }})

// All{t} returns every registered code of family {id}, sorted by number.
func All{t}() []{t} {{
	return append([]{t}(nil), {p}All...)
}}

// SegmentsOf{t} returns how unregistered numbers of family {id} classify: sorted segments
// covering 0 to 65535.
func SegmentsOf{t}() []Segment {{
	return append([]Segment(nil), {p}Segments...)
}}

// Parse{t} returns the registered code with this name (as in codes.yaml), e.g. "{first_name}".
func Parse{t}(name string) ({t}, bool) {{
	c, ok := {p}ByName[name]
	return c, ok
}}

// Lookup{t}Message returns the registered code sent with this exact wire message (the lowest
// number if several share it).
func Lookup{t}Message(message string) ({t}, bool) {{
	c, ok := {p}ByMessage[message]
	return c, ok
}}

// Classify{t} classifies any number: a registered code by its own behaviour, anything else by
// the family's range rules, so a code from a newer server is still handled.
func Classify{t}(code uint16) Classification[{t}] {{
	c := {t}(code)
	segment := segmentOf({p}Segments, code)
	classified := Classification[{t}]{{Code: c, Segment: segment, Behaviour: segment.Behaviour, Action: segment.Action, Backoff: segment.Backoff}}
	if e, known := {p}Entries[c]; known {{
		classified.Known = true
		classified.Behaviour, classified.Action, classified.Backoff = e.behaviour, e.action, e.backoff
	}}
	return classified
}}

// IsKnown reports whether c is a registered code of family {id}.
func (c {t}) IsKnown() bool {{
	_, ok := {p}Entries[c]
	return ok
}}

// String returns the code's name, e.g. "{first_name}", or "{t}(<number>)" for an unregistered number.
func (c {t}) String() string {{
	if e, ok := {p}Entries[c]; ok {{
		return e.name
	}}
	return "{t}(" + strconv.Itoa(int(c)) + ")"
}}

// Message returns the exact message or close reason sent on the wire, or "" for an
// unregistered number.
func (c {t}) Message() string {{
	return {p}Entries[c].message
}}

// Description returns what the code means, as Markdown, or "" for an unregistered number.
func (c {t}) Description() string {{
	return {p}Entries[c].description
}}

// Causes returns the typical causes of the code, one line each, or nil for an unregistered number.
func (c {t}) Causes() []string {{
	causes := {p}Entries[c].causes
	if causes == nil {{
		return nil
	}}
	return append([]string(nil), causes...)
}}

// Behaviour returns what a client should do with c, registered or not.
func (c {t}) Behaviour() Behaviour {{
	return Classify{t}(uint16(c)).Behaviour
}}

// Action returns what a client should do next after c, registered or not (for an unregistered
// number, what its range implies).
func (c {t}) Action() Action {{
	return Classify{t}(uint16(c)).Action
}}

// Backoff returns how long to wait before trying again after c, registered or not; ok is false
// when the action never tries again.
func (c {t}) Backoff() (hint BackoffHint, ok bool) {{
	classified := Classify{t}(uint16(c))
	return classified.Backoff, classified.Action.TriesAgain()
}}

// Origin returns who emits c, or 0 (whose String is "unknown") for an unregistered number.
func (c {t}) Origin() Origin {{
	return {p}Entries[c].origin
}}

// Since returns the version that introduced c, or "" if the registry does not say.
func (c {t}) Since() string {{
	return {p}Entries[c].since
}}

// Deprecated returns what to use instead of c, or "" when c is not deprecated.
func (c {t}) Deprecated() string {{
	return {p}Entries[c].deprecated
}}

// Changes returns the history of c, oldest first, or nil.
func (c {t}) Changes() []Change {{
	changes := {p}Entries[c].changes
	if changes == nil {{
		return nil
	}}
	return append([]Change(nil), changes...)
}}

// DocURL returns the portal's stable URL of c (usable as an RFC 9457 problem type), or "" for an
// unregistered number.
func (c {t}) DocURL() string {{
	return {p}Entries[c].docURL
}}

// Segment returns the range segment c falls in (for a registered code, what its range says).
func (c {t}) Segment() Segment {{
	return segmentOf({p}Segments, uint16(c))
}}

// Err returns c as an error value: a {t}Error.
func (c {t}) Err() error {{
	return {t}Error{{Code: c}}
}}

// {t}Error is an error carrying a code of family {id}. errors.Is matches it against a
// {t}Error (or *{t}Error) with the same code.
type {t}Error struct {{
	// Code is the code the error carries (registered or not).
	Code {t}
}}

// Error returns the family id, the number and the wire message, e.g. "{id} {first_number}: ...".
func (e {t}Error) Error() string {{
	text := "{id} " + strconv.Itoa(int(e.Code))
	if message := e.Code.Message(); message != "" {{
		return text + ": " + message
	}}
	return text + ": unregistered code"
}}

// Is reports whether target is a {t}Error with the same code.
func (e {t}Error) Is(target error) bool {{
	switch t := target.(type) {{
	case {t}Error:
		return t.Code == e.Code
	case *{t}Error:
		return t != nil && t.Code == e.Code
	}}
	return false
}}
"#,
        id = family.id,
        first_name = first.names.variant,
        first_number = first.number,
    );
    match family.kind {
        FamilyKind::WebsocketClose => {
            let _ = write!(
                out,
                r#"
// ShouldReconnect reports whether a client should reconnect (with backoff) after c, registered or not.
func (c {t}) ShouldReconnect() bool {{
	return c.Behaviour() == BehaviourReconnect
}}

// IsTerminal reports whether a client must not reconnect on its own after c, registered or not.
func (c {t}) IsTerminal() bool {{
	return c.Behaviour() == BehaviourTerminal
}}

// IsLocalOnly reports whether c is only reported locally by an endpoint and never sent in a
// close frame (RFC 6455, section 7.4.1).
func (c {t}) IsLocalOnly() bool {{
	return {p}Entries[c].localOnly
}}
"#
            );
        }
        FamilyKind::Error => {
            let _ = write!(
                out,
                r#"
// IsTemporary reports whether retrying later may succeed after c, registered or not.
func (c {t}) IsTemporary() bool {{
	return c.Behaviour() == BehaviourTemporary
}}
"#
            );
        }
    }
    // strconv is used by String and Error; the import goes after the package clause.
    out.replacen("package codes\n\n", "package codes\n\nimport \"strconv\"\n\n", 1)
}

/// `codes.go`: the types and functions every family file shares. The same for every registry; the
/// actions and the close-code table are written from the model's constants.
fn runtime(header: &str) -> String {
    let mut out = format!("{header}{RUNTIME_HEAD}");
    out.push_str("\n// Action is what a client should do next, beyond \"reconnect or not\": the closed set every\n// binding shares.\ntype Action uint8\n\nconst (\n");
    for (index, action) in Action::ALL.iter().enumerate() {
        out.push_str(&line_comment(&format!("{} means: {}", action_constant(*action), action.advice()), "\t"));
        if index == 0 {
            let _ = writeln!(out, "\t{} Action = iota + 1", action_constant(*action));
        } else {
            let _ = writeln!(out, "\t{}", action_constant(*action));
        }
    }
    // Unkeyed elements in constant order (index 0 is no action), so gofmt has nothing to align.
    out.push_str(")\n\n// actionFacts holds each action's spelling, advice and whether it tries again, by value.\nvar actionFacts = [...]struct {\n\tname       string\n\tadvice     string\n\ttriesAgain bool\n}{\n\t{},\n");
    for action in Action::ALL {
        let _ = writeln!(
            out,
            "\t{{name: \"{}\", advice: {}, triesAgain: {}}},",
            action.as_str(),
            string_literal(action.advice()),
            action.tries_again()
        );
    }
    out.push_str("}\n");
    out.push_str(RUNTIME_BODY);
    let _ = writeln!(
        out,
        "\n// MaxCloseReasonBytes is the longest close reason a close frame carries, in UTF-8 bytes (RFC 6455,\n// section 5.5).\nconst MaxCloseReasonBytes = {MAX_CLOSE_REASON_BYTES}\n"
    );
    out.push_str("// closeCodeRules says what every close code may be used for: sorted runs covering 0 to 65535\n// (RFC 6455 section 7.4, WHATWG WebSocket).\nvar closeCodeRules = []CloseCodeRule{\n");
    for rule in &CLOSE_CODE_RULES {
        let _ = writeln!(
            out,
            "\t{{From: {}, To: {}, Label: {}, EndpointMaySend: {}, BrowserMaySend: {}, NeverOnWire: {}, EndpointForwards: {}, BrowserForwards: {}}},",
            rule.from,
            rule.to,
            string_literal(rule.label),
            rule.endpoint_may_send,
            rule.browser_may_send,
            rule.never_on_wire,
            rule.endpoint_forwards,
            rule.browser_forwards
        );
    }
    out.push_str("}\n");
    out.push_str(RUNTIME_CLOSE_CODES);
    out
}

const RUNTIME_HEAD: &str = r#"// Package codes holds the typed error and disconnect codes of codes.yaml: per family a named
// uint16 type with a constant per registered code, lookups by name and message, and
// classification of any number (registered or not) by the family's range rules, with the action
// a client should take and its backoff hint. It also holds what every WebSocket client needs
// beside the codes: the backoff delay, close-code safety and close-reason truncation.
package codes

import (
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)
"#;

const RUNTIME_BODY: &str = r#"
// String returns the action as spelled in codes.yaml, e.g. "reconnect_after_backoff".
func (a Action) String() string {
	if int(a) >= len(actionFacts) || a == 0 {
		return "unknown"
	}
	return actionFacts[a].name
}

// Advice returns the action in plain words, for a user interface or a log line.
func (a Action) Advice() string {
	if int(a) >= len(actionFacts) {
		return ""
	}
	return actionFacts[a].advice
}

// TriesAgain reports whether a client with this action tries again (and so waits for a backoff
// delay).
func (a Action) TriesAgain() bool {
	return int(a) < len(actionFacts) && actionFacts[a].triesAgain
}

// Origin says who emits a code.
type Origin uint8

const (
	// OriginServer means the server sends the code.
	OriginServer Origin = iota + 1
	// OriginClientLibrary means a client library produces the code itself.
	OriginClientLibrary
	// OriginUserAgent means the browser or WebSocket stack reports the code locally; it is never
	// sent in a close frame (RFC 6455, section 7.4.1).
	OriginUserAgent
	// OriginServerInternal means the server only records the code (logs, metrics, handlers); it is
	// never sent to a client.
	OriginServerInternal
)

// String returns "server", "client_library", "user_agent" or "server_internal".
func (o Origin) String() string {
	switch o {
	case OriginServer:
		return "server"
	case OriginClientLibrary:
		return "client_library"
	case OriginUserAgent:
		return "user_agent"
	case OriginServerInternal:
		return "server_internal"
	}
	return "unknown"
}

// Jitter says how a backoff delay is spread.
type Jitter uint8

const (
	// JitterFull means a uniformly random delay between the minimum and the doubling ceiling.
	JitterFull Jitter = iota + 1
	// JitterNone means exactly the doubling ceiling.
	JitterNone
)

// String returns "full" or "none".
func (j Jitter) String() string {
	switch j {
	case JitterFull:
		return "full"
	case JitterNone:
		return "none"
	}
	return "unknown"
}

// BackoffHint says how long to wait before trying again, and when to give up. The zero value
// means "no hint": the action does not try again.
type BackoffHint struct {
	// MinMs is the delay of the first attempt; never zero in a registry.
	MinMs uint32
	// MaxMs is the largest delay.
	MaxMs uint32
	// Jitter says how the delay is spread between MinMs and the ceiling.
	Jitter Jitter
	// GiveUpAfterMs gives up once this much time has passed since the first failure; 0 means never
	// (a registry never states 0).
	GiveUpAfterMs uint32
}

// DelayMs returns the delay in milliseconds before attempt (0 for the first retry), given the
// milliseconds since the first failure and one random 32-bit number (math/rand/v2's Uint32, or a
// Mulberry32 in tests); ok is false when it is time to give up.
//
// The ceiling doubles from MinMs each attempt up to MaxMs; with full jitter the delay is uniform
// from MinMs to the ceiling. The arithmetic is the same in every binding, so a seeded source
// gives the same delays in Rust, TypeScript and Go.
func (h BackoffHint) DelayMs(attempt uint32, elapsedMs uint64, random uint32) (delayMs uint32, ok bool) {
	if h.GiveUpAfterMs != 0 && elapsedMs >= uint64(h.GiveUpAfterMs) {
		return 0, false
	}
	ceiling := uint64(h.MinMs) << min(attempt, 32)
	ceiling = min(ceiling, uint64(h.MaxMs))
	if h.Jitter == JitterNone {
		return uint32(ceiling), true
	}
	span := float64(uint32(ceiling)-h.MinMs) + 1
	// The explicit conversions keep the compiler from fusing operations: every binding rounds
	// each step the same way.
	offset := math.Floor(float64(float64(random)/4294967296) * span)
	return h.MinMs + uint32(offset), true
}

// Delay is DelayMs with time.Duration values; a negative elapsed time counts as zero.
func (h BackoffHint) Delay(attempt uint32, elapsed time.Duration, random uint32) (time.Duration, bool) {
	elapsedMs := uint64(0)
	if elapsed > 0 {
		elapsedMs = uint64(elapsed / time.Millisecond)
	}
	delayMs, ok := h.DelayMs(attempt, elapsedMs, random)
	return time.Duration(delayMs) * time.Millisecond, ok
}

// Mulberry32 is a tiny seeded 32-bit generator: the random source of the shared test vectors.
// It is not safe for concurrent use and not for anything needing unpredictability.
type Mulberry32 struct {
	state uint32
}

// NewMulberry32 returns a generator seeded with seed.
func NewMulberry32(seed uint32) *Mulberry32 {
	return &Mulberry32{state: seed}
}

// Uint32 returns the next 32-bit number.
func (m *Mulberry32) Uint32() uint32 {
	m.state += 0x6D2B79F5
	t := m.state
	t = (t ^ t>>15) * (t | 1)
	t ^= t + (t^t>>7)*(t|61)
	return t ^ t>>14
}

// Change is one entry of a code's history.
type Change struct {
	// Version is the version the change came with.
	Version string
	// Note says what changed.
	Note string
}

// Behaviour is what a client should do with a code.
type Behaviour uint8

const (
	// BehaviourReconnect means: reconnect, with backoff (disconnect codes).
	BehaviourReconnect Behaviour = iota + 1
	// BehaviourTerminal means: do not reconnect automatically (disconnect codes).
	BehaviourTerminal
	// BehaviourTemporary means: the command may succeed if retried later (error codes).
	BehaviourTemporary
	// BehaviourPermanent means: retrying the same command fails the same way (error codes).
	BehaviourPermanent
)

// String returns "reconnect", "terminal", "temporary" or "permanent".
func (b Behaviour) String() string {
	switch b {
	case BehaviourReconnect:
		return "reconnect"
	case BehaviourTerminal:
		return "terminal"
	case BehaviourTemporary:
		return "temporary"
	case BehaviourPermanent:
		return "permanent"
	}
	return "unknown"
}

// Scope says who a range of numbers belongs to.
type Scope uint8

const (
	// ScopeProtocol is defined by the WebSocket protocol (RFC 6455) and the IANA registry.
	ScopeProtocol Scope = iota + 1
	// ScopeRegistered is registered with IANA by libraries and frameworks.
	ScopeRegistered
	// ScopePrivate is private use of the platform that owns the family.
	ScopePrivate
	// ScopeServer is reserved for the server's built-in codes.
	ScopeServer
	// ScopeApplication is custom codes chosen by the application built on the platform.
	ScopeApplication
	// ScopeClient is produced by client libraries themselves.
	ScopeClient
	// ScopeUnassigned is covered by no range rule; the family's fallback applies.
	ScopeUnassigned
)

// String returns the scope as spelled in codes.yaml, e.g. "protocol".
func (s Scope) String() string {
	switch s {
	case ScopeProtocol:
		return "protocol"
	case ScopeRegistered:
		return "registered"
	case ScopePrivate:
		return "private"
	case ScopeServer:
		return "server"
	case ScopeApplication:
		return "application"
	case ScopeClient:
		return "client"
	case ScopeUnassigned:
		return "unassigned"
	}
	return "unknown"
}

// Segment is a run of numbers that classify the same way when they are not registered. A
// family's segments are sorted and cover 0 to 65535 exactly once.
type Segment struct {
	// From is the first number of the segment.
	From uint16
	// To is the last number of the segment (inclusive).
	To uint16
	// Scope says who the numbers belong to.
	Scope Scope
	// Behaviour is what to do with an unregistered number of the segment.
	Behaviour Behaviour
	// Action is what a client should do next with an unregistered number of the segment.
	Action Action
	// Backoff is the hint when Action tries again, else the zero value.
	Backoff BackoffHint
	// Label is the range rule's label, or the fallback's.
	Label string
}

// Classification is what any number means in a family: the number as the family's type (which
// round-trips unregistered numbers too), whether it is registered, its segment, and the behaviour,
// action and backoff hint to act on.
type Classification[C ~uint16] struct {
	// Code is the classified number.
	Code C
	// Known reports whether Code is a registered code.
	Known bool
	// Segment is the range segment Code falls in.
	Segment Segment
	// Behaviour is the registered code's behaviour, or the segment's for an unregistered number.
	Behaviour Behaviour
	// Action is the registered code's action, or the segment's for an unregistered number.
	Action Action
	// Backoff is the hint when Action tries again (Action.TriesAgain()), else the zero value.
	Backoff BackoffHint
}

// entry is everything the registry says about one registered code.
type entry struct {
	code        uint16
	name        string
	message     string
	description string
	causes      []string
	behaviour   Behaviour
	localOnly   bool
	action      Action
	backoff     BackoffHint
	origin      Origin
	since       string
	deprecated  string
	changes     []Change
	docURL      string
}

// segmentOf finds the segment holding code; segments are sorted and total.
func segmentOf(segments []Segment, code uint16) Segment {
	return segments[runOf(len(segments), func(i int) uint16 { return segments[i].From }, code)]
}

// runOf returns the index of the last of n sorted runs whose first number is at most code.
func runOf(n int, from func(int) uint16, code uint16) int {
	low, high := 0, n
	for high-low > 1 {
		middle := (low + high) / 2
		if from(middle) <= code {
			low = middle
		} else {
			high = middle
		}
	}
	return low
}

// entriesByCode indexes a family's entries by code.
func entriesByCode[C ~uint16](entries []entry) map[C]entry {
	index := make(map[C]entry, len(entries))
	for _, e := range entries {
		index[C(e.code)] = e
	}
	return index
}

// indexByName maps each key to the first (lowest) code that has it.
func indexByName[C comparable](all []C, key func(C) string) map[string]C {
	index := make(map[string]C, len(all))
	for _, c := range all {
		if _, seen := index[key(c)]; !seen {
			index[key(c)] = c
		}
	}
	return index
}

// CloseCodeRule says what a run of close codes may be used for.
type CloseCodeRule struct {
	// From is the first code of the run.
	From uint16
	// To is the last code of the run (inclusive).
	To uint16
	// Label says what the codes are.
	Label string
	// EndpointMaySend reports whether a server or other endpoint may send the code in a close frame.
	EndpointMaySend bool
	// BrowserMaySend reports whether a browser's WebSocket.close(code) accepts it.
	BrowserMaySend bool
	// NeverOnWire reports whether the code must never appear in a close frame.
	NeverOnWire bool
	// EndpointForwards is what an endpoint sends instead when it may not send the code itself.
	EndpointForwards uint16
	// BrowserForwards is what a browser passes to close() instead when it may not send the code.
	BrowserForwards uint16
}

// CloseSender says who passes a close code on.
type CloseSender uint8

const (
	// CloseSenderEndpoint is a server or proxy writing a close frame.
	CloseSenderEndpoint CloseSender = iota + 1
	// CloseSenderBrowser is browser code calling WebSocket.close(code).
	CloseSenderBrowser
)
"#;

const RUNTIME_CLOSE_CODES: &str = r#"
// CloseCodeRules returns the close-code rules: sorted runs covering 0 to 65535.
func CloseCodeRules() []CloseCodeRule {
	return append([]CloseCodeRule(nil), closeCodeRules...)
}

// LookupCloseCodeRule returns the rule covering code.
func LookupCloseCodeRule(code uint16) CloseCodeRule {
	return closeCodeRules[runOf(len(closeCodeRules), func(i int) uint16 { return closeCodeRules[i].From }, code)]
}

// SafeCloseCode returns the code to pass on after receiving code: itself when sender may send it,
// otherwise a safe replacement (a proxy copying 1006 into a close frame breaks the protocol).
func SafeCloseCode(code uint16, sender CloseSender) uint16 {
	rule := LookupCloseCodeRule(code)
	if sender == CloseSenderBrowser {
		if rule.BrowserMaySend {
			return code
		}
		return rule.BrowserForwards
	}
	if rule.EndpointMaySend {
		return code
	}
	return rule.EndpointForwards
}

// TruncateCloseReason returns the longest prefix of reason that fits a close frame
// (MaxCloseReasonBytes bytes), cut on a UTF-8 character boundary.
func TruncateCloseReason(reason string) string {
	if len(reason) <= MaxCloseReasonBytes {
		return reason
	}
	// A UTF-8 character is at most 4 bytes, so at most 3 bytes are dropped, even from bytes that
	// are not UTF-8 at all.
	end := MaxCloseReasonBytes
	for end > MaxCloseReasonBytes-utf8.UTFMax+1 && !utf8.RuneStart(reason[end]) {
		end--
	}
	return reason[:end]
}

// CloseCodeOf finds the WebSocket close code an error carries, searching err and everything it
// wraps (errors.Unwrap, and Unwrap() []error as built by errors.Join) in the order errors.As does.
//
// It recognises, without depending on any WebSocket package:
//   - an error with a method CloseCode() int;
//   - a struct, or a pointer to one, whose type name ends in "CloseError" and that has an integer
//     field Code, such as gorilla/websocket's *websocket.CloseError and coder/websocket's
//     websocket.CloseError.
//
// ok is false when no such error is found or its code is not a number from 0 to 65535.
func CloseCodeOf(err error) (code uint16, ok bool) {
	if err == nil {
		return 0, false
	}
	if code, ok := closeCodeIn(err); ok {
		return code, true
	}
	switch wrapper := err.(type) {
	case interface{ Unwrap() error }:
		return CloseCodeOf(wrapper.Unwrap())
	case interface{ Unwrap() []error }:
		for _, inner := range wrapper.Unwrap() {
			if code, ok := CloseCodeOf(inner); ok {
				return code, true
			}
		}
	}
	return 0, false
}

// closeCodeIn reads the close code of err itself, not of what it wraps.
func closeCodeIn(err error) (uint16, bool) {
	if coder, ok := err.(interface{ CloseCode() int }); ok {
		if code := coder.CloseCode(); code >= 0 && code <= math.MaxUint16 {
			return uint16(code), true
		}
		return 0, false
	}
	value := reflect.ValueOf(err)
	if value.Kind() == reflect.Pointer {
		if value.IsNil() {
			return 0, false
		}
		value = value.Elem()
	}
	if value.Kind() != reflect.Struct || !strings.HasSuffix(value.Type().Name(), "CloseError") {
		return 0, false
	}
	field := value.FieldByName("Code")
	switch field.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if code := field.Int(); code >= 0 && code <= math.MaxUint16 {
			return uint16(code), true
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if code := field.Uint(); code <= math.MaxUint16 {
			return uint16(code), true
		}
	}
	return 0, false
}

// ClassifyCloseError classifies the close code an error carries (see CloseCodeOf) with a family's
// classifier, e.g. ClassifyCloseError(err, ClassifyStreamingSession); ok is false when err
// carries no close code.
func ClassifyCloseError[C ~uint16](err error, classify func(uint16) Classification[C]) (classified Classification[C], ok bool) {
	code, ok := CloseCodeOf(err)
	if !ok {
		return classified, false
	}
	return classify(code), true
}
"#;

fn vectors_test(registry: &Registry, header: &str) -> String {
    let mut adapters = String::new();
    for family in &registry.families {
        let t = &family.names.type_name;
        let kind_check = match family.kind {
            FamilyKind::WebsocketClose => format!(
                "\t\tif c.ShouldReconnect() != (c.Behaviour() == BehaviourReconnect) || c.IsTerminal() != (c.Behaviour() == BehaviourTerminal) {{\n\t\t\tt.Errorf(\"{t}(%d): ShouldReconnect/IsTerminal disagree with Behaviour\", n)\n\t\t}}\n"
            ),
            FamilyKind::Error => format!(
                "\t\tif c.IsTemporary() != (c.Behaviour() == BehaviourTemporary) {{\n\t\t\tt.Errorf(\"{t}(%d): IsTemporary disagrees with Behaviour\", n)\n\t\t}}\n"
            ),
        };
        let local_only = match family.kind {
            FamilyKind::WebsocketClose => "c.IsLocalOnly()",
            FamilyKind::Error => "false",
        };
        let _ = write!(
            adapters,
            r#"	{id}: {{read: func(t *testing.T, n uint16) facts {{
		c := {t}(n)
		classified := Classify{t}(n)
		if classified.Code != c || c.Behaviour() != classified.Behaviour || c.Segment() != classified.Segment {{
			t.Errorf("{t}(%d): methods disagree with Classify{t}", n)
		}}
		if c.IsKnown() {{
			if parsed, ok := Parse{t}(c.String()); !ok || parsed != c {{
				t.Errorf("Parse{t}(%q) = %v, %v", c.String(), parsed, ok)
			}}
			if found, ok := Lookup{t}Message(c.Message()); !ok || found.Message() != c.Message() {{
				t.Errorf("Lookup{t}Message(%q) = %v, %v", c.Message(), found, ok)
			}}
			if err := fmt.Errorf("wrapped: %w", c.Err()); !errors.Is(err, {t}Error{{Code: c}}) || !errors.Is(err, &{t}Error{{Code: c}}) {{
				t.Errorf("errors.Is does not match {t}Error for %d", n)
			}}
			if errors.Is(c.Err(), {t}Error{{Code: c + 1}}) {{
				t.Errorf("errors.Is matches {t}Error with another code for %d", n)
			}}
		}}
		if hint, ok := c.Backoff(); c.Action() != classified.Action || hint != classified.Backoff || ok != classified.Action.TriesAgain() {{
			t.Errorf("{t}(%d): Action/Backoff disagree with Classify{t}", n)
		}}
{kind_check}		return facts{{known: classified.Known, name: c.String(), message: c.Message(), description: c.Description(), causes: c.Causes(), behaviour: c.Behaviour().String(), localOnly: {local_only}, scope: classified.Segment.Scope.String(), label: classified.Segment.Label, action: classified.Action.String(), backoff: classified.Backoff, origin: c.Origin().String(), since: c.Since(), deprecated: c.Deprecated(), changes: c.Changes(), docURL: c.DocURL()}}
	}}, count: func() int {{ return len(All{t}()) }}}},
"#,
            id = string_literal(&family.id),
        );
    }
    format!("{header}{VECTORS_TEST_HEAD}{adapters}{VECTORS_TEST_BODY}")
}

const VECTORS_TEST_HEAD: &str = r#"package codes

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
)

// facts is what a binding says about one number, in the vocabulary of vectors.json.
type facts struct {
	known       bool
	name        string
	message     string
	description string
	causes      []string
	behaviour   string
	localOnly   bool
	scope       string
	label       string
	action      string
	backoff     BackoffHint
	origin      string
	since       string
	deprecated  string
	changes     []Change
	docURL      string
}

// adapter reads numbers through one family's API.
type adapter struct {
	read  func(t *testing.T, n uint16) facts
	count func() int
}

// adapters maps a family id to its adapter.
var adapters = map[string]adapter{
"#;

const VECTORS_TEST_BODY: &str = r#"}

// hintRow is a backoff hint as vectors.json spells it; null means none.
type hintRow struct {
	MinMs         uint32  `json:"min_ms"`
	MaxMs         uint32  `json:"max_ms"`
	Jitter        string  `json:"jitter"`
	GiveUpAfterMs *uint32 `json:"give_up_after_ms"`
}

// hint converts a row to this package's BackoffHint (the zero value for none).
func (row *hintRow) hint(t *testing.T) BackoffHint {
	if row == nil {
		return BackoffHint{}
	}
	hint := BackoffHint{MinMs: row.MinMs, MaxMs: row.MaxMs}
	for _, jitter := range []Jitter{JitterFull, JitterNone} {
		if jitter.String() == row.Jitter {
			hint.Jitter = jitter
		}
	}
	if hint.Jitter == 0 {
		t.Fatalf("unknown jitter %q", row.Jitter)
	}
	if row.GiveUpAfterMs != nil {
		hint.GiveUpAfterMs = *row.GiveUpAfterMs
	}
	return hint
}

type vectorFile struct {
	Families []struct {
		ID      string   `json:"id"`
		Backoff *hintRow `json:"backoff"`
		Codes   []struct {
			Code            uint16   `json:"code"`
			Name            string   `json:"name"`
			Message         string   `json:"message"`
			Description     string   `json:"description"`
			Causes          []string `json:"causes"`
			Behaviour       string   `json:"behaviour"`
			LocalOnly       bool     `json:"local_only"`
			ShouldReconnect bool     `json:"should_reconnect"`
			IsTerminal      bool     `json:"is_terminal"`
			IsTemporary     bool     `json:"is_temporary"`
			Action          string   `json:"action"`
			Backoff         *hintRow `json:"backoff"`
			Origin          string   `json:"origin"`
			Since           string   `json:"since"`
			Deprecated      string   `json:"deprecated"`
			Changes         []struct {
				Version string `json:"version"`
				Note    string `json:"note"`
			} `json:"changes"`
			DocURL string `json:"doc_url"`
		} `json:"codes"`
		Unregistered []struct {
			Code      uint16   `json:"code"`
			Behaviour string   `json:"behaviour"`
			Scope     string   `json:"scope"`
			Label     string   `json:"label"`
			Action    string   `json:"action"`
			Backoff   *hintRow `json:"backoff"`
		} `json:"unregistered"`
	} `json:"families"`
	Actions []struct {
		Name       string `json:"name"`
		Advice     string `json:"advice"`
		TriesAgain bool   `json:"tries_again"`
	} `json:"actions"`
	CloseCodes struct {
		MaxReasonBytes int `json:"max_reason_bytes"`
		Rules          []struct {
			From             uint16 `json:"from"`
			To               uint16 `json:"to"`
			Label            string `json:"label"`
			EndpointMaySend  bool   `json:"endpoint_may_send"`
			BrowserMaySend   bool   `json:"browser_may_send"`
			NeverOnWire      bool   `json:"never_on_wire"`
			EndpointForwards uint16 `json:"endpoint_forwards"`
			BrowserForwards  uint16 `json:"browser_forwards"`
		} `json:"rules"`
		Samples []struct {
			Code            uint16 `json:"code"`
			Label           string `json:"label"`
			EndpointMaySend bool   `json:"endpoint_may_send"`
			BrowserMaySend  bool   `json:"browser_may_send"`
			NeverOnWire     bool   `json:"never_on_wire"`
			SafeForEndpoint uint16 `json:"safe_for_endpoint"`
			SafeForBrowser  uint16 `json:"safe_for_browser"`
		} `json:"samples"`
		Truncation []struct {
			Reason         string `json:"reason"`
			ReasonBytes    int    `json:"reason_bytes"`
			Truncated      string `json:"truncated"`
			TruncatedBytes int    `json:"truncated_bytes"`
		} `json:"truncation"`
	} `json:"close_codes"`
	Mulberry32 []struct {
		Seed    uint32   `json:"seed"`
		Outputs []uint32 `json:"outputs"`
	} `json:"mulberry32"`
	Delays []struct {
		Hint  *hintRow `json:"hint"`
		Seed  uint32   `json:"seed"`
		Steps []struct {
			Attempt   uint32  `json:"attempt"`
			ElapsedMs uint64  `json:"elapsed_ms"`
			Random    uint32  `json:"random"`
			DelayMs   *uint32 `json:"delay_ms"`
		} `json:"steps"`
	} `json:"delays"`
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("../vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors vectorFile
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	return vectors
}

func TestConformanceVectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors.Families) != len(adapters) {
		t.Fatalf("vectors.json has %d families, the package %d", len(vectors.Families), len(adapters))
	}
	for _, family := range vectors.Families {
		adapter, ok := adapters[family.ID]
		if !ok {
			t.Fatalf("no family %s", family.ID)
		}
		read := adapter.read
		if count := adapter.count(); count != len(family.Codes) {
			t.Errorf("%s: %d registered codes, vectors.json has %d", family.ID, count, len(family.Codes))
		}
		for _, row := range family.Codes {
			got := read(t, row.Code)
			causes := row.Causes
			if causes == nil {
				causes = []string{}
			}
			if got.causes == nil {
				got.causes = []string{}
			}
			var changes []Change
			for _, change := range row.Changes {
				changes = append(changes, Change{Version: change.Version, Note: change.Note})
			}
			want := facts{known: true, name: row.Name, message: row.Message, description: row.Description, causes: causes, behaviour: row.Behaviour, localOnly: row.LocalOnly, scope: got.scope, label: got.label, action: row.Action, backoff: row.Backoff.hint(t), origin: row.Origin, since: row.Since, deprecated: row.Deprecated, changes: changes, docURL: row.DocURL}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %d:\n got %#v\nwant %#v", family.ID, row.Code, got, want)
			}
			if (got.behaviour == "reconnect") != row.ShouldReconnect || (got.behaviour == "terminal") != row.IsTerminal || (got.behaviour == "temporary") != row.IsTemporary {
				t.Errorf("%s %d: flags disagree with %s", family.ID, row.Code, got.behaviour)
			}
		}
		for _, row := range family.Unregistered {
			got := read(t, row.Code)
			want := facts{name: got.name, behaviour: row.Behaviour, scope: row.Scope, label: row.Label, action: row.Action, backoff: row.Backoff.hint(t), origin: "unknown"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s unregistered %d:\n got %#v\nwant %#v", family.ID, row.Code, got, want)
			}
		}
	}
}

func TestActionVectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors.Actions) == 0 || len(vectors.Actions) != len(actionFacts)-1 {
		t.Fatalf("vectors.json has %d actions, the package %d", len(vectors.Actions), len(actionFacts)-1)
	}
	for index, row := range vectors.Actions {
		action := Action(index + 1)
		if action.String() != row.Name || action.Advice() != row.Advice || action.TriesAgain() != row.TriesAgain {
			t.Errorf("action %d: got %q %q %v, want %q %q %v", index+1, action, action.Advice(), action.TriesAgain(), row.Name, row.Advice, row.TriesAgain)
		}
	}
	if Action(0).String() != "unknown" || Action(0).TriesAgain() || Action(200).String() != "unknown" || Action(200).Advice() != "" {
		t.Error("an action outside the set must read as unknown")
	}
}

func TestCloseCodeVectors(t *testing.T) {
	vectors := loadVectors(t).CloseCodes
	if vectors.MaxReasonBytes != MaxCloseReasonBytes {
		t.Errorf("MaxCloseReasonBytes = %d, want %d", MaxCloseReasonBytes, vectors.MaxReasonBytes)
	}
	rules := CloseCodeRules()
	if len(rules) != len(vectors.Rules) {
		t.Fatalf("%d close-code rules, vectors.json has %d", len(rules), len(vectors.Rules))
	}
	for i, row := range vectors.Rules {
		want := CloseCodeRule{From: row.From, To: row.To, Label: row.Label, EndpointMaySend: row.EndpointMaySend, BrowserMaySend: row.BrowserMaySend, NeverOnWire: row.NeverOnWire, EndpointForwards: row.EndpointForwards, BrowserForwards: row.BrowserForwards}
		if rules[i] != want {
			t.Errorf("rule %d:\n got %#v\nwant %#v", i, rules[i], want)
		}
	}
	if len(vectors.Samples) <= len(vectors.Rules) {
		t.Fatalf("only %d close-code samples", len(vectors.Samples))
	}
	for _, row := range vectors.Samples {
		rule := LookupCloseCodeRule(row.Code)
		if rule.Label != row.Label || rule.EndpointMaySend != row.EndpointMaySend || rule.BrowserMaySend != row.BrowserMaySend || rule.NeverOnWire != row.NeverOnWire {
			t.Errorf("code %d: got rule %#v", row.Code, rule)
		}
		if got := SafeCloseCode(row.Code, CloseSenderEndpoint); got != row.SafeForEndpoint {
			t.Errorf("SafeCloseCode(%d, endpoint) = %d, want %d", row.Code, got, row.SafeForEndpoint)
		}
		if got := SafeCloseCode(row.Code, CloseSenderBrowser); got != row.SafeForBrowser {
			t.Errorf("SafeCloseCode(%d, browser) = %d, want %d", row.Code, got, row.SafeForBrowser)
		}
	}
	for _, row := range vectors.Truncation {
		if len(row.Reason) != row.ReasonBytes {
			t.Fatalf("reason of %d bytes read as %d", row.ReasonBytes, len(row.Reason))
		}
		got := TruncateCloseReason(row.Reason)
		if got != row.Truncated || len(got) != row.TruncatedBytes {
			t.Errorf("TruncateCloseReason(%d bytes) = %q (%d bytes), want %q", row.ReasonBytes, got, len(got), row.Truncated)
		}
	}
}

func TestMulberry32Vectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors.Mulberry32) == 0 {
		t.Fatal("no Mulberry32 vectors")
	}
	for _, row := range vectors.Mulberry32 {
		random := NewMulberry32(row.Seed)
		for i, want := range row.Outputs {
			if got := random.Uint32(); got != want {
				t.Errorf("seed %d, output %d: got %d, want %d", row.Seed, i, got, want)
			}
		}
	}
}

func TestDelayVectors(t *testing.T) {
	vectors := loadVectors(t)
	gaveUp := false
	for _, sequence := range vectors.Delays {
		hint := sequence.Hint.hint(t)
		random := NewMulberry32(sequence.Seed)
		elapsed := uint64(0)
		for _, step := range sequence.Steps {
			drawn := random.Uint32()
			if drawn != step.Random || elapsed != step.ElapsedMs {
				t.Fatalf("seed %d attempt %d: drew %d at %d ms, want %d at %d ms", sequence.Seed, step.Attempt, drawn, elapsed, step.Random, step.ElapsedMs)
			}
			delay, ok := hint.DelayMs(step.Attempt, step.ElapsedMs, drawn)
			if ok != (step.DelayMs != nil) || (ok && delay != *step.DelayMs) {
				t.Errorf("%#v seed %d attempt %d: got %d, %v; want %v", hint, sequence.Seed, step.Attempt, delay, ok, step.DelayMs)
			}
			gaveUp = gaveUp || !ok
			elapsed += uint64(delay)
		}
	}
	if !gaveUp {
		t.Error("no delay sequence gives up")
	}
}
"#;

fn examples(registry: &Registry, header: &str) -> String {
    let mut out = format!("{header}package codes_test\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n\n\tcodes \"{MODULE_PATH}\"\n)\n");
    out.push_str(&handling_examples(registry));
    for family in &registry.families {
        let t = &family.names.type_name;
        let first = family.codes_by_number()[0];
        let unregistered = (0..=u16::MAX)
            .rev()
            .find(|number| family.code(*number).is_none())
            .expect("a family cannot register every u16");
        let unknown = family.classify(unregistered);
        let (flag_call, flag_value, unknown_flag) = match family.kind {
            FamilyKind::WebsocketClose => {
                ("ShouldReconnect", first.behaviour.should_reconnect(), unknown.behaviour.should_reconnect())
            }
            FamilyKind::Error => ("IsTemporary", first.behaviour.is_temporary(), unknown.behaviour.is_temporary()),
        };
        let _ = write!(
            out,
            r#"
// Example{t} reads a code the way a client receives it: as a plain number.
func Example{t}() {{
	code := codes.{t}({number})
	fmt.Println(code, code.IsKnown(), code == codes.{constant})
	fmt.Println(code.{flag_call}())
	// Output:
	// {name} true true
	// {flag_value}
}}

// ExampleClassify{t} classifies a number no registered code has, as a newer server may send.
func ExampleClassify{t}() {{
	classified := codes.Classify{t}({unregistered})
	fmt.Println(classified.Known, classified.Behaviour, classified.Code.{flag_call}())
	// Output: false {unknown_behaviour} {unknown_flag}
}}

// Example{t}Error matches a wrapped code with errors.Is.
func Example{t}Error() {{
	err := fmt.Errorf("request failed: %w", codes.{constant}.Err())
	fmt.Println(errors.Is(err, codes.{t}Error{{Code: codes.{constant}}}))
	// Output: true
}}
"#,
            number = first.number,
            constant = first.names.go_constant,
            name = first.names.variant,
            unknown_behaviour = unknown.behaviour.as_str(),
        );
    }
    out
}

/// Examples of the client-handling API whose `// Output:` lines the model computes, so `go test`
/// checks the Go arithmetic against Rust's.
fn handling_examples(registry: &Registry) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"
// sessionCloseError stands for a WebSocket library's close error, e.g. gorilla/websocket's.
type sessionCloseError struct {{
	Code int
	Text string
}}

func (e *sessionCloseError) Error() string {{ return e.Text }}

// ExampleCloseCodeOf finds the close code in a wrapped error of any WebSocket library.
func ExampleCloseCodeOf() {{
	err := fmt.Errorf("read: %w", &sessionCloseError{{Code: 4001, Text: "closed"}})
	code, ok := codes.CloseCodeOf(err)
	fmt.Println(code, ok)
	// Output: 4001 true
}}

// ExampleSafeCloseCode passes a received code on: 1006 is never sent, so a browser and a proxy
// each get a code they may send.
func ExampleSafeCloseCode() {{
	fmt.Println(codes.SafeCloseCode(1006, codes.CloseSenderBrowser), codes.SafeCloseCode(1006, codes.CloseSenderEndpoint))
	fmt.Println(codes.SafeCloseCode(4001, codes.CloseSenderBrowser))
	// Output:
	// {browser_1006} {endpoint_1006}
	// {browser_4001}
}}
"#,
        browser_1006 = safe_close_code(1006, CloseSender::Browser),
        endpoint_1006 = safe_close_code(1006, CloseSender::Endpoint),
        browser_4001 = safe_close_code(4001, CloseSender::Browser),
    );
    if let Some(family) = registry.families.iter().find(|family| family.kind == FamilyKind::WebsocketClose) {
        let t = &family.names.type_name;
        let code = family.codes_by_number()[0];
        let _ = write!(
            out,
            r#"
// ExampleClassifyCloseError classifies the close code an error carries with a family's rules.
func ExampleClassifyCloseError() {{
	err := fmt.Errorf("read: %w", &sessionCloseError{{Code: {number}, Text: "closed"}})
	classified, ok := codes.ClassifyCloseError(err, codes.Classify{t})
	fmt.Println(ok, classified.Code, classified.Action)
	// Output: true {name} {action}
}}
"#,
            number = code.number,
            name = code.names.variant,
            action = code.action.as_str(),
        );
    }
    // The first code that tries again shows its own hint; a registry without one uses a fixed hint.
    let retrying =
        registry.families.iter().find_map(|family| family.codes_by_number().into_iter().find(|code| code.backoff.is_some()));
    let (setup, hint) = match retrying {
        Some(code) => (
            format!("hint, _ := codes.{}.Backoff()", code.names.go_constant),
            code.backoff.expect("found by its hint"),
        ),
        None => {
            let hint = BackoffHint { min_ms: 500, max_ms: 8_000, jitter: Jitter::Full, give_up_after_ms: Some(20_000) };
            (format!("hint := {}", hint_literal(&hint).replace("BackoffHint{", "codes.BackoffHint{").replace("Jitter: Jitter", "Jitter: codes.Jitter")), hint)
        }
    };
    let mut random = Mulberry32::new(42);
    let mut elapsed_ms: u64 = 0;
    let mut lines = Vec::new();
    for attempt in 0..5 {
        let delay = hint.delay_ms(attempt, elapsed_ms, random.next_u32());
        lines.push(match delay {
            Some(delay) => format!("// {delay} true"),
            None => "// 0 false".to_string(),
        });
        elapsed_ms += u64::from(delay.unwrap_or(0));
    }
    let _ = write!(
        out,
        r#"
// ExampleBackoffHint_DelayMs computes a reconnect loop's delays from a seeded source (use
// math/rand/v2's Uint32 in production).
func ExampleBackoffHint_DelayMs() {{
	{setup}
	random := codes.NewMulberry32(42)
	elapsedMs := uint64(0)
	for attempt := uint32(0); attempt < 5; attempt++ {{
		delayMs, ok := hint.DelayMs(attempt, elapsedMs, random.Uint32())
		fmt.Println(delayMs, ok)
		elapsedMs += uint64(delayMs)
	}}
	// Output:
	{lines}
}}
"#,
        lines = lines.join("\n\t"),
    );
    out
}

/// `handling_test.go`: the delay, close-code and close-error helpers beyond what the vectors pin,
/// with local look-alikes of the WebSocket libraries' close errors (the module has no dependency).
const HANDLING_TEST: &str = r#"package codes

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// gorillaCloseError has the shape of gorilla/websocket's *CloseError.
type gorillaCloseError struct {
	Code int
	Text string
}

func (e *gorillaCloseError) Error() string {
	return fmt.Sprintf("websocket: close %d %s", e.Code, e.Text)
}

// coderStatusCode and coderCloseError have the shape of coder/websocket's StatusCode and CloseError.
type coderStatusCode int

type coderCloseError struct {
	Code   coderStatusCode
	Reason string
}

func (e coderCloseError) Error() string {
	return fmt.Sprintf("status = %d and reason = %q", e.Code, e.Reason)
}

// unsignedCloseError carries its code in an unsigned field.
type unsignedCloseError struct{ Code uint16 }

func (e unsignedCloseError) Error() string { return "closed" }

// reportingError states its close code through a method.
type reportingError struct{ code int }

func (e reportingError) Error() string  { return "closed" }
func (e reportingError) CloseCode() int { return e.code }

// codeError has an integer Code but is not named like a close error.
type codeError struct{ Code int }

func (e codeError) Error() string { return "not a close error" }

// textCloseError is named like a close error but its Code is not a number.
type textCloseError struct{ Code string }

func (e textCloseError) Error() string { return "text" }

func TestCloseCodeOf(t *testing.T) {
	cases := []struct {
		name string
		err  error
		code uint16
		ok   bool
	}{
		{"gorilla pointer", &gorillaCloseError{Code: 4001, Text: "busy"}, 4001, true},
		{"gorilla wrapped", fmt.Errorf("read: %w", &gorillaCloseError{Code: 3500}), 3500, true},
		{"coder value wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", coderCloseError{Code: 1000})), 1000, true},
		{"coder pointer", &coderCloseError{Code: 1001}, 1001, true},
		{"unsigned field", unsignedCloseError{Code: 65535}, 65535, true},
		{"joined, first wins", errors.Join(errors.New("other"), coderCloseError{Code: 4002}, &gorillaCloseError{Code: 4003}), 4002, true},
		{"CloseCode method", fmt.Errorf("x: %w", reportingError{code: 3001}), 3001, true},
		{"outermost wins", &wrapping{code: 4005, inner: coderCloseError{Code: 4006}}, 4005, true},
		{"method out of range", reportingError{code: 70000}, 0, false},
		{"negative field", &gorillaCloseError{Code: -1}, 0, false},
		{"field out of range", &gorillaCloseError{Code: 65536}, 0, false},
		{"nil pointer", (*gorillaCloseError)(nil), 0, false},
		{"not named CloseError", codeError{Code: 4001}, 0, false},
		{"Code not a number", textCloseError{Code: "4001"}, 0, false},
		{"plain error", errors.New("EOF"), 0, false},
		{"nil", nil, 0, false},
	}
	for _, c := range cases {
		code, ok := CloseCodeOf(c.err)
		if code != c.code || ok != c.ok {
			t.Errorf("%s: CloseCodeOf = %d, %v; want %d, %v", c.name, code, ok, c.code, c.ok)
		}
	}
}

// wrapping is a close error that wraps another one.
type wrapping struct {
	code  int
	inner error
}

func (e *wrapping) Error() string  { return "wrapping" }
func (e *wrapping) CloseCode() int { return e.code }
func (e *wrapping) Unwrap() error  { return e.inner }

func TestClassifyCloseError(t *testing.T) {
	classify := func(code uint16) Classification[uint16] {
		return Classification[uint16]{Code: code, Known: code == 4001, Action: ActionWaitForCapacity}
	}
	classified, ok := ClassifyCloseError(fmt.Errorf("read: %w", &gorillaCloseError{Code: 4001}), classify)
	if !ok || classified.Code != 4001 || !classified.Known || classified.Action != ActionWaitForCapacity {
		t.Errorf("ClassifyCloseError = %#v, %v", classified, ok)
	}
	if classified, ok := ClassifyCloseError(errors.New("EOF"), classify); ok || classified != (Classification[uint16]{}) {
		t.Errorf("an error without a close code classified as %#v", classified)
	}
}

func TestDelayInDurations(t *testing.T) {
	hint := BackoffHint{MinMs: 500, MaxMs: 8000, Jitter: JitterNone, GiveUpAfterMs: 20000}
	cases := []struct {
		attempt uint32
		elapsed time.Duration
		want    time.Duration
		ok      bool
	}{
		{0, 0, 500 * time.Millisecond, true},
		{3, 2 * time.Second, 4 * time.Second, true},
		{40, 19999 * time.Millisecond, 8 * time.Second, true},
		{0, -time.Hour, 500 * time.Millisecond, true},
		{1, 20 * time.Second, 0, false},
	}
	for _, c := range cases {
		got, ok := hint.Delay(c.attempt, c.elapsed, 0)
		if got != c.want || ok != c.ok {
			t.Errorf("Delay(%d, %v) = %v, %v; want %v, %v", c.attempt, c.elapsed, got, ok, c.want, c.ok)
		}
	}
	full := BackoffHint{MinMs: 1000, MaxMs: 30000, Jitter: JitterFull}
	random := NewMulberry32(7)
	for attempt := uint32(0); attempt < 64; attempt++ {
		drawn := random.Uint32()
		delayMs, _ := full.DelayMs(attempt, 0, drawn)
		delay, _ := full.Delay(attempt, 0, drawn)
		ceiling := min(uint64(1000)<<min(attempt, 32), 30000)
		if delay != time.Duration(delayMs)*time.Millisecond || delayMs < 1000 || uint64(delayMs) > ceiling {
			t.Errorf("attempt %d: %d ms (%v) outside 1000..%d", attempt, delayMs, delay, ceiling)
		}
	}
	if delayMs, ok := full.DelayMs(0, 0, ^uint32(0)); !ok || delayMs != 1000 {
		t.Errorf("the largest random number at attempt 0 gives %d, %v; want the minimum", delayMs, ok)
	}
}

func TestTruncateCloseReasonOfBytesThatAreNotUTF8(t *testing.T) {
	reason := strings.Repeat("\x80", 200)
	if got := TruncateCloseReason(reason); len(got) != MaxCloseReasonBytes-3 {
		t.Errorf("cut %d bytes of continuation bytes to %d; want %d", len(reason), len(got), MaxCloseReasonBytes-3)
	}
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii() {
        assert_eq!(string_literal("a\"b\\c\n\t`"), "\"a\\\"b\\\\c\\n\\t`\"");
        assert_eq!(string_literal("é🚀\u{202E}"), "\"\\u00e9\\U0001f680\\u202e\"");
    }

    /// `codes.go` is left out of the snapshots (it is the same for every registry), so its
    /// model-derived tables are pinned here.
    #[test]
    fn runtime_carries_every_action_and_close_code_rule_of_the_model() {
        let runtime = runtime("");
        let facts = runtime.split("var actionFacts").nth(1).expect("the action table");
        let mut rows = facts.lines().skip_while(|line| *line != "\t{},").skip(1);
        for (index, action) in Action::ALL.iter().enumerate() {
            let declaration = if index == 0 { format!("\t{} Action = iota + 1\n", action_constant(*action)) } else { format!("\t{}\n", action_constant(*action)) };
            assert!(runtime.contains(&declaration), "{action:?}");
            let row = format!("\t{{name: \"{}\", advice: {}, triesAgain: {}}},", action.as_str(), string_literal(action.advice()), action.tries_again());
            assert_eq!(rows.next(), Some(row.as_str()), "the facts of {action:?} are out of iota order");
        }
        let rules = runtime.lines().filter(|line| line.starts_with("\t{From: ") && line.contains("EndpointMaySend: ")).count();
        assert_eq!(rules, CLOSE_CODE_RULES.len());
        for rule in &CLOSE_CODE_RULES {
            assert!(runtime.contains(&format!("{{From: {}, To: {}, Label: {},", rule.from, rule.to, string_literal(rule.label))), "{rule:?}");
        }
        assert_eq!(action_constant(Action::RefreshTokenThenReconnect), "ActionRefreshTokenThenReconnect");
    }

    #[test]
    fn comments_drop_control_and_bidi_characters() {
        assert_eq!(line_comment("a\u{202E}b\u{7}\n\nc */", "\t"), "\t// a b\n\t//\n\t// c */\n");
    }
}
