// Package codebook holds the typed error and disconnect codes of codes.yaml: per family a named
// uint16 type with a constant per registered code, lookups by name and message, and
// classification of any number (registered or not) by the family's range rules, with the action
// a client should take and its backoff hint. It also holds what every WebSocket client needs
// beside the codes: the backoff delay, close-code safety and close-reason truncation.
package codebook

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

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

// MarshalText returns the action as spelled in codes.yaml, so JSON and log output show
// "reconnect_after_backoff" rather than a number; the zero value is an error.
func (a Action) MarshalText() ([]byte, error) {
	return marshalName("Action", a.String(), a != 0 && int(a) < len(actionFacts))
}

// UnmarshalText parses the spelling of codes.yaml, e.g. "reconnect_after_backoff".
func (a *Action) UnmarshalText(text []byte) error {
	for index := 1; index < len(actionFacts); index++ {
		if actionFacts[index].name == string(text) {
			*a = Action(index)
			return nil
		}
	}
	return &UnknownNameError{Type: "Action", Name: string(text)}
}

// UnknownNameError is returned by UnmarshalText and the From functions for text or numbers that
// do not name a value of the type.
type UnknownNameError struct {
	// Type is the Go type, e.g. "Action".
	Type string
	// Name is the text that was not recognised.
	Name string
}

// Error says which text was not a value of which type.
func (e *UnknownNameError) Error() string {
	return "codebook: " + strconv.Quote(e.Name) + " is not a " + e.Type
}

// marshalName returns name as text, or an error for a value outside the type's constants.
func marshalName(typeName, name string, valid bool) ([]byte, error) {
	if !valid {
		return nil, &UnknownNameError{Type: typeName, Name: name}
	}
	return []byte(name), nil
}

// unmarshalName sets *value to the constant whose String is text.
func unmarshalName[T interface {
	~uint8
	String() string
}](typeName string, value *T, text []byte, all ...T) error {
	for _, candidate := range all {
		if candidate.String() == string(text) {
			*value = candidate
			return nil
		}
	}
	return &UnknownNameError{Type: typeName, Name: string(text)}
}

// OutOfRangeError is returned for a number that cannot be a code: codes are 0 to 65535, and
// converting a larger uint32 or int to uint16 would silently wrap (65536+42 becomes 42).
type OutOfRangeError struct {
	// Value is the number that was given.
	Value int64
}

// Error says which number is out of range.
func (e *OutOfRangeError) Error() string {
	return "codebook: " + strconv.FormatInt(e.Value, 10) + " is not a code (codes are 0 to 65535)"
}

// codeFromInt checks that value is a code number.
func codeFromInt(value int64) (uint16, error) {
	if value < 0 || value > math.MaxUint16 {
		return 0, &OutOfRangeError{Value: value}
	}
	return uint16(value), nil
}

// codeFromText reads a code from its name (via parse) or its decimal number.
func codeFromText(typeName string, text []byte, parse func(string) (uint16, bool)) (uint16, error) {
	if code, ok := parse(string(text)); ok {
		return code, nil
	}
	number, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		return 0, &UnknownNameError{Type: typeName, Name: string(text)}
	}
	return codeFromInt(number)
}

