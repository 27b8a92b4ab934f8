// Bundle budgets of the TypeScript package, measured with esbuild (minified ES module bundles)
// from a project that installed the packed tarball. Prints every figure and fails when one of
// the two budgets is exceeded: a single constant <= 1 KB, one family's classifier <= 8 KB.
//
// Usage: node bundle-budgets.mjs <project-dir-with-the-package-installed>
import { build } from "esbuild";

const [project] = process.argv.slice(2);
if (!project) {
  console.error("usage: node bundle-budgets.mjs <project-dir>");
  process.exit(2);
}

const KB = 1024;
const cases = [
  {
    what: "one constant (CentrifugoDisconnect from the package root)",
    source: 'import { CentrifugoDisconnect } from "@codebook/codes";\nconsole.log(CentrifugoDisconnect.InvalidToken);\n',
    budget: 1 * KB,
  },
  {
    what: "one family's classifier (classifyCentrifugoDisconnect from the package root)",
    source:
      'import { classifyCentrifugoDisconnect } from "@codebook/codes";\nconsole.log(classifyCentrifugoDisconnect(3500).action);\n',
    budget: 8 * KB,
  },
  {
    what: "one family's classifier (classifyStreamingSession from its subpath)",
    source:
      'import { classifyStreamingSession } from "@codebook/codes/streaming-session";\nconsole.log(classifyStreamingSession(4001).action);\n',
    budget: 8 * KB,
  },
  {
    what: "everything (import * from the package root), for reference",
    source: 'import * as codes from "@codebook/codes";\nconsole.log(codes);\n',
    budget: undefined,
  },
];

let failed = false;
console.log("bundle budgets (esbuild, minified ESM, bytes):");
for (const { what, source, budget } of cases) {
  const result = await build({
    stdin: { contents: source, resolveDir: project, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "error",
  });
  const bytes = result.outputFiles[0].contents.length;
  const verdict = budget === undefined ? "" : bytes <= budget ? ` <= ${budget} ok` : ` > ${budget} OVER BUDGET`;
  console.log(`  ${String(bytes).padStart(6)}  ${what}${verdict}`);
  if (budget !== undefined && bytes > budget) {
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
