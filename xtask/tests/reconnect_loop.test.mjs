// A reconnect loop built on the generated TypeScript binding, against a real WebSocket server on
// 127.0.0.1 that closes with 4001, 3500 and 1000 in turn (a streaming platform whose signalling
// runs on Centrifugo). The loop must decide "wait for capacity", then "reauthenticate", then "stop",
// connect exactly three times, and never wait less than the registry's hint: no reconnect storm.
// Run by `cargo xtask test` (xtask/src/bindings_tests.rs) after the binding is compiled to dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:http";

import {
  Mulberry32,
  centrifugoDisconnectFamily,
  classifyCloseEvent,
  delayMs,
  streamingSessionFamily,
} from "../../bindings/typescript/dist/index.js";

/** A server that completes each handshake, then closes with the next planned code. */
async function closingServer(codes) {
  const plan = [...codes];
  const server = createServer((request, response) => response.writeHead(426).end());
  server.connections = 0;
  server.on("upgrade", (request, socket) => {
    server.connections += 1;
    const accept = createHash("sha1")
      .update(`${request.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on("error", () => {});
    const code = plan.shift();
    if (code === undefined) {
      socket.destroy();
      return;
    }
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    socket.on("data", () => socket.end());
    socket.write(Buffer.concat([Buffer.from([0x88, payload.length]), payload]));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** Opens one connection and resolves with its close event. */
function nextClose(url) {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.addEventListener("error", () => {});
    socket.addEventListener("close", (event) => resolve(event));
  });
}

/** The platform's own codes first, then Centrifugo's disconnect codes. */
function classify(event) {
  const streaming = classifyCloseEvent(streamingSessionFamily, event);
  return streaming.known ? streaming : classifyCloseEvent(centrifugoDisconnectFamily, event);
}

/**
 * The loop an application writes: classify each close, do what its action says, sleep the hint's
 * delay before trying again, give up when the hint says so. `sleep` is injected so the test runs in
 * virtual time.
 */
async function reconnectLoop(url, { sleep, reauthenticate, refreshToken, showWaitScreen }) {
  const random = new Mulberry32(2026);
  const decisions = [];
  let attempt = 0;
  let elapsedMs = 0;
  for (;;) {
    const closed = classify(await nextClose(url));
    decisions.push(closed.action);
    switch (closed.action) {
      case "reauthenticate":
        await reauthenticate();
        attempt = 0;
        continue;
      case "refresh_token_then_reconnect":
        await refreshToken();
        break;
      case "wait_for_capacity":
        showWaitScreen();
        break;
      case "reconnect":
      case "reconnect_after_backoff":
        break;
      default:
        return decisions; // stop, fix_configuration, none: never reconnect on our own
    }
    const delay = delayMs(closed.backoff, attempt, elapsedMs, random.nextU32());
    if (delay === undefined) {
      decisions.push("gave_up");
      return decisions;
    }
    await sleep(delay, closed.backoff);
    attempt += 1;
    elapsedMs += delay;
  }
}

test("4001, 3500, 1000: wait, reauthenticate, stop, with no reconnect storm", async () => {
  const server = await closingServer([4001, 3500, 1000]);
  const url = `ws://127.0.0.1:${server.address().port}/`;
  const sleeps = [];
  const calls = [];
  try {
    const decisions = await reconnectLoop(url, {
      sleep: async (delay, hint) => sleeps.push({ delay, hint }),
      reauthenticate: async () => calls.push("reauthenticate"),
      refreshToken: async () => calls.push("refresh_token"),
      showWaitScreen: () => calls.push("wait_screen"),
    });
    assert.deepEqual(decisions, ["wait_for_capacity", "reauthenticate", "stop"]);
    assert.deepEqual(calls, ["wait_screen", "reauthenticate"]);
    assert.equal(server.connections, 3, "exactly one connection per decision");
    assert.equal(sleeps.length, 1, "only the capacity wait sleeps");
    const [{ delay, hint }] = sleeps;
    assert.deepEqual(hint, streamingSessionFamily.classify(4001).backoff);
    assert.ok(delay >= hint.minMs && delay <= hint.maxMs, `delay ${delay} outside ${hint.minMs}..${hint.maxMs}`);
    assert.ok(delay >= 5000, "a capacity wait starts slow");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
