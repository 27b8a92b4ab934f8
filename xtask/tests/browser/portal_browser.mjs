// Real-browser checks of the portal and its static export, in headless Chromium through
// chromedriver (W3C WebDriver over plain HTTP, Node's built-in fetch). One browser session runs
// every check, on the portal and on every server of its static export. Run by `cargo xtask test`;
// usage:
//   node portal_browser.mjs DRIVER_URL PORTAL_URL USER_DATA_DIR LABEL=EXPORT_URL...
import assert from "node:assert/strict";
import { openSession, until } from "./webdriver.mjs";

const [driverUrl, portal, userDataDir, ...exportArgs] = process.argv.slice(2);
const exports = exportArgs.map((arg) => { const at = arg.indexOf("="); return [arg.slice(0, at), arg.slice(at + 1)]; });
assert.ok(exports.length > 0, "at least one export server");
const KEY = { Enter: "\uE007", ArrowDown: "\uE015" };

const browser = await openSession(driverUrl, userDataDir, { windowSize: "1200,900", extraArgs: ["--disable-quic"], browserLog: true });
const { command, go, currentUrl, run, press } = browser;
const type = (text) => press(...[...text]);

/** Fails on any console error or CSP violation since the last call. */
async function assertCleanLog(where) {
  const entries = await browser.log();
  const bad = entries.filter((entry) => entry.level === "SEVERE" || /Content.Security.Policy|Refused to/i.test(entry.message));
  assert.deepEqual(bad, [], `browser log on ${where}`);
}

const suggestions = () => run("return [...document.querySelectorAll('#suggestions [role=option]')].map((e) => e.textContent.replace(/\\s+/g, ' ').trim())");
const activeId = () => run("return document.activeElement && document.activeElement.id");

let checks = 0;
function ok(message) {
  checks++;
  console.log(`ok ${checks} - ${message}`);
}

