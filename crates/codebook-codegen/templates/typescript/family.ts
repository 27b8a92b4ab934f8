{%- macro hint(h) -%}
{ minMs: {{ h.min_ms }}, maxMs: {{ h.max_ms }}, jitter: "{{ h.jitter.as_str() }}", giveUpAfterMs: {% if let Some(ms) = h.give_up_after_ms %}{{ ms }}{% else %}undefined{% endif %} }
{%- endmacro -%}
{%- macro hint_or_family(h) -%}
{% if let Some(h) = h %}{% if *h == family.backoff %}backoff{% else %}{% call hint(h) %}{% endcall %}{% endif %}{% else %}undefined{% endif %}
{%- endmacro -%}
{%- macro m() -%}
{% if varies %}, string | undefined{% endif %}
{%- endmacro -%}
{{ header|safe }}import {
  segmentOf,
  type Action,
  type BackoffHint,
  type Classification,
  type CodeDocs,
  type CodeFamily,
  type CodeInfo,
  type Origin,
  type Segment,
} from "./runtime.js";

/**
{{ family_doc|doc("") }} *
 * @example
 * ```ts
{% if let Some(event) = js_event %} * client.on("{{ event.as_str() }}", (ctx) => {
 *   // The event's own codes here, and the server's codes it passes on in their own family.
 *   const answer = classify{{ event.upper_camel() }}Context(ctx);
 *   if (answer?.family.id === {{ family.id|string }} && answer.known && answer.code === {{ t }}.{{ first.names.variant }}) {
 *     console.log(answer.info.name, ctx.{% if *event == SdkEvent::Error %}error.message{% else %}reason{% endif %});
 *   }
 *   if (answer?.behaviour === "{% if close %}reconnect{% else %}temporary{% endif %}") {
 *     {% if close %}scheduleReconnect{% else %}scheduleRetry{% endif %}();
 *   }
 * });
{% else if close %} * socket.addEventListener("close", (event) => {
 *   const closed = classify{{ t }}(event.code);
 *   if (closed.known && closed.code === {{ t }}.{{ first.names.variant }}) {
 *     console.log(closed.info.{% if varies %}name, event.reason{% else %}message{% endif %});
 *   }
 *   if (closed.behaviour === "reconnect") {
 *     scheduleReconnect();
 *   }
 * });
{% else %} * const failed = classify{{ t }}(reply.error.code);
 * if (failed.known && failed.code === {{ t }}.{{ first.names.variant }}) {
 *   console.log(failed.info.{% if varies %}name, reply.error.message{% else %}message{% endif %});
 * }
 * if ({{ p }}IsTemporary(reply.error.code)) {
 *   scheduleRetry();
 * }
{% endif %} * ```
 */
export const {{ t }} = {
{% for row in rows %}  /**
{{ row.doc|doc("  ") }}
{%- if let Some(text) = row.code.deprecated %}   * @deprecated {{ text|tag_text }}
{% endif %}   */
  {{ row.code.names.variant }}: {{ family.display_number(row.code.number) }},
{% endfor %}} as const;

/** A registered code of family `{{ family.id }}`. */
export type {{ t }} = (typeof {{ t }})[keyof typeof {{ t }}];
/** The name of a registered code of family `{{ family.id }}`. */
export type {{ t }}Name = keyof typeof {{ t }};

/** The hint of the family's codes and ranges that try again, unless a code states its own. */
const backoff: BackoffHint = {% call hint(family.backoff) %}{% endcall %};

const codes: readonly CodeInfo<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}>[] = [
{% for code in codes %}  { code: {{ code.number }}, name: "{{ code.names.variant }}", {% if let Some(text) = code.message.fixed() %}message: {{ text|string }}{% else %}message: undefined, messageVaries: {{ code.message.varies().unwrap_or_default()|string }}, knownMessages: {{ code.message.known()|strings }}{% endif %}, behaviour: "{{ code.behaviour.as_str() }}", localOnly: {{ code.local_only }}, action: "{{ code.action.as_str() }}", backoff: {% call hint_or_family(code.backoff) %}{% endcall %}, origin: "{{ code.origin.as_str() }}"{% if let Some(status) = code.http_status %}, httpStatus: {{ status }}{% endif %}{% if let Some(status) = code.grpc_status %}, grpcStatus: {{ status.number() }}{% endif %} },
{% endfor %}];

