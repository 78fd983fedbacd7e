// Dashboard test in headless Chromium: starts tact-store on a fresh SQLite database, seeds
// captures, tags, statuses and override events through the API, signs in on the page and
// checks the rendered charts, the members table and the CSV export against the seed.
// Saves a screenshot to dist/test-artifacts/dashboard.png.
//
//   node store/tests/dashboard.mjs        (from the repository root, after `npm ci`)
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = process.env.TACT_STORE_BIN || join(root, "target", "debug", "tact-store");
const artifacts = join(root, "dist", "test-artifacts");
const DAY = 86400000;
let passed = 0;
let failed = 0;

function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`FAIL - ${name}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  }
}

function admin(db, args) {
  return execFileSync(bin, [...args, "--db", db], { encoding: "utf8" }).trim();
}

function startStore(db) {
  const child = spawn(bin, ["serve", "--db", db, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("tact-store did not start in 30 s")), 30000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = line.match(/^tact-store listening on (.*)$/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
    child.on("exit", (code) => reject(new Error("tact-store exited with " + code)));
  });
}

async function call(base, token, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const TAGS = ["plainte", "question", "éloge", "<img src=x onerror=alert(1)>"];

// Seed: 30 items over the last 14 days; tags, statuses and overrides by two members.
async function seed(base, tokens) {
  const now = Date.now() - 60000;
  const expected = { perTagDay: new Map(), open: 0, done: 0, captures: { Camille: 0, Alex: 0 }, overrides: new Map(), memberOverrides: { Camille: 0, Alex: 0 } };
  const batches = { Camille: [], Alex: [] };
  for (let i = 0; i < 30; i++) {
    const who = i % 3 === 0 ? "Alex" : "Camille";
    const capturedAt = now - (i % 14) * DAY;
    const list = batches[who];
    const hlc = () => ({ wall: now, counter: list.length });
    const item = `x:${1000 + i}`;
    list.push({ id: list.length + 1, hlc: hlc(), item, change: { field: "capture", capture: {
      network: "x", permalink: `https://x.com/u${i}/status/${1000 + i}`, author: { handle: `@u${i}`, name: `User ${i}` },
      text: `Post ${i}`, posted_at: capturedAt - 3600000, captured_at: capturedAt, captured_by: who } } });
    expected.captures[who]++;
    const tags = [TAGS[i % 3]];
    if (i % 7 === 0) tags.push(TAGS[3]);
    for (const tag of tags) {
      list.push({ id: list.length + 1, hlc: hlc(), item, change: { field: "tag", tag, present: true } });
      const key = dayOf(capturedAt) + "|" + tag;
      expected.perTagDay.set(key, (expected.perTagDay.get(key) || 0) + 1);
    }
    const done = i % 4 === 0;
    if (done) list.push({ id: list.length + 1, hlc: hlc(), item, change: { field: "status", status: "done" } });
    if (done) expected.done++; else expected.open++;
  }
  for (const who of ["Camille", "Alex"]) {
    await call(base, tokens[who], "POST", "/v1/push", { client_id: "browser-" + who, mutations: batches[who] });
  }
  const rules = [["competitors", "Camille"], ["competitors", "Alex"], ["competitors", "Camille"], ["refund-promise", "Camille"], ["tutoiement", "Alex"]];
  for (const [rule, who] of rules) {
    await call(base, tokens[who], "POST", "/v1/events", { events: [{ kind: "override", rule, severity: "warn", network: "x", at: now }] });
    expected.overrides.set(rule, (expected.overrides.get(rule) || 0) + 1);
    expected.memberOverrides[who]++;
  }
  return expected;
}