// BackoffHint says how long to wait before trying again, and when to give up. The zero value
// means "no hint": the action does not try again, and DelayMs on it reports ok=false (give up),
// never a zero delay, so a loop that forgets to check Action.TriesAgain() stops instead of
// spinning.
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
// milliseconds since the first failure and one random 32-bit number (RandomUint32, backed by
// math/rand/v2; a Mulberry32 only in tests); ok is false when it is time to give up, and for the
// zero BackoffHint (no hint: the action does not try again).
//
// With full jitter attempt n draws uniformly from MinMs to min(MaxMs, MinMs * 2^(n+1)), so even
// the first retry of a fleet closed at once is spread over [MinMs, 2*MinMs]; without jitter the
// delay is min(MaxMs, MinMs * 2^n). A zero MinMs counts as 1 and a MaxMs below it as MinMs, so
// the delay is never 0; attempts from 32 up (to math.MaxUint32) share the largest window. The
// arithmetic is the same in every binding, so a seeded source gives the same delays in Rust,
// TypeScript and Go.
func (h BackoffHint) DelayMs(attempt uint32, elapsedMs uint64, random uint32) (delayMs uint32, ok bool) {
	if h.Jitter != JitterFull && h.Jitter != JitterNone {
		return 0, false
	}
	if h.GiveUpAfterMs != 0 && elapsedMs >= uint64(h.GiveUpAfterMs) {
		return 0, false
	}
	low := max(h.MinMs, 1)
	limit := uint64(max(h.MaxMs, low))
	// low < 2^32, so a shift of at most 32 fits a uint64 and already exceeds every limit;
	// min(attempt, 31)+1 is attempt+1 without wrapping at math.MaxUint32.
	if h.Jitter == JitterNone {
		return uint32(min(uint64(low)<<min(attempt, 32), limit)), true
	}
	high := uint32(min(uint64(low)<<(min(attempt, 31)+1), limit))
	span := float64(high-low) + 1
	// The explicit conversions keep the compiler from fusing operations: every binding rounds
	// each step the same way.
	offset := math.Floor(float64(float64(random)/4294967296) * span)
	return low + uint32(offset), true
}

// Delay is DelayMs with time.Duration values. A negative elapsed time (a wall clock stepped
// backwards) counts as zero, as in every binding.
func (h BackoffHint) Delay(attempt uint32, elapsed time.Duration, random uint32) (time.Duration, bool) {
	elapsedMs := uint64(0)
	if elapsed > 0 {
		elapsedMs = uint64(elapsed / time.Millisecond)
	}
	delayMs, ok := h.DelayMs(attempt, elapsedMs, random)
	return time.Duration(delayMs) * time.Millisecond, ok
}

// IsZero reports whether h is the zero value: no hint, the action does not try again.
func (h BackoffHint) IsZero() bool {
	return h == BackoffHint{}
}

