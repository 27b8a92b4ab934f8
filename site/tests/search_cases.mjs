// The browser search (assets/search.js) against the shared cases in search_cases.json.
// Usage: node site/tests/search_cases.mjs PATH/TO/search-index.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const search = require(join(here, "..", "assets", "search.js"));
const index = search.prepare(JSON.parse(readFileSync(process.argv[2], "utf8")));
const cases = JSON.parse(readFileSync(join(here, "search_cases.json"), "utf8"));

const failures = [];
for (const c of cases) {
  const results = search.search(index, c.query, c.filters || {});
  const hits = results.hits.map((h) => `${h.family}/${h.number}`);
  const notes = results.notes.map((n) => `${n.family}/${n.number}`);
  if (JSON.stringify(hits) !== JSON.stringify(c.hits) || JSON.stringify(notes) !== JSON.stringify(c.notes)) {
    failures.push(`query ${JSON.stringify(c.query)}: got ${JSON.stringify({ hits, notes })}, expected ${JSON.stringify({ hits: c.hits, notes: c.notes })}`);
  }
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`search.js agrees with the server on ${cases.length} shared cases`);
