// Real-browser end to end of the TypeScript binding: the binding, loaded in headless Chromium
// (through chromedriver, W3C WebDriver over plain HTTP), runs reconnect loops against a local
// WebSocket server written here on node:http (127.0.0.1, a free port):
//   - the server drops the TCP connection: the browser reports 1006 and the loop backs off;
//   - it closes without a status code: 1005, and backs off;
//   - 4001: the wait screen shows and the loop waits the capacity hint's delay;
//   - 3500: the loop stops and never reconnects;
//   - close(1006)/close(1005) throw in the browser, close(safeCloseCode(..)) does not;
//   - a reason over 123 bytes makes close() throw, truncateCloseReason's cut is accepted and
//     arrives unbroken (valid UTF-8, byte for byte).
// Run by `cargo xtask test`; usage: node reconnect_browser.mjs DRIVER_URL DIST_DIR USER_DATA_DIR
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { openSession, until } from "./webdriver.mjs";

const [driverUrl, distDir, userDataDir] = process.argv.slice(2);
const here = new URL(".", import.meta.url);

/** Per flow name: every connection's arrival time, and what the server did and received. */
const seen = {};
const record = (name) => (seen[name] ??= { connections: [], closedAt: [], clientCloses: [] });

/** The client's frames on `socket`: calls `onClose(code, reasonBytes)` for a close frame. */
function readFrames(socket, onClose) {
  let buffered = Buffer.alloc(0);
  socket.on("data", (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const opcode = buffered[0] & 0x0f;
      const length = buffered[1] & 0x7f;
      assert.ok(length < 126 && (buffered[1] & 0x80), "the test client sends short masked frames");
      if (buffered.length < 6 + length) {
        return;
      }
      const mask = buffered.subarray(2, 6);
      const payload = Buffer.from(buffered.subarray(6, 6 + length).map((byte, i) => byte ^ mask[i % 4]));
      buffered = buffered.subarray(6 + length);
      if (opcode === 0x8) {
        onClose(payload.length >= 2 ? payload.readUInt16BE(0) : undefined, payload.subarray(2));
      }
    }
  });
}

