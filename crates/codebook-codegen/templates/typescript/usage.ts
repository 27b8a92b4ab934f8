{{ header|safe }}// Type-level checks of the generated API; this file is type-checked, never run.

import {
{% for family in families %}{% let t = family.names.type_name %}{% let p = family.names.lower_camel %}  classify{{ t }}, {{ t }}, {{ p }}FromName, type {{ t }}Name,
{% if family.kind == FamilyKind::WebsocketClose %}  {{ p }}ShouldReconnect,
{% else %}  {{ p }}IsTemporary,
{% endif %}  {{ p }}Action, {{ p }}Backoff, {{ p }}Family, {{ p }}Message, {{ p }}FromMessage,
{% endfor %}{% for event in events %}{% if event.kind == SdkEvent::Error %}  classifyErrorContext, classifyRejection,
{% else %}  classify{{ event.upper }}Context,
{% endif %}{% endfor %}  classifyCloseEvent, delayMs, randomU32, safeCloseCode, truncateCloseReason,
  type Action, type BackoffHint, type Closed, type CodeFamily, type CodeInfo, type Origin,
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
    const closed: Closed<{{ t }}, {{ t }}Name{% if family.has_varying_messages() %}, string | undefined{% endif %}> = classifyCloseEvent({{ p }}Family, event);
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

export function messageOf{{ t }}(code: {{ t }}, text: string): string | undefined {
  const found: {{ t }} | undefined = {{ p }}FromMessage(text);
{% if family.has_varying_messages() %}  // A family with a code whose text is built at run time types its messages as optional.
  // @ts-expect-error the message may be undefined
  const fixed: string = {{ p }}Message(code);
  const message: string | undefined = {{ p }}Message(code);
  const info = {{ p }}Family.info(code);
  const varies: string | undefined = info?.messageVaries;
  const known: readonly string[] | undefined = info?.knownMessages;
  const classified = classify{{ t }}(code);
  const fromInfo: string | undefined = classified.known ? classified.info.message : undefined;
  return found === undefined ? (message ?? varies ?? known?.[0] ?? fromInfo) : fixed;
{% else %}  // Every text of this family is fixed: its message stays a plain string.
  const message: string = {{ p }}Message(code);
  const classified = classify{{ t }}(code);
  const fromInfo: string = classified.known ? classified.info.message : "";
  const listed: string = {{ p }}Family.codes[0]?.message ?? "";
  const generic: CodeFamily = {{ p }}Family;
  const info: CodeInfo | undefined = generic.info(code);
  const genericMessage: string | undefined = info?.message;
  return found === undefined ? message : fromInfo + listed + (genericMessage ?? "");
{% endif %}}
{%- endfor %}
{%- for event in events %}

export function listen{{ event.upper }}(on: (event: "{{ event.event }}", listener: (ctx: { code: number; reason: string; error: { code: number; message: string } }) => void) => void): void {
  on("{{ event.event }}", (ctx) => {
{% if event.kind == SdkEvent::Error %}    const answer = classifyErrorContext(ctx);
    const rejected = classifyRejection(ctx.error);
{% else %}    const answer = classify{{ event.upper }}Context(ctx);
{% endif %}{% if event.varies %}    // The event is read in a family with a code whose text is built at run time.
    // @ts-expect-error the message may be undefined
    const length: number | undefined = answer?.known ? answer.info.message.length : undefined;
{% else %}    const length: number | undefined = answer?.known ? answer.info.message.length : undefined;
{% endif %}    const message: string | undefined = answer?.known ? answer.info.message : {% if event.kind == SdkEvent::Error %}rejected?.info?.message{% else %}undefined{% endif %};
    console.log(message, length, answer?.family.id, answer?.action);
  });
}
{%- endfor %}
