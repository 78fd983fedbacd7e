// Guard benchmark in Chromium on the X fixture (./build.sh bench):
// - content-script start-up: module load + wasm instantiation + engine build, per page load;
// - input -> badge: 1,000 keystrokes into a 2,000-character draft, measured from each input
//   event's creation (event.timeStamp) to the end of Tact's capture listener, which re-reads
//   the draft, checks it and redraws the badge synchronously.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT, launch, openWithTact, startServer } from "./harness.mjs";

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const line = (name, xs) =>
  console.log(`${name} n=${xs.length} median_ms=${quantile(xs, 0.5).toFixed(3)} p99_ms=${quantile(xs, 0.99).toFixed(3)}`);

const server = await startServer();
const browser = await launch(server.port);
try {
  const startups = [];
  for (let i = 0; i < 15; i++) {
    const { page } = await openWithTact(browser.context, "https://x.com/TestUser123/status/1");
    await page.waitForSelector("tact-overlay[data-tact-startup-ms]", { state: "attached" });
    startups.push(Number(await page.getAttribute("tact-overlay", "data-tact-startup-ms")));
    await page.close();
  }
  line("guard startup (instantiate + engine build)", startups);

  const draft = readFileSync(path.join(ROOT, "benches/data/draft_fr_2000_matches.txt"), "utf8").replace(/\s+/g, " ").slice(0, 2000);
  const { page } = await openWithTact(browser.context, "https://x.com/TestUser123/status/1");
  await page.locator('[data-testid="tweetTextarea_0"]').click();
  await page.keyboard.insertText(draft);
  await page.evaluate(() => {
    window.__latency = [];
    // Registered after Tact's own capture listener on window, so it runs right after it.
    window.addEventListener("input", (e) => window.__latency.push(performance.now() - e.timeStamp), true);
  });
  const keys = "abcdefghij klmnopqrst uvwxyz éàè ".repeat(40).slice(0, 1000);
  for (const key of keys) await page.keyboard.type(key);
  const latency = await page.evaluate(() => window.__latency);
  const verdict = await page.evaluate(() => document.querySelector("tact-overlay").shadowRoot.querySelector('[data-tact="badge"]').getAttribute("data-tact-verdict"));
  line(`guard input->badge (2,000-char draft, verdict ${verdict})`, latency);
} finally {
  await browser.close();
  await server.close();
}
