// The conformance vectors shared by every binding: each row must hold for this package too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  actionAdvice,
  actions,
  actionTriesAgain,
  classifyCloseEvent,
  closeCodeRule,
  closeCodeRules,
  delayMs,
  families,
  MAX_CLOSE_REASON_BYTES,
  Mulberry32,
  randomU32,
  safeCloseCode,
  truncateCloseReason,
} from "../dist/index.js";

const vectors = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));

/** A hint as vectors.json spells it, in this package's spelling. */
function hint(row) {
  return row === null
    ? undefined
    : { minMs: row.min_ms, maxMs: row.max_ms, jitter: row.jitter, giveUpAfterMs: row.give_up_after_ms ?? undefined };
}

test("the package holds exactly the families of the vectors", () => {
  assert.deepEqual(families.map((family) => family.id), vectors.families.map((family) => family.id));
});

for (const expected of vectors.families) {
  const family = families.find((candidate) => candidate.id === expected.id);

  test(`${expected.id}: every registered code`, () => {
    assert.ok(family, `no family ${expected.id}`);
    assert.equal(family.codes.length, expected.codes.length);
    assert.deepEqual({ ...family.backoff }, hint(expected.backoff));
    for (const row of expected.codes) {
      const info = family.info(row.code);
      assert.ok(info, `code ${row.code} is missing`);
      assert.equal(info.name, row.name);
      assert.equal(info.message, row.message ?? undefined, `message of ${row.code}`);
      // Only a code without a fixed text carries what it holds and the texts known to arrive.
      assert.equal(info.messageVaries, row.message_varies ?? undefined, `messageVaries of ${row.code}`);
      assert.deepEqual(info.knownMessages && [...info.knownMessages], row.message === null ? row.known_messages : undefined);
      assert.equal("messageVaries" in info, row.message === null);
      assert.equal("knownMessages" in info, row.message === null);
      const docs = family.docs(row.code);
      assert.ok(docs, `code ${row.code} has no docs`);
      assert.equal(docs.code, row.code);
      assert.equal(docs.description, row.description);
      assert.deepEqual([...docs.causes], row.causes);
      assert.equal(info.behaviour, row.behaviour);
      assert.equal(info.localOnly, row.local_only);
      assert.equal(info.action, row.action, `action of ${row.code}`);
      assert.deepEqual(info.backoff && { ...info.backoff }, hint(row.backoff), `backoff of ${row.code}`);
      assert.equal(info.origin, row.origin);
      assert.equal(info.httpStatus, row.http_status);
      assert.equal(info.grpcStatus, row.grpc_status);
      assert.equal(docs.since, row.since ?? undefined);
      assert.equal(docs.deprecated, row.deprecated ?? undefined);
      assert.deepEqual(docs.changes.map((change) => ({ ...change })), row.changes);
      assert.equal(docs.docUrl, row.doc_url);
      assert.equal(family.fromCode(row.code), row.code);
      assert.equal(family.fromName(row.name), row.code);
      const classified = family.classify(row.code);
      assert.equal(classified.known, true);
      assert.equal(classified.code, row.code);
      assert.equal(classified.behaviour, row.behaviour);
      assert.equal(classified.action, row.action);
      assert.equal(classified.backoff, info.backoff);
      assert.equal(classified.behaviour === "reconnect", row.should_reconnect);
      assert.equal(classified.behaviour === "terminal", row.is_terminal);
      assert.equal(classified.behaviour === "temporary", row.is_temporary);
    }
  });

  test(`${expected.id}: a lookup by message finds what the model's message_lookups table says`, () => {
    assert.ok(family, `no family ${expected.id}`);
    assert.ok(Array.isArray(expected.message_lookups), "vectors.json has no message_lookups");
    for (const { message, code } of expected.message_lookups) {
      assert.equal(family.fromMessage(message), code, JSON.stringify(message));
    }
    // Every fixed or known text of every code is in the table, so nothing the lookup finds is untested.
    const texts = expected.codes.flatMap((row) => (row.message === null ? row.known_messages : [row.message]));
    assert.deepEqual([...new Set(texts)].sort(), expected.message_lookups.map((row) => row.message).sort());
    // A text no code uses finds nothing, nor does the prose of a varying code.
    assert.equal(family.fromMessage("\u0000 no code of this family sends this text"), undefined);
    for (const row of expected.codes.filter((candidate) => candidate.message === null)) {
      if (!texts.includes(row.message_varies)) assert.equal(family.fromMessage(row.message_varies), undefined);
    }
  });

  test(`${expected.id}: unregistered numbers classify by their segment`, () => {
    assert.ok(family, `no family ${expected.id}`);
    for (const row of expected.unregistered) {
      const classified = family.classify(row.code);
      assert.equal(classified.known, false, `code ${row.code}`);
      assert.equal(classified.code, row.code);
      assert.equal(classified.info, undefined);
      assert.equal(family.fromCode(row.code), undefined);
      assert.equal(classified.behaviour, row.behaviour, `code ${row.code}`);
      assert.equal(classified.segment.scope, row.scope, `code ${row.code}`);
      assert.equal(classified.segment.label, row.label, `code ${row.code}`);
      assert.equal(classified.action, row.action, `code ${row.code}`);
      assert.deepEqual(classified.backoff && { ...classified.backoff }, hint(row.backoff), `code ${row.code}`);
    }
  });
}

