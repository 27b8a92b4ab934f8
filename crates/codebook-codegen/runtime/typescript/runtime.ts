/**
 * The runtime every family module shares: the types of codes, segments and classifications, the
 * backoff delay, close-code safety and close-reason truncation. The same for every registry; the
 * protocol's enums and tables (behaviours, scopes, origins, jitters, actions, close-code rules)
 * come from the generated `protocol.ts`.
 */
import {
  MAX_CLOSE_REASON_BYTES,
  actions,
  closeCodeRules,
  type Action,
  type Behaviour,
  type Jitter,
  type Origin,
  type Scope,
} from "./protocol.js";

export * from "./protocol.js";

/** How long to wait before trying again, and when to give up (see `delayMs`). */
export interface BackoffHint {
  /** Delay of the first attempt; never zero. */
  readonly minMs: number;
  readonly maxMs: number;
  readonly jitter: Jitter;
  /** Give up once this much time has passed since the first failure; `undefined`: never. */
  readonly giveUpAfterMs: number | undefined;
}

/** One entry of a code's history. */
export interface Change {
  readonly version: string;
  readonly note: string;
}

/** A run of numbers that classify the same way when they are not registered. */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly scope: Scope;
  readonly behaviour: Behaviour;
  /** What to do with an unregistered number of this run. */
  readonly action: Action;
  /** Set exactly when `action` tries again. */
  readonly backoff: BackoffHint | undefined;
  readonly label: string;
}

/**
 * What a client needs to know about one registered code to act on it. The prose (description,
 * causes, history, doc URL) is in `CodeDocs`, a separate table, so a bundle that only classifies
 * codes does not carry it.
 *
 * `M` is the type of the wire message: `string` in a family whose codes all travel with a fixed
 * text, `string | undefined` in a family where some sender builds the text at run time.
 */
export interface CodeInfo<C extends number = number, N extends string = string, M extends string | undefined = string> {
  readonly code: C;
  readonly name: N;
  /**
   * The exact message or close reason sent on the wire; `undefined` for a code whose text the
   * sender builds at run time (then `messageVaries` says what it holds).
   */
  readonly message: M;
  /** Only on a code without a fixed text: what the text the sender builds holds, in prose. */
  readonly messageVaries?: string;
  /** Only on a code without a fixed text: exact texts the sender is known to use (maybe none). */
  readonly knownMessages?: readonly string[];
  readonly behaviour: Behaviour;
  /** Reported locally by an endpoint and never sent in a close frame (RFC 6455, section 7.4.1). */
  readonly localOnly: boolean;
  /** What a client should do next. */
  readonly action: Action;
  /** How long to wait before trying again: set exactly when the action tries again. */
  readonly backoff: BackoffHint | undefined;
  readonly origin: Origin;
  /** The HTTP status the server answers with when it returns the code as a transport error (only where the registry says). */
  readonly httpStatus?: number;
  /** The gRPC status number (0-16) it answers with then (only where the registry says). */
  readonly grpcStatus?: number;
}

/** What the registry says about one registered code for people: its prose, history and page. */
export interface CodeDocs<C extends number = number> {
  readonly code: C;
  /** Markdown. */
  readonly description: string;
  /** Typical causes, one line each. */
  readonly causes: readonly string[];
  /** The version that introduced the code, if the registry says. */
  readonly since: string | undefined;
  /** What to use instead, when the code is deprecated. */
  readonly deprecated: string | undefined;
  /** The code's history, oldest first. */
  readonly changes: readonly Change[];
  /** The portal's stable URL of the code, usable as an RFC 9457 problem `type`. */
  readonly docUrl: string;
}

/**
 * What any number means in a family. `known` tells a registered code (typed as the family's union)
 * from an unregistered number (a plain `number`, e.g. from a newer server), and both carry the
 * segment, the behaviour, the action and the backoff hint to act on.
 */
export type Classification<C extends number = number, N extends string = string, M extends string | undefined = string> =
  | {
      readonly known: true;
      readonly code: C;
      readonly info: CodeInfo<C, N, M>;
      readonly segment: Segment;
      readonly behaviour: Behaviour;
      readonly action: Action;
      readonly backoff: BackoffHint | undefined;
    }
  | {
      readonly known: false;
      readonly code: number;
      readonly info: undefined;
      readonly segment: Segment;
      readonly behaviour: Behaviour;
      readonly action: Action;
      readonly backoff: BackoffHint | undefined;
    };

