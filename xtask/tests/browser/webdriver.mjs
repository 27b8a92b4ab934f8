// The one WebDriver client of the browser tests (`portal_browser.mjs`, `reconnect_browser.mjs`):
// W3C WebDriver over plain HTTP with Node's built-in fetch, against chromedriver and Debian's
// headless Chromium, started with the flags every test run uses and a fresh user data directory.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 50 ms until it returns something truthy, and returns that. */
export async function until(what, probe, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * Opens a Chromium session through the chromedriver at `driverUrl`. `windowSize` is "W,H";
 * `extraArgs` are added to the shared flags; `browserLog` asks for the console log.
 */
export async function openSession(driverUrl, userDataDir, { windowSize, extraArgs = [], browserLog = false }) {
  async function call(method, path, body) {
    const response = await fetch(driverUrl + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value).slice(0, 500)}`);
    return json.value;
  }
  const alwaysMatch = {
    browserName: "chrome",
    "goog:chromeOptions": {
      binary: "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        ...extraArgs, `--user-data-dir=${userDataDir}`, `--window-size=${windowSize}`,
      ],
    },
  };
  if (browserLog) alwaysMatch["goog:loggingPrefs"] = { browser: "ALL" };
  const session = await call("POST", "/session", { capabilities: { alwaysMatch } });
  /** A command of this session: `command("POST", "/url", { url })`. */
  const command = (method, path, body) => call(method, `/session/${session.sessionId}${path}`, body);
  return {
    command,
    go: (url) => command("POST", "/url", { url }),
    currentUrl: () => command("GET", "/url"),
    run: (script, ...args) => command("POST", "/execute/sync", { script, args }),
    /** Presses each key in turn (WebDriver key codes, or characters). */
    press: (...keys) => command("POST", "/actions", {
      actions: [{ type: "key", id: "keyboard", actions: keys.flatMap((key) => [{ type: "keyDown", value: key }, { type: "keyUp", value: key }]) }],
    }),
    /** The browser's console entries since the last call (needs `browserLog`). */
    log: () => command("POST", "/se/log", { type: "browser" }),
    /** Ends the session; never throws (it runs in `finally`). */
    close: () => command("DELETE", "").catch(() => {}),
  };
}
