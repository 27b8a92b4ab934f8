// Compiles bindings/codes.schema.json with ajv in strict mode, checks that the shipped registry
// and the hostile fixture pass it, and runs the bad-registry corpus through it, printing how many
// cases the schema rejects next to the loader, which rejects all of them (its own test proves it).
//
// Usage: node check-schema.mjs <schema.json> <invalid-corpus-dir> <valid.yaml>...
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";

const [schemaPath, corpusDir, ...validPaths] = process.argv.slice(2);
if (!schemaPath || !corpusDir || validPaths.length === 0) {
  console.error("usage: node check-schema.mjs <schema.json> <invalid-corpus-dir> <valid.yaml>...");
  process.exit(2);
}

// strict: true turns every strict option on (unknown keywords and formats, strictTypes,
// strictTuples, strictRequired); a schema that breaks any of them fails to compile here.
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));

const readYaml = (path) => parse(readFileSync(path, "utf8"), { uniqueKeys: true, maxAliasCount: 100 });

let failed = false;
for (const path of validPaths) {
  if (!validate(readYaml(path))) {
    console.error(`${path}: the schema rejects a registry the loader accepts:`);
    console.error(ajv.errorsText(validate.errors, { separator: "\n  " }));
    failed = true;
  }
}

const cases = readdirSync(corpusDir).filter((name) => name.endsWith(".yaml")).sort();
let rejectedBySchema = 0;
let rejectedByYaml = 0;
const passed = [];
for (const name of cases) {
  let document;
  try {
    document = readYaml(join(corpusDir, name));
  } catch {
    rejectedByYaml += 1;
    continue;
  }
  if (validate(document)) {
    passed.push(name);
  } else {
    rejectedBySchema += 1;
  }
}
const total = cases.length;
const percent = (count) => ((100 * count) / total).toFixed(0);
console.log(`bad-registry corpus: ${total} cases`);
console.log(`  loader (codebook-model):  ${total}/${total} rejected (100%)`);
console.log(
  `  JSON Schema (ajv strict): ${rejectedBySchema + rejectedByYaml}/${total} rejected (${percent(rejectedBySchema + rejectedByYaml)}%): ` +
    `${rejectedBySchema} by the schema, ${rejectedByYaml} already by the YAML parser (an editor shows those too)`,
);
console.log(`  left to the loader (rules across fields and families, names in every target language): ${passed.length}`);
for (const name of passed) {
  console.log(`    ${name}`);
}
if (total === 0) {
  console.error(`no cases in ${corpusDir}`);
  failed = true;
}
process.exit(failed ? 1 : 0);
