// Drives a running Centrifugo with the official centrifuge-js SDK (and, for what no SDK sends, a
// raw WebSocket), and checks each code that arrives against the codebook TypeScript binding:
// the binding must know the code, return its exact wire message, and its action must agree with
// what the SDK did (reconnected or not, resubscribed or not), observed from the SDK's own state
// events. Prints one JSON line per scenario; `cargo xtask test` (xtask/src/interop.rs) starts the
// server, runs this file and prints the table.
//
// Environment: CENTRIFUGO_WS, CENTRIFUGO_API, CENTRIFUGO_API_KEY, CENTRIFUGO_SECRET, CENTRIFUGO_PID.

import { createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createServer } from "node:net";
import { Centrifuge, connectingCodes, disconnectedCodes, errorCodes, subscribingCodes, unsubscribedCodes } from "centrifuge";
import WebSocket from "ws";
import * as codebook from "../../bindings/typescript/dist/index.js";

const WS_URL = process.env.CENTRIFUGO_WS;
const API_URL = process.env.CENTRIFUGO_API;
const API_KEY = process.env.CENTRIFUGO_API_KEY;
const SECRET = process.env.CENTRIFUGO_SECRET;
const SERVER_PID = Number(process.env.CENTRIFUGO_PID);
const SDK = "centrifuge-js 5.7.4";
const WAIT_MS = 8000;

function token(user, claims = {}, secret = SECRET) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: user, ...claims })}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

const now = () => Math.floor(Date.now() / 1000);

