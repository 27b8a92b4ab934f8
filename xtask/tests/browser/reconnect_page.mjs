// The page half of the real-browser reconnect test: the TypeScript binding, loaded as an ES
// module in Chromium, drives reconnect loops against the test's WebSocket server and records what
// it decided in `window.results` for the WebDriver half (reconnect_browser.mjs) to check.
import {
  actionAdvice,
  actionTriesAgain,
  centrifugoDisconnectFamily,
  classifyCloseEvent,
  delayMs,
  randomU32,
  safeCloseCode,
  streamingSessionFamily,
  truncateCloseReason,
} from "/dist/index.js";

const results = { flows: {}, checks: {}, done: 0 };
window.results = results;
const url = (name) => `ws://${location.host}/ws/${name}`;

/** A reconnect loop on the binding: classify each close, stop or wait the hint's delay. */
function reconnectLoop(name, family) {
  const flow = { closes: [], reconnectedAfterMs: undefined, stopped: false };
  results.flows[name] = flow;
  let attempt = 0;
  let firstFailure;
  let closedAt;
  const connect = () => {
    const socket = new WebSocket(url(name));
    socket.addEventListener("open", () => {
      if (closedAt !== undefined) {
        flow.reconnectedAfterMs = performance.now() - closedAt;
        document.getElementById(`wait-${name}`).hidden = true;
        socket.close(1000, "done");
        results.done += 1;
      }
    });
    socket.addEventListener("close", (event) => {
      if (flow.reconnectedAfterMs !== undefined) {
        return;
      }
      const closed = classifyCloseEvent(family, event);
      const record = { code: event.code, reason: event.reason, wasClean: event.wasClean, action: closed.action };
      flow.closes.push(record);
      firstFailure ??= performance.now();
      closedAt = performance.now();
      const status = document.getElementById(`status-${name}`);
      if (!actionTriesAgain(closed.action)) {
        flow.stopped = true;
        status.textContent = `Stopped: ${actionAdvice(closed.action)}`;
        results.done += 1;
        return;
      }
      if (closed.action === "wait_for_capacity") {
        document.getElementById(`wait-${name}`).hidden = false;
      }
      record.delay = delayMs(closed.backoff, attempt, performance.now() - firstFailure, randomU32());
      record.hint = closed.backoff;
      attempt += 1;
      status.textContent = `Reconnecting in ${record.delay} ms`;
      setTimeout(connect, record.delay);
    });
  };
  connect();
}

/** Opens a socket the server keeps open, then runs `body` on it once open. */
function onOpenSocket(name, body) {
  const socket = new WebSocket(url(name));
  socket.addEventListener("open", () => {
    try {
      body(socket);
    } catch (error) {
      results.checks[name] = { unexpected: String(error) };
    }
    results.done += 1;
  });
}

function attempt(action) {
  try {
    action();
    return "ok";
  } catch (error) {
    return error.name;
  }
}

reconnectLoop("drop", streamingSessionFamily);
reconnectLoop("nocode", streamingSessionFamily);
reconnectLoop("capacity", streamingSessionFamily);
reconnectLoop("invalid", centrifugoDisconnectFamily);

// A proxy passing on a close it received: copying 1006 or 1005 into close() throws; the safe code does not.
onOpenSocket("forward", (socket) => {
  results.checks.forward = {
    raw1006: attempt(() => socket.close(1006)),
    raw1005: attempt(() => socket.close(1005)),
    safe: safeCloseCode(1006, "browser"),
  };
  results.checks.forward.safeClose = attempt(() => socket.close(safeCloseCode(1006, "browser"), "upstream dropped"));
});

// A reason longer than a close frame holds: close() refuses it whole and takes it truncated.
const longReason = "Überlastung: " + "é".repeat(40) + "🚀".repeat(12) + "…";
onOpenSocket("reason", (socket) => {
  const truncated = truncateCloseReason(longReason);
  results.checks.reason = {
    longBytes: new TextEncoder().encode(longReason).length,
    raw: attempt(() => socket.close(4000, longReason)),
    truncated,
    truncatedBytes: new TextEncoder().encode(truncated).length,
  };
  results.checks.reason.truncatedClose = attempt(() => socket.close(4000, truncated));
});
