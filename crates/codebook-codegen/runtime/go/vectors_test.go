package codebook

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"testing"
	"testing/quick"
	"time"
)

// facts is what a binding says about one number, in the vocabulary of vectors.json.
type facts struct {
	known         bool
	name          string
	message       string
	messageVaries string
	knownMessages []string
	description   string
	causes        []string
	behaviour     string
	localOnly     bool
	scope         string
	label         string
	action        string
	backoff       BackoffHint
	origin        string
	since         string
	deprecated    string
	changes       []Change
	docURL        string
	// httpStatus and grpcStatus are the transport statuses as text, "" when the registry does not say.
	httpStatus string
	grpcStatus string
}

// statusText spells an optional status the way facts holds it.
func statusText[N int | uint32](status N, ok bool) string {
	if !ok {
		return ""
	}
	return fmt.Sprint(status)
}

// pointerText spells an optional status of vectors.json the way facts holds it.
func pointerText[N int | uint32](status *N) string {
	if status == nil {
		return ""
	}
	return fmt.Sprint(*status)
}

// adapter reads numbers through one family's API.
type adapter struct {
	read  func(t *testing.T, n uint16) facts
	count func() int
	// lookup is the family's Lookup<T>Message.
	lookup func(text string) (uint16, bool)
}

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
	SdkEvents []struct {
		Event  string   `json:"event"`
		Sdks   []string `json:"sdks"`
		Code   uint32   `json:"code"`
		Family *string  `json:"family"`
		Known  bool     `json:"known"`
		Name   *string  `json:"name"`
		Action *string  `json:"action"`
	} `json:"sdk_events"`
	Families []struct {
		ID      string   `json:"id"`
		Backoff *hintRow `json:"backoff"`
		Codes   []struct {
			Code            uint16   `json:"code"`
			Name            string   `json:"name"`
			Message         *string  `json:"message"`
			MessageVaries   *string  `json:"message_varies"`
			KnownMessages   []string `json:"known_messages"`
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
			DocURL     string  `json:"doc_url"`
			HTTPStatus *int    `json:"http_status"`
			GRPCStatus *uint32 `json:"grpc_status"`
		} `json:"codes"`
		MessageLookups []struct {
			Message string `json:"message"`
			Code    uint16 `json:"code"`
		} `json:"message_lookups"`
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
	HostileDelays []struct {
		Hint      *hintRow `json:"hint"`
		Attempt   uint64   `json:"attempt"`
		ElapsedMs int64    `json:"elapsed_ms"`
		Random    uint32   `json:"random"`
		DelayMs   *uint32  `json:"delay_ms"`
	} `json:"hostile_delays"`
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
	raw, err := os.ReadFile("testdata/vectors.json")
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
			if (row.Message == nil) == (row.MessageVaries == nil) || (row.Message != nil && len(row.KnownMessages) != 0) {
				t.Fatalf("%s %d: a row has exactly one of message and message_varies, known messages only with the latter", family.ID, row.Code)
			}
			message, messageVaries := "", ""
			var known []string
			if row.Message != nil {
				message = *row.Message
			} else {
				messageVaries, known = *row.MessageVaries, row.KnownMessages
			}
			if len(known) == 0 {
				known = nil
			}
			if len(got.knownMessages) == 0 {
				got.knownMessages = nil
			}
			want := facts{known: true, name: row.Name, message: message, messageVaries: messageVaries, knownMessages: known, description: row.Description, causes: causes, behaviour: row.Behaviour, localOnly: row.LocalOnly, scope: got.scope, label: got.label, action: row.Action, backoff: row.Backoff.hint(t), origin: row.Origin, since: row.Since, deprecated: row.Deprecated, changes: changes, docURL: row.DocURL, httpStatus: pointerText(row.HTTPStatus), grpcStatus: pointerText(row.GRPCStatus)}
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

// Every text the model's message_lookups table lists finds its code; the table holds every fixed
// and known text of the family; and a text no code uses (or a varying code's prose) finds nothing.
func TestMessageLookupVectors(t *testing.T) {
	vectors := loadVectors(t)
	for _, family := range vectors.Families {
		lookup := adapters[family.ID].lookup
		listed := map[string]bool{}
		for _, row := range family.MessageLookups {
			listed[row.Message] = true
			if got, ok := lookup(row.Message); !ok || got != row.Code {
				t.Errorf("%s: lookup %q = %d, %v; want %d", family.ID, row.Message, got, ok, row.Code)
			}
		}
		for _, row := range family.Codes {
			texts := row.KnownMessages
			if row.Message != nil {
				texts = []string{*row.Message}
			}
			for _, text := range texts {
				if !listed[text] {
					t.Errorf("%s %d: text %q is missing from message_lookups", family.ID, row.Code, text)
				}
			}
			if row.MessageVaries != nil && !listed[*row.MessageVaries] {
				if got, ok := lookup(*row.MessageVaries); ok {
					t.Errorf("%s %d: the prose of a varying text finds %d", family.ID, row.Code, got)
				}
			}
		}
		if got, ok := lookup("\x00 no code of this family sends this text"); ok {
			t.Errorf("%s: a text no code uses finds %d", family.ID, got)
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

// TestHostileDelayVectors: attempts beyond uint32 saturate (they share the largest window), and a
// negative elapsed time goes through Delay, which counts it as zero.
func TestHostileDelayVectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors.HostileDelays) < 100 {
		t.Fatalf("only %d hostile delay calls", len(vectors.HostileDelays))
	}
	for _, call := range vectors.HostileDelays {
		hint := call.Hint.hint(t)
		attempt := uint32(min(call.Attempt, math.MaxUint32))
		var delayMs uint32
		var ok bool
		if call.ElapsedMs < 0 {
			var delay time.Duration
			delay, ok = hint.Delay(attempt, time.Duration(call.ElapsedMs)*time.Millisecond, call.Random)
			delayMs = uint32(delay / time.Millisecond)
		} else {
			delayMs, ok = hint.DelayMs(attempt, uint64(call.ElapsedMs), call.Random)
		}
		if ok != (call.DelayMs != nil) || (ok && delayMs != *call.DelayMs) {
			t.Errorf("%#v attempt %d elapsed %d random %d: got %d, %v; want %v", hint, call.Attempt, call.ElapsedMs, call.Random, delayMs, ok, call.DelayMs)
		}
	}
}

// TestDelayProperties: any hint, attempt, elapsed time and random number gives up or waits from
// 1 ms to the cap, never zero; the zero hint never tries again.
func TestDelayProperties(t *testing.T) {
	property := func(minMs, maxMs, giveUp uint32, none bool, attempt uint32, elapsed int64, random uint32) bool {
		hint := BackoffHint{MinMs: minMs, MaxMs: maxMs, Jitter: JitterFull, GiveUpAfterMs: giveUp}
		if none {
			hint.Jitter = JitterNone
		}
		delay, ok := hint.Delay(attempt, time.Duration(elapsed), random)
		if !ok {
			return giveUp != 0 && max(elapsed, 0)/int64(time.Millisecond) >= int64(giveUp)
		}
		low := max(minMs, 1)
		ms := uint32(delay / time.Millisecond)
		return delay%time.Millisecond == 0 && ms >= low && ms <= max(maxMs, low)
	}
	if err := quick.Check(property, &quick.Config{MaxCount: 20000}); err != nil {
		t.Error(err)
	}
	for _, attempt := range []uint32{0, 31, 32, math.MaxUint32 - 1, math.MaxUint32} {
		if delay, ok := (BackoffHint{}).DelayMs(attempt, 0, 0); ok || delay != 0 {
			t.Errorf("the zero hint tried again at attempt %d: %d", attempt, delay)
		}
		if delay, ok := (BackoffHint{MinMs: 1, MaxMs: math.MaxUint32, Jitter: JitterFull}).DelayMs(attempt, 0, math.MaxUint32); !ok || delay == 0 {
			t.Errorf("attempt %d: %d, %v", attempt, delay, ok)
		}
	}
}

// Every SDK event helper answers each context code of the vectors as the model does: the family
// that answers, the registered name and the action; a number above 65535 is no code (never
// wrapped, so 65536+42 is not 42).
func TestSdkEventHelpersFollowTheVectors(t *testing.T) {
	vectors := loadVectors(t)
	events := map[string]bool{}
	for _, row := range vectors.SdkEvents {
		if !slices.Contains(row.Sdks, "centrifuge-go") {
			// Another SDK's numbers (centrifuge-js's or centrifuge-python's error event): no Go helper reads them.
			continue
		}
		events[row.Event] = true
		helper, ok := sdkEventHelpers[row.Event]
		if !ok {
			t.Fatalf("no helper for SDK event %q", row.Event)
		}
		answer, ok := helper(row.Code)
		if row.Family == nil {
			if ok {
				t.Errorf("%s %d: answered %+v, but the number is no code", row.Event, row.Code, answer)
			}
			continue
		}
		if !ok || answer.Family != *row.Family || answer.Known != row.Known || answer.Action.String() != *row.Action {
			t.Errorf("%s %d: got %+v (ok %v), want family %s known %v action %s", row.Event, row.Code, answer, ok, *row.Family, row.Known, *row.Action)
		}
		if row.Name != nil && answer.Name != *row.Name {
			t.Errorf("%s %d: name %q, want %q", row.Event, row.Code, answer.Name, *row.Name)
		}
	}
	if len(events) != len(sdkEventHelpers) {
		t.Errorf("vectors cover %d SDK events, the package has %d helpers", len(events), len(sdkEventHelpers))
	}
}