/**
 * One family as a value, for code that is generic over families. `M` is the type of its codes'
 * wire messages (see `CodeInfo`).
 */
export interface CodeFamily<C extends number = number, N extends string = string, M extends string | undefined = string> {
  readonly id: string;
  readonly title: string;
  readonly kind: "websocket_close" | "error";
  /** The hint of the family's codes and ranges that try again, unless a code states its own. */
  readonly backoff: BackoffHint;
  /** Every registered code, sorted by number. */
  readonly codes: readonly CodeInfo<C, N, M>[];
  readonly segments: readonly Segment[];
  fromCode(code: number): C | undefined;
  fromName(name: string): C | undefined;
  /**
   * The registered code this exact text identifies: a fixed message, or a text a code without a
   * fixed one is known to arrive with (the lowest number when several share it).
   */
  fromMessage(message: string): C | undefined;
  info(code: number): CodeInfo<C, N, M> | undefined;
  /** The prose of a registered code, or `undefined` for any other number. */
  docs(code: number): CodeDocs<C> | undefined;
  classify(code: number): Classification<C, N, M>;
}

/** The action in plain words, for a user interface or a log line. */
export function actionAdvice(action: Action): string {
  return actions[action].advice;
}

/** Does a client with this action try again (and so wait for a backoff delay)? */
export function actionTriesAgain(action: Action): boolean {
  return actions[action].triesAgain;
}

function checkCodeNumber(code: number): void {
  if (!Number.isInteger(code) || code < 0 || code > 65535) {
    throw new RangeError(`${String(code)} is not a code number (an integer from 0 to 65535)`);
  }
}

/** The run of sorted, gap-free `runs` (covering 0 to 65535) that holds `code`. */
function runOf<T extends { readonly from: number }>(runs: readonly T[], code: number): T {
  checkCodeNumber(code);
  let low = 0;
  let high = runs.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const run = runs[middle];
    if (run !== undefined && run.from <= code) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const found = runs[low];
  if (found === undefined) {
    throw new RangeError("a table of runs is empty");
  }
  return found;
}

/** The segment covering `code`; segments are sorted and cover 0 to 65535, so there always is one. */
export function segmentOf(segments: readonly Segment[], code: number): Segment {
  return runOf(segments, code);
}

