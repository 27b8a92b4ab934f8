{%- macro hint(h) -%}
BackoffHint{MinMs: {{ h.min_ms }}, MaxMs: {{ h.max_ms }}, Jitter: {{ h.jitter.go_name() }}, GiveUpAfterMs: {{ h.give_up_after_ms.unwrap_or(0) }}}
{%- endmacro -%}
{%- macro hint_or_family(h) -%}
{% if let Some(h) = h %}{% if *h == family.backoff %}{{ p }}Backoff{% else %}{% call hint(h) %}{% endcall %}{% endif %}{% else %}BackoffHint{}{% endif %}
{%- endmacro -%}
{{ header|safe }}package {{ go_package }}
{% if close %}
import "strconv"
{% else %}
import (
	"errors"
	"strconv"
)
{% endif %}
{{ family_doc|comment("") }}type {{ t }} uint16

// One block in number order, so go doc lists the codes as the registry does; the blank lines keep
// gofmt from aligning them.
const (
{% for row in rows %}{% if !loop.first %}
{% endif %}{{ row.doc|comment("\t") }}	{{ row.code.names.go_constant }} {{ t }} = {{ family.display_number(row.code.number) }}
{% endfor %})

// {{ p }}Backoff is the hint of the family's codes and ranges that try again, unless a code states its own.
var {{ p }}Backoff = {% call hint(family.backoff) %}{% endcall %}

var {{ p }}Entries = entriesByCode[{{ t }}]([]entry{
{% for code in codes %}	{code: {{ code.number }}, name: {{ code.names.variant|string }}, {% if let Some(text) = code.message.fixed() %}message: {{ text|string }}{% else %}messageVaries: {{ code.message.varies().unwrap_or_default()|string }}, knownMessages: {% if code.message.known().is_empty() %}nil{% else %}[]string{ {%- for text in code.message.known() %}{% if !loop.first %}, {% endif %}{{ text|string }}{% endfor -%} }{% endif %}{% endif %}, description: {{ code.description.trim_end()|string }}, causes: []string{ {%- for cause in code.causes %}{% if !loop.first %}, {% endif %}{{ cause|string }}{% endfor -%} }, behaviour: {{ code.behaviour.go_name() }}, localOnly: {{ code.local_only }}, action: {{ code.action.go_name() }}, backoff: {% call hint_or_family(code.backoff) %}{% endcall %}, origin: {{ code.origin.go_name() }}, since: {{ code.since.as_deref().unwrap_or("")|string }}, deprecated: {{ code.deprecated.as_deref().unwrap_or("")|string }}, changes: {% if code.changes.is_empty() %}nil{% else %}[]Change{ {%- for change in code.changes %}{% if !loop.first %}, {% endif %}{Version: {{ change.version|string }}, Note: {{ change.note|string }}}{% endfor -%} }{% endif %}, docURL: {{ code.doc_url|string }}{% if let Some(status) = code.http_status %}, httpStatus: {{ status }}{% endif %}{% if let Some(status) = code.grpc_status %}, grpcStatus: {{ status.number() }}, hasGRPCStatus: true{% endif %}},
{% endfor %}})

var {{ p }}All = []{{ t }}{
{% for code in codes %}	{{ code.names.go_constant }},
{% endfor %}}

var {{ p }}Segments = []Segment{
{% for segment in family.segments %}	{From: {{ segment.from }}, To: {{ segment.to }}, Scope: {{ segment.scope.go_name() }}, Behaviour: {{ segment.behaviour.go_name() }}, Action: {{ segment.action.go_name() }}, Backoff: {% call hint_or_family(segment.backoff) %}{% endcall %}, Label: {{ segment.label|string }}},
{% endfor %}}

var {{ p }}ByName = indexByName({{ p }}All, func(c {{ t }}) string { return {{ p }}Entries[c].name })

var {{ p }}ByMessage = indexByTexts({{ p }}All, func(c {{ t }}) []string { return {{ p }}Entries[c].texts() })

// All{{ t }} returns every registered code of family {{ family.id }}, sorted by number.
func All{{ t }}() []{{ t }} {
	return append([]{{ t }}(nil), {{ p }}All...)
}

// SegmentsOf{{ t }} returns how unregistered numbers of family {{ family.id }} classify: sorted segments
// covering 0 to 65535.
func SegmentsOf{{ t }}() []Segment {
	return append([]Segment(nil), {{ p }}Segments...)
}

// Parse{{ t }} returns the registered code with this name (as in codes.yaml), e.g. "{{ first.names.variant }}".
func Parse{{ t }}(name string) ({{ t }}, bool) {
	c, ok := {{ p }}ByName[name]
	return c, ok
}

{% if varies %}// Lookup{{ t }}Message returns the registered code this exact text identifies:
// a fixed wire message, or a text a code whose message varies is known to arrive with (the
// lowest number if several share it). A text built at run time that no code lists finds nothing.{% else %}// Lookup{{ t }}Message returns the registered code sent with this exact wire message (the lowest
// number if several share it).{% endif %}
func Lookup{{ t }}Message(message string) ({{ t }}, bool) {
	c, ok := {{ p }}ByMessage[message]
	return c, ok
}