test("numbers that are not codes are rejected", () => {
  for (const family of families) {
    for (const bad of [-1, 65536, 1.5, Number.NaN]) {
      assert.throws(() => family.classify(bad), RangeError);
      assert.throws(() => closeCodeRule(bad), RangeError);
    }
  }
});

test("actions: names, advice and whether they try again", () => {
  assert.deepEqual(Object.keys(actions), vectors.actions.map((row) => row.name));
  for (const row of vectors.actions) {
    assert.equal(actionAdvice(row.name), row.advice);
    assert.equal(actionTriesAgain(row.name), row.tries_again);
  }
});

test("close codes: the rule table and every boundary", () => {
  const expected = vectors.close_codes;
  assert.equal(MAX_CLOSE_REASON_BYTES, expected.max_reason_bytes);
  assert.deepEqual(
    closeCodeRules.map((rule) => ({ ...rule })),
    expected.rules.map((rule) => ({
      from: rule.from,
      to: rule.to,
      label: rule.label,
      endpointMaySend: rule.endpoint_may_send,
      browserMaySend: rule.browser_may_send,
      neverOnWire: rule.never_on_wire,
      endpointForwards: rule.endpoint_forwards,
      browserForwards: rule.browser_forwards,
    })),
  );
  assert.ok(expected.samples.length > expected.rules.length);
  for (const row of expected.samples) {
    const rule = closeCodeRule(row.code);
    assert.equal(rule.label, row.label, `code ${row.code}`);
    assert.equal(rule.endpointMaySend, row.endpoint_may_send, `code ${row.code}`);
    assert.equal(rule.browserMaySend, row.browser_may_send, `code ${row.code}`);
    assert.equal(rule.neverOnWire, row.never_on_wire, `code ${row.code}`);
    assert.equal(safeCloseCode(row.code, "endpoint"), row.safe_for_endpoint, `code ${row.code}`);
    assert.equal(safeCloseCode(row.code, "browser"), row.safe_for_browser, `code ${row.code}`);
  }
});

test("close reasons are truncated to 123 UTF-8 bytes on a character boundary", () => {
  const encoder = new TextEncoder();
  for (const row of vectors.close_codes.truncation) {
    assert.equal(encoder.encode(row.reason).length, row.reason_bytes);
    const truncated = truncateCloseReason(row.reason);
    assert.equal(truncated, row.truncated, `reason of ${row.reason_bytes} bytes`);
    assert.equal(encoder.encode(truncated).length, row.truncated_bytes);
  }
});

test("close events: classification, action, hint, reason and local-only", () => {
  const long = "x".repeat(200);
  for (const family of families.filter((candidate) => candidate.kind === "websocket_close")) {
    for (const code of [...family.codes.map((info) => info.code), 1005, 1006, 1015, 4999, 0]) {
      const event = { code, reason: long, wasClean: code !== 1006 };
      const closed = classifyCloseEvent(family, event);
      const classified = family.classify(code);
      assert.equal(closed.known, classified.known);
      assert.equal(closed.code, code);
      assert.equal(closed.action, classified.action);
      assert.equal(closed.backoff, classified.backoff);
      assert.equal(closed.behaviour, classified.behaviour);
      assert.equal(closed.reason, long.slice(0, 123));
      assert.equal(closed.reasonTruncated, true);
      assert.equal(closed.wasClean, code !== 1006);
      const info = family.info(code);
      assert.equal(closed.localOnly, (info?.localOnly ?? false) || closeCodeRule(code).neverOnWire, `code ${code}`);
    }
    const short = classifyCloseEvent(family, { code: 1000, reason: "bye", wasClean: true });
    assert.equal(short.reason, "bye");
    assert.equal(short.reasonTruncated, false);
    assert.equal(short.localOnly, false);
    assert.equal(classifyCloseEvent(family, { code: 1006, reason: "", wasClean: false }).localOnly, true);
  }
});

