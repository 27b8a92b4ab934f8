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

use codebook_model::{Behaviour, Family, FamilyKind, Registry, Scope};

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
            GeneratedFile::new("go/codes.go", format!("{header}{RUNTIME}")),
            GeneratedFile::new("go/vectors_test.go", vectors_test(registry, &header)),
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
        out.push_str(&line_comment(
            &format!("{} is {} {}: {}", code.names.go_constant, code.number, string_literal(&code.message), code.description.trim_end()),
            "",
        ));
        let _ = writeln!(out, "const {} {t} = {}\n", code.names.go_constant, code.number);
    }

    let _ = writeln!(out, "var {p}Entries = entriesByCode[{t}]([]entry{{");
    for code in &codes {
        let causes: Vec<String> = code.causes.iter().map(|cause| string_literal(cause)).collect();
        let _ = writeln!(
            out,
            "\t{{code: {}, name: {}, message: {}, description: {}, causes: []string{{{}}}, behaviour: {}, localOnly: {}}},",
            code.number,
            string_literal(&code.names.variant),
            string_literal(&code.message),
            string_literal(code.description.trim_end()),
            causes.join(", "),
            behaviour_constant(code.behaviour),
            code.local_only
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
            "\t{{From: {}, To: {}, Scope: {}, Behaviour: {}, Label: {}}},",
            segment.from,
            segment.to,
            scope_constant(segment.scope),
            behaviour_constant(segment.behaviour),
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
	behaviour := segment.Behaviour
	e, known := {p}Entries[c]
	if known {{
		behaviour = e.behaviour
	}}
	return Classification[{t}]{{Code: c, Known: known, Segment: segment, Behaviour: behaviour}}
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

const RUNTIME: &str = r#"// Package codes holds the typed error and disconnect codes of codes.yaml: per family a named
// uint16 type with a constant per registered code, lookups by name and message, and
// classification of any number (registered or not) by the family's range rules.
package codes

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
	// Label is the range rule's label, or the fallback's.
	Label string
}

// Classification is what any number means in a family: the number as the family's type (which
// round-trips unregistered numbers too), whether it is registered, its segment, and the behaviour
// to act on.
type Classification[C ~uint16] struct {
	// Code is the classified number.
	Code C
	// Known reports whether Code is a registered code.
	Known bool
	// Segment is the range segment Code falls in.
	Segment Segment
	// Behaviour is the registered code's behaviour, or the segment's for an unregistered number.
	Behaviour Behaviour
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
}

// segmentOf finds the segment holding code; segments are sorted and total.
func segmentOf(segments []Segment, code uint16) Segment {
	low, high := 0, len(segments)
	for high-low > 1 {
		middle := (low + high) / 2
		if segments[middle].From <= code {
			low = middle
		} else {
			high = middle
		}
	}
	return segments[low]
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
{kind_check}		return facts{{known: classified.Known, name: c.String(), message: c.Message(), description: c.Description(), causes: c.Causes(), behaviour: c.Behaviour().String(), localOnly: {local_only}, scope: classified.Segment.Scope.String(), label: classified.Segment.Label}}
	}}, count: func() int {{ return len(All{t}()) }}}},
"#,
            id = string_literal(&family.id),
        );
    }
    format!(
        r#"{header}package codes

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
)

// facts is what a binding says about one number, in the vocabulary of vectors.json.
type facts struct {{
	known       bool
	name        string
	message     string
	description string
	causes      []string
	behaviour   string
	localOnly   bool
	scope       string
	label       string
}}

// adapter reads numbers through one family's API.
type adapter struct {{
	read  func(t *testing.T, n uint16) facts
	count func() int
}}

// adapters maps a family id to its adapter.
var adapters = map[string]adapter{{
{adapters}}}

type vectorFile struct {{
	Families []struct {{
		ID    string `json:"id"`
		Codes []struct {{
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
		}} `json:"codes"`
		Unregistered []struct {{
			Code      uint16 `json:"code"`
			Behaviour string `json:"behaviour"`
			Scope     string `json:"scope"`
			Label     string `json:"label"`
		}} `json:"unregistered"`
	}} `json:"families"`
}}

func TestConformanceVectors(t *testing.T) {{
	raw, err := os.ReadFile("../vectors.json")
	if err != nil {{
		t.Fatal(err)
	}}
	var vectors vectorFile
	if err := json.Unmarshal(raw, &vectors); err != nil {{
		t.Fatal(err)
	}}
	if len(vectors.Families) != len(adapters) {{
		t.Fatalf("vectors.json has %d families, the package %d", len(vectors.Families), len(adapters))
	}}
	for _, family := range vectors.Families {{
		adapter, ok := adapters[family.ID]
		if !ok {{
			t.Fatalf("no family %s", family.ID)
		}}
		read := adapter.read
		if count := adapter.count(); count != len(family.Codes) {{
			t.Errorf("%s: %d registered codes, vectors.json has %d", family.ID, count, len(family.Codes))
		}}
		for _, row := range family.Codes {{
			got := read(t, row.Code)
			causes := row.Causes
			if causes == nil {{
				causes = []string{{}}
			}}
			if got.causes == nil {{
				got.causes = []string{{}}
			}}
			want := facts{{known: true, name: row.Name, message: row.Message, description: row.Description, causes: causes, behaviour: row.Behaviour, localOnly: row.LocalOnly, scope: got.scope, label: got.label}}
			if !reflect.DeepEqual(got, want) {{
				t.Errorf("%s %d:\n got %#v\nwant %#v", family.ID, row.Code, got, want)
			}}
			if (got.behaviour == "reconnect") != row.ShouldReconnect || (got.behaviour == "terminal") != row.IsTerminal || (got.behaviour == "temporary") != row.IsTemporary {{
				t.Errorf("%s %d: flags disagree with %s", family.ID, row.Code, got.behaviour)
			}}
		}}
		for _, row := range family.Unregistered {{
			got := read(t, row.Code)
			want := facts{{name: got.name, behaviour: row.Behaviour, scope: row.Scope, label: row.Label}}
			if !reflect.DeepEqual(got, want) {{
				t.Errorf("%s unregistered %d:\n got %#v\nwant %#v", family.ID, row.Code, got, want)
			}}
		}}
	}}
}}
"#
    )
}

fn examples(registry: &Registry, header: &str) -> String {
    let mut out = format!("{header}package codes_test\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n\n\tcodes \"{MODULE_PATH}\"\n)\n");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_ascii() {
        assert_eq!(string_literal("a\"b\\c\n\t`"), "\"a\\\"b\\\\c\\n\\t`\"");
        assert_eq!(string_literal("é🚀\u{202E}"), "\"\\u00e9\\U0001f680\\u202e\"");
    }

    #[test]
    fn comments_drop_control_and_bidi_characters() {
        assert_eq!(line_comment("a\u{202E}b\u{7}\n\nc */", "\t"), "\t// a b\n\t//\n\t// c */\n");
    }
}
