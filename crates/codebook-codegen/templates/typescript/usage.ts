{{ header|safe }}// Type-level checks of the generated API; this file is type-checked, never run.

import {
{% for family in families %}{% let t = family.names.type_name %}{% let p = family.names.lower_camel %}  classify{{ t }}, {{ t }}, {{ p }}FromName, type {{ t }}Name,
{% if family.kind == FamilyKind::WebsocketClose %}  {{ p }}ShouldReconnect,
{% else %}  {{ p }}IsTemporary,
{% endif %}  {{ p }}Action, {{ p }}Backoff, {{ p }}Family,
{% endfor %}  classifyCloseEvent, delayMs, randomU32, safeCloseCode, truncateCloseReason,
  type Action, type BackoffHint, type Closed, type Origin,
} from "../src/index.js";
{%- for family in families %}{% let t = family.names.type_name %}{% let p = family.names.lower_camel %}{% let variant = family.codes_by_number()[0].names.variant %}{% let close = family.kind == FamilyKind::WebsocketClose %}

export function check{{ t }}(event: CloseEvent, reply: { code: number }): boolean {
{% if close %}  const classified = classify{{ t }}(event.code);
{% else %}  const classified = classify{{ t }}(reply.code);
{% endif %}  const action: Action = classified.action;
  const hint: BackoffHint | undefined = classified.backoff;
  if (classified.known) {
    const code: {{ t }} = classified.code;
    const name: {{ t }}Name = classified.info.name;
    const origin: Origin = classified.info.origin;
    return code === {{ t }}.{{ variant }} && name === "{{ variant }}" && origin !== "user_agent";
  }
  const number: number = classified.code;
  // @ts-expect-error an unregistered number is not a registered code
  const wrong: {{ t }} = classified.code;
  // @ts-expect-error an action is one of the closed set
  const unknownAction: Action = "retry_now";
  const fromName: {{ t }} | undefined = {{ p }}FromName("{{ variant }}");
  const delay: number | undefined = hint && delayMs(hint, 0, 0, randomU32());
{% if close %}  const same = action === {{ p }}Action(event.code) && hint === {{ p }}Backoff(event.code) && action !== unknownAction;
  return number === wrong && fromName !== undefined && {{ p }}ShouldReconnect(event.code) && same && delay !== 0;
{% else %}  const same = action === {{ p }}Action(reply.code) && hint === {{ p }}Backoff(reply.code) && action !== unknownAction;
  return number === wrong && fromName !== undefined && {{ p }}IsTemporary(reply.code) && same && delay !== 0;
{% endif %}}
{%- if close %}

export function relay{{ t }}(socket: WebSocket, downstream: WebSocket): void {
  socket.addEventListener("close", (event) => {
    const closed: Closed<{{ t }}, {{ t }}Name> = classifyCloseEvent({{ p }}Family, event);
    if (closed.known) {
      const code: {{ t }} = closed.code;
      console.log(code, {{ p }}Family.docs(code)?.docUrl);
    }
    const action: Action = closed.action;
    const flags: boolean = closed.reasonTruncated || closed.localOnly || closed.wasClean;
    console.log(action, flags);
    downstream.close(safeCloseCode(event.code, "browser"), truncateCloseReason(event.reason));
  });
}
{%- endif %}
{%- endfor %}
