// A real WebSocket server closes in every way the registry knows; the client decides each time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

import { actionTriesAgain, classifyCloseEvent, closeCodeRule, delayMs, families, randomU32, truncateCloseReason } from "../dist/index.js";

const vectors = JSON.parse(readFileSync(new URL("./vectors.json", import.meta.url), "utf8"));
const available = typeof WebSocket === "function";
const skip = !available && !process.env.CODEBOOK_REQUIRE_WEBSOCKET && "no global WebSocket (use Node 22, or --experimental-websocket)";

/** A server that answers every WebSocket handshake and hands the socket to `next()`'s plan. */
async function startServer() {
  const plans = [];
  const server = createServer((request, response) => {
    response.writeHead(426).end();
  });
  server.connections = 0;
  server.on("upgrade", (request, socket) => {
    server.connections += 1;
    const accept = createHash("sha1")
      .update(`${request.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const plan = plans.shift();
    if (plan === undefined) {
      socket.destroy();
    } else {
      plan(socket);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.next = (plan) => plans.push(plan);
  return server;
}

/** Sends a close frame and ends the connection once the client answers with its own. */
function closeWith(code, reason) {
  return (socket) => {
    const text = Buffer.from(reason, "utf8");
    const payload = Buffer.alloc(2 + text.length);
    payload.writeUInt16BE(code, 0);
    text.copy(payload, 2);
    socket.on("data", () => socket.end());
    socket.on("error", () => {});
    socket.write(Buffer.concat([Buffer.from([0x88, payload.length]), payload]));
  };
}

/** Drops the connection without a close frame: the client reports 1006. */
function drop(socket) {
  setTimeout(() => socket.destroy(), 10);
}

/**
 * A reconnect policy on the binding: classify the close, then either stop (with the action to show)
 * or schedule the next attempt after the hint's delay. Returns what it decided.
 */
function connectOnce(url, family) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.addEventListener("error", () => {});
    socket.addEventListener("close", (event) => {
      try {
        const closed = classifyCloseEvent(family, event);
        if (!actionTriesAgain(closed.action)) {
          resolve({ closed, reconnect: false });
          return;
        }
        const delay = delayMs(closed.backoff, 0, 0, randomU32());
        resolve({ closed, reconnect: delay !== undefined, delay });
      } catch (error) {
        reject(error);
      }
    });
  });
}

for (const expected of vectors.families.filter((family) => family.delivered_in.includes("close_frame"))) {
  test(`${expected.id}: a real server's closes are classified and acted on`, { skip }, async () => {
    const family = families.find((candidate) => candidate.id === expected.id);
    assert.ok(family, `no family ${expected.id}`);
    const server = await startServer();
    const url = `ws://127.0.0.1:${server.address().port}/`;
    try {
      const sendable = expected.codes.filter((row) => closeCodeRule(row.code).endpointMaySend);
      assert.ok(sendable.length > 0 || expected.codes.length === 0);
      for (const row of sendable) {
        const before = server.connections;
        // A code whose text varies is sent with its first known text, or none.
        const reason = truncateCloseReason(row.message ?? row.known_messages[0] ?? "");
        server.next(closeWith(row.code, reason));
        const { closed, reconnect, delay } = await connectOnce(url, family);
        assert.equal(closed.code, row.code);
        assert.equal(closed.known, true);
        assert.equal(closed.reason, reason, `reason of ${row.code}`);
        assert.equal(closed.wasClean, true, `close ${row.code} was not clean`);
        assert.equal(closed.localOnly, false);
        assert.equal(closed.action, row.action, `action after ${row.code}`);
        assert.equal(reconnect, row.backoff !== null, `reconnect after ${row.code}`);
        if (reconnect) {
          assert.ok(delay >= row.backoff.min_ms && delay >= 1, `a zero or short delay after ${row.code}: ${delay}`);
        }
        assert.equal(server.connections, before + 1, `the client reconnected on its own after ${row.code}`);
      }
      server.next(drop);
      const { closed } = await connectOnce(url, family);
      assert.equal(closed.code, 1006);
      assert.equal(closed.wasClean, false);
      assert.equal(closed.localOnly, true);
      assert.equal(closed.action, family.classify(1006).action);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
}