async function api(method, params) {
  const response = await fetch(`${API_URL}/${method}`, {
    method: "POST",
    headers: { "X-API-Key": API_KEY, "Content-Type": "application/json" },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`API ${method}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Resolves with the first of `events` (name and context) that `accept` lets through. */
function first(emitter, events, accept = () => true, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const listeners = [];
    const done = (value, error) => {
      clearTimeout(timer);
      for (const [name, listener] of listeners) emitter.removeListener(name, listener);
      error ? reject(error) : resolve(value);
    };
    const timer = setTimeout(() => done(undefined, new Error(`none of ${events.join(", ")} within ${ms} ms`)), ms);
    for (const name of events) {
      const listener = (ctx) => {
        if (accept(name, ctx)) done({ event: name, ctx });
      };
      listeners.push([name, listener]);
      emitter.on(name, listener);
    }
  });
}

function client(user, options = {}) {
  return new Centrifuge(WS_URL, { websocket: WebSocket, token: user ? token(user) : undefined, ...options });
}

async function connected(user, options) {
  const c = client(user, options);
  const ready = first(c, ["connected", "disconnected"]);
  c.connect();
  const { event, ctx } = await ready;
  if (event !== "connected") throw new Error(`could not connect ${user}: ${JSON.stringify(ctx)}`);
  return c;
}

/** The binding's helper for an SDK event's context, e.g. `classifyConnectingContext`. */
const helpers = {
  connecting: codebook.classifyConnectingContext,
  disconnected: codebook.classifyDisconnectedContext,
  subscribing: codebook.classifySubscribingContext,
  unsubscribed: codebook.classifyUnsubscribedContext,
  // The error event's context holds its code in `error` (client and subscription alike).
  error: ({ code }) => codebook.classifyErrorContext({ error: { code, message: "" } }),
};

/** The family whose codes an SDK event carries, as the binding's event helper decides it. */
function familyOf(event, code) {
  const answer = helpers[event]({ code, reason: "" });
  if (!answer) throw new Error(`the ${event} helper says ${code} is no code`);
  return answer.family;
}

const rows = [];

/**
 * What a registered code's text must be: the exact fixed message; for a code whose text the SDK
 * builds at run time, `expectedText` when the scenario knows what it must be (the thrown error's
 * `toString()`), a text the code lists as known when `knownText` is set, and a known text must
 * lead the binding's lookup by message back to the code. Returns the problems.
 */
function textProblems(family, classified, reason, { expectedText, knownText }) {
  const info = classified.info;
  if (info.message !== undefined) {
    return info.message === reason ? [] : [`binding says ${JSON.stringify(info.message)}, wire said ${JSON.stringify(reason)}`];
  }
  const problems = [];
  if (typeof info.messageVaries !== "string" || !Array.isArray(info.knownMessages)) {
    problems.push(`${info.name} has no fixed message, yet no messageVaries/knownMessages`);
  }
  if (expectedText !== undefined && reason !== expectedText) {
    problems.push(`the SDK sent ${JSON.stringify(reason)}, expected ${JSON.stringify(expectedText)}`);
  }
  const known = info.knownMessages?.includes(reason) ?? false;
  if (knownText && !known) problems.push(`${JSON.stringify(reason)} is not a known message of ${info.name}`);
  const found = family.fromMessage(reason);
  if (known && found !== info.code) problems.push(`fromMessage(${JSON.stringify(reason)}) = ${found}, want ${info.code}`);
  return problems;
}

/**
 * Checks one observation and records its row.
 * - `sdkAgain`: whether the SDK tried again (reconnected, resubscribed, retried), from its events.
 * - `differs`: why codebook deliberately answers otherwise than this SDK (the row then expects the
 *   difference, and fails if it disappears).
 * - `registered`: false when the number is an application code nobody registers.
 * - `reasonFromCaller`: the reason is whatever the server API caller chose, not the registry's.
 */
function check(scenario, { family, code, reason, via, sdkAgain, sdkDid, differs, registered = true, reasonFromCaller = false, expectedText, knownText = false }) {
  const classified = family.classify(code);
  const problems = [];
  if (registered) {
    if (!classified.known) problems.push(`${code} is not registered in ${family.id}`);
    else if (!reasonFromCaller) problems.push(...textProblems(family, classified, reason, { expectedText, knownText }));
  } else if (classified.known) {
    problems.push(`${code} was expected to be unregistered in ${family.id}`);
  }
  const again = codebook.actionTriesAgain(classified.action);
  if (differs) {
    if (again === sdkAgain) problems.push(`expected to differ from the SDK (${differs}), but both ${again ? "try again" : "stop"}`);
  } else if (again !== sdkAgain) {
    problems.push(`codebook says ${classified.action}, the SDK ${sdkDid}`);
  }
  const name = classified.known ? `${family.id} ${classified.info.name}` : `${family.id} (${classified.segment.label})`;
  rows.push({
    sdk: SDK,
    scenario,
    arrived: `${via} ${code} ${JSON.stringify(reason)}`,
    codebook: `${name}: ${classified.action}`,
    sdk_did: sdkDid + (differs ? ` [differs on purpose: ${differs}]` : ""),
    ok: problems.length === 0,
    problems,
    // What arrived, for the same check on the Go binding (xtask passes it to interop/go check).
    observed: {
      family: family.id,
      code,
      reason: reason ?? "",
      registered,
      reason_from_caller: reasonFromCaller,
      sdk_again: sdkAgain,
      differs: Boolean(differs),
      expected_text: expectedText ?? null,
      known_text: knownText,
    },
  });
}

function failed(scenario, error) {
  rows.push({ sdk: SDK, scenario, arrived: "-", codebook: "-", sdk_did: "-", ok: false, problems: [String(error?.stack ?? error)] });
}

/**
 * Connects and reports how the attempt ended: a connect error reply first (as the SDK's `error`
 * event shows it, with whether the SDK then tried again), then the code of the SDK's
 * `disconnected` event or of a reconnecting `connecting` event.
 */
async function connectFailure(scenario, options, note = {}) {
  const c = client(undefined, options);
  const errors = [];
  c.on("error", (ctx) => errors.push(ctx));
  const ended = first(c, ["disconnected", "connecting"], (name, ctx) => ctx.code !== 0);
  c.connect();
  try {
    const { event, ctx } = await ended;
    const reply = errors.find((e) => e.type === "connect")?.error;
    if (reply) {
      // After a connect error the SDK either gives up with that code or tries again: for 109 it
      // asks for a new token first (without getToken, that attempt is its `configuration` error).
      const triedAgain = reply.code !== ctx.code || event === "connecting";
      check(`${scenario} (reply)`, {
        family: codebook.centrifugoErrorFamily,
        code: reply.code,
        reason: reply.message,
        via: "error reply",
        sdkAgain: triedAgain,
        sdkDid: triedAgain ? "tried again (asked for a new token)" : "stopped",
      });
    }
    check(reply ? `${scenario} (then)` : scenario, {
      family: familyOf(event, ctx.code),
      code: ctx.code,
      reason: ctx.reason,
      via: event === "disconnected" ? "disconnected event" : "connecting event",
      sdkAgain: event === "connecting",
      sdkDid: event === "connecting" ? "reconnected (connecting)" : "stopped (disconnected)",
      ...note,
    });
  } finally {
    c.disconnect();
  }
}

/** A connected client that the server then disconnects through `act`. */
async function serverDisconnect(scenario, user, act, note = {}) {
  const c = await connected(user);
  try {
    const ended = first(c, ["disconnected", "connecting"]);
    await act();
    const { event, ctx } = await ended;
    check(scenario, {
      family: familyOf(event, ctx.code),
      code: ctx.code,
      reason: ctx.reason,
      via: `${event} event`,
      sdkAgain: event === "connecting",
      sdkDid: event === "connecting" ? "reconnected (connecting)" : "stopped (disconnected)",
      ...note,
    });
  } finally {
    c.disconnect();
  }
}

/**
 * Asks the server API for a code that cannot reach the client (3000 is only recorded by the
 * server; >= 5000 does not fit a close frame): the client must see a bare transport close, and the
 * registry must say why.
 */
async function neverArrives(scenario, code, registryExplains) {
  const before = rows.length;
  await serverDisconnect(scenario, `never-${code}`, () =>
    api("disconnect", { user: `never-${code}`, disconnect: { code, reason: "" } }),
  );
  const row = rows[before];
  if (row && !row.arrived.startsWith("connecting event 1 ")) {
    row.ok = false;
    row.problems.push(`expected the SDK's transportClosed (the code never arrives), got ${row.arrived}`);
  }
  const problem = registryExplains();
  if (row && problem) {
    row.ok = false;
    row.problems.push(problem);
  }
  if (row) row.codebook += ` (asked for ${code})`;
}

/** A raw WebSocket that does what no SDK does; reports the close frame. */
async function rawClose(scenario, onOpen) {
  const socket = new WebSocket(WS_URL);
  const closed = new Promise((resolve, reject) => {
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on("error", reject);
  });
  socket.on("open", () => onOpen(socket));
  const { code, reason } = await Promise.race([closed, sleep(15000).then(() => ({ code: -1, reason: "no close" }))]);
  const family = codebook.centrifugoDisconnectFamily;
  check(scenario, {
    family,
    code,
    reason,
    via: "close frame",
    // No SDK here: what the SDKs do with the code is their range rule, which the binding must match.
    sdkAgain: (code >= 3000 && code < 3500) || (code >= 4000 && code < 4500),
    sdkDid: "(raw socket; SDK rule for the code)",
  });
}

/** Subscribes on a connected client and reports how the subscription ended. */
async function subscribeFailure(scenario, c, channel) {
  const sub = c.newSubscription(channel);
  const ended = first(sub, ["unsubscribed", "subscribed", "subscribing"], (name, ctx) => !(name === "subscribing" && ctx.code === 0));
  sub.subscribe();
  const { event, ctx } = await ended;
  if (event === "subscribed") throw new Error(`subscribed to ${channel}`);
  check(scenario, {
    family: familyOf(event, ctx.code),
    code: ctx.code,
    reason: ctx.reason,
    via: "error reply",
    sdkAgain: event === "subscribing",
    sdkDid: event === "subscribing" ? "resubscribes (subscribing)" : "stopped (unsubscribed)",
  });
  c.removeSubscription(sub);
}

async function replyError(scenario, call) {
  try {
    await call();
    throw new Error("the call succeeded");
  } catch (error) {
    if (error instanceof Error) throw error;
    // Read as any rejected call: numbers from 100 up are handed to the server's family.
    const family = codebook.classifyRejection(error)?.family;
    if (family?.id !== codebook.centrifugoErrorFamily.id) throw new Error(`classifyRejection read ${JSON.stringify(error)} in ${family?.id}`);
    check(scenario, {
      family,
      code: error.code,
      reason: error.message,
      via: "error reply",
      sdkAgain: false,
      sdkDid: "rejected the call, no retry",
    });
  }
}

/** Speaks the JSON protocol directly (the SDKs refuse a second subscription client-side). */
async function rawReplies(user, commands) {
  const socket = new WebSocket(WS_URL);
  const replies = new Map();
  await new Promise((resolve, reject) => {
    socket.on("open", resolve);
    socket.on("error", reject);
  });
  socket.on("message", (data) => {
    for (const line of data.toString().split("\n").filter(Boolean)) {
      const reply = JSON.parse(line);
      if (reply.id) replies.set(reply.id, reply);
    }
  });
  const all = [{ id: 1, connect: { token: token(user) } }, ...commands.map((command, index) => ({ id: index + 2, ...command }))];
  for (const command of all) {
    socket.send(JSON.stringify(command));
    const deadline = Date.now() + WAIT_MS;
    while (!replies.has(command.id) && Date.now() < deadline) await sleep(20);
  }
  socket.close();
  return all.map((command) => replies.get(command.id));
}

/**
 * The SDK's own code tables (codes.ts) against the binding: every member of each event's enum must
 * be registered under the SDK's name in UpperCamelCase, read through the event's helper, and every
 * client-library code the helper's family registers must be a member. A code added to the SDK
 * fails here with its name.
 */
function sdkCodeTables() {
  const tables = [
    ["error", errorCodes],
    ["connecting", connectingCodes],
    ["disconnected", disconnectedCodes],
    ["subscribing", subscribingCodes],
    ["unsubscribed", unsubscribedCodes],
  ];
  for (const [event, table] of tables) {
    const members = Object.entries(table).filter(([, value]) => typeof value === "number");
    const problems = [];
    let family;
    for (const [name, code] of members) {
      const answer = helpers[event]({ code, reason: "" });
      const upper = name[0].toUpperCase() + name.slice(1);
      if (!answer?.known) problems.push(`${event}Codes.${name} (${code}) is not registered`);
      else if (answer.info.name !== upper) problems.push(`${event}Codes.${name} (${code}) is registered as ${answer.info.name}`);
      else family ??= answer.family;
    }
    for (const info of family?.codes ?? []) {
      if (info.origin === "client_library" && !members.some(([, code]) => code === info.code)) {
        problems.push(`${family.id} registers ${info.code} ${info.name}, which ${event}Codes lacks`);
      }
    }
    rows.push({
      sdk: SDK,
      scenario: `codes.ts ${event}Codes`,
      arrived: members.map(([name, code]) => `${code} ${name}`).join(", "),
      codebook: family ? `${family.id}: all registered` : "-",
      sdk_did: "(code table)",
      ok: problems.length === 0,
      problems,
    });
  }
}

/** A 127.0.0.1 port nothing listens on: the kernel picks a free one, which is closed again. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Checks an error the SDK raised itself, as an `error` event's context (`via` "error event") or
 * a rejected call's object (`via` "rejected call"), through the binding's helper for it.
 */
function sdkError(scenario, { error, via, sdkAgain, sdkDid, expectedText, knownText }) {
  const answer = via === "rejected call" ? codebook.classifyRejection(error) : codebook.classifyErrorContext({ error });
  if (!answer) throw new Error(`the binding says ${JSON.stringify(error)} holds no code`);
  check(scenario, { family: answer.family, code: error.code, reason: error.message, via, sdkAgain, sdkDid, expectedText, knownText });
}

/** Runs `call` and returns what it rejected with (an Error is a bug of the scenario: rethrown). */
async function rejection(call) {
  try {
    await call();
  } catch (error) {
    if (error instanceof Error) throw error;
    return error;
  }
  throw new Error("the call succeeded");
}

/** The SDK's own error codes (errorCodes), raised by the real centrifuge-js. */
const sdkErrorScenarios = [
  [
    "getToken throws",
    async () => {
      // The SDK passes on the thrown error's toString() and tries again after a backoff.
      const thrown = new Error("token service unavailable");
      let calls = 0;
      const c = new Centrifuge(WS_URL, {
        websocket: WebSocket,
        minReconnectDelay: 50,
        maxReconnectDelay: 100,
        getToken: async () => {
          calls += 1;
          throw thrown;
        },
      });
      const raised = first(c, ["error"], (name, ctx) => ctx.type === "connectToken");
      c.connect();
      try {
        const { ctx } = await raised;
        const deadline = Date.now() + WAIT_MS;
        while (calls < 2 && Date.now() < deadline) await sleep(20);
        sdkError("getToken throws", {
          error: ctx.error,
          via: "error event",
          sdkAgain: calls >= 2,
          sdkDid: calls >= 2 ? "asked getToken again (reconnecting)" : "gave up",
          expectedText: thrown.toString(),
        });
      } finally {
        c.disconnect();
      }
    },
  ],
  [
    "nothing listening at the endpoint",
    async () => {
      const url = `ws://127.0.0.1:${await closedPort()}/connection/websocket`;
      const c = new Centrifuge(url, { websocket: WebSocket, minReconnectDelay: 50, maxReconnectDelay: 100 });
      const errors = [];
      c.on("error", (ctx) => errors.push(ctx));
      c.connect();
      try {
        const deadline = Date.now() + WAIT_MS;
        while (errors.length < 2 && Date.now() < deadline) await sleep(20);
        if (errors.length === 0) throw new Error("no error event");
        sdkError("nothing listening at the endpoint", {
          error: errors[0].error,
          via: "error event",
          sdkAgain: errors.length >= 2 && c.state === "connecting",
          sdkDid: errors.length >= 2 ? "tried again (still connecting)" : "gave up",
        });
      } finally {
        c.disconnect();
      }
    },
  ],
  [
    "publish on a subscription never subscribed",
    async () => {
      const c = client("idle");
      const sub = c.newSubscription("never");
      const error = await rejection(() => sub.publish({ text: "hello" }));
      sdkError("publish on a subscription never subscribed", { error, via: "rejected call", sdkAgain: false, sdkDid: "rejected the call, no retry" });
    },
  ],
  [
    "ready() on a disconnected client",
    async () => {
      const error = await rejection(() => client("idle").ready());
      sdkError("ready() on a disconnected client", {
        error,
        via: "rejected call",
        sdkAgain: false,
        sdkDid: "rejected the call, no retry",
        knownText: true,
      });
    },
  ],
  [
    "expired token and no getToken",
    async () => {
      // The server answers 109; without getToken the SDK reports a configuration error and stops.
      const c = client(undefined, { token: token("stale", { exp: now() - 60 }) });
      const errors = [];
      c.on("error", (ctx) => errors.push(ctx));
      const ended = first(c, ["disconnected"], (name, ctx) => ctx.code !== 0);
      c.connect();
      try {
        const { ctx } = await ended;
        const configuration = errors.find((e) => e.type === "configuration");
        if (!configuration) throw new Error(`no configuration error among ${JSON.stringify(errors)}`);
        sdkError("expired token and no getToken", {
          error: configuration.error,
          via: "error event",
          sdkAgain: false,
          sdkDid: `stopped (disconnected ${ctx.code} ${ctx.reason})`,
          knownText: true,
        });
      } finally {
        c.disconnect();
      }
    },
  ],
];

const scenarios = [
  ["codes.ts tables", sdkCodeTables],
  ...sdkErrorScenarios,
  ["invalid token", () => connectFailure("invalid token", { token: "not-a-jwt" })],
  ["token signed with another key", () => connectFailure("token signed with another key", { token: token("mallory", {}, "another-key") })],
  ["expired token", () => connectFailure("expired token", { token: token("late", { exp: now() - 60 }) })],
  [
    "token expires while connected",
    async () => {
      // getToken never answers, so the SDK cannot refresh and the server closes the connection.
      const c = await connected(undefined, { token: token("short", { exp: now() + 2 }), getToken: () => new Promise(() => {}) });
      try {
        const { event, ctx } = await first(c, ["disconnected", "connecting"], () => true, 40000);
        check("token expires while connected", {
          family: familyOf(event, ctx.code),
          code: ctx.code,
          reason: ctx.reason,
          via: "close frame",
          sdkAgain: event === "connecting",
          sdkDid: event === "connecting" ? "reconnected (connecting)" : "stopped (disconnected)",
        });
      } finally {
        c.disconnect();
      }
    },
  ],
  ["never sends connect", () => rawClose("never sends connect", () => {})],
  ["frame that is not JSON", () => rawClose("frame that is not JSON", (socket) => socket.send("this is not json"))],
  [
    "second connection over the per-user limit",
    async () => {
      const first = await connected("limited");
      try {
        await connectFailure("second connection over the per-user limit", { token: token("limited") });
      } finally {
        first.disconnect();
      }
    },
  ],
  ["API disconnect, no disconnect object", () => serverDisconnect("API disconnect, no disconnect object", "api-default", () => api("disconnect", { user: "api-default" }))],
  ...[
    [3011, undefined],
    [4000, undefined],
    [4500, "centrifuge-js reconnects after any code when the close reason is empty; codebook keeps 4500-4999 terminal"],
    [4501, "centrifuge-js reconnects after any code when the close reason is empty; codebook keeps 4500-4999 terminal"],
  ].map(([code, differs]) => [
    `API disconnect ${code}, empty reason`,
    () =>
      serverDisconnect(
        `API disconnect ${code}, empty reason`,
        `api-${code}`,
        () => api("disconnect", { user: `api-${code}`, disconnect: { code, reason: "" } }),
        { registered: code === 3011, differs, reasonFromCaller: true },
      ),
  ]),
  [
    "API disconnect 3000 (never sent)",
    () =>
      neverArrives("API disconnect 3000 (never sent)", 3000, () =>
        codebook.centrifugoDisconnectFamily.info(3000)?.origin === "server_internal" ? undefined : "3000 is not marked server_internal",
      ),
  ],
  [
    "API disconnect 5000 (does not fit a close frame)",
    () =>
      neverArrives("API disconnect 5000 (does not fit a close frame)", 5000, () =>
        codebook.centrifugoDisconnectFamily.classify(5000).segment.scope === "server" ? undefined : "5000 is not in a server-reserved range",
      ),
  ],
  [
    "API disconnect 4500 with a reason",
    () =>
      serverDisconnect("API disconnect 4500 with a reason", "api-4500-reason", () =>
        api("disconnect", { user: "api-4500-reason", disconnect: { code: 4500, reason: "banned" } }),
        { registered: false },
      ),
  ],
  [
    "API disconnect 3014 state invalidated",
    async () => {
      // Both SDKs drop the connection token after 3014: the reconnect must ask getToken for a new one.
      let tokenRequests = 0;
      const c = await connected(undefined, {
        token: token("invalidated"),
        getToken: async () => {
          tokenRequests += 1;
          return token("invalidated");
        },
      });
      try {
        const ended = first(c, ["disconnected", "connecting"]);
        await api("disconnect", { user: "invalidated", disconnect: { code: 3014, reason: "state invalidated" } });
        const { event, ctx } = await ended;
        await first(c, ["connected"]);
        const tokenReset = tokenRequests > 0;
        check("API disconnect 3014 state invalidated", {
          family: familyOf(event, ctx.code),
          code: ctx.code,
          reason: ctx.reason,
          via: "close frame",
          sdkAgain: event === "connecting" && tokenReset,
          sdkDid: `${event === "connecting" ? "reconnected" : "stopped"}${tokenReset ? " with a new token" : " WITHOUT asking for a token"}`,
        });
      } finally {
        c.disconnect();
      }
    },
  ],
  [
    "subscribe errors",
    async () => {
      const c = await connected("subscriber");
      try {
        for (const [scenario, channel] of [
          ["subscribe to an unknown namespace", "nowhere:news"],
          ["subscribe to a forbidden channel", "locked:news"],
        ]) {
          try {
            await subscribeFailure(scenario, c, channel);
          } catch (error) {
            failed(scenario, error);
          }
        }
      } finally {
        c.disconnect();
      }
    },
  ],
  [
    "subscribe to the same channel twice",
    async () => {
      const replies = await rawReplies("twice", [{ subscribe: { channel: "twice" } }, { subscribe: { channel: "twice" } }]);
      const error = replies[2]?.error;
      if (!error) throw new Error(`no error reply: ${JSON.stringify(replies)}`);
      check("subscribe to the same channel twice", {
        family: codebook.centrifugoErrorFamily,
        code: error.code,
        reason: error.message,
        via: "error reply",
        // The SDKs never send it (they refuse the second subscription locally), so compare with
        // the server's own flag: a permanent error is not retried.
        sdkAgain: error.temporary === true,
        sdkDid: `(raw protocol; temporary ${error.temporary === true})`,
      });
    },
  ],
  [
    "over the channel limit",
    async () => {
      const c = await connected("hoarder");
      try {
        for (const channel of ["a", "b"]) {
          const sub = c.newSubscription(channel);
          const ok = first(sub, ["subscribed", "unsubscribed"]);
          sub.subscribe();
          await ok;
        }
        await subscribeFailure("over the channel limit", c, "c");
      } finally {
        c.disconnect();
      }
    },
  ],
  [
    "RPC without a proxy, history where it is off",
    async () => {
      const c = await connected("caller");
      try {
        await replyError("RPC without a proxy", () => c.rpc("anything", {}));
        const sub = c.newSubscription("plain");
        const ok = first(sub, ["subscribed", "unsubscribed"]);
        sub.subscribe();
        await ok;
        await replyError("history where it is off", () => sub.history({ limit: 1 }));
      } finally {
        c.disconnect();
      }
    },
  ],
  [
    "server API unsubscribe",
    async () => {
      const c = await connected("evicted");
      try {
        const sub = c.newSubscription("room");
        const ok = first(sub, ["subscribed", "unsubscribed"]);
        sub.subscribe();
        await ok;
        const ended = first(sub, ["unsubscribed", "subscribing"]);
        await api("unsubscribe", { user: "evicted", channel: "room" });
        const { event, ctx } = await ended;
        check("server API unsubscribe", {
          family: familyOf(event, ctx.code),
          code: ctx.code,
          reason: ctx.reason,
          via: "Unsubscribe push",
          sdkAgain: event === "subscribing",
          sdkDid: event === "subscribing" ? "resubscribes (subscribing)" : "stopped (unsubscribed)",
        });
      } finally {
        c.disconnect();
      }
    },
  ],
  [
    "SIGTERM to the server",
    async () => {
      const c = await connected("survivor");
      try {
        const ended = first(c, ["disconnected", "connecting"]);
        process.kill(SERVER_PID, "SIGTERM");
        const { event, ctx } = await ended;
        check("SIGTERM to the server", {
          family: familyOf(event, ctx.code),
          code: ctx.code,
          reason: ctx.reason,
          via: "close frame",
          sdkAgain: event === "connecting",
          sdkDid: event === "connecting" ? "reconnected (connecting)" : "stopped (disconnected)",
        });
      } finally {
        c.disconnect();
      }
    },
  ],
];

const only = process.env.INTEROP_ONLY;
for (const [name, run] of scenarios) {
  if (only && !name.includes(only)) continue;
  try {
    await run();
  } catch (error) {
    failed(name, error);
  }
}
for (const row of rows) console.log(JSON.stringify(row));
process.exit(0);
