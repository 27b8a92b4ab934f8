//! The Go backend: a stdlib-only module under `go/codebook/`, package `codebook`, one file per
//! family. The package name is the last element of the module path, so no import needs an alias
//! (and it does not collide with `google.golang.org/grpc/codes`). The module is nested in the
//! repository, so its release tags are `bindings/go/codebook/vX.Y.Z`.
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

/// The module path the package is imported by: the repository plus the module's directory.
pub const MODULE_PATH: &str = "github.com/codebook-dev/codebook/bindings/go/codebook";
/// The package name: the last element of [`MODULE_PATH`].
pub const PACKAGE_NAME: &str = "codebook";
/// The module's directory below the bindings directory; its release tags are
/// `bindings/<MODULE_DIR>/vX.Y.Z`.
pub const MODULE_DIR: &str = "go/codebook";

/// `go/codebook/<file>`.
fn module_file(file: &str) -> String {
    format!("{MODULE_DIR}/{file}")
}

impl Backend for Go {
    fn name(&self) -> &'static str {
        "go"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = format!("// Code {}. DO NOT EDIT.\n// {}\n\n", provenance.notice(), provenance.hash_line());
        let mut files = vec![
            GeneratedFile::new(
                module_file("go.mod"),
                format!("{}module {MODULE_PATH}\n\ngo 1.22\n", provenance.line_comments("//")),
            ),
            GeneratedFile::new(module_file("LICENSE-MIT"), format!("{}{}", provenance.line_comments("#"), super::LICENSE_MIT)),
            GeneratedFile::new(
                module_file("LICENSE-APACHE"),
                format!("{}{}", provenance.line_comments("#"), super::LICENSE_APACHE),
            ),
            GeneratedFile::new(module_file("codes.go"), format!("{header}{RUNTIME}")),
            GeneratedFile::new(module_file("protocol.go"), protocol(&header)),
            GeneratedFile::new(module_file("vectors_test.go"), format!("{header}{VECTORS_TEST}")),
            GeneratedFile::new(module_file("adapters_test.go"), vectors_adapters(registry, &header)),
            GeneratedFile::new(module_file("handling_test.go"), format!("{header}{HANDLING_TEST}")),
            GeneratedFile::new(module_file("example_test.go"), wrap_long_comments(&examples(registry, &header))),
        ];
        for family in &registry.families {
            files.push(GeneratedFile::new(module_file(&format!("{}.go", family.names.module)), family_file(family, &header)));
        }
        files
    }

    fn runtime_companions(&self) -> Vec<GeneratedFile> {
        let header = format!("// Code {}. DO NOT EDIT.\n\n", super::companion_notice());
        vec![GeneratedFile::new("go/protocol.go", protocol(&header))]
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

/// Wraps every `//` comment line of generated Go source that is longer than [`COMMENT_WIDTH`]
/// (template text with long family names); `// Output:` lines of examples are left alone.
fn wrap_long_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        match code.strip_prefix("// ") {
            Some(text) if line.chars().count() > COMMENT_WIDTH && !text.starts_with("Output:") => {
                out.push_str(&line_comment(text, indent));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The longest comment line written, indentation included (a tab counts one, as `lll` does).
const COMMENT_WIDTH: usize = 100;

/// `//` comment lines (a blank comment line for an empty line), indented by `indent`; a line
/// longer than [`COMMENT_WIDTH`] is wrapped at spaces (a word longer than that stays whole).
fn line_comment(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let room = COMMENT_WIDTH.saturating_sub(indent.len() + 3).max(20);
    for line in comment_text(text).trim_end().lines() {
        let line = line.trim();
        if line.is_empty() {
            let _ = writeln!(out, "{indent}//");
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ').filter(|word| !word.is_empty()) {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > room {
                let _ = writeln!(out, "{indent}// {current}");
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        let _ = writeln!(out, "{indent}// {current}");
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
    let mut out = format!("{header}package codebook\n\n");

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
    // One block in number order, so `go doc` lists the codes as the registry does. A blank line
    // between entries keeps gofmt from aligning them, so the output needs no column arithmetic.
    out.push_str("const (\n");
    for (index, code) in codes.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
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
            "\t",
        ));
        let _ = writeln!(out, "\t{} {t} = {}", code.names.go_constant, code.number);
    }
    out.push_str(")\n\n");

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

// {t}FromInt returns code as a {t}, or an *OutOfRangeError when it is not a number from 0 to
// 65535 (coder/websocket reports close codes as int; a plain conversion would wrap).
func {t}FromInt(code int) ({t}, error) {{
	c, err := codeFromInt(int64(code))
	return {t}(c), err
}}

// {t}FromUint32 returns code as a {t}, or an *OutOfRangeError when it is above 65535
// (centrifuge-go reports codes as uint32; a plain conversion would wrap).
func {t}FromUint32(code uint32) ({t}, error) {{
	c, err := codeFromInt(int64(code))
	return {t}(c), err
}}

// MarshalText returns the code's name for a registered code, e.g. "{first_name}", and its decimal
// number otherwise, so JSON and log output stay readable and round-trip.
func (c {t}) MarshalText() ([]byte, error) {{
	if e, ok := {p}Entries[c]; ok {{
		return []byte(e.name), nil
	}}
	return strconv.AppendUint(nil, uint64(c), 10), nil
}}

// UnmarshalText reads a registered code's name or any decimal number from 0 to 65535.
func (c *{t}) UnmarshalText(text []byte) error {{
	code, err := codeFromText("{t}", text, func(name string) (uint16, bool) {{
		found, ok := {p}ByName[name]
		return uint16(found), ok
	}})
	if err != nil {{
		return err
	}}
	*c = {t}(code)
	return nil
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

// {t}Of finds a code of family {id} in err or anything it wraps, like errors.As: a
// {t}Error, or an error of Centrifugo's client or server library (see ErrorCodeOf), without
// depending on either. ok is false when there is none, or its number is above 65535.
func {t}Of(err error) (code {t}, ok bool) {{
	var own {t}Error
	if errors.As(err, &own) {{
		return own.Code, true
	}}
	number, found := ErrorCodeOf(err)
	if !found {{
		return 0, false
	}}
	c, rangeErr := {t}FromUint32(number)
	return c, rangeErr == nil
}}
"#,
                id = family.id,
            );
        }
    }
    // strconv is used by String, Error and the text methods, errors by an error family's Of; the
    // imports go after the package clause.
    let imports = match family.kind {
        FamilyKind::WebsocketClose => "import \"strconv\"\n\n",
        FamilyKind::Error => "import (\n\t\"errors\"\n\t\"strconv\"\n)\n\n",
    };
    wrap_long_comments(&out).replacen("package codebook\n\n", &format!("package codebook\n\n{imports}"), 1)
}

/// `codes.go`: the types and functions every family file shares, a real Go file of this crate
/// (`runtime/go/codes.go`), the same for every registry.
pub const RUNTIME: &str = include_str!("../runtime/go/codes.go");

/// `handling_test.go`: the delay, close-code and close-error helpers beyond what the vectors pin,
/// with local look-alikes of the WebSocket libraries' close errors (the module has no dependency).
pub const HANDLING_TEST: &str = include_str!("../runtime/go/handling_test.go");

/// `vectors_test.go`: the conformance vectors through every family's API; the per-family adapters
/// it reads them with are the generated `adapters_test.go`.
pub const VECTORS_TEST: &str = include_str!("../runtime/go/vectors_test.go");

/// `protocol.go`: the protocol's tables from the model's constants (the actions with their advice,
/// the close-code rules), beside the real `codes.go` that uses them.
pub fn protocol(header: &str) -> String {
    let mut out = format!("{header}package codebook\n");
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
    out
}




/// `adapters_test.go`: how `vectors_test.go` reads numbers through each family's API.
fn vectors_adapters(registry: &Registry, header: &str) -> String {
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
		if !classified.Action.TriesAgain() {{
			if delay, ok := classified.Backoff.DelayMs(0, 0, 0); ok {{
				t.Errorf("{t}(%d): no hint, yet DelayMs says retry after %d ms", n, delay)
			}}
		}}
		if fromInt, err := {t}FromInt(int(n)); err != nil || fromInt != c {{
			t.Errorf("{t}FromInt(%d) = %v, %v", n, fromInt, err)
		}}
		if fromUint32, err := {t}FromUint32(uint32(n)); err != nil || fromUint32 != c {{
			t.Errorf("{t}FromUint32(%d) = %v, %v", n, fromUint32, err)
		}}
		var outOfRange *OutOfRangeError
		if _, err := {t}FromUint32(uint32(n) + 65536); !errors.As(err, &outOfRange) {{
			t.Errorf("{t}FromUint32(%d+65536) wraps instead of failing: %v", n, err)
		}}
		if _, err := {t}FromInt(-1 - int(n)); !errors.As(err, &outOfRange) {{
			t.Errorf("{t}FromInt(%d) accepts a negative number", -1-int(n))
		}}
		if text, err := c.MarshalText(); err != nil {{
			t.Errorf("{t}(%d).MarshalText: %v", n, err)
		}} else {{
			var back {t}
			if err := back.UnmarshalText(text); err != nil || back != c {{
				t.Errorf("{t}(%d): MarshalText %q does not round-trip: %v, %v", n, text, back, err)
			}}
			if want := c.String(); c.IsKnown() && string(text) != want {{
				t.Errorf("{t}(%d).MarshalText = %q, want the name %q", n, text, want)
			}}
		}}
{kind_check}		return facts{{known: classified.Known, name: c.String(), message: c.Message(), description: c.Description(), causes: c.Causes(), behaviour: c.Behaviour().String(), localOnly: {local_only}, scope: classified.Segment.Scope.String(), label: classified.Segment.Label, action: classified.Action.String(), backoff: classified.Backoff, origin: c.Origin().String(), since: c.Since(), deprecated: c.Deprecated(), changes: c.Changes(), docURL: c.DocURL()}}
	}}, count: func() int {{ return len(All{t}()) }}}},
