// Accessibility, layout and Lighthouse audits of the portal in Debian's Chromium (CHROME_PATH,
// launched by chrome-launcher; pinned tools in package.json). Run by `cargo xtask test`:
//   node audit.mjs PORTAL_URL [EXPORT_URL]
// On the home page, a family page, a code page, a search page and /sdks:
//   - axe-core at 390 and 1280 px, light and dark: no violations;
//   - at 390 px: no page scrolls sideways and every cell of every table row is on screen;
//   - printed (print media, A4 width less margins): every table cell within the page box, the
//     search, filters, Copy buttons, tabs and anchors hidden, every example shown;
//   - Lighthouse 12.2.3, mobile and desktop presets: accessibility, best practices and SEO 100,
//     performance printed (and held to PERFORMANCE_FLOOR: simulated throttling on a shared machine
//     moves it a few points);
// and, on EXPORT_URL, the export's 404 page explains an unregistered number like the portal.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const PERFORMANCE_FLOOR = Number(process.env.LIGHTHOUSE_PERFORMANCE_FLOOR || "0.9");
const [portal, exported] = process.argv.slice(2);
assert.ok(portal, "usage: node audit.mjs PORTAL_URL [EXPORT_URL]");

const PAGES = ["/", "/families/centrifugo-disconnect", "/codes/centrifugo-disconnect/3500", "/search?q=invalid+token", "/sdks"];
// axe also reads the search page's "did you mean" (.suggestion) and a result naming its family
// (.family, two families share the name of 3014), in both schemes.
const AXE_ONLY = { "/search?q=invlaid+tokn": ".suggestion:not([hidden]) a", "/search?q=3014": ".results .family" };

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
  ],
});
let checks = 0;
function ok(message) {
  checks++;
  console.log(`ok ${checks} - ${message}`);
}

