// Reply model speed in WebAssembly (the shipped `tact_replies` module, under Node):
// learning the built-in library and a 77-intent × 10-example library (BANKING77's few-shot
// shape, built from ../shared/data when present, else synthetic), and ranking + filling one
// comment with each.
//
// Prints one line per measure: `name median_us=… p99_us=… runs=…`.
// Budgets (issue 6): both libraries learned ≤ 30 ms together, one comment ≤ 200 µs.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = path.join(root, "dist/extension/pkg");
const glue = readFileSync(path.join(pkg, "tact_replies.js"), "utf8");
const replies = await import(`data:text/javascript;base64,${Buffer.from(glue).toString("base64")}`);
let t0 = performance.now();
replies.initSync({ module: readFileSync(path.join(pkg, "tact_replies_bg.wasm")) });
console.log(`tact-wasm replies module instantiate ms=${(performance.now() - t0).toFixed(1)}`);

/** Ten examples for each of the first 77 labels of a `text,label` CSV (quoted fields allowed). */
function fewShotLibrary(file) {
  const byLabel = new Map();
  if (existsSync(file)) {
    const rows = readFileSync(file, "utf8").split(/\r?\n/).slice(1).filter(Boolean);
    for (const row of rows) {
      const m = row.match(/^(?:"((?:[^"]|"")*)"|([^,]*)),(.*)$/);
      if (!m) continue;
      const text = m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2];
      const label = m[3].trim();
      const texts = byLabel.get(label) ?? [];
      if (texts.length < 10) texts.push(text);
      byLabel.set(label, texts);
    }
  }
  if (byLabel.size === 0) {
    for (let i = 0; i < 77; i++) {
      byLabel.set(`intent_${i}`, Array.from({ length: 10 }, (_, j) => `how do I get my card number ${i} working again after step ${j}`));
    }
  }
  let toml = "";
  for (const [label, texts] of byLabel) {
    const id = label.toLowerCase().replace(/[^a-z0-9]/g, "_");
    toml += `[[template]]\nid = "${id}"\nintents = ["${id}"]\nlang = "en"\ntext = "Hello {author}"\nexamples = [${texts.map((t) => JSON.stringify(t)).join(", ")}]\n\n`;
  }
  return toml;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p99: at(0.99) };
}

// Wall time, and the process's CPU time: on a shared machine the wall clock also counts
// the time other processes held the cores, the CPU time only this work.
function report(name, { wall, cpu }) {
  const w = stats(wall);
  const c = stats(cpu);
  console.log(`${name} median_us=${(w.median * 1000).toFixed(1)} p99_us=${(w.p99 * 1000).toFixed(1)} cpu_median_us=${(c.median * 1000).toFixed(1)} runs=${wall.length}`);
  return w;
}

function time(runs, fn) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

const banking = fewShotLibrary(path.join(root, "../shared/data/intents/banking77/train.csv"));
const learn = (toml) => {
  const error = replies.replies_learn(toml, "bench.toml");
  if (error) throw new Error(error);
};
t0 = performance.now();
learn("");
console.log(`tact-wasm learn default library (first) ms=${(performance.now() - t0).toFixed(1)}`);
const learnDefault = report("tact-wasm learn default library", time(40, () => learn("")));
const learnBanking = report("tact-wasm learn 77x10 library", time(40, () => learn(banking)));
const both = learnDefault.median + learnBanking.median;
console.log(`tact-wasm learn default + 77x10 (sum of medians) ms=${both.toFixed(1)} budget_ms=30 ${both <= 30 ? "ok" : "MISSED"}`);

const suggest = (comment) => replies.replies_suggest(comment, "", "Marie", "marie", "Café Lumière", "CL", 19, 3);
for (const [name, toml, comment] of [
  ["default library", "", "Ma commande n'est toujours pas arrivée, ça fait deux semaines !"],
  ["77x10 library", banking, "I am still waiting on my card, it has been two weeks"],
]) {
  learn(toml);
  if (!JSON.parse(suggest(comment)).intent) throw new Error(`no intent for the ${name} bench comment`);
  for (let i = 0; i < 200; i++) suggest(comment); // warm-up
  report(`tact-wasm suggest (${name})`, time(2000, () => suggest(comment)));
}