test("Mulberry32 reproduces the model's outputs", () => {
  for (const row of vectors.mulberry32) {
    const random = new Mulberry32(row.seed);
    assert.deepEqual(row.outputs.map(() => random.nextU32()), row.outputs, `seed ${row.seed}`);
  }
});

test("seeded delay sequences match the model step by step", () => {
  assert.ok(vectors.delays.some((sequence) => sequence.steps.some((step) => step.delay_ms === null)), "a sequence gives up");
  for (const sequence of vectors.delays) {
    const random = new Mulberry32(sequence.seed);
    let elapsed = 0;
    for (const step of sequence.steps) {
      const drawn = random.nextU32();
      assert.equal(drawn, step.random);
      assert.equal(elapsed, step.elapsed_ms);
      const delay = delayMs(hint(sequence.hint), step.attempt, step.elapsed_ms, drawn);
      assert.equal(delay, step.delay_ms ?? undefined, `seed ${sequence.seed}, attempt ${step.attempt}`);
      elapsed += delay ?? 0;
    }
  }
});

test("hostile delay calls match the model: huge attempts, clocks stepped back, zero hints", () => {
  assert.ok(vectors.hostile_delays.length > 100);
  for (const call of vectors.hostile_delays) {
    const delay = delayMs(hint(call.hint), call.attempt, call.elapsed_ms, call.random);
    assert.equal(delay, call.delay_ms ?? undefined, JSON.stringify(call));
  }
});

test("delayMs answers what a careless caller passes without a NaN, a zero or an exception", () => {
  const hint = { minMs: 100, maxMs: 1000, jitter: "full", giveUpAfterMs: 60_000 };
  // A clock stepped backwards counts as 0; fractions come from performance.now().
  for (const elapsed of [-1, -0.5, -1e300, -Infinity, 0.25, 59_999.999]) {
    const delay = delayMs(hint, 3, elapsed, 7);
    assert.equal(delay, delayMs(hint, 3, Math.max(elapsed, 0), 7));
    assert.ok(delay >= 100 && delay <= 1000, `${elapsed}: ${delay}`);
  }
  for (const elapsed of [60_000, 1e300, Infinity]) {
    assert.equal(delayMs(hint, 3, elapsed, 7), undefined);
  }
  for (const attempt of [2 ** 32, 2 ** 53, Number.MAX_VALUE, Infinity]) {
    assert.equal(delayMs(hint, attempt, 0, 2 ** 32 - 1), 1000);
  }
  assert.equal(delayMs({ minMs: 0, maxMs: 0, jitter: "none", giveUpAfterMs: undefined }, 0, 0, 0), 1);
  assert.equal(delayMs({ minMs: 0, maxMs: 0, jitter: "full", giveUpAfterMs: null }, 5, 0, 2 ** 32 - 1), 1);
});

test("delayMs rejects what is not an attempt count, a random u32, an elapsed time or a hint, with a clear message", () => {
  const hint = { minMs: 100, maxMs: 1000, jitter: "full", giveUpAfterMs: undefined };
  const bad = [
    [hint, -1, 0, 0, /attempt/],
    [hint, 1.5, 0, 0, /attempt/],
    [hint, Number.NaN, 0, 0, /attempt/],
    [hint, "3", 0, 0, /attempt/],
    [hint, -Infinity, 0, 0, /attempt/],
    [hint, 0, Number.NaN, 0, /elapsedMs/],
    [hint, 0, "12", 0, /elapsedMs/],
    [hint, 0, undefined, 0, /elapsedMs/],
    [hint, 0, 0, 2 ** 32, /random/],
    [hint, 0, 0, -1, /random/],
    [hint, 0, 0, 0.5, /random/],
    [hint, 0, 0, "7", /random/],
    [undefined, 0, 0, 0, /hint/],
    [{ maxMs: 1000, jitter: "full" }, 0, 0, 0, /minMs/],
    [{ minMs: 100, jitter: "full" }, 0, 0, 0, /maxMs/],
    [{ minMs: Number.NaN, maxMs: 1000, jitter: "full" }, 0, 0, 0, /minMs/],
    [{ minMs: 100, maxMs: Infinity, jitter: "full" }, 0, 0, 0, /maxMs/],
    [{ minMs: 100, maxMs: 1000, jitter: "Full" }, 0, 0, 0, /jitter/],
    [{ minMs: 100, maxMs: 1000, jitter: "full", giveUpAfterMs: -1 }, 0, 0, 0, /giveUpAfterMs/],
  ];
  for (const [h, attempt, elapsed, random, message] of bad) {
    assert.throws(() => delayMs(h, attempt, elapsed, random), (error) => error instanceof RangeError && message.test(error.message));
  }
  for (let i = 0; i < 100; i += 1) {
    const value = randomU32();
    assert.ok(Number.isInteger(value) && value >= 0 && value < 2 ** 32, String(value));
  }
});