// Classify{{ t }} classifies any number: a registered code by its own behaviour, anything else by
// the family's range rules, so a code from a newer server is still handled.
func Classify{{ t }}(code uint16) Classification[{{ t }}] {
	c := {{ t }}(code)
	segment := segmentOf({{ p }}Segments, code)
	classified := Classification[{{ t }}]{Code: c, Segment: segment, Behaviour: segment.Behaviour, Action: segment.Action, Backoff: segment.Backoff}
	if e, known := {{ p }}Entries[c]; known {
		classified.Known = true
		classified.Behaviour, classified.Action, classified.Backoff = e.behaviour, e.action, e.backoff
	}
	return classified
}

// {{ t }}FromInt returns code as a {{ t }}, or an *OutOfRangeError when it is not a number from 0
// to 65535 (coder/websocket reports close codes as int; a plain conversion would wrap).
func {{ t }}FromInt(code int) ({{ t }}, error) {
	c, err := codeFromInt(int64(code))
	return {{ t }}(c), err
}

// {{ t }}FromUint32 returns code as a {{ t }}, or an *OutOfRangeError when it is above 65535
// (centrifuge-go reports codes as uint32; a plain conversion would wrap).
func {{ t }}FromUint32(code uint32) ({{ t }}, error) {
	c, err := codeFromInt(int64(code))
	return {{ t }}(c), err
}

// MarshalText returns the code's name for a registered code, e.g. "{{ first.names.variant }}", and its
// decimal number otherwise, so JSON and log output stay readable and round-trip.
func (c {{ t }}) MarshalText() ([]byte, error) {
	if e, ok := {{ p }}Entries[c]; ok {
		return []byte(e.name), nil
	}
	return strconv.AppendUint(nil, uint64(c), 10), nil
}

// UnmarshalText reads a registered code's name or any decimal number from 0 to 65535.
func (c *{{ t }}) UnmarshalText(text []byte) error {
	code, err := codeFromText("{{ t }}", text, func(name string) (uint16, bool) {
		found, ok := {{ p }}ByName[name]
		return uint16(found), ok
	})
	if err != nil {
		return err
	}
	*c = {{ t }}(code)
	return nil
}

// IsKnown reports whether c is a registered code of family {{ family.id }}.
func (c {{ t }}) IsKnown() bool {
	_, ok := {{ p }}Entries[c]
	return ok
}

// String returns the code's name, e.g. "{{ first.names.variant }}", or "{{ t }}(<number>)" for an unregistered number.
func (c {{ t }}) String() string {
	if e, ok := {{ p }}Entries[c]; ok {
		return e.name
	}
	return "{{ t }}(" + strconv.Itoa(int(c)) + ")"
}

{% if varies %}// Message returns the exact message sent on the wire with c, or "" for an unregistered number
// and for a code whose text the sender builds at run time (MessageVaries says what that text
// holds, KnownMessages lists the texts it is known to arrive with).
func (c {{ t }}) Message() string {
	return {{ p }}Entries[c].message
}

// MessageVaries says what the text of c holds when the sender builds it at run time, or "" when
// c has a fixed message (see Message) or is an unregistered number.
func (c {{ t }}) MessageVaries() string {
	return {{ p }}Entries[c].messageVaries
}

// KnownMessages returns the exact texts c is known to arrive with when the sender builds its text
// at run time (maybe none), or nil when c has a fixed message or is an unregistered number.
func (c {{ t }}) KnownMessages() []string {
	known := {{ p }}Entries[c].knownMessages
	if known == nil {
		return nil
	}
	return append([]string(nil), known...)
}{% else %}// Message returns the exact message or close reason sent on the wire, or "" for an
// unregistered number.
func (c {{ t }}) Message() string {
	return {{ p }}Entries[c].message
}{% endif %}

// Description returns what the code means, as Markdown, or "" for an unregistered number.
func (c {{ t }}) Description() string {
	return {{ p }}Entries[c].description
}

// Causes returns the typical causes of the code, one line each, or nil for an unregistered number.
func (c {{ t }}) Causes() []string {
	causes := {{ p }}Entries[c].causes
	if causes == nil {
		return nil
	}
	return append([]string(nil), causes...)
}

// Behaviour returns what a client should do with c, registered or not.
func (c {{ t }}) Behaviour() Behaviour {
	return Classify{{ t }}(uint16(c)).Behaviour
}

// Action returns what a client should do next after c, registered or not (for an unregistered
// number, what its range implies).
func (c {{ t }}) Action() Action {
	return Classify{{ t }}(uint16(c)).Action
}

// Backoff returns how long to wait before trying again after c, registered or not; ok is false
// when the action never tries again.
func (c {{ t }}) Backoff() (hint BackoffHint, ok bool) {
	classified := Classify{{ t }}(uint16(c))
	return classified.Backoff, classified.Action.TriesAgain()
}

