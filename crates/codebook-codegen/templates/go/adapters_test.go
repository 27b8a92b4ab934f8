{{ header|safe }}package {{ go_package }}

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// adapters maps a family id to its adapter.
var adapters = map[string]adapter{
{% for family in families %}{% let t = family.names.type_name %}{% let p = family.names.lower_camel %}{% let close = family.kind == FamilyKind::WebsocketClose %}{% let varies = family.has_varying_messages() %}	{{ family.id|string }}: {read: func(t *testing.T, n uint16) facts {
		c := {{ t }}(n)
		classified := Classify{{ t }}(n)
		if classified.Code != c || c.Behaviour() != classified.Behaviour || c.Segment() != classified.Segment {
			t.Errorf("{{ t }}(%d): methods disagree with Classify{{ t }}", n)
		}
		if c.IsKnown() {
			if parsed, ok := Parse{{ t }}(c.String()); !ok || parsed != c {
				t.Errorf("Parse{{ t }}(%q) = %v, %v", c.String(), parsed, ok)
			}
			// Every text of the code finds a code that has the same text (the lowest number with it).
			for _, text := range {{ p }}Entries[c].texts() {
				if found, ok := Lookup{{ t }}Message(text); !ok || !slices.Contains({{ p }}Entries[found].texts(), text) || found > c {
					t.Errorf("Lookup{{ t }}Message(%q) = %v, %v", text, found, ok)
				}
			}
			if err := c.Err().Error(); !strings.HasPrefix(err, {{ family.id|string }}+" "+strconv.Itoa(int(n))) || ({{ p }}Entries[c].messageVaries == "" && !strings.HasSuffix(err, ": "+c.Message())) || ({{ p }}Entries[c].messageVaries != "" && !strings.HasSuffix(err, " "+c.String())) {
				t.Errorf("{{ t }}(%d).Err().Error() = %q", n, err)
			}
			if err := fmt.Errorf("wrapped: %w", c.Err()); !errors.Is(err, {{ t }}Error{Code: c}) || !errors.Is(err, &{{ t }}Error{Code: c}) {
				t.Errorf("errors.Is does not match {{ t }}Error for %d", n)
			}
			if errors.Is(c.Err(), {{ t }}Error{Code: c + 1}) {
				t.Errorf("errors.Is matches {{ t }}Error with another code for %d", n)
			}
		}
		if hint, ok := c.Backoff(); c.Action() != classified.Action || hint != classified.Backoff || ok != classified.Action.TriesAgain() {
			t.Errorf("{{ t }}(%d): Action/Backoff disagree with Classify{{ t }}", n)
		}
		if !classified.Action.TriesAgain() {
			if delay, ok := classified.Backoff.DelayMs(0, 0, 0); ok {
				t.Errorf("{{ t }}(%d): no hint, yet DelayMs says retry after %d ms", n, delay)
			}
		}
		if fromInt, err := {{ t }}FromInt(int(n)); err != nil || fromInt != c {
			t.Errorf("{{ t }}FromInt(%d) = %v, %v", n, fromInt, err)
		}
		if fromUint32, err := {{ t }}FromUint32(uint32(n)); err != nil || fromUint32 != c {
			t.Errorf("{{ t }}FromUint32(%d) = %v, %v", n, fromUint32, err)
		}
		var outOfRange *OutOfRangeError
		if _, err := {{ t }}FromUint32(uint32(n) + 65536); !errors.As(err, &outOfRange) {
			t.Errorf("{{ t }}FromUint32(%d+65536) wraps instead of failing: %v", n, err)
		}
		if _, err := {{ t }}FromInt(-1 - int(n)); !errors.As(err, &outOfRange) {
			t.Errorf("{{ t }}FromInt(%d) accepts a negative number", -1-int(n))
		}
		if text, err := c.MarshalText(); err != nil {
			t.Errorf("{{ t }}(%d).MarshalText: %v", n, err)
		} else {
			var back {{ t }}
			if err := back.UnmarshalText(text); err != nil || back != c {
				t.Errorf("{{ t }}(%d): MarshalText %q does not round-trip: %v, %v", n, text, back, err)
			}
			if want := c.String(); c.IsKnown() && string(text) != want {
				t.Errorf("{{ t }}(%d).MarshalText = %q, want the name %q", n, text, want)
			}
		}
{% if close %}		if c.ShouldReconnect() != (c.Behaviour() == BehaviourReconnect) || c.IsTerminal() != (c.Behaviour() == BehaviourTerminal) {
			t.Errorf("{{ t }}(%d): ShouldReconnect/IsTerminal disagree with Behaviour", n)
		}
{% else %}		if c.IsTemporary() != (c.Behaviour() == BehaviourTemporary) {
			t.Errorf("{{ t }}(%d): IsTemporary disagrees with Behaviour", n)
		}
		if found, ok := {{ t }}Of(fmt.Errorf("wrapped: %w", c.Err())); !ok || found != c {
			t.Errorf("{{ t }}Of(wrapped %d) = %v, %v", n, found, ok)
		}
{% endif %}		return facts{known: classified.Known, name: c.String(), message: c.Message(), {% if varies %}messageVaries: c.MessageVaries(), knownMessages: c.KnownMessages(), {% endif %}description: c.Description(), causes: c.Causes(), behaviour: c.Behaviour().String(), localOnly: {% if close %}c.IsLocalOnly(){% else %}false{% endif %}, scope: classified.Segment.Scope.String(), label: classified.Segment.Label, action: classified.Action.String(), backoff: classified.Backoff, origin: c.Origin().String(), since: c.Since(), deprecated: c.Deprecated(), changes: c.Changes(), docURL: c.DocURL(), httpStatus: statusText(c.HTTPStatus()), grpcStatus: statusText(c.GRPCStatus())}
	}, count: func() int { return len(All{{ t }}()) }, lookup: func(text string) (uint16, bool) {
		c, ok := Lookup{{ t }}Message(text)
		return uint16(c), ok
	}},
{% endfor %}}

// sdkEventHelpers maps an SDK event centrifuge-go reports to its generated helper.
var sdkEventHelpers = map[string]func(uint32) (SdkEventAnswer, bool){}

func init() {
{% for family in families %}{% if let Some(event) = family.sdk_event %}{% if family.sdks.contains(&Sdk::CentrifugeGo) %}	sdkEventHelpers[{{ event.as_str()|string }}] = Classify{{ event.upper_camel() }}Event
{% endif %}{% endif %}{% endfor %}}
