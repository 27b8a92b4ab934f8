{{ header|safe }}import type { CloseCodeRule } from "./runtime.js";

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