// Origin returns who emits c, or 0 (whose String is "unknown") for an unregistered number.
func (c {{ t }}) Origin() Origin {
	return {{ p }}Entries[c].origin
}

// Since returns the version that introduced c, or "" if the registry does not say.
func (c {{ t }}) Since() string {
	return {{ p }}Entries[c].since
}

// Deprecated returns what to use instead of c, or "" when c is not deprecated.
func (c {{ t }}) Deprecated() string {
	return {{ p }}Entries[c].deprecated
}

// Changes returns the history of c, oldest first, or nil.
func (c {{ t }}) Changes() []Change {
	changes := {{ p }}Entries[c].changes
	if changes == nil {
		return nil
	}
	return append([]Change(nil), changes...)
}

// DocURL returns the portal's stable URL of c (usable as an RFC 9457 problem type), or "" for an
// unregistered number.
func (c {{ t }}) DocURL() string {
	return {{ p }}Entries[c].docURL
}

// HTTPStatus returns the HTTP status the server answers with when it returns c as a transport
// error; ok is false when the registry does not say (and for an unregistered number).
func (c {{ t }}) HTTPStatus() (status int, ok bool) {
	status = {{ p }}Entries[c].httpStatus
	return status, status != 0
}

// GRPCStatus returns the gRPC status number (a google.golang.org/grpc/codes.Code value) the
// server answers with when it returns c as a transport error; ok is false when the registry does
// not say (and for an unregistered number).
func (c {{ t }}) GRPCStatus() (code uint32, ok bool) {
	entry := {{ p }}Entries[c]
	return entry.grpcStatus, entry.hasGRPCStatus
}

// Segment returns the range segment c falls in (for a registered code, what its range says).
func (c {{ t }}) Segment() Segment {
	return segmentOf({{ p }}Segments, uint16(c))
}

// Err returns c as an error value: a {{ t }}Error.
func (c {{ t }}) Err() error {
	return {{ t }}Error{Code: c}
}

// {{ t }}Error is an error carrying a code of family {{ family.id }}. errors.Is matches it against a
// {{ t }}Error (or *{{ t }}Error) with the same code.
type {{ t }}Error struct {
	// Code is the code the error carries (registered or not).
	Code {{ t }}
}

{% if varies %}// Error returns the family id, the number and the wire message, e.g. "{{ family.id }} {{ first.number }}: ...";
// for a code whose text the sender builds at run time, its name instead (no text is invented).
func (e {{ t }}Error) Error() string {
	text := "{{ family.id }} " + strconv.Itoa(int(e.Code))
	if entry, ok := {{ p }}Entries[e.Code]; ok {
		if entry.messageVaries != "" {
			return text + " " + entry.name
		}
		return text + ": " + entry.message
	}
	return text + ": unregistered code"
}{% else %}// Error returns the family id, the number and the wire message, e.g. "{{ family.id }} {{ first.number }}: ...".
func (e {{ t }}Error) Error() string {
	text := "{{ family.id }} " + strconv.Itoa(int(e.Code))
	if message := e.Code.Message(); message != "" {
		return text + ": " + message
	}
	return text + ": unregistered code"
}{% endif %}

// Is reports whether target is a {{ t }}Error with the same code.
func (e {{ t }}Error) Is(target error) bool {
	switch t := target.(type) {
	case {{ t }}Error:
		return t.Code == e.Code
	case *{{ t }}Error:
		return t != nil && t.Code == e.Code
	}
	return false
}
{% if close %}
// ShouldReconnect reports whether a client should reconnect (with backoff) after c, registered or not.
func (c {{ t }}) ShouldReconnect() bool {
	return c.Behaviour() == BehaviourReconnect
}

// IsTerminal reports whether a client must not reconnect on its own after c, registered or not.
func (c {{ t }}) IsTerminal() bool {
	return c.Behaviour() == BehaviourTerminal
}

// IsLocalOnly reports whether c is only reported locally by an endpoint and never sent in a
// close frame (RFC 6455, section 7.4.1).
func (c {{ t }}) IsLocalOnly() bool {
	return {{ p }}Entries[c].localOnly
}{% else %}
// IsTemporary reports whether retrying later may succeed after c, registered or not.
func (c {{ t }}) IsTemporary() bool {
	return c.Behaviour() == BehaviourTemporary
}

// {{ t }}Of finds a code of family {{ family.id }} in err or anything it wraps,
// like errors.As: a {{ t }}Error,
// or an error of Centrifugo's client or server library (see ErrorCodeOf), without depending on
// either. ok is false when there is none, or its number is above 65535. It reads only the number:
// no text is taken from the error or made up for it.
func {{ t }}Of(err error) (code {{ t }}, ok bool) {
	var own {{ t }}Error
	if errors.As(err, &own) {
		return own.Code, true
	}
	number, found := ErrorCodeOf(err)
	if !found {
		return 0, false
	}
	c, rangeErr := {{ t }}FromUint32(number)
	return c, rangeErr == nil
}{% endif %}