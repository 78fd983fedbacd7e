// Charter engine speed in WebAssembly (the shipped module, under Node), and Harper's
// grammar checker (harper.js) on the same drafts for scale.
//
// Prints one line per measure: `name median_us=… p99_us=… runs=…`, then the ratio.
// Budgets (issue 4): engine build ≤ 50 ms in wasm, check median ≤ 200 µs, p99 ≤ 1 ms.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = path.join(root, "dist/extension/pkg");
// The extension's glue is an ES module without a package.json saying so: read it as one.
const glue = readFileSync(path.join(pkg, "tact.js"), "utf8");
const { initSync, CompiledCharter } = await import(`data:text/javascript;base64,${Buffer.from(glue).toString("base64")}`);
initSync({ module: readFileSync(path.join(pkg, "tact_bg.wasm")) });

const charter = readFileSync(path.join(root, "benches/data/charter_200.toml"), "utf8");
const drafts = {
  "fr-2000-matches": readFileSync(path.join(root, "benches/data/draft_fr_2000_matches.txt"), "utf8"),
  "fr-280": readFileSync(path.join(root, "benches/data/draft_fr_280.txt"), "utf8"),
};

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p99: at(0.99) };
}

function report(name, samplesMs) {
  const { median, p99 } = stats(samplesMs);
  console.log(`${name} median_us=${(median * 1000).toFixed(1)} p99_us=${(p99 * 1000).toFixed(1)} runs=${samplesMs.length}`);
  return median * 1000;
}

// `check` is synchronous and Harper's `lint` returns a promise: only a promise is
// awaited, so no sample of `check` includes a turn of the microtask queue.
async function time(runs, fn) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const pending = fn();
    if (pending instanceof Promise) await pending;
    samples.push(performance.now() - t0);
  }
  return samples;
}

// V8 runs wasm first with its baseline compiler and optimises hot functions in the
// background; a few hundred calls are not enough for that to finish. Both checkers are
// run for the same wall-clock time (and at least a few calls: Harper's first lint alone
// can take a second) before they are timed, so the medians compare the steady state a
// CM typing all day gets; the first call is printed on its own.
const WARM_UP_MS = 1000;
const WARM_UP_CALLS = 20;

async function warmUp(fn) {
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < WARM_UP_MS || calls < WARM_UP_CALLS) {
    const pending = fn();
    if (pending instanceof Promise) await pending;
    calls++;
  }
  return calls;
}

// The first build also reads the embedded lexicons: report it on its own.
let t0 = performance.now();
let engine = new CompiledCharter(charter, "charter_200.toml");
console.log(`tact-wasm engine build (first, with lexicons) ms=${(performance.now() - t0).toFixed(1)}`);
engine.free();
report("tact-wasm engine build (packs + 200 rules)", await time(30, () => new CompiledCharter(charter, "charter_200.toml").free()));

engine = new CompiledCharter(charter, "charter_200.toml");
const findings = JSON.parse(engine.check(drafts["fr-2000-matches"], "x", "fr")).findings.length;
if (findings === 0) throw new Error("the bench draft must contain matches");
const tact = {};
for (const [name, text] of Object.entries(drafts)) {
  const check = () => engine.check(text, "x", "fr");
  const [first] = await time(1, check);
  const warm = await warmUp(check);
  console.log(`tact-wasm check ${name}: first call us=${(first * 1000).toFixed(1)}, ${warm} warm-up calls`);
  tact[name] = report(`tact-wasm check ${name}`, await time(2000, check));
}

// Harper (English grammar checker, its own wasm) linting the same drafts.
const { LocalLinter } = await import("harper.js");
const { binaryInlined } = await import("harper.js/binaryInlined");
const linter = new LocalLinter({ binary: binaryInlined });
await linter.setup();
for (const [name, text] of Object.entries(drafts)) {
  const lint = () => linter.lint(text);
  const warm = await warmUp(lint);
  console.log(`harper.js lint ${name}: ${warm} warm-up calls`);
  const harper = report(`harper.js lint ${name}`, await time(100, lint));
  console.log(`ratio ${name}: harper.js / tact-wasm = ${(harper / tact[name]).toFixed(0)}x`);
}