async function main() {
  // `--tests` matches `cargo test`'s features, so this reuses the test suite's build.
  if (!process.env.TACT_STORE_BIN) execFileSync("cargo", ["build", "--quiet", "-p", "tact-store", "--tests"], { cwd: root, stdio: "inherit" });
  const work = mkdtempSync(join(tmpdir(), "tact-dashboard-"));
  const db = "sqlite://" + join(work, "store.db");
  const adminToken = admin(db, ["team", "create", "Café Lumière"]);
  const tokens = {
    Camille: admin(db, ["token", "create", "--team", "Café Lumière", "--role", "member", "--name", "Camille"]),
    Alex: admin(db, ["token", "create", "--team", "Café Lumière", "--role", "member", "--name", "Alex"]),
  };
  const { child, base } = await startStore(db);
  const browser = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1200, height: 1000 },
    acceptDownloads: true,
  });
  try {
    const expected = await seed(base, tokens);
    const page = browser.pages()[0] || (await browser.newPage());
    const problems = [];
    page.on("console", (msg) => { if (msg.type() === "error") problems.push(msg.text()); });
    page.on("pageerror", (err) => problems.push(String(err)));
    page.on("dialog", (dialog) => { problems.push("dialog opened: " + dialog.message()); dialog.dismiss(); });

    await page.goto(base + "/");
    await page.fill("#token", "tact_not-a-real-token");
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector("#login:not([hidden])");
    await page.waitForFunction(() => document.getElementById("login-error").textContent.length > 0);
    check("a wrong token is refused with a message", (await page.textContent("#login-error")).includes("not valid"));
    problems.length = 0; // the refused request's 401 was expected

    await page.fill("#token", adminToken);
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector("#chart-tags svg rect[data-tag]");

    const total = async (key) => Number(await page.textContent(`[data-total="${key}"] .value`));
    check("items captured total", (await total("captures")) === 30, await total("captures"));
    check("done total", (await total("done")) === expected.done, await total("done"));
    check("sent-anyway total", (await total("overrides")) === 5, await total("overrides"));

    const bars = await page.$$eval("#chart-tags rect[data-tag]", (rects) =>
      rects.map((r) => [r.getAttribute("data-day") + "|" + r.getAttribute("data-tag"), Number(r.getAttribute("data-count"))]));
    const drawn = new Map(bars);
    check("one bar segment per (day, tag) seeded", drawn.size === expected.perTagDay.size, [drawn.size, expected.perTagDay.size]);
    const mismatched = [...expected.perTagDay].filter(([key, n]) => drawn.get(key) !== n);
    check("every bar segment has the seeded count", mismatched.length === 0, mismatched);
    const heights = await page.$$eval("#chart-tags rect[data-tag]", (rects) => rects.map((r) => Number(r.getAttribute("height"))));
    check("bar heights are positive", heights.every((h) => h > 0));

    const legend = await page.$$eval("#legend-tags [data-legend]", (spans) => spans.map((s) => s.textContent));
    check("legend lists every tag", TAGS.every((t) => legend.includes(t)), legend);
    check("markup in a tag name stays text", (await page.$$("img")).length === 0);

    const statusBars = await page.$$eval("#chart-status rect", (rects) => rects.map((r) => [r.getAttribute("data-name"), Number(r.getAttribute("data-count"))]));
    check("open vs done", JSON.stringify(statusBars) === JSON.stringify([["open", expected.open], ["done", expected.done]]), statusBars);

    const ruleBars = new Map(await page.$$eval("#chart-rules rect", (rects) => rects.map((r) => [r.getAttribute("data-name"), Number(r.getAttribute("data-count"))])));
    check("overrides per rule", [...expected.overrides].every(([rule, n]) => ruleBars.get(rule) === n) && ruleBars.size === expected.overrides.size, [...ruleBars]);

    const rows = await page.$$eval("#members tbody tr", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    for (const who of ["Camille", "Alex"]) {
      const row = rows.find((r) => r[0] === who);
      check(`member row for ${who}`, row && Number(row[1]) === expected.captures[who] && Number(row[3]) === expected.memberOverrides[who], row);
    }

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
    const csvPath = join(work, "report.csv");
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, "utf8");
    check("CSV has a header", csv.startsWith('"section","day","name","value"'), csv.slice(0, 60));
    const someKey = [...expected.perTagDay.keys()][0].split("|");
    check("CSV carries the per-tag counts", csv.includes(`"captures_per_tag","${someKey[0]}","${someKey[1]}","${expected.perTagDay.get(someKey.join("|"))}"`));
    check("CSV carries the members", csv.includes('"member_overrides","","Camille","' + expected.memberOverrides.Camille + '"'));

    check("no console errors, CSP violations or dialogs", problems.length === 0, problems);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "dashboard.png"), fullPage: true });
    console.log("screenshot: " + join(artifacts, "dashboard.png"));
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
}

main()
  .catch((err) => {
    failed++;
    console.log("FAIL - dashboard test crashed: " + (err && err.stack ? err.stack : err));
  })
  .finally(() => {
    console.log(`dashboard: ${passed} passed, ${failed} failed`);
    process.exitCode = failed === 0 ? 0 : 1;
  });