try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  const page = await browser.newPage();

  for (const path of [...PAGES, ...Object.keys(AXE_ONLY)]) {
    for (const width of [390, 1280]) {
      for (const scheme of ["light", "dark"]) {
        await page.setViewport({ width, height: 900, isMobile: width < 500, hasTouch: width < 500, deviceScaleFactor: 1 });
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
        await page.goto(portal + path, { waitUntil: "networkidle0" });
        // Evaluated through the DevTools protocol, which the page's CSP does not govern.
        const violations = await page.evaluate(async (source) => {
          if (!window.axe) (0, eval)(source);
          const result = await window.axe.run(document, { resultTypes: ["violations"] });
          return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        }, AXE_SOURCE);
        assert.deepEqual(violations, [], `axe on ${path} at ${width} px, ${scheme}`);
        if (AXE_ONLY[path]) assert.ok(await page.$(AXE_ONLY[path]), `${path} shows ${AXE_ONLY[path]}`);
        if (width === 390 && scheme === "light") {
          const overflow = await page.evaluate(() => {
            const viewport = document.documentElement.clientWidth;
            const off = [];
            if (document.documentElement.scrollWidth > viewport) off.push(`page is ${document.documentElement.scrollWidth} px wide`);
            document.querySelectorAll("table tbody tr").forEach((row) => {
              if (row.hidden || row.closest(".delay-table")) return;
              row.querySelectorAll("td, th").forEach((cell) => {
                const box = cell.getBoundingClientRect();
                if (box.width === 0 || box.left < -0.5 || box.right > viewport + 0.5) {
                  off.push(`${row.id || row.rowIndex}: cell ${cell.cellIndex} at ${Math.round(box.left)}-${Math.round(box.right)}`);
                }
              });
            });
            return off;
          });
          assert.deepEqual(overflow, [], `at 390 px on ${path} every table cell is on screen`);
        }
      }
    }
    ok(`axe: no violations on ${path} at 390 and 1280 px, light and dark; at 390 px every table cell is on screen`);
  }

  // Tabs: one language shown, the choice remembered on the next page.
  await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
  await page.goto(portal + "/codes/centrifugo-disconnect/3500", { waitUntil: "networkidle0" });
  const shown = () => page.evaluate(() => [...document.querySelectorAll(".snippets .panel")].filter((f) => !f.hidden).map((f) => f.dataset.language));
  assert.deepEqual(await shown(), ["Rust"], "the first language is open");
  await page.click('button.tab[data-language="Go"]');
  assert.deepEqual(await shown(), ["Go"]);
  await page.goto(portal + "/codes/centrifugo-error/109", { waitUntil: "networkidle0" });
  assert.deepEqual(await shown(), ["Go"], "the language is remembered across pages");
  assert.ok(await page.evaluate(() => document.querySelectorAll(".snippets .tok-k").length > 0), "examples are coloured");
  ok("tabs: one language at a time, remembered across pages, coloured");

  // Print: on A4 (210 mm less the stylesheet's 12 mm margins: 186 mm, 703 CSS px) every cell of
  // every table row lies within the page box, the controls (search, filters, Copy, tabs, anchors)
  // are not printed, and every language's example is.
  const A4_CONTENT_PX = Math.floor((186 / 25.4) * 96);
  await page.setViewport({ width: A4_CONTENT_PX, height: 1123, deviceScaleFactor: 1 });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  await page.emulateMediaType("print");
  for (const path of ["/families/centrifugo-disconnect", "/codes/centrifugo-disconnect/3500", "/sdks", "/changelog"]) {
    await page.goto(portal + path, { waitUntil: "networkidle0" });
    const problems = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const found = [];
      if (document.documentElement.scrollWidth > width + 0.5) found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
      let cells = 0;
      document.querySelectorAll("table tr").forEach((row) => {
        if (row.hidden || row.closest(".delay-table")) return;
        row.querySelectorAll("td, th").forEach((cell) => {
          cells++;
          const box = cell.getBoundingClientRect();
          if (box.width === 0 || box.left < -0.5 || box.right > width + 0.5) {
            found.push(`row ${row.id || row.rowIndex}: cell ${cell.cellIndex} at ${Math.round(box.left)}-${Math.round(box.right)}`);
          }
        });
      });
      const controls = [...document.querySelectorAll("form.search, #q, .filters, .copy, .tabs, .anchor, .skip")];
      for (const control of controls) {
        if (getComputedStyle(control).display !== "none" && control.getClientRects().length > 0) {
          found.push(`${control.tagName.toLowerCase()}.${control.className || control.id} is printed`);
        }
      }
      const panels = [...document.querySelectorAll(".snippets .panel")];
      const hiddenPanels = panels.filter((panel) => panel.getClientRects().length === 0);
      if (hiddenPanels.length) found.push(`${hiddenPanels.length} of ${panels.length} examples are not printed`);
      return { found, cells, controls: controls.length };
    });
    assert.deepEqual(problems.found, [], `printed on A4: ${path}`);
    assert.ok(problems.cells > 0 || path.startsWith("/codes/"), `${path} has table cells to check`);
    ok(`print: ${path} on A4 (${A4_CONTENT_PX} px): all ${problems.cells} table cells within the page, ${problems.controls} controls hidden`);
  }
  await page.emulateMediaType(null);

  // The export's 404 page explains a number nobody registered, as the portal's number page does.
  if (exported) {
    const live = await page.goto(portal + "/codes/centrifugo-disconnect/3999", { waitUntil: "networkidle0" });
    assert.equal(live.status(), 200);
    const portalSummary = await page.evaluate(() => document.querySelector(".summary").textContent);
    const response = await page.goto(exported + "/codes/centrifugo-disconnect/3999", { waitUntil: "networkidle0" });
    assert.equal(response.status(), 404);
    const exportSummary = await page.waitForFunction(() => {
      const node = document.querySelector("#unregistered:not([hidden]) .summary");
      return node && node.textContent;
    }, { timeout: 5000 });
    assert.equal(await exportSummary.jsonValue(), portalSummary);
    const action = await page.evaluate(() => document.querySelector("#unregistered code").textContent);
    assert.match(action, /^[a-z_]+$/);
    ok(`export 404: /codes/centrifugo-disconnect/3999 explained in the browser: ${portalSummary}`);
  }
  await browser.disconnect();

  // Lighthouse, mobile (its default) and desktop presets.
  const scores = [];
  for (const path of PAGES) {
    for (const [preset, config] of [["mobile", undefined], ["desktop", desktopConfig]]) {
      const result = await lighthouse(portal + path, { port: chrome.port, output: "json", logLevel: "error" }, config);
      const categories = result.lhr.categories;
      const row = Object.fromEntries(Object.entries(categories).map(([id, category]) => [id, Math.round(category.score * 100)]));
      scores.push({ path, preset, ...row });
      const failing = Object.values(result.lhr.audits)
        .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary")
        .map((audit) => audit.id);
      for (const id of ["accessibility", "best-practices", "seo"]) {
        assert.equal(categories[id].score, 1, `Lighthouse ${preset} ${id} on ${path}: ${categories[id].score} (failing: ${failing.join(", ")})`);
      }
      assert.ok(categories.performance.score >= PERFORMANCE_FLOOR, `Lighthouse ${preset} performance on ${path}: ${categories.performance.score}`);
    }
    ok(`Lighthouse on ${path}: ${scores.filter((s) => s.path === path).map((s) => `${s.preset} ${s.performance}/${s.accessibility}/${s["best-practices"]}/${s.seo}`).join(", ")} (performance/accessibility/best practices/SEO)`);
  }
  console.table(scores);
} finally {
  await chrome.kill();
}
console.log(`1..${checks}`);
