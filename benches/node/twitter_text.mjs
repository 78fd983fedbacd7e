// Times npm twitter-text@3.1.0 parseTweet on the drafts the Rust benchmark uses, with the
// same method (warm-up, then 400 batches of about 50 µs; median and 99th percentile per
// call). Prints one machine-readable line per draft:
//   twitter-text parseTweet draft_fr_280 median_us=… p99_us=…
// Run from the repository root after `npm ci`: node benches/node/twitter_text.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(process.cwd(), 'package.json'));
const twitter = require('twitter-text');
const data = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const now = () => Number(process.hrtime.bigint()) / 1e3; // µs

function medianP99(f) {
  const warmStart = now();
  let calls = 0;
  while (now() - warmStart < 200_000) { f(); calls++; }
  const perCall = (now() - warmStart) / calls;
  const batch = Math.max(1, Math.ceil(50 / perCall));
  const samples = [];
  for (let s = 0; s < 400; s++) {
    const start = now();
    for (let i = 0; i < batch; i++) f();
    samples.push((now() - start) / batch);
  }
  samples.sort((a, b) => a - b);
  return [samples[samples.length >> 1], samples[Math.floor(samples.length * 0.99)]];
}

let sink = 0;
for (const name of ['draft_fr_280', 'draft_fr_2000']) {
  const text = readFileSync(join(data, `${name}.txt`), 'utf8');
  const [median, p99] = medianP99(() => { sink += twitter.parseTweet(text).weightedLength; });
  console.log(`twitter-text parseTweet ${name} median_us=${median.toFixed(2)} p99_us=${p99.toFixed(2)}`);
}
if (sink === 0) console.error('unexpected: zero weighted length');
