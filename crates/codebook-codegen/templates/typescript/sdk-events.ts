{{ header|safe }}/**
 * Helpers that take the contexts the official SDKs hand to their event listeners and say what the
 * code means and what to do. Each SDK event has one family in codes.yaml (`sdk_event`); numbers
 * its range rules give to another family (`codes_of`), such as the server's disconnect codes in a
 * `connecting` event, are classified there.
 */

import { classifySdkEventCode } from "./runtime.js";
import type { {% if error_family.is_some() %}SdkErrorContext, {% endif %}SdkEventAnswer{% if !events.is_empty() %}, SdkEventContext, SdkEventTable{% endif %} } from "./runtime.js";
{% for family in families %}import { {{ family.names.lower_camel }}Family } from "./{{ family.id }}.js";
{% endfor %}{% for event in events %}
const {{ event.event }}Table: SdkEventTable = {
  own: {{ event.own }}Family,
  handOff: [{% for hand in event.hand_off %}{% if !loop.first %}, {% endif %}{ from: {{ hand.from }}, to: {{ hand.to }}, family: {{ hand.family }}Family }{% endfor %}],
};

/**
 * What the code of an SDK `{{ event.event }}` event means (e.g. `client.on("{{ event.event }}", (ctx) => ...)`):
 * `undefined` when the number is no code at all.
 */
export function classify{{ event.upper }}Context(ctx: SdkEventContext): SdkEventAnswer | undefined {
  return classifySdkEventCode({{ event.event }}Table, ctx.code);
}
{% endfor %}{% if let Some(error) = error_family %}
/** What the code of an SDK `error` event's error means: read in the family of error replies. */
export function classifyErrorContext(ctx: SdkErrorContext): SdkEventAnswer | undefined {
  return classifySdkEventCode({ own: {{ error }}Family, handOff: [] }, ctx.error.code);
}
{% endif %}