test("property: any hint, attempt, elapsed time and random number give up or wait 1 ms to the cap", () => {
  const source = new Mulberry32(0x5eed);
  const pick = (values) => values[source.nextU32() % values.length];
  const u32 = () => pick([0, 1, 2 ** 32 - 1, 2 ** 32 - 2, source.nextU32(), source.nextU32() % 100_000]);
  for (let i = 0; i < 20_000; i += 1) {
    const hint = { minMs: u32(), maxMs: u32(), jitter: pick(["full", "none"]), giveUpAfterMs: pick([undefined, u32()]) };
    const attempt = pick([0, 1, 31, 32, 33, 2 ** 32 - 1, 2 ** 32, 2 ** 53, source.nextU32() % 80]);
    const elapsed = pick([0, -1, -1e12, 1e12, source.nextU32(), -source.nextU32(), source.nextU32() / 7]);
    const random = u32();
    const delay = delayMs(hint, attempt, elapsed, random);
    const low = Math.max(hint.minMs, 1);
    if (delay === undefined) {
      assert.ok(hint.giveUpAfterMs !== undefined && Math.max(elapsed, 0) >= hint.giveUpAfterMs, JSON.stringify({ hint, attempt, elapsed }));
    } else {
      assert.ok(Number.isInteger(delay) && delay >= low && delay <= Math.max(hint.maxMs, low), JSON.stringify({ hint, attempt, elapsed, random, delay }));
    }
  }
});

test("SDK event helpers answer every context code as the model does", async () => {
  const binding = await import("../dist/index.js");
  // centrifuge-js's rows only: another SDK's numbers (centrifuge-python's error event) are not read here.
  const rows = (vectors.sdk_events ?? []).filter((row) => row.sdks.includes("centrifuge-js"));
  for (const row of rows) {
    const helper = binding[`classify${row.event[0].toUpperCase()}${row.event.slice(1)}Context`];
    assert.equal(typeof helper, "function", `no helper for the ${row.event} event`);
    // The error event's context holds the code in `error`, as does a rejected call's object.
    const error = row.event === "error";
    const answer = error ? helper({ type: "transport", error: { code: row.code, message: "" } }) : helper({ code: row.code, reason: row.reason });
    if (error) {
      assert.deepEqual(binding.classifyRejection({ code: row.code, message: "x" }), answer, `rejection ${row.code}`);
    }
    if (row.family === null) {
      assert.equal(answer, undefined, `${row.event} ${row.code} is no code`);
      continue;
    }
    assert.equal(answer.family.id, row.family, `${row.event} ${row.code}: family`);
    assert.equal(answer.known, row.known, `${row.event} ${row.code}: known`);
    assert.equal(answer.action, row.action, `${row.event} ${row.code}: action`);
    if (row.name !== null) assert.equal(answer.info.name, row.name, `${row.event} ${row.code}: name`);
  }
  // A fractional or negative number is no code either.
  for (const row of rows.filter((candidate) => candidate.event !== "error").slice(0, 1)) {
    const helper = binding[`classify${row.event[0].toUpperCase()}${row.event.slice(1)}Context`];
    assert.equal(helper({ code: -1 }), undefined);
    assert.equal(helper({ code: 42.5 }), undefined);
  }
  if (rows.some((row) => row.event === "error")) {
    assert.equal(binding.classifyErrorContext({ error: { code: -1 } }), undefined);
    assert.equal(binding.classifyErrorContext({ error: { code: 42.5 } }), undefined);
    // What a failed call rejects with that is no SDK error object.
    for (const thrown of [undefined, null, "timeout", 5, new TypeError("x"), { code: "5" }, { message: "timeout" }]) {
      assert.equal(binding.classifyRejection(thrown), undefined, String(thrown));
    }
  } else if (typeof binding.classifyErrorContext === "function") {
    const error = binding.families.find((family) => family.kind === "error");
    const registered = error.codes[0];
    const answer = binding.classifyErrorContext({ type: "subscribe", error: { code: registered.code, message: registered.message } });
    assert.equal(answer.known, true);
    assert.equal(answer.info.message, registered.message);
  }
});
