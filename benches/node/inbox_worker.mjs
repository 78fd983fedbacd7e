// Inbox listing and filtering over 50,000 stored items through the shipped worker module
// (dist/extension/pkg/tact_worker, under Node): what the inbox page waits for on each
// filter change, JSON in and out included. Target (issue 7): <= 50 ms.
//
// Prints one line per query: `inbox-worker <name> median_ms=… p95_ms=… runs=… matched=…`.
// Run after `./build.sh extension`: node benches/node/inbox_worker.mjs
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = path.join(root, "dist/extension/pkg");
// The extension's glue is an ES module without a package.json saying so: read it as one.
const glue = readFileSync(path.join(pkg, "tact_worker.js"), "utf8");
const { initSync, inbox_open, inbox_request } = await import(`data:text/javascript;base64,${Buffer.from(glue).toString("base64")}`);
initSync({ module: readFileSync(path.join(pkg, "tact_worker_bg.wasm")) });

const N = 50_000;
const TAGS = ["complaint", "question", "lead", "influencer", "crisis", "praise", "bug", "press"];
const WORDS = ["commande", "livraison", "retard", "remboursement", "café", "délicieux", "équipe",
  "merci", "problème", "service", "client", "boutique", "Noël", "carte", "fidélité", "application"];
// A deterministic generator (xorshift32), so every run measures the same inbox.
let seed = 2463534242;
const next = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), seed >>> 0);
const pick = (xs) => xs[next() % xs.length];

const start = Date.parse("2025-01-01T00:00:00Z");
const items = [];
for (let i = 0; i < N; i++) {
  // X only: Facebook item ids are hashes of the canonical permalink.
  const user = `user${next() % 5000}`;
  const id = String(1852311426666537322n + BigInt(i));
  const tags = next() % 4 === 0 ? [] : [pick(TAGS), ...(next() % 5 === 0 ? [pick(TAGS)] : [])];
  items.push({
    id: `x:${id}`,
    network: "x",
    permalink: `https://x.com/${user}/status/${id}`,
    author: { handle: `@${user}`, name: `User ${user.slice(4)}` },
    text: Array.from({ length: 8 + (next() % 30) }, () => pick(WORDS) + (next() % 3 === 0 ? `${next() % 900}` : "")).join(" "),
    posted_at: start + i * 60_000,
    captured_at: start + i * 60_000 + 5_000,
    captured_by: "Camille",
    tags: [...new Set(tags)],
    status: next() % 3 === 0 ? "done" : "open",
    note: next() % 10 === 0 ? "rappeler demain" : "",
  });
}
const fresh = JSON.parse(inbox_open("", "[]"));
const t0 = performance.now();
try {
  inbox_open(JSON.stringify(fresh.meta), JSON.stringify(items));
} catch (e) {
  console.error(`inbox-worker: the generated items do not load: ${e.message}`);
  process.exit(1);
}
console.log(`inbox-worker open (load ${N} stored items) ms=${(performance.now() - t0).toFixed(1)}`);

const queries = {
  "list all (page of 50)": {},
  "tag complaint": { tags: ["complaint"] },
  "status done": { status: "done" },
  "network x (every item)": { network: "x" },
  "author user42": { author: "user42" },
  "date (one week)": { since: "2025-01-10T00:00:00Z", until: "2025-01-17T00:00:00Z" },
  "search 'livraison retard'": { query: "livraison retard" },
  "search + tag + status": { query: "commande", tags: ["complaint", "bug"], status: "open" },
};
for (const [name, filter] of Object.entries(queries)) {
  const request = JSON.stringify({ op: "query", filter, offset: 0, limit: 50 });
  const first = JSON.parse(inbox_request(request, Date.now(), "Camille"));
  if (first.reply.ok === false) throw new Error(`${name}: ${first.reply.error}`);
  const samples = [];
  for (let run = 0; run < 31; run++) {
    const t = performance.now();
    inbox_request(request, Date.now(), "Camille");
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const matched = first.reply.total ?? first.reply.count ?? first.reply.items?.length;
  console.log(`inbox-worker ${name} median_ms=${samples[15].toFixed(2)} p95_ms=${samples[29].toFixed(2)} runs=31 matched=${matched} (target <= 50)`);
}
