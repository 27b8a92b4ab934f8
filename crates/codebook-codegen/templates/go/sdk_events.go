{{ header|safe }}package {{ go_package }}

// Helpers that take the code of an official SDK's event as the SDK types it (centrifuge-go's
// ConnectingEvent.Code, DisconnectedEvent.Code, SubscribingEvent.Code, UnsubscribedEvent.Code are
// uint32) and say what it means. A number above 65535 is no code at all (ok is false); it is never
// wrapped into a registered code. Only events centrifuge-go reports have a helper here: an event
// only another SDK has (centrifuge-js's error event) is read with its family's Classify function.
{% for event in events %}
// Classify{{ event.upper }}Event classifies the Code of an SDK {{ event.event }} event: a code of
// family {{ event.own_id }}, or of the family its range rules hand the number to.
{% if !event.differences.is_empty() %}//
{% for line in event.differences %}// {{ line|safe }}
{% endfor %}{% endif %}func Classify{{ event.upper }}Event(code uint32) (answer SdkEventAnswer, ok bool) {
	if code > 0xFFFF {
		return SdkEventAnswer{}, false
	}
	n := uint16(code)
	own := Classify{{ event.own_type }}(n)
{% if !event.hand_off.is_empty() %}	if !own.Known {
		switch {
{% for hand in event.hand_off %}		case {% if hand.from > 0 && hand.to < 65535 %}n >= {{ hand.from }} && n <= {{ hand.to }}{% else if hand.from > 0 %}n >= {{ hand.from }}{% else %}n <= {{ hand.to }}{% endif %}:
			return sdkEventAnswer({{ hand.family_id|string }}, Classify{{ hand.family_type }}(n), {{ hand.family }}Entries), true
{% endfor %}		}
	}
{% endif %}
	return sdkEventAnswer({{ event.own_id|string }}, own, {{ event.own }}Entries), true
}
{% endfor %}{% if let Some(error) = error_family %}
// ClassifyErrorCode classifies the code of a server error reply as centrifuge-go reports it (the
// uint32 Code of its *centrifuge.Error), in family {{ error.id }}; ok is false above 65535.
func ClassifyErrorCode(code uint32) (answer SdkEventAnswer, ok bool) {
	if code > 0xFFFF {
		return SdkEventAnswer{}, false
	}
	return sdkEventAnswer({{ error.id|string }}, Classify{{ error.names.type_name }}(uint16(code)), {{ error.names.lower_camel }}Entries), true
}
{% endif %}
