// The herd simulation on the TypeScript binding (and, as the anchor, on centrifuge-js 5.7.4's own
// backoff): `cargo xtask herd` runs it and compares it with the Rust and Go runs. The algorithm is
// the same in xtask/src/herd.rs and go/main.go; see there for what each field means.
//
// node herd.mjs <bindings/typescript/dist/index.js> <scenario as JSON>
// scenario: { family, code, clients, capacity_per_tick, seed (null: real randomness), policy }
// policy: "binding" (this package's classify + delayMs) or "centrifuge-js" (the SDK's backoff).
import { readFileSync } from "node:fs";

const TICK_MS = 100;
const [bindingPath, scenarioJson] = process.argv.slice(2);
const scenario = JSON.parse(scenarioJson);
const { families, delayMs, randomU32, Mulberry32 } = await import(bindingPath);

/** centrifuge-js 5.7.4's `backoff(step, min, max)` and `randomInt`, taken verbatim from its build. */
function centrifugeBackoff() {
  const root = new URL("./node_modules/centrifuge/", import.meta.url);
  const version = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).version;
  if (version !== "5.7.4") {
    throw new Error(`the anchor is centrifuge-js 5.7.4, found ${version}: run npm ci in xtask/herd`);
  }
  const source = readFileSync(new URL("build/index.js", root), "utf8");
  const randomInt = source.match(/function randomInt\(min, max\) \{[\s\S]*?\n\}/);
  const backoff = source.match(/function backoff\(step, min, max\) \{[\s\S]*?\n\}/);
  if (!randomInt || !backoff) {
    throw new Error("centrifuge-js's build no longer has randomInt/backoff where expected");
  }
  return new Function(`${randomInt[0]}\n${backoff[0]}\nreturn backoff;`)();
}

function simulate() {
  const n = scenario.clients;
  const firstDelays = new Float64Array(n).fill(-1);
  const reconnectedAt = new Float64Array(n).fill(-1);
  const attempts = new Uint32Array(n);
  const buckets = [];
  const stats = { zero_delays: 0, terminal_reconnects: 0, gave_up: 0, stopped: 0 };
  let nextDelay;
  if (scenario.policy === "centrifuge-js") {
    const backoff = centrifugeBackoff();
    // centrifuge-js stops on 3500-3999 and 4500-4999 and reconnects on everything else.
    const terminal = (scenario.code >= 3500 && scenario.code < 4000) || (scenario.code >= 4500 && scenario.code < 5000);
    nextDelay = (client, attempt) => (terminal ? null : backoff(attempt, 500, 20000));
  } else {
    const family = families.find((candidate) => candidate.id === scenario.family);
    const classified = family.classify(scenario.code);
    const hint = classified.backoff;
    const terminal = classified.behaviour === "terminal";
    const sources = scenario.seed === null ? null : Array.from({ length: n }, (_, i) => new Mulberry32((scenario.seed + i) >>> 0));
    nextDelay = (client, attempt, elapsed) => {
      if (hint === undefined) {
        return null;
      }
      if (terminal) {
        stats.terminal_reconnects += 1;
      }
      const random = sources === null ? randomU32() : sources[client].nextU32();
      return delayMs(hint, attempt, elapsed, random) ?? undefined;
    };
  }
  const closed = (client, now, tick) => {
    const delay = nextDelay(client, attempts[client], now);
    if (delay === null) {
      stats.stopped += 1;
      return;
    }
    if (delay === undefined) {
      stats.gave_up += 1;
      return;
    }
    if (!(delay > 0) || !Number.isFinite(delay)) {
      stats.zero_delays += 1;
    }
    if (attempts[client] === 0) {
      firstDelays[client] = delay;
    }
    attempts[client] += 1;
    const at = now + delay;
    const bucket = Math.floor(at / TICK_MS);
    if (bucket <= tick) {
      throw new Error(`a retry after ${delay} ms lands in the tick being processed`);
    }
    (buckets[bucket] ??= []).push(at * 1048576 + client);
  };
  for (let client = 0; client < n; client += 1) {
    closed(client, 0, -1);
  }
  const arrivals = [];
  for (let tick = 0; tick < buckets.length; tick += 1) {
    const keys = buckets[tick];
    arrivals.push(keys === undefined ? 0 : keys.length);
    if (keys === undefined) {
      continue;
    }
    const sorted = Float64Array.from(keys).sort();
    buckets[tick] = undefined;
    let admitted = 0;
    for (const key of sorted) {
      const at = Math.floor(key / 1048576);
      const client = key - at * 1048576;
      if (scenario.capacity_per_tick === 0 || admitted < scenario.capacity_per_tick) {
        admitted += 1;
        reconnectedAt[client] = at;
      } else {
        closed(client, at, tick);
      }
    }
  }
  return { ...stats, arrivals, first_delays: Array.from(firstDelays), reconnected_at: Array.from(reconnectedAt) };
}

const started = process.hrtime.bigint();
const result = simulate();
result.elapsed_ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify(result));
