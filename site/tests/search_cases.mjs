// The browser search (assets/search.js) against the shared cases in search_cases.json, then the
// relevance set (search_relevance.json): prints hit@1 and hit@3 and fails below the set's goal.
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
  const suggestion = results.suggestion;
  const expected = c.suggestion ?? null;
  if (JSON.stringify(hits) !== JSON.stringify(c.hits) || JSON.stringify(notes) !== JSON.stringify(c.notes) || suggestion !== expected) {
    failures.push(`query ${JSON.stringify(c.query)}: got ${JSON.stringify({ hits, notes, suggestion })}, expected ${JSON.stringify({ hits: c.hits, notes: c.notes, suggestion: expected })}`);
  }
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`search.js agrees with the server on ${cases.length} shared cases`);

const relevance = JSON.parse(readFileSync(join(here, "search_relevance.json"), "utf8"));
let atOne = 0;
let atThree = 0;
for (const judged of relevance.queries) {
  const ranked = search.search(index, judged.query, {}).hits.map((h) => `${h.family}/${h.number}`);
  const first = judged.top3.includes(ranked[0]);
  const top = judged.top3.every((code) => ranked.slice(0, 3).includes(code));
  atOne += first ? 1 : 0;
  atThree += top ? 1 : 0;
  if (!first || !top) console.log(`  ${JSON.stringify(judged.query)}: want ${judged.top3.join(", ")} in the top 3, got ${ranked.slice(0, 5).join(", ")}`);
}
const total = relevance.queries.length;
const hit1 = atOne / total;
const hit3 = atThree / total;
console.log(`search relevance (search.js, ${total} queries): hit@1 ${hit1.toFixed(3)} (${atOne}/${total}), hit@3 ${hit3.toFixed(3)} (${atThree}/${total}); goal hit@1 >= ${relevance.goal.hit_at_1}, hit@3 >= ${relevance.goal.hit_at_3}`);
if (total < 30 || hit1 < relevance.goal.hit_at_1 || hit3 < relevance.goal.hit_at_3) {
  console.error("search relevance below its goal");
  process.exit(1);
}
