// Turns tsc's CommonJS output (dist/cjs-build/: .js, .d.ts and their maps) into the package's
// CommonJS files beside the ES modules in dist/: index.cjs, index.d.cts, index.cjs.map and
// index.d.cts.map, with every relative import and source-map reference renamed to match.
// Run by `npm run build` after both tsc passes.
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const from = "dist/cjs-build";
const to = "dist";

/** `./runtime.js` -> `./runtime.cjs` in require() calls, imports and import() types. */
function renameRelative(text) {
  return text.replace(/(["'])(\.\.?\/[^"']+)\.js\1/g, "$1$2.cjs$1");
}

const renames = [
  [/\.d\.ts\.map$/, ".d.cts.map"],
  [/\.d\.ts$/, ".d.cts"],
  [/\.js\.map$/, ".cjs.map"],
  [/\.js$/, ".cjs"],
];

function renamed(name) {
  for (const [pattern, extension] of renames) {
    if (pattern.test(name)) {
      return name.replace(pattern, extension);
    }
  }
  throw new Error(`unexpected file in ${from}: ${name}`);
}

for (const name of readdirSync(from)) {
  const text = readFileSync(join(from, name), "utf8");
  const target = renamed(name);
  let out;
  if (name.endsWith(".map")) {
    const map = JSON.parse(text);
    map.file = renamed(map.file);
    // Sources were relative to dist/cjs-build/; make them relative to dist/.
    map.sources = map.sources.map((source) => relative(to, resolve(from, source)).replaceAll("\\", "/"));
    out = JSON.stringify(map);
  } else {
    out = renameRelative(text).replace(/(\/\/# sourceMappingURL=)(\S+)/, (_, prefix, file) => prefix + renamed(file));
  }
  writeFileSync(join(to, target), out);
}
rmSync(from, { recursive: true });
