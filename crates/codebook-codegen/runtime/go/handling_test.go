package codebook

import (
	"encoding/json"
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

// coderStatusCode and coderCloseError have the shape of coder/websocket's StatusCode and
// CloseError.
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
		{"gorilla pointer", &gorillaCloseError{Code: 4242, Text: "busy"}, 4242, true},
		{"gorilla wrapped", fmt.Errorf("read: %w", &gorillaCloseError{Code: 4321}), 4321, true},
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
		{"not named CloseError", codeError{Code: 4242}, 0, false},
		{"Code not a number", textCloseError{Code: "4242"}, 0, false},
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
		return Classification[uint16]{Code: code, Known: code == 4242, Action: ActionWaitForCapacity}
	}
	classified, ok := ClassifyCloseError(fmt.Errorf("read: %w", &gorillaCloseError{Code: 4242}), classify)
	if !ok || classified.Code != 4242 || !classified.Known || classified.Action != ActionWaitForCapacity {
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
		ceiling := min(uint64(1000)<<min(attempt+1, 32), 30000)
		if delay != time.Duration(delayMs)*time.Millisecond || delayMs < 1000 || uint64(delayMs) > ceiling {
			t.Errorf("attempt %d: %d ms (%v) outside 1000..%d", attempt, delayMs, delay, ceiling)
		}
	}
	// The first retry is jittered too: a fleet closed at once spreads over [min, 2*min].
	if delayMs, ok := full.DelayMs(0, 0, ^uint32(0)); !ok || delayMs != 2000 {
		t.Errorf("the largest random number at attempt 0 gives %d, %v; want twice the minimum", delayMs, ok)
	}
}

func TestTruncateCloseReasonOfBytesThatAreNotUTF8(t *testing.T) {
	reason := strings.Repeat("\x80", 200)
	if got := TruncateCloseReason(reason); len(got) != MaxCloseReasonBytes-3 {
		t.Errorf("cut %d bytes of continuation bytes to %d; want %d", len(reason), len(got), MaxCloseReasonBytes-3)
	}
}

// The zero hint means "no hint": never a zero delay, so a loop that forgets to ask
// Action.TriesAgain() stops instead of reconnecting in a tight loop.
func TestZeroHintNeverMeansRetryNow(t *testing.T) {
	var none BackoffHint
	if !none.IsZero() {
		t.Fatal("the zero hint is not IsZero")
	}
	for attempt := uint32(0); attempt < 40; attempt++ {
		if delay, ok := none.DelayMs(attempt, 0, 0xFFFFFFFF); ok {
			t.Fatalf("zero hint, attempt %d: retry after %d ms", attempt, delay)
		}
	}
	if delay, ok := none.Delay(0, 0, 0); ok {
		t.Fatalf("zero hint: Delay says retry after %v", delay)
	}
	if delay, ok := (BackoffHint{MaxMs: 10, Jitter: JitterNone}).DelayMs(0, 0, 0); ok && delay == 0 {
		t.Fatal("a hint without MinMs: retry after 0 ms")
	}
	if _, ok := (BackoffHint{MinMs: 1, MaxMs: 1, Jitter: JitterNone}).DelayMs(0, 0, 0); !ok {
		t.Fatal("a real hint gives up at once")
	}
}

// Enums marshal as their codes.yaml spelling, so JSON and slog show words, and parse back.
func TestEnumsMarshalAsText(t *testing.T) {
	type record struct {
		Action    Action    `json:"action"`
		Behaviour Behaviour `json:"behaviour"`
		Scope     Scope     `json:"scope"`
		Origin    Origin    `json:"origin"`
		Jitter    Jitter    `json:"jitter"`
	}
	in := record{ActionWaitForCapacity, BehaviourTerminal, ScopePrivate, OriginUserAgent, JitterFull}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"action":"wait_for_capacity","behaviour":"terminal","scope":"private","origin":"user_agent","jitter":"full"}`
	if string(data) != want {
		t.Fatalf("json.Marshal = %s, want %s", data, want)
	}
	var out record
	if err := json.Unmarshal(data, &out); err != nil || out != in {
		t.Fatalf("json.Unmarshal = %+v, %v", out, err)
	}
	var unknown *UnknownNameError
	if err := json.Unmarshal([]byte(`{"action":"retry_now"}`), &out); !errors.As(err, &unknown) {
		t.Fatalf("an unknown action parses: %v", err)
	}
	if _, err := json.Marshal(record{}); !errors.As(err, &unknown) {
		t.Fatalf("the zero Action marshals: %v", err)
	}
	for action := ActionNone; action <= ActionStop; action++ {
		text, err := action.MarshalText()
		var back Action
		if err != nil || back.UnmarshalText(text) != nil || back != action {
			t.Errorf("%v does not round-trip: %q, %v", action, text, err)
		}
	}
}

// centrifugeError has the shape of centrifuge-go's and centrifuge's Error (type name Error,
// fields Code and Message); the package finds it without depending on either.
type centrifugeError struct {
	Code      uint32
	Message   string
	Temporary bool
}

func (e centrifugeError) Error() string { return e.Message }

func TestErrorCodeOfNeedsTheCentrifugeShape(t *testing.T) {
	// The test type is not named Error, so it is not recognised...
	if _, ok := ErrorCodeOf(centrifugeError{Code: 43, Message: "expired"}); ok {
		t.Fatal("a type not named Error was taken for an SDK's")
	}
	if _, ok := ErrorCodeOf(nil); ok {
		t.Fatal("nil carries a code")
	}
	var nilPointer *centrifugeError
	if _, ok := ErrorCodeOf(nilPointer); ok {
		t.Fatal("a nil pointer carries a code")
	}
}