function isU32(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

function checkHintField(field: "minMs" | "maxMs", value: unknown): number {
  if (!isU32(value)) {
    throw new RangeError(`backoff hint ${field} must be an integer from 0 to 4294967295, got ${String(value)}`);
  }
  return value;
}

/**
 * The delay before attempt `attempt` (0 for the first retry), given the milliseconds since the
 * first failure and one random 32-bit unsigned integer (`randomU32()`; `Mulberry32` only in tests),
 * or `undefined` when it is time to give up.
 *
 * With full jitter attempt `n` draws uniformly from `minMs` to `min(maxMs, minMs * 2^(n+1))`, so
 * even the first retry of a fleet closed at once is spread over `[minMs, 2 * minMs]`; without
 * jitter the delay is `min(maxMs, minMs * 2^n)`. The same arithmetic as every other binding, so
 * a seeded source gives the same delays in Rust, TypeScript and Go. A zero `minMs` counts as 1
 * and a `maxMs` below it as `minMs`: the delay is never 0, negative, NaN or infinite.
 *
 * A negative `elapsedMs` (the wall clock stepped backwards) counts as 0; a fractional one (from
 * `performance.now()`) is fine. Attempt counts from 32 up (even beyond 2^32) share the largest
 * window. Throws a `RangeError` naming the argument when `attempt` is not a non-negative integer,
 * `elapsedMs` is NaN or not a number, `random` is not a 32-bit unsigned integer, or the hint is
 * missing a field.
 *
 * @example
 * ```ts
 * const hint = myFamilyBackoff(event.code); // `<family>Backoff`, generated per family
 * const delay = hint && delayMs(hint, attempt, Date.now() - firstFailure, randomU32());
 * if (delay === undefined) showError(); else setTimeout(connect, delay);
 * ```
 */
export function delayMs(hint: BackoffHint, attempt: number, elapsedMs: number, random: number): number | undefined {
  if (typeof hint !== "object" || hint === null) {
    throw new RangeError(`delayMs needs a backoff hint, got ${String(hint)}: an action without one does not try again`);
  }
  if (typeof attempt !== "number" || !(attempt >= 0) || !(Number.isInteger(attempt) || attempt === Infinity)) {
    throw new RangeError(`delayMs attempt must be a non-negative integer, got ${String(attempt)}`);
  }
  if (typeof elapsedMs !== "number" || Number.isNaN(elapsedMs)) {
    throw new RangeError(`delayMs elapsedMs must be a number of milliseconds, got ${String(elapsedMs)}`);
  }
  if (!isU32(random)) {
    throw new RangeError(`delayMs random must be an integer from 0 to 4294967295, got ${String(random)}`);
  }
  const low = Math.max(checkHintField("minMs", hint.minMs), 1);
  const cap = Math.max(checkHintField("maxMs", hint.maxMs), low);
  const giveUp: unknown = hint.giveUpAfterMs;
  if (giveUp !== undefined && giveUp !== null && !isU32(giveUp)) {
    throw new RangeError(`backoff hint giveUpAfterMs must be undefined or an integer from 0 to 4294967295, got ${String(giveUp)}`);
  }
  if (hint.jitter !== "full" && hint.jitter !== "none") {
    throw new RangeError(`backoff hint jitter must be "full" or "none", got ${String(hint.jitter)}`);
  }
  if (typeof giveUp === "number" && Math.max(elapsedMs, 0) >= giveUp) {
    return undefined;
  }
  // Powers of two up to 2^32 scale a u32 exactly in a double, so this equals the integer
  // computation; low * 2^32 already exceeds every cap, so larger attempts share that window.
  if (hint.jitter === "none") {
    return Math.min(low * 2 ** Math.min(attempt, 32), cap);
  }
  const high = Math.min(low * 2 ** Math.min(attempt + 1, 32), cap);
  const span = high - low + 1;
  return low + Math.floor((random / 4294967296) * span);
}

/** A random 32-bit unsigned integer from the platform's cryptographic generator, for `delayMs`. */
export function randomU32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

/** Mulberry32, a tiny seeded 32-bit generator: the random source of the shared test vectors. */
export class Mulberry32 {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

/** What a run of close codes may be used for. */
export interface CloseCodeRule {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  /** A server or other endpoint may send it in a close frame. */
  readonly endpointMaySend: boolean;
  /** A browser's `WebSocket.close(code)` accepts it; anything else throws. */
  readonly browserMaySend: boolean;
  /** It must never appear in a close frame (reported locally only, or not a close code at all). */
  readonly neverOnWire: boolean;
  /** What an endpoint sends instead when it may not send the code itself. */
  readonly endpointForwards: number;
  /** What a browser passes to `close()` instead when it may not send the code itself. */
  readonly browserForwards: number;
}

/** Who passes a close code on: browser code calling `WebSocket.close`, or a server or proxy. */
export type CloseSender = "browser" | "endpoint";

/** The rule covering a close code. Throws a `RangeError` for a value that is not an integer from 0 to 65535. */
export function closeCodeRule(code: number): CloseCodeRule {
  return runOf(closeCodeRules, code);
}

/**
 * The code to pass on after receiving `code`: itself when `sender` may send it, otherwise a safe
 * replacement (copying 1006 into `WebSocket.close()` would throw).
 */
export function safeCloseCode(code: number, sender: CloseSender): number {
  const rule = closeCodeRule(code);
  if (sender === "browser") {
    return rule.browserMaySend ? code : rule.browserForwards;
  }
  return rule.endpointMaySend ? code : rule.endpointForwards;
}

// Made on first use, so a bundle that never truncates a reason drops them (no top-level `new`).
let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;

/**
 * The longest prefix of `reason` that fits a close frame (123 UTF-8 bytes), cut on a character
 * boundary. (A lone surrogate in a longer reason comes back as U+FFFD, as it would be sent.)
 */
export function truncateCloseReason(reason: string): string {
  const bytes = (encoder ??= new TextEncoder()).encode(reason);
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
    return reason;
  }
  let end = MAX_CLOSE_REASON_BYTES;
  // A continuation byte (0b10xxxxxx) is never the start of a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) {
    end -= 1;
  }
  return (decoder ??= new TextDecoder()).decode(bytes.subarray(0, end));
}