// The prose, in its own table: only the functions that return it reach it, so a bundle that only
// classifies codes leaves it out.
const docs: readonly CodeDocs<{{ t }}>[] = [
{% for code in codes %}  { code: {{ code.number }}, description: {{ code.description.trim_end()|string }}, causes: {{ code.causes|strings }}, since: {{ code.since|optional_string }}, deprecated: {{ code.deprecated|optional_string }}, changes: [{% for change in code.changes %}{% if !loop.first %}, {% endif %}{ version: {{ change.version|string }}, note: {{ change.note|string }} }{% endfor %}], docUrl: {{ code.doc_url|string }} },
{% endfor %}];

/** How unregistered numbers classify: sorted segments covering 0 to 65535. */
export const {{ p }}Segments: readonly Segment[] = [
{% for segment in family.segments %}  { from: {{ segment.from }}, to: {{ segment.to }}, scope: "{{ segment.scope.as_str() }}", behaviour: "{{ segment.behaviour.as_str() }}", action: "{{ segment.action.as_str() }}", backoff: {% call hint_or_family(segment.backoff) %}{% endcall %}, label: {{ segment.label|string }} },
{% endfor %}];

// The indexes are built on first use: no top-level `new`, so a bundler drops what is not used.
let byCodeIndex: ReadonlyMap<number, CodeInfo<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}>> | undefined;
let byNameIndex: ReadonlyMap<string, CodeInfo<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}>> | undefined;
let byMessageIndex: ReadonlyMap<string, CodeInfo<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}>> | undefined;
let docsIndex: ReadonlyMap<number, CodeDocs<{{ t }}>> | undefined;

function byCode(): ReadonlyMap<number, CodeInfo<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}>> {
  return (byCodeIndex ??= new Map(codes.map((info) => [info.code, info])));
}

/** True when `code` is a registered code of `{{ family.id }}` (narrows a plain number, e.g. `CloseEvent.code`). */
export function is{{ t }}(code: number): code is {{ t }} {
  return byCode().has(code);
}

/** What a client needs to act on a registered code, or `undefined` for any other number. */
export function {{ p }}Info(code: number): CodeInfo<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}> | undefined {
  return byCode().get(code);
}

/** The prose of a registered code (description, causes, history, doc URL), or `undefined` for any other number. */
export function {{ p }}Docs(code: number): CodeDocs<{{ t }}> | undefined {
  docsIndex ??= new Map(docs.map((entry) => [entry.code, entry]));
  return docsIndex.get(code);
}

function documented(code: {{ t }}): CodeDocs<{{ t }}> {
  const entry = {{ p }}Docs(code);
  if (entry === undefined) {
    throw new RangeError(`${String(code)} is not a registered code of {{ family.id }}`);
  }
  return entry;
}

/** The registered code with this name (as in codes.yaml), e.g. `"{{ first.names.variant }}"`. */
export function {{ p }}FromName(name: string): {{ t }} | undefined {
  byNameIndex ??= new Map(codes.map((info) => [info.name, info]));
  return byNameIndex.get(name)?.code;
}

{% if varies %}/**
 * The registered code this exact text identifies: a fixed wire message, or a text a code whose
 * message varies is known to arrive with (the lowest number if several share it). A text built
 * at run time that no code lists finds nothing.
 */
export function {{ p }}FromMessage(message: string): {{ t }} | undefined {
  byMessageIndex ??= new Map(
    [...codes].reverse().flatMap((info) => (info.message === undefined ? info.knownMessages ?? [] : [info.message]).map((text) => [text, info] as const)),
  );
  return byMessageIndex.get(message)?.code;
}{% else %}/** The registered code sent with this exact wire message (the lowest number if several share it). */
export function {{ p }}FromMessage(message: string): {{ t }} | undefined {
  byMessageIndex ??= new Map([...codes].reverse().map((info) => [info.message, info]));
  return byMessageIndex.get(message)?.code;
}{% endif %}

