{{ header|safe }}package {{ go_package }}_test

import (
{%- if error_family.is_some() %}
	"encoding/json"
{%- endif %}
	"errors"
	"fmt"

	{{ module_path|string }}
)

// sessionCloseError stands for a WebSocket library's close error, e.g. gorilla/websocket's.
type sessionCloseError struct {
	Code int
	Text string
}

func (e *sessionCloseError) Error() string { return e.Text }

// ExampleCloseCodeOf finds the close code in a wrapped error of any WebSocket library.
func ExampleCloseCodeOf() {
	err := fmt.Errorf("read: %w", &sessionCloseError{Code: 4001, Text: "closed"})
	code, ok := {{ go_package }}.CloseCodeOf(err)
	fmt.Println(code, ok)
	// Output: 4001 true
}

// ExampleSafeCloseCode passes a received code on: 1006 is never sent, so a browser and a proxy
// each get a code they may send.
func ExampleSafeCloseCode() {
	fmt.Println({{ go_package }}.SafeCloseCode(1006, {{ go_package }}.CloseSenderBrowser), {{ go_package }}.SafeCloseCode(1006, {{ go_package }}.CloseSenderEndpoint))
	fmt.Println({{ go_package }}.SafeCloseCode(4001, {{ go_package }}.CloseSenderBrowser))
	// Output:
	// {{ browser_1006 }} {{ endpoint_1006 }}
	// {{ browser_4001 }}
}
{% if let Some(close) = close_code %}
// ExampleClassifyCloseError classifies the close code an error carries with a family's rules.
func ExampleClassifyCloseError() {
	err := fmt.Errorf("read: %w", &sessionCloseError{Code: {{ close.number }}, Text: "closed"})
	classified, ok := {{ go_package }}.ClassifyCloseError(err, {{ go_package }}.Classify{{ close_type }})
	fmt.Println(ok, classified.Code, classified.Action)
	// Output: true {{ close.names.variant }} {{ close.action.as_str() }}
}
{% endif %}
// ExampleBackoffHint_DelayMs computes a reconnect loop's delays with real randomness: every
// client of a fleet draws its own, so they do not come back in lockstep.
func ExampleBackoffHint_DelayMs() {
{% if let Some(constant) = retrying_constant %}	hint, _ := {{ go_package }}.{{ constant }}.Backoff()
{% else %}	hint := {{ go_package }}.BackoffHint{MinMs: {{ hint.min_ms }}, MaxMs: {{ hint.max_ms }}, Jitter: {{ go_package }}.{{ hint.jitter.go_name() }}, GiveUpAfterMs: {{ hint.give_up_after_ms.unwrap_or(0) }}}
{% endif %}	windows := [][2]uint32{ {%- for window in windows %}{% if !loop.first %}, {% endif %}{ {{- window.low_ms }}, {{ window.high_ms -}} }{% endfor -%} }
	for attempt := uint32(0); attempt < 5; attempt++ {
		elapsedMs := uint64(0) // milliseconds since the first failure
		delayMs, ok := hint.DelayMs(attempt, elapsedMs, {{ go_package }}.RandomUint32())
		if ok && delayMs >= windows[attempt][0] && delayMs <= windows[attempt][1] {
			fmt.Printf("attempt %d: within [%d, %d] ms\n", attempt, windows[attempt][0], windows[attempt][1])
		}
	}
	// Output:
{% for window in windows %}	// attempt {{ loop.index0 }}: within [{{ window.low_ms }}, {{ window.high_ms }}] ms
{% endfor %}}
{% for e in examples %}{% let t = e.t %}
// Example{{ t }} reads a code the way a client receives it: as a plain number.
func Example{{ t }}() {
	code := {{ go_package }}.{{ t }}({{ e.first.number }})
	fmt.Println(code, code.IsKnown(), code == {{ go_package }}.{{ e.first.names.go_constant }})
	fmt.Println(code.{{ e.flag_call }}())
	// Output:
	// {{ e.first.names.variant }} true true
	// {{ e.flag_value }}
}

// ExampleClassify{{ t }} classifies a number no registered code has, as a newer server may send.
func ExampleClassify{{ t }}() {
	classified := {{ go_package }}.Classify{{ t }}({{ e.unregistered }})
	fmt.Println(classified.Known, classified.Behaviour, classified.Code.{{ e.flag_call }}())
	// Output: false {{ e.unknown.behaviour.as_str() }} {{ e.unknown_flag }}
}

// Example{{ t }}Error matches a wrapped code with errors.Is.
func Example{{ t }}Error() {
	err := fmt.Errorf("request failed: %w", {{ go_package }}.{{ e.first.names.go_constant }}.Err())
	fmt.Println(errors.Is(err, {{ go_package }}.{{ t }}Error{Code: {{ go_package }}.{{ e.first.names.go_constant }}}))
	// Output: true
}
{% endfor %}
{%- if let Some(e) = error_family %}
// Error has the shape of the error type of Centrifugo's client library (centrifuge-go's
// centrifuge.Error) and server library: a struct named Error with Code and Message.
type Error struct {
	Code      uint32
	Message   string
	Temporary bool
}

func (e *Error) Error() string { return e.Message }

// Example{{ e.t }}Of finds a Centrifugo error code anywhere in an error chain, with no dependency
// on centrifuge-go; a number above 65535 is not taken for a code.
func Example{{ e.t }}Of() {
	err := fmt.Errorf("subscribe: %w", &Error{Code: {{ e.code.number }}, Message: "from the server"})
	code, ok := {{ go_package }}.{{ e.t }}Of(err)
	fmt.Println(code, ok)
	_, ok = {{ go_package }}.{{ e.t }}Of(&Error{Code: 65536 + {{ e.code.number }}, Message: "not a code"})
	fmt.Println(ok)
	_, ok = {{ go_package }}.{{ e.t }}Of(errors.New("no code here"))
	fmt.Println(ok)
	// Output:
	// {{ e.code.names.variant }} true
	// false
	// false
}

// Example{{ e.t }}_MarshalText shows codes in JSON: the name of a registered code, the number of
// any other.
func Example{{ e.t }}_MarshalText() {
	data, err := json.Marshal(map[string]{{ go_package }}.{{ e.t }}{"known": {{ e.code.number }}, "unknown": {{ e.unregistered }}})
	fmt.Println(string(data), err)
	// Output: {"known":"{{ e.code.names.variant }}","unknown":"{{ e.unregistered }}"} <nil>
}
{%- endif %}
{%- if let Some((t, code)) = varying %}
{#- The examples above end in a newline; the error family's block does not. #}
{%- if error_family.is_some() %}
{% endif %}
// Example{{ t }}_MessageVaries reads a code whose text is built at run time.
// Message is empty, MessageVaries says what the text holds, and a known text finds the code.
func Example{{ t }}_MessageVaries() {
	code := {{ go_package }}.{{ code.names.go_constant }}
	fmt.Println(code.Message() == "", code.MessageVaries() != "", len(code.KnownMessages()))
{%- if let Some(text) = code.message.known().first() %}
	found, ok := {{ go_package }}.Lookup{{ t }}Message({{ text|string }})
	fmt.Println(found == code, ok)
{%- endif %}
	// Output:
	// true true {{ code.message.known().len() }}
{%- if code.message.known().first().is_some() %}
	// true true
{%- endif %}
}
{%- endif %}