/** What a close listener receives: a browser `CloseEvent`, or anything with the same fields. */
export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/**
 * A classified close: the family's classification of the code (known code or unknown number, with
 * its action and backoff hint) plus what the event said.
 */
export type Closed<C extends number = number, N extends string = string, M extends string | undefined = string> = Classification<C, N, M> & {
  /** The event's reason, truncated to fit a close frame if it was longer. */
  readonly reason: string;
  readonly reasonTruncated: boolean;
  readonly wasClean: boolean;
  /**
   * The code did not come from the peer: the user agent reported it locally (1005, 1006, 1015) or
   * it cannot travel in a close frame at all.
   */
  readonly localOnly: boolean;
};

/**
 * Classifies a close event by a close-code family.
 *
 * @example
 * ```ts
 * socket.addEventListener("close", (event) => {
 *   const closed = classifyCloseEvent(myFamilyFamily, event); // `<family>Family`, generated per family
 *   if (closed.action === "wait_for_capacity") showWaitScreen();
 * });
 * ```
 */
export function classifyCloseEvent<C extends number, N extends string, M extends string | undefined = string>(
  family: CodeFamily<C, N, M>,
  event: CloseEventLike,
): Closed<C, N, M> {
  const classified = family.classify(event.code);
  const reason = truncateCloseReason(event.reason);
  const localOnly = (classified.info?.localOnly ?? false) || closeCodeRule(event.code).neverOnWire;
  return { ...classified, reason, reasonTruncated: reason !== event.reason, wasClean: event.wasClean, localOnly };
}

/**
 * The context of an official SDK's state event, accepted by its shape: centrifuge-js passes
 * `{ code, reason }` to `connecting`, `disconnected`, `subscribing` and `unsubscribed` listeners.
 * No dependency on the SDK.
 */
export interface SdkEventContext {
  readonly code: number;
  readonly reason?: string;
}

/**
 * An error as centrifuge-js reports it: the `error` of its `error` event's context, and the object
 * its calls' promises reject with. `message` is the SDK's text, often built at run time.
 */
export interface SdkError {
  readonly code: number;
  readonly message?: string;
}

/** The context of an SDK `error` event (centrifuge-js, client or subscription). */
export interface SdkErrorContext {
  readonly type?: string;
  readonly error: SdkError;
}

/**
 * What an SDK event's code means, with the family that answered (the SDK's own or the server's).
 * `M` is the type of the answer's message: `string | undefined` when a family the event is read
 * in has codes without a fixed text.
 */
export type SdkEventAnswer<M extends string | undefined = string> = Classification<number, string, M> & {
  readonly family: CodeFamily<number, string, M>;
};

/**
 * Where an SDK event's numbers are read: its own family, and the ranges of that family whose
 * numbers are another family's codes (the server's codes the SDK passes on).
 */
export interface SdkEventTable<M extends string | undefined = string> {
  readonly own: CodeFamily<number, string, M>;
  readonly handOff: readonly { readonly from: number; readonly to: number; readonly family: CodeFamily<number, string, M> }[];
}

/**
 * Classifies an SDK event's `code`: `undefined` for anything but an integer 0-65535 (never
 * wrapped); a code registered in the event's own family; a number of a handed-off range in the
 * family it belongs to; else by the event's own ranges.
 */
export function classifySdkEventCode<M extends string | undefined = string>(
  table: SdkEventTable<M>,
  code: number,
): SdkEventAnswer<M> | undefined {
  if (!Number.isInteger(code) || code < 0 || code > 65535) return undefined;
  const own = table.own.classify(code);
  if (!own.known) {
    for (const range of table.handOff) {
      if (code >= range.from && code <= range.to) return { ...range.family.classify(code), family: range.family };
    }
  }
  return { ...own, family: table.own };
}