"#,
            id = string_literal(&family.id),
        );
    }
    format!(
        "{header}package codebook\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n\t\"testing\"\n)\n\n// adapters maps a family id to its adapter.\nvar adapters = map[string]adapter{{\n{adapters}}}\n"
    )
}



fn examples(registry: &Registry, header: &str) -> String {
    let json = if registry.families.iter().any(|family| family.kind == FamilyKind::Error) { "\t\"encoding/json\"\n" } else { "" };
    let mut out =
        format!("{header}package codebook_test\n\nimport (\n{json}\t\"errors\"\n\t\"fmt\"\n\n\t\"{MODULE_PATH}\"\n)\n");
    out.push_str(&handling_examples(registry));
    out.push_str(&error_family_examples(registry));
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
	code := codebook.{t}({number})
	fmt.Println(code, code.IsKnown(), code == codebook.{constant})
	fmt.Println(code.{flag_call}())
	// Output:
	// {name} true true
	// {flag_value}
}}

// ExampleClassify{t} classifies a number no registered code has, as a newer server may send.
func ExampleClassify{t}() {{
	classified := codebook.Classify{t}({unregistered})
	fmt.Println(classified.Known, classified.Behaviour, classified.Code.{flag_call}())
	// Output: false {unknown_behaviour} {unknown_flag}
}}