try {
  // The log check itself: a page with an inline script blocked by CSP and a console error must fail it.
  // (On a portal page: a bare /healthz makes the browser ask for /favicon.ico, which would land
  // in a later check's log.)
  await go(portal + "/search");
  await run("const m = document.createElement('meta'); m.httpEquiv = 'Content-Security-Policy'; m.content = \"script-src 'none'\"; document.head.appendChild(m); const s = document.createElement('script'); s.textContent = '1'; document.head.appendChild(s); console.error('probe');");
  await assert.rejects(() => assertCleanLog("probe"), /browser log on probe/);
  ok("the browser log check sees console errors and CSP violations");

  for (const [label, base] of [["portal", portal], ...exports]) {
    // "/" focuses the search box from anywhere on the page.
    await go(base + "/");
    await until("the script to load", () => run("return !!window.CodebookSearch"));
    assert.notEqual(await activeId(), "q");
    await press("/");
    assert.equal(await activeId(), "q", "'/' focuses the search box");
    ok(`${label}: '/' focuses the search box`);

    // Search as you type: the exact wire message ranks first.
    await type("invalid token");
    const found = await until("suggestions", async () => { const list = await suggestions(); return list.length ? list : null; });
    assert.match(found[0], /^3500 InvalidToken invalid token terminal/, `first suggestion: ${found[0]}`);
    ok(`${label}: typing "invalid token" suggests 3500 first`);

    // Arrow keys and Enter follow a result.
    await press(KEY.ArrowDown);
    assert.equal(await run("return document.querySelector('#suggestions [aria-selected=true]').textContent.trim().slice(0, 4)"), "3500");
    await press(KEY.Enter);
    await until("the code page", async () => (await currentUrl()).includes("/codes/centrifugo-disconnect/3500"));
    const heading = await until("the heading", () => run("return document.querySelector('h1') && document.querySelector('h1').textContent"));
    assert.match(heading, /3500\s+InvalidToken/);
    assert.equal(await run("return document.querySelector('button.copy').hidden"), false, "copy buttons appear with JS");
    ok(`${label}: ArrowDown + Enter opens /codes/centrifugo-disconnect/3500`);

    // A number that no family registers: suggestions explain its range.
    await press("/");
    await type("4321");
    const notes = await until("range notes", async () => { const list = await suggestions(); return list.some((t) => t.includes("not registered")) ? list : null; });
    assert.ok(notes.some((t) => t.includes("4321: not registered in Centrifugo disconnect codes; 4000-4499")), JSON.stringify(notes));
    ok(`${label}: an unregistered number shows what its range means`);

    // Enter without a highlighted suggestion submits to the search page.
    await run("document.getElementById('q').value = ''");
    await type("too many");
    await until("suggestions", async () => (await suggestions()).length > 0);
    await press(KEY.Enter);
    await until("the search page", async () => (await currentUrl()).includes("q=too+many"));
    const results = await until("search results", async () => {
      const list = await run("return [...document.querySelectorAll('#results li a')].map((a) => a.getAttribute('href'))");
      return list.length ? list : null;
    });
    assert.deepEqual(results.slice(0, 3), ["/codes/centrifugo-disconnect/3509", "/codes/centrifugo-error/111", "/codes/centrifugo-disconnect/3013"]);
    ok(`${label}: the search page ranks "too many" by whole words in the shortest message first`);

    // Typos are forgiven and the corrected query is offered (rendered by the server, or by search.js in the export).
    await go(base + "/search?q=invlaid+tokn");
    const typo = await until("results for a query with typos", async () => {
      const list = await run("return [...document.querySelectorAll('#results li a')].map((a) => a.getAttribute('href'))");
      return list.length ? list : null;
    });
    assert.equal(typo[0], "/codes/centrifugo-disconnect/3500");
    const offered = await until("did you mean", async () => run("const p = document.getElementById('suggestion'); return p && !p.hidden ? p.textContent.replace(/\\s+/g, ' ').trim() : null"));
    assert.equal(offered, "Did you mean invalid token?");
    ok(`${label}: "invlaid tokn" finds 3500 first and offers "did you mean invalid token"`);

    // The family table filters in place.
    await go(base + "/families/centrifugo-disconnect");
    await command("POST", `/element/${Object.values(await command("POST", "/element", { using: "css selector", value: "#filter-text" }))[0]}/click`, {});
    await type("invalid token");
    const visible = await until("the filtered table", async () => {
      const rows = await run("return [...document.querySelectorAll('#codes-table tbody tr')].filter((r) => !r.hidden).length");
      return rows === 1 ? rows : null;
    });
    assert.equal(visible, 1);
    ok(`${label}: the family table filter leaves one row for "invalid token"`);

    // The action filter narrows the same table in place.
    await run(`const text = document.querySelector('#filter-text'); text.value = ''; text.dispatchEvent(new Event('input'));
      const action = document.querySelector('#filter-action'); action.value = 'refresh_token_then_reconnect';
      action.dispatchEvent(new Event('change'));`);
    const byAction = await until("the table filtered by action", async () => {
      const rows = await run("return [...document.querySelectorAll('#codes-table tbody tr')].filter((r) => !r.hidden).map((r) => r.querySelector('td a').textContent)");
      return rows.length === 3 ? rows : null;
    });
    assert.deepEqual(byAction, ["3005", "3006", "3014"]);
    ok(`${label}: the family table's action filter leaves the three token-refresh codes`);

    await assertCleanLog(label);
    ok(`${label}: no console errors or CSP violations`);
  }

  // A retrying code draws its delay windows as inline SVG, styled by the stylesheet (no inline
  // style, which the CSP would refuse) and laid out with a real size.
  await go(portal + "/codes/streaming-session/4001");
  const chart = await run(`const svg = document.querySelector('svg.delay-chart');
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    const bars = [...svg.querySelectorAll('rect.delay-window')].map((r) => ({ width: r.getBoundingClientRect().width, fill: getComputedStyle(r).fill }));
    return { width: box.width, height: box.height, bars, title: svg.querySelector('title').textContent };`);
  assert.ok(chart, "the 4001 page has a delay chart");
  assert.ok(chart.width > 200 && chart.height > 50, JSON.stringify(chart));
  assert.equal(chart.bars.length, 4);
  assert.ok(chart.bars.every((bar, i) => bar.width > 0 && (i === 0 || bar.width > chart.bars[i - 1].width)), JSON.stringify(chart.bars));
  assert.ok(chart.bars.every((bar) => bar.fill !== "rgb(0, 0, 0)" && bar.fill !== "none"), `bars take the stylesheet's colour: ${chart.bars[0].fill}`);
  assert.match(chart.title, /Retry 1: 5 s to 10 s/);
  assert.equal(await run("return document.querySelector('svg.delay-chart script, svg.delay-chart [style]') === null"), true);
  await go(portal + "/codes/centrifugo-disconnect/3500");
  assert.equal(await run("return document.querySelector('svg.delay-chart') === null"), true, "a code that stops draws no chart");
  await assertCleanLog("delay chart");
  ok("portal: 4001 draws four growing delay windows styled within the CSP; 3500 draws none");

  // Without JavaScript the portal's search page is complete in the HTML itself.
  const html = await (await fetch(portal + "/search?q=invalid+token")).text();
  assert.match(html, /<ol class="results" id="results">\s*<li><a href="\/codes\/centrifugo-disconnect\/3500">/);
  ok("portal: /search renders results without JavaScript");

  // Every export server answers the same pages as the portal, in every encoding it offers.
  const index = await (await fetch(portal + "/api/codes")).json();
  const paths = ["/", "/changelog", ...index.families.map((f) => `/families/${f.id}`), ...index.families.map((f) => `/handling/${f.id}`),
    ...index.families.flatMap((f) => f.codes.map((c) => c.url))];
  for (const [label, exported] of exports) {
    const codings = new Set();
    for (const path of paths) {
      for (const accept of ["identity", "gzip", "gzip, deflate, br"]) {
        const headers = { "accept-encoding": accept };
        const [live, copy] = await Promise.all([fetch(portal + path, { headers }), fetch(exported + path, { headers })]);
        assert.equal(copy.status, 200, `${label} ${path}`);
        codings.add(`${accept} -> ${copy.headers.get("content-encoding") || "identity"}`);
        assert.equal(await copy.text(), await live.text(), `${label} ${path} (${accept}) differs from the portal`);
      }
    }
    for (const path of ["/api/codes.json", "/api/codes/centrifugo-disconnect/3500.json"]) {
      const [live, copy] = await Promise.all([fetch(portal + path), fetch(exported + path)]);
      assert.equal(copy.status, 200, `${label} ${path}`);
      assert.deepEqual(await copy.json(), await live.json(), `${label} ${path} differs from the portal`);
    }
    ok(`${label}: the same ${paths.length} pages and the JSON as the portal (${[...codings].sort().join("; ")})`);

    // The bare number route of the export redirects without script.
    await go(exported + "/codes/3500/");
    // (A plain file server then adds the directory's trailing slash; nginx's try_files does not.)
    await until("the meta refresh", async () => /\/codes\/centrifugo-disconnect\/3500\/?$/.test(await currentUrl()));
    await assertCleanLog(`${label} redirect`);
    ok(`${label}: /codes/3500/ redirects to the code page`);
  }

  // nginx with the deployment snippet sends the export's precompressed files and its headers.
  const nginx = exports.find(([label]) => label === "nginx");
  if (nginx) {
    const base = nginx[1];
    const page = "/codes/centrifugo-disconnect/3500";
    const br = await fetch(base + page, { headers: { "accept-encoding": "gzip, deflate, br" } });
    assert.equal(br.headers.get("content-encoding"), "br", "nginx serves the .br sibling to a browser");
    assert.match(br.headers.get("vary") || "", /accept-encoding/i);
    assert.match(br.headers.get("content-security-policy") || "", /script-src 'self'/);
    const gz = await fetch(base + page, { headers: { "accept-encoding": "gzip" } });
    assert.equal(gz.headers.get("content-encoding"), "gzip", "nginx serves the .gz sibling");
    const css = (await (await fetch(portal + "/")).text()).match(/href="(\/static\/style\.[0-9a-f]+\.css)"/)[1];
    const asset = await fetch(base + css, { headers: { "accept-encoding": "gzip, br" } });
    assert.match(asset.headers.get("cache-control") || "", /max-age=31536000, immutable/);
    const etag = br.headers.get("etag");
    const again = await fetch(base + page, { headers: { "accept-encoding": "gzip, deflate, br", "if-none-match": etag } });
    assert.equal(again.status, 304, "nginx revalidates the br variant");
    ok("nginx: br and gzip siblings, Vary, CSP, immutable hashed assets, 304");
  }

  // A 1 MB query string is refused with a 4xx, not a 5xx or a dropped server.
  const huge = await fetch(portal + "/search?q=" + "a".repeat(1024 * 1024)).then((r) => r.status, () => "connection closed");
  assert.ok(huge === "connection closed" || (huge >= 400 && huge < 500), `1 MB query: ${huge}`);
  assert.equal((await fetch(portal + "/healthz")).status, 200, "the portal still answers");
  ok(`portal: a 1 MB query string is refused (${huge})`);
} finally {
  await browser.close();
}
console.log(`all ${checks} browser checks passed`);