function registered(code: {{ t }}): CodeInfo<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}> {
  const info = byCode().get(code);
  if (info === undefined) {
    throw new RangeError(`${String(code)} is not a registered code of {{ family.id }}`);
  }
  return info;
}

/** The name of a registered code, e.g. `"{{ first.names.variant }}"`. */
export function {{ p }}Name(code: {{ t }}): {{ t }}Name {
  return registered(code).name;
}

{% if varies %}/**
 * The exact message sent on the wire with a registered code, or `undefined` when the sender builds
 * the text at run time (`{{ p }}Info(code).messageVaries` says what it holds, `knownMessages` lists
 * the texts known to arrive).
 */
export function {{ p }}Message(code: {{ t }}): string | undefined {
  return registered(code).message;
}{% else %}/** The exact message or close reason sent on the wire with a registered code. */
export function {{ p }}Message(code: {{ t }}): string {
  return registered(code).message;
}{% endif %}

/** What a registered code means, as Markdown. */
export function {{ p }}Description(code: {{ t }}): string {
  return documented(code).description;
}

/** Typical causes of a registered code, one line each. */
export function {{ p }}Causes(code: {{ t }}): readonly string[] {
  return documented(code).causes;
}

/** Who emits a registered code: the server, a client library, or the user agent itself. */
export function {{ p }}Origin(code: {{ t }}): Origin {
  return registered(code).origin;
}

/** The portal's stable URL of a registered code, usable as an RFC 9457 problem `type`. */
export function {{ p }}DocUrl(code: {{ t }}): string {
  return documented(code).docUrl;
}

/**
 * Classifies any number: a registered code by its own behaviour, anything else by the family's
 * range rules, so a code from a newer server is still handled. Throws a `RangeError` for a value
 * that is not an integer from 0 to 65535.
 */
export function classify{{ t }}(code: number): Classification<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}> {
  const segment = segmentOf({{ p }}Segments, code);
  const info = byCode().get(code);
  return info === undefined
    ? { known: false, code, info, segment, behaviour: segment.behaviour, action: segment.action, backoff: segment.backoff }
    : { known: true, code: info.code, info, segment, behaviour: info.behaviour, action: info.action, backoff: info.backoff };
}

/** What a client should do next after this code, registered or not (unregistered: what its range implies). */
export function {{ p }}Action(code: number): Action {
  return classify{{ t }}(code).action;
}

/**
 * How long to wait before trying again after this code, registered or not; `undefined` when its
 * action never tries again. Feed it to `delayMs`.
 */
export function {{ p }}Backoff(code: number): BackoffHint | undefined {
  return classify{{ t }}(code).backoff;
}
{% if close %}
/** True when a client should reconnect (with backoff) after this close code, registered or not. */
export function {{ p }}ShouldReconnect(code: number): boolean {
  return classify{{ t }}(code).behaviour === "reconnect";
}

/** True when a client must not reconnect on its own after this close code, registered or not. */
export function {{ p }}IsTerminal(code: number): boolean {
  return classify{{ t }}(code).behaviour === "terminal";
}
{% else %}
/** True when retrying later may succeed after this error code, registered or not. */
export function {{ p }}IsTemporary(code: number): boolean {
  return classify{{ t }}(code).behaviour === "temporary";
}
{% endif %}
/** Family `{{ family.id }}` as a value, for code that is generic over families. */
export const {{ p }}Family: CodeFamily<{{ t }}, {{ t }}Name{% call m() %}{% endcall %}> = {
  id: {{ family.id|string }},
  title: {{ family.title|string }},
  kind: "{{ family.kind.as_str() }}",
  backoff,
  codes,
  segments: {{ p }}Segments,
  fromCode: (code) => byCode().get(code)?.code,
  fromName: {{ p }}FromName,
  fromMessage: {{ p }}FromMessage,
  info: {{ p }}Info,
  docs: {{ p }}Docs,
  classify: classify{{ t }},
};