function closeFrame(code, reason) {
  if (code === undefined) {
    return Buffer.from([0x88, 0x00]);
  }
  const text = Buffer.from(reason, "utf8");
  const payload = Buffer.alloc(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return Buffer.concat([Buffer.from([0x88, payload.length]), payload]);
}

/** What the server does with the `index`th connection of each flow. */
const plans = {
  drop: ["drop", "open"],
  nocode: [["close", undefined, ""], "open"],
  capacity: [["close", 4001, "No Worker Node Available"], "open"],
  invalid: [["close", 3500, "invalid token"], "open"],
  forward: ["open"],
  reason: ["open"],
};

const server = createServer((request, response) => {
  const files = {
    "/": ["reconnect_page.html", "text/html; charset=utf-8"],
    "/page.mjs": ["reconnect_page.mjs", "text/javascript; charset=utf-8"],
  };
  const dist = /^\/dist\/([a-z-]+\.js)$/.exec(request.url ?? "");
  try {
    if (files[request.url]) {
      const [file, type] = files[request.url];
      response.writeHead(200, { "content-type": type }).end(readFileSync(new URL(file, here)));
    } else if (dist) {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(readFileSync(`${distDir}/${dist[1]}`));
    } else {
      response.writeHead(404).end();
    }
  } catch {
    response.writeHead(404).end();
  }
});
server.on("upgrade", (request, socket) => {
  const name = /^\/ws\/([a-z]+)$/.exec(request.url ?? "")?.[1];
  if (!name || !plans[name]) {
    socket.destroy();
    return;
  }
  const flow = record(name);
  const index = flow.connections.push(Date.now()) - 1;
  const accept = createHash("sha1").update(`${request.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  socket.on("error", () => {});
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let sentClose = false;
  readFrames(socket, (code, reason) => {
    flow.clientCloses.push({ code, reason });
    // Answer a client's close with ours, unless this is the answer to ours (then just end).
    socket.end(sentClose ? undefined : closeFrame(code ?? 1000, ""));
  });
  const plan = plans[name][index] ?? "open";
  if (plan === "drop") {
    setTimeout(() => {
      flow.closedAt.push(Date.now());
      socket.destroy();
    }, 50);
  } else if (Array.isArray(plan)) {
    const [, code, reason] = plan;
    setTimeout(() => {
      flow.closedAt.push(Date.now());
      sentClose = true;
      socket.write(closeFrame(code, reason));
    }, 50);
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await openSession(driverUrl, userDataDir, { windowSize: "1000,700" });
const { go, run } = browser;
let checks = 0;
function ok(message) {
  checks += 1;
  console.log(`ok ${checks} - ${message}`);
}

/** The delay a full-jitter hint may draw for the first retry: minimum to twice the minimum (capped). */
function assertFirstDelay(close, what) {
  const { minMs, maxMs } = close.hint;
  assert.ok(Number.isInteger(close.delay) && close.delay >= minMs && close.delay <= Math.min(maxMs, 2 * minMs), `${what}: delay ${close.delay} for ${JSON.stringify(close.hint)}`);
}

try {
  await go(`${origin}/`);
  // The wait screen shows while the 4001 loop waits, before its reconnect.
  const waiting = await until("the 4001 close", () => run(`const flow = window.results && window.results.flows.capacity;
    return flow && flow.closes.length === 1 && flow.reconnectedAfterMs === undefined
      ? { visible: document.getElementById('wait-capacity').checkVisibility(), status: document.getElementById('status-capacity').textContent } : null;`), 10_000);
  assert.equal(waiting.visible, true, `the wait screen shows after 4001: ${JSON.stringify(waiting)}`);
  assert.match(waiting.status, /^Reconnecting in \d+ ms$/);
  ok("4001: the wait screen shows while the loop waits");

  await until("every flow to finish", () => run("return window.results.done === 6"), 25_000);
  const results = await run("return window.results");
  const { drop, nocode, capacity, invalid } = results.flows;

  assert.deepEqual([drop.closes[0].code, drop.closes[0].wasClean, drop.closes[0].action], [1006, false, "reconnect_after_backoff"]);
  assertFirstDelay(drop.closes[0], "1006");
  assert.ok(drop.reconnectedAfterMs >= drop.closes[0].delay, `1006: reconnected after ${drop.reconnectedAfterMs} ms`);
  assert.ok(seen.drop.connections[1] - seen.drop.closedAt[0] >= drop.closes[0].delay - 5, "1006: the server saw the retry only after the delay");
  ok(`dropped TCP connection: the browser reports 1006 and the loop waits ${drop.closes[0].delay} ms before reconnecting`);

  assert.deepEqual([nocode.closes[0].code, nocode.closes[0].reason, nocode.closes[0].action], [1005, "", "reconnect_after_backoff"]);
  assertFirstDelay(nocode.closes[0], "1005");
  assert.ok(seen.nocode.connections[1] - seen.nocode.closedAt[0] >= nocode.closes[0].delay - 5);
  ok(`close frame without a code: the browser reports 1005 and the loop waits ${nocode.closes[0].delay} ms`);

  const first = capacity.closes[0];
  assert.deepEqual([first.code, first.reason, first.action], [4001, "No Worker Node Available", "wait_for_capacity"]);
  assertFirstDelay(first, "4001");
  assert.ok(first.delay >= 5000 && first.delay <= 10_000);
  assert.ok(seen.capacity.connections[1] - seen.capacity.closedAt[0] >= first.delay - 5, "4001: no retry before the delay");
  assert.equal(await run("return document.getElementById('wait-capacity').checkVisibility()"), false, "the wait screen goes once connected");
  ok(`4001: wait screen, then a reconnect after ${first.delay} ms (window 5-10 s)`);

  assert.deepEqual([invalid.closes[0].code, invalid.closes[0].reason, invalid.stopped], [3500, "invalid token", true]);
  const stoppedFor = Date.now() - seen.invalid.closedAt[0];
  assert.ok(stoppedFor >= 3000, `3500 observed for ${stoppedFor} ms`);
  assert.equal(seen.invalid.connections.length, 1, "3500: the loop never reconnects");
  assert.match(await run("return document.getElementById('status-invalid').textContent"), /^Stopped: /);
  ok(`3500: the loop stops and has not reconnected ${stoppedFor} ms later`);

  const forward = results.checks.forward;
  assert.deepEqual(forward, { raw1006: "InvalidAccessError", raw1005: "InvalidAccessError", safe: 1000, safeClose: "ok" });
  assert.deepEqual(seen.forward.clientCloses.map(({ code, reason }) => [code, reason.toString("utf8")]), [[1000, "upstream dropped"]]);
  ok("close(1006) and close(1005) throw InvalidAccessError; close(safeCloseCode(1006, \"browser\")) sends 1000");

  const reason = results.checks.reason;
  assert.ok(reason.longBytes > 123, `${reason.longBytes} bytes`);
  assert.equal(reason.raw, "SyntaxError", "a reason over 123 bytes makes close() throw");
  assert.equal(reason.truncatedClose, "ok");
  assert.ok(reason.truncatedBytes <= 123 && reason.truncatedBytes > 117, `${reason.truncatedBytes} bytes`);
  const received = seen.reason.clientCloses;
  assert.equal(received.length, 1);
  assert.equal(received[0].code, 4000);
  assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(received[0].reason), reason.truncated, "the truncated reason arrives unbroken");
  assert.equal(received[0].reason.length, reason.truncatedBytes);
  ok(`a ${reason.longBytes}-byte multibyte reason throws; its ${reason.truncatedBytes}-byte cut is accepted and arrives intact`);
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections?.();
}
console.log(`all ${checks} reconnect browser checks passed`);
process.exit(0);
