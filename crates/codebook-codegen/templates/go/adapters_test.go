{{ header|safe }}package {{ go_package }}

import (
	"errors"
	"fmt"
	"testing"
)

// adapters maps a family id to its adapter.
var adapters = map[string]adapter{
{% for family in families %}{% let t = family.names.type_name %}{% let close = family.kind == FamilyKind::WebsocketClose %}	{{ family.id|string }}: {read: func(t *testing.T, n uint16) facts {
		c := {{ t }}(n)
		classified := Classify{{ t }}(n)
		if classified.Code != c || c.Behaviour() != classified.Behaviour || c.Segment() != classified.Segment {
			t.Errorf("{{ t }}(%d): methods disagree with Classify{{ t }}", n)
		}
		if c.IsKnown() {
			if parsed, ok := Parse{{ t }}(c.String()); !ok || parsed != c {
				t.Errorf("Parse{{ t }}(%q) = %v, %v", c.String(), parsed, ok)
			}
			if found, ok := Lookup{{ t }}Message(c.Message()); !ok || found.Message() != c.Message() {
				t.Errorf("Lookup{{ t }}Message(%q) = %v, %v", c.Message(), found, ok)
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
{% if close %}		if c.ShouldReconnect() != (c.Behaviour() == BehaviourReconnect) || c.IsTerminal() != (c.Behaviour() == BehaviourTerminal) {
			t.Errorf("{{ t }}(%d): ShouldReconnect/IsTerminal disagree with Behaviour", n)
		}
{% else %}		if c.IsTemporary() != (c.Behaviour() == BehaviourTemporary) {
			t.Errorf("{{ t }}(%d): IsTemporary disagrees with Behaviour", n)
		}
{% endif %}		return facts{known: classified.Known, name: c.String(), message: c.Message(), description: c.Description(), causes: c.Causes(), behaviour: c.Behaviour().String(), localOnly: {% if close %}c.IsLocalOnly(){% else %}false{% endif %}, scope: classified.Segment.Scope.String(), label: classified.Segment.Label, action: classified.Action.String(), backoff: classified.Backoff, origin: c.Origin().String(), since: c.Since(), deprecated: c.Deprecated(), changes: c.Changes(), docURL: c.DocURL()}
	}, count: func() int { return len(All{{ t }}()) }},
{% endfor %}}

// sdkEventHelpers maps an SDK event to its generated helper.
var sdkEventHelpers = map[string]func(uint32) (SdkEventAnswer, bool){}

func init() {
{% for family in families %}{% if let Some(event) = family.sdk_event %}	sdkEventHelpers[{{ event.as_str()|string }}] = Classify{{ event.upper_camel() }}Event
{% endif %}{% endfor %}}
