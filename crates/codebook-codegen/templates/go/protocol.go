{{ header|safe }}package {{ go_package }}
{% for e in enums %}
{{ e.doc|comment("") }}type {{ e.type_name }} uint8

const (
{% for v in e.values %}{{ v.doc|comment("\t") }}	{{ v.constant }}{% if loop.first %} {{ e.type_name }} = iota + 1{% endif %}
{% endfor %})

{{ e.string_doc|comment("") }}func ({{ e.receiver }} {{ e.type_name }}) String() string {
	switch {{ e.receiver }} {
{% for v in e.values %}	case {{ v.constant }}:
		return "{{ v.spelling }}"
{% endfor %}	}
	return "unknown"
}

// MarshalText returns the spelling of codes.yaml, so JSON and log output show a word, not a
// number; a value outside the constants is an error.
func ({{ e.receiver }} {{ e.type_name }}) MarshalText() ([]byte, error) {
	return marshalName("{{ e.type_name }}", {{ e.receiver }}.String(), {{ e.receiver }}.String() != "unknown")
}

// UnmarshalText parses the spelling of codes.yaml.
func ({{ e.receiver }} *{{ e.type_name }}) UnmarshalText(text []byte) error {
	return unmarshalName("{{ e.type_name }}", {{ e.receiver }}, text{% for v in e.values %}, {{ v.constant }}{% endfor %})
}
{% endfor %}
// Action is what a client should do next, beyond "reconnect or not": the closed set every
// binding shares.
type Action uint8

const (
{% for action in actions %}{{ action.doc|comment("	") }}	{{ action.name }}{% if loop.first %} Action = iota + 1{% endif %}
{% endfor %})

// actionFacts holds each action's spelling, advice and whether it tries again, by value.
var actionFacts = [...]struct {
	name       string
	advice     string
	triesAgain bool
}{
	{},
{% for action in actions %}	{name: "{{ action.action.as_str() }}", advice: {{ action.action.advice()|string }}, triesAgain: {{ action.action.tries_again() }}},
{% endfor %}}

// MaxCloseReasonBytes is the longest close reason a close frame carries, in UTF-8 bytes (RFC 6455,
// section 5.5).
const MaxCloseReasonBytes = {{ max_close_reason_bytes }}

// closeCodeRules says what every close code may be used for: sorted runs covering 0 to 65535
// (RFC 6455 section 7.4, WHATWG WebSocket).
var closeCodeRules = []CloseCodeRule{
{% for rule in rules %}	{From: {{ rule.from }}, To: {{ rule.to }}, Label: {{ rule.label|string }}, EndpointMaySend: {{ rule.endpoint_may_send }}, BrowserMaySend: {{ rule.browser_may_send }}, NeverOnWire: {{ rule.never_on_wire }}, EndpointForwards: {{ rule.endpoint_forwards }}, BrowserForwards: {{ rule.browser_forwards }}},
{% endfor %}}
