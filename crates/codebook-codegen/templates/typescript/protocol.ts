{{ header|safe }}import type { CloseCodeRule } from "./runtime.js";

/** What a client should do with a code. */
export type Behaviour = {% for value in behaviours %}{% if !loop.first %} | {% endif %}"{{ value.as_str() }}"{% endfor %};

/** Who a range of numbers belongs to; `unassigned` when no range rule covers it. */
export type Scope = {% for value in scopes %}{% if !loop.first %} | {% endif %}"{{ value.as_str() }}"{% endfor %};

/**
 * Who emits a code: the server, a client library, the user agent (reported locally, never on the
 * wire), the server only recording it (`server_internal`, never sent to a client), the client
 * sending it to the server (`client`), or either side (`either`).
 */
export type Origin = {% for value in origins %}{% if !loop.first %} | {% endif %}"{{ value.as_str() }}"{% endfor %};

/** `full`: a uniformly random delay between the minimum and the doubling ceiling; `none`: the ceiling. */
export type Jitter = {% for value in jitters %}{% if !loop.first %} | {% endif %}"{{ value.as_str() }}"{% endfor %};

/** What a client should do next, beyond "reconnect or not": the closed set every binding shares. */
export type Action =
{% for action in actions %}  | "{{ action.as_str() }}"
{% endfor %};

/** Every action with its advice in plain words and whether the client tries again (and so has a backoff hint). */
export const actions: Readonly<Record<Action, { readonly advice: string; readonly triesAgain: boolean }>> = {
{% for action in actions %}  {{ action.as_str() }}: { advice: {{ action.advice()|string }}, triesAgain: {{ action.tries_again() }} },
{% endfor %}};

/** The longest close reason a close frame carries, in UTF-8 bytes (RFC 6455, section 5.5). */
export const MAX_CLOSE_REASON_BYTES = {{ max_close_reason_bytes }};

/** What every close code may be used for: sorted runs covering 0 to 65535 (RFC 6455 section 7.4, WHATWG WebSocket). */
export const closeCodeRules: readonly CloseCodeRule[] = [
{% for rule in rules %}  { from: {{ rule.from }}, to: {{ rule.to }}, label: {{ rule.label|string }}, endpointMaySend: {{ rule.endpoint_may_send }}, browserMaySend: {{ rule.browser_may_send }}, neverOnWire: {{ rule.never_on_wire }}, endpointForwards: {{ rule.endpoint_forwards }}, browserForwards: {{ rule.browser_forwards }} },
{% endfor %}];