// RandomUint32 returns a random 32-bit number from math/rand/v2's generator (ChaCha8, seeded from
// the operating system for each process): the default source for DelayMs and Delay. Every client
// draws different numbers, which is what spreads a fleet's reconnects. Safe for concurrent use.
func RandomUint32() uint32 {
	return rand.Uint32()
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
	code uint16
	name string
	// message is the fixed wire text; "" when the sender builds the text at run time.
	message string
	// messageVaries says what a text built at run time holds; "" for a fixed text.
	messageVaries string
	// knownMessages are exact texts a code without a fixed one is known to arrive with.
	knownMessages []string
	description   string
	causes        []string
	behaviour     Behaviour
	localOnly     bool
	action        Action
	backoff       BackoffHint
	origin        Origin
	since         string
	deprecated    string
	changes       []Change
	docURL        string
	// httpStatus is the HTTP status of the code as a transport error; 0 when the registry does not say.
	httpStatus int
	// grpcStatus is the gRPC status number of the code as a transport error, valid when hasGRPCStatus.
	grpcStatus    uint32
	hasGRPCStatus bool
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

// texts returns every exact text that identifies the code: its fixed message, or the texts it is
// known to arrive with when the sender builds the text at run time.
func (e entry) texts() []string {
	if e.messageVaries != "" {
		return e.knownMessages
	}
	return []string{e.message}
}

// indexByTexts indexes codes by each of their texts; codes come in number order, so where codes
// share a text the lowest number keeps it.
func indexByTexts[C comparable](all []C, texts func(C) []string) map[string]C {
	index := make(map[string]C, len(all))
	for _, c := range all {
		for _, text := range texts(c) {
			if _, seen := index[text]; !seen {
				index[text] = c
			}
		}
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
	switch wrapper := err.(type) { //nolint:errorlint // walks the chain itself, one link at a time, as errors.As does
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
	default:
	}
	return 0, false
}

// ClassifyCloseError classifies the close code an error carries (see CloseCodeOf) with a family's
// classifier, e.g. ClassifyCloseError(err, Classify<Family>) with a family's generated classifier; ok is false when err
// carries no close code.
func ClassifyCloseError[C ~uint16](err error, classify func(uint16) Classification[C]) (classified Classification[C], ok bool) {
	code, ok := CloseCodeOf(err)
	if !ok {
		return classified, false
	}
	return classify(code), true
}

// ErrorCodeOf finds an error code carried by err or anything it wraps (errors.Unwrap, and
// Unwrap() []error as built by errors.Join), in the order errors.As searches.
//
// It recognises, without depending on any Centrifugo package, the error types of Centrifugo's
// client and server libraries: a struct, or a pointer to one, named Error with an unsigned
// integer field Code and a string field Message (centrifuge-go's centrifuge.Error, centrifuge's
// centrifuge.Error). The generated <Family>Of functions of error families use it; ok is false
// when there is no such error.
func ErrorCodeOf(err error) (code uint32, ok bool) {
	if err == nil {
		return 0, false
	}
	if code, ok := errorCodeIn(err); ok {
		return code, true
	}
	switch wrapper := err.(type) { //nolint:errorlint // walks the chain itself, one link at a time, as errors.As does
	case interface{ Unwrap() error }:
		return ErrorCodeOf(wrapper.Unwrap())
	case interface{ Unwrap() []error }:
		for _, inner := range wrapper.Unwrap() {
			if code, ok := ErrorCodeOf(inner); ok {
				return code, true
			}
		}
	}
	return 0, false
}

// errorCodeIn reads the error code of err itself, not of what it wraps.
func errorCodeIn(err error) (uint32, bool) {
	value := reflect.ValueOf(err)
	if value.Kind() == reflect.Pointer {
		if value.IsNil() {
			return 0, false
		}
		value = value.Elem()
	}
	if value.Kind() != reflect.Struct || value.Type().Name() != "Error" {
		return 0, false
	}
	if message := value.FieldByName("Message"); message.Kind() != reflect.String {
		return 0, false
	}
	field := value.FieldByName("Code")
	switch field.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if code := field.Uint(); code <= math.MaxUint32 {
			return uint32(code), true
		}
	default:
	}
	return 0, false
}

// SdkEventAnswer is what the code of an official SDK's event means, with the family that answered
// (the SDK's own, or the server's family the SDK passed the code on from).
type SdkEventAnswer struct {
	// Family is the id of the family that answered, as codes.yaml spells it.
	Family string
	// Known reports whether the number is a registered code of Family.
	Known bool
	// Name and Message are the registered code's name and exact wire message ("" when not Known,
	// and Message "" for a code whose text the sender builds at run time).
	Name, Message string
	// MessageVaries says what the text of a code without a fixed one holds, and KnownMessages
	// lists the exact texts it is known to arrive with ("" and nil for a fixed text).
	MessageVaries string
	KnownMessages []string
	Behaviour     Behaviour
	Action        Action
	// Backoff is the hint when Action tries again (Action.TriesAgain()), else the zero value.
	Backoff BackoffHint
}

func sdkEventAnswer[C ~uint16](family string, c Classification[C], entries map[C]entry) SdkEventAnswer {
	answer := SdkEventAnswer{Family: family, Known: c.Known, Behaviour: c.Behaviour, Action: c.Action, Backoff: c.Backoff}
	if e, ok := entries[c.Code]; ok && c.Known {
		answer.Name, answer.Message, answer.MessageVaries = e.name, e.message, e.messageVaries
		answer.KnownMessages = append([]string(nil), e.knownMessages...)
	}
	return answer
}
