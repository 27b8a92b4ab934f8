{%- macro answer(event) -%}
SdkEventAnswer{% if event.varies %}<string | undefined>{% endif %}
{%- endmacro -%}
{{ header|safe }}/**
 * Helpers that take the contexts the official SDKs hand to their event listeners and say what the
 * code means and what to do. Each SDK event has one family in codes.yaml (`sdk_event`); numbers
 * its range rules give to another family (`codes_of`), such as the server's disconnect codes in a
 * `connecting` event, are classified there.
 */

import { classifySdkEventCode } from "./runtime.js";
import type { {% if error_event.is_some() || error_family.is_some() %}SdkErrorContext, {% endif %}{% if error_event.is_some() %}SdkError, {% endif %}SdkEventAnswer{% if !events.is_empty() %}, SdkEventContext, SdkEventTable{% endif %} } from "./runtime.js";
{% for family in families %}import { {{ family.names.lower_camel }}Family } from "./{{ family.id }}.js";
{% endfor %}{% for event in events %}
const {{ event.event }}Table: SdkEventTable{% if event.varies %}<string | undefined>{% endif %} = {
  own: {{ event.own }}Family,
  handOff: [{% for hand in event.hand_off %}{% if !loop.first %}, {% endif %}{ from: {{ hand.from }}, to: {{ hand.to }}, family: {{ hand.family }}Family }{% endfor %}],
};
{% if event.kind == SdkEvent::Error %}
/**
 * What the code of an SDK `error` event means (e.g. `client.on("error", (ctx) => ...)`, and the
 * same on a subscription): the SDK's own codes in family `{{ event.own_id }}`, numbers its ranges
 * hand on in the server's family; `undefined` when the number is no code at all.
 */
export function classifyErrorContext(ctx: SdkErrorContext): {% call answer(event) %}{% endcall %} | undefined {
  return classifySdkEventCode({{ event.event }}Table, ctx.error.code);
}

/**
 * What the `{ code, message }` object a rejected call of the SDK holds means (e.g.
 * `await sub.publish(data)` in a `try`, or `.catch((error) => ...)`), read like an `error`
 * event's error; `undefined` for anything else thrown (a `TypeError`, a string) or a number that
 * is no code.
 */
export function classifyRejection(error: unknown): {% call answer(event) %}{% endcall %} | undefined {
  if (typeof error !== "object" || error === null || typeof (error as Partial<SdkError>).code !== "number") {
    return undefined;
  }
  return classifySdkEventCode({{ event.event }}Table, (error as SdkError).code);
}
{% else %}
/**
 * What the code of an SDK `{{ event.event }}` event means (e.g. `client.on("{{ event.event }}", (ctx) => ...)`):
 * `undefined` when the number is no code at all.
{% if !event.differences.is_empty() %} *
{% for line in event.differences %} * {{ line|safe }}
{% endfor %}{% endif %} */
export function classify{{ event.upper }}Context(ctx: SdkEventContext): {% call answer(event) %}{% endcall %} | undefined {
  return classifySdkEventCode({{ event.event }}Table, ctx.code);
}
{% endif %}{% endfor %}{% if error_event.is_none() %}{% if let Some(error) = error_family %}
/** What the code of an SDK `error` event's error means: read in the family of error replies. */
export function classifyErrorContext(ctx: SdkErrorContext): SdkEventAnswer{% if error_family_varies %}<string | undefined>{% endif %} | undefined {
  return classifySdkEventCode({ own: {{ error }}Family, handOff: [] }, ctx.error.code);
}
{% endif %}{% endif %}