// Example{t}Error matches a wrapped code with errors.Is.
func Example{t}Error() {{
	err := fmt.Errorf("request failed: %w", codebook.{constant}.Err())
	fmt.Println(errors.Is(err, codebook.{t}Error{{Code: codebook.{constant}}}))
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

/// For the first error family: finding its code in a centrifuge-shaped error chain, and a code
/// in JSON (a name for a registered code, the number otherwise).
fn error_family_examples(registry: &Registry) -> String {
    let Some(family) = registry.families.iter().find(|family| family.kind == FamilyKind::Error) else {
        return String::new();
    };
    let t = &family.names.type_name;
    let code = family.codes_by_number()[0];
    let unregistered = (0..=u16::MAX).find(|number| family.code(*number).is_none()).unwrap_or(u16::MAX);
    format!(
        r#"
// Error has the shape of the error type of Centrifugo's client library (centrifuge-go's
// centrifuge.Error) and server library: a struct named Error with Code and Message.
type Error struct {{
	Code      uint32
	Message   string
	Temporary bool
}}

func (e *Error) Error() string {{ return e.Message }}

// Example{t}Of finds a Centrifugo error code anywhere in an error chain, with no dependency on
// centrifuge-go; a number above 65535 is not taken for a code.
func Example{t}Of() {{
	err := fmt.Errorf("subscribe: %w", &Error{{Code: {number}, Message: "from the server"}})
	code, ok := codebook.{t}Of(err)
	fmt.Println(code, ok)
	_, ok = codebook.{t}Of(&Error{{Code: 65536 + {number}, Message: "not a code"}})
	fmt.Println(ok)
	_, ok = codebook.{t}Of(errors.New("no code here"))
	fmt.Println(ok)
	// Output:
	// {name} true
	// false
	// false
}}

// Example{t}_MarshalText shows codes in JSON: the name of a registered code, the number of
// any other.
func Example{t}_MarshalText() {{
	data, err := json.Marshal(map[string]codebook.{t}{{"known": {number}, "unknown": {unregistered}}})
	fmt.Println(string(data), err)
	// Output: {{"known":"{name}","unknown":"{unregistered}"}} <nil>
}}
"#,
        number = code.number,
        name = code.names.variant,
    )
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
	code, ok := codebook.CloseCodeOf(err)
	fmt.Println(code, ok)
	// Output: 4001 true
}}

// ExampleSafeCloseCode passes a received code on: 1006 is never sent, so a browser and a proxy
// each get a code they may send.
func ExampleSafeCloseCode() {{
	fmt.Println(codebook.SafeCloseCode(1006, codebook.CloseSenderBrowser), codebook.SafeCloseCode(1006, codebook.CloseSenderEndpoint))
	fmt.Println(codebook.SafeCloseCode(4001, codebook.CloseSenderBrowser))
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
	classified, ok := codebook.ClassifyCloseError(err, codebook.Classify{t})
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
            format!("hint, _ := codebook.{}.Backoff()", code.names.go_constant),
            code.backoff.expect("found by its hint"),
        ),
        None => {
            let hint = BackoffHint { min_ms: 500, max_ms: 8_000, jitter: Jitter::Full, give_up_after_ms: Some(20_000) };
            (format!("hint := {}", hint_literal(&hint).replace("BackoffHint{", "codebook.BackoffHint{").replace("Jitter: Jitter", "Jitter: codebook.Jitter")), hint)
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
	random := codebook.NewMulberry32(42)
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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii() {
        assert_eq!(string_literal("a\"b\\c\n\t`"), "\"a\\\"b\\\\c\\n\\t`\"");
        assert_eq!(string_literal("é🚀\u{202E}"), "\"\\u00e9\\U0001f680\\u202e\"");
    }

    /// The protocol tables are written from the model's constants; each row is pinned here.
    #[test]
    fn runtime_carries_every_action_and_close_code_rule_of_the_model() {
        let runtime = protocol("");
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
