// Team sync end to end: a real tact-store (SQLite in a temp dir), the extension configured
// through its options page, a tweet tagged on the X fixture reaching the store, the inbox
// page's sync status line, the team config (charter, tags) arriving, a change made by
// another client through the API showing up in the inbox page after a pull, a "send
// anyway" on X counted in the store's report, and an admin (a second browser) editing the
// team's tags and charter in the options page — seen by the member, refused to the member,
// and kept through a conflict with another admin's save until re-applied.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EXTENSION, ROOT, extensionWorker, extraPages, launch, openWithTact, posted, useBrowser } from "./harness.mjs";

// Chromium's permission prompt for chrome.permissions.request cannot be answered from
// Playwright (headless or not: it is browser UI, not a page dialog), and no launch flag
// accepts it. So the test loads a copy of the built extension whose manifest already grants
// the test store's origin (moved from optional_host_permissions to host_permissions): the
// options page's request then resolves true at once, as after a user's "Allow". The shipped
// manifest is checked below to grant nothing at install.
const SHIPPED = JSON.parse(readFileSync(path.join(EXTENSION, "manifest.json"), "utf8"));
const TEST_COPY = mkdtempSync(path.join(tmpdir(), "tact-ext-sync-"));
cpSync(EXTENSION, TEST_COPY, { recursive: true });
writeFileSync(path.join(TEST_COPY, "manifest.json"), JSON.stringify({ ...SHIPPED, host_permissions: ["http://127.0.0.1/*"] }));
const env = useBrowser({ extension: TEST_COPY });
const SHARED = process.env.TACT_SHARED_DATA ?? path.resolve(ROOT, "../shared/data");
const STORE_BIN = process.env.TACT_STORE_BIN ?? path.join(ROOT, "target/debug/tact-store");
const TEAM = "demo";
/** Where the conflict screenshot goes (like the dashboard's). */
const ARTIFACTS = path.join(ROOT, "dist/test-artifacts");

const FEED = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home / X</title>
<link rel="stylesheet" href="/fixture/fixture.css"></head><body><main role="main">
<div aria-label="Timeline: Your Home Timeline">
<div data-testid="cellInnerDiv" id="cell">${readFileSync(path.join(SHARED, "sites/x", "tmh_timeline.html"), "utf8")}</div>
</div></main></body></html>`;
extraPages.set("x.com", new Map([["/sync-home", FEED]]));

const store = {};

/** Runs the store's CLI against the test database; returns what it printed (a token). */
const cli = (...args) => execFileSync(STORE_BIN, [...args, "--db", store.db], { encoding: "utf8" }).trim();

/** Starts `tact-store serve` on a free port, allowing the extension's origin (CORS). */
async function startStore(extensionId) {
  if (!existsSync(STORE_BIN)) throw new Error(`${STORE_BIN} is missing: run cargo build -p tact-store (or set TACT_STORE_BIN)`);
  store.dir = mkdtempSync(path.join(tmpdir(), "tact-store-"));
  store.db = `sqlite://${store.dir}/t.db`;
  store.admin = cli("team", "create", TEAM);
  store.member = cli("token", "create", "--team", TEAM, "--role", "member", "--name", "Ana");
  store.process = spawn(STORE_BIN, ["serve", "--db", store.db, "--listen", "127.0.0.1:0",
    "--cors-origin", `chrome-extension://${extensionId}`], { stdio: ["ignore", "pipe", "inherit"] });
  store.url = await new Promise((resolve, reject) => {
    let out = "";
    store.process.stdout.on("data", (chunk) => {
      out += chunk;
      const found = out.match(/listening on (http:\/\/\S+)/);
      if (found) resolve(found[1]);
    });
    store.process.on("exit", (code) => reject(new Error(`tact-store exited with ${code}`)));
  });
}

after(async () => {
  await store.adminBrowser?.close();
  rmSync(TEST_COPY, { recursive: true, force: true });
  store.process?.kill("SIGTERM");
  if (store.dir) rmSync(store.dir, { recursive: true, force: true });
});

/** A request to the store as another client would make it. */
async function api(token, method, route, body, headers = {}) {
  const response = await fetch(new URL(route, store.url), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function until(what, check, timeout = 20_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${what} did not happen within ${timeout} ms (last: ${JSON.stringify(last)})`);
}

describe("team sync", () => {
  let extensionId;
  let worker;

  before(async () => {
    worker = await extensionWorker(env.browser.context);
    extensionId = new URL(worker.url()).host;
    await startStore(extensionId);
  });

  test("options: the store address and token ask for that origin only, then sync starts", async () => {
    assert.equal(SHIPPED.host_permissions, undefined, "the shipped extension asks no host at install");
    assert.deepEqual(SHIPPED.optional_host_permissions, ["https://*/*", "http://127.0.0.1/*", "http://localhost/*"]);
    const granted = () => worker.evaluate(() => chrome.permissions.getAll().then((p) => p.origins));
    // The team lead has set a charter and a team tag before the member connects.
    await api(store.admin, "PUT", "/v1/config", {
      charter: readFileSync(path.join(ROOT, "examples/charter.en.toml"), "utf8"),
      templates: "",
      tags: [{ id: "vip", label: "VIP customer", color: "#6a1b9a" }],
    }, { "if-match": "\"0\"" });

    const options = await env.browser.context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.fill("#sync-url", store.url);
    await options.fill("#sync-token", store.member);
    await options.click("#sync-save");
    await until("the options page answer", () => options.textContent("#sync-result"));
    assert.match(await options.textContent("#sync-result"), /Connected to http:\/\/127\.0\.0\.1/);
    assert.ok((await granted()).includes("http://127.0.0.1/*"));

    const settings = await until("the team config in the settings", async () => {
      const { settings } = await worker.evaluate(() => chrome.storage.local.get("settings"));
      return settings?.team_managed && settings;
    });
    assert.match(settings.charter, /Northwind Outdoor/);
    await options.reload();
    await options.waitForFunction(() => document.querySelector("#charter-source").value.includes("Northwind Outdoor"));
    assert.equal(await options.isDisabled("#charter-source"), true, "a member cannot edit the team's charter");
    const edit = (action) => options.evaluate((request) => chrome.runtime.sendMessage({ type: "tact-inbox", request })
      .then(JSON.parse), JSON.stringify({ op: "edit_tags", edit: action }));
    const refused = await edit({ action: "add", name: "Mine only" });
    assert.equal(refused.ok, false, "nor the team's tags");
    assert.match(refused.error, /team/);
    assert.equal((await edit({ action: "digit", id: "vip", digit: 9 })).ok, true, "shortcut digits stay personal");
    await options.close();
  });

  test("a tag on X reaches the store; the inbox shows pending 0 and the last sync", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://x.com/sync-home");
    await page.locator('article [data-tact="tag-button"]').click();
    const entry = page.locator('[data-tact="tag-menu"] [data-tact-tag="vip"]');
    await entry.waitFor();
    await entry.click();
    await page.waitForFunction(() => document.querySelector('article [data-tact="tag-button"]')?.getAttribute("data-tact-tagged") === "vip");
    assert.deepEqual(errors, []);
    await page.close();

    const pulled = await until("the tag in the store", async () => {
      const answer = await api(store.member, "GET", "/v1/pull?cursor=0");
      return answer.changes.some((w) => w.change.field === "tag" && w.change.tag === "vip" && w.change.present) && answer;
    });
    const capture = pulled.changes.find((w) => w.change.field === "capture");
    assert.ok(capture, "the capture travelled with the tag");
    assert.equal(capture.change.capture.network, "x");
    store.item = capture.item;

    const inbox = await env.browser.context.newPage();
    await inbox.goto(`chrome-extension://${extensionId}/inbox.html`);
    await inbox.waitForSelector("body[data-ready=true]");
    const line = inbox.locator('[data-tact="sync-status"]');
    await until("pending 0 with a last sync", async () =>
      (await line.getAttribute("data-pending")) === "0" && (await line.getAttribute("data-last-sync")));
    assert.match(await line.textContent(), /synced .+ · 0 pending/);
    assert.ok(Date.now() - Number(await line.getAttribute("data-last-sync")) < 60_000);
    store.inbox = inbox;
  });

  test("another client's change arrives in the inbox page after a pull", async () => {
    const inbox = store.inbox;
    const row = inbox.locator(`[data-tact="inbox-item"][data-id="${store.item}"]`);
    assert.equal(await row.getAttribute("data-status"), "open");
    const hlc = { wall: Date.now() + 1_000, counter: 0 };
    await api(store.admin, "POST", "/v1/push", {
      client_id: "phone",
      mutations: [
        { id: 1, hlc, item: store.item, change: { field: "status", status: "done" } },
        { id: 2, hlc: { ...hlc, counter: 1 }, item: store.item, change: { field: "note", note: "answered by phone" } },
      ],
    });
    // Focusing the page asks the worker for a pull (throttled to one per few seconds).
    await until("the teammate's change in the inbox", async () => {
      await inbox.evaluate(() => window.dispatchEvent(new Event("focus")));
      return (await row.getAttribute("data-status")) === "done";
    });
    const stored = await worker.evaluate((id) => chrome.storage.local.get(`inbox:item:${id}`).then((s) => s[`inbox:item:${id}`]), store.item);
    assert.equal(stored.note, "answered by phone");
    assert.deepEqual(stored.tags, ["vip"], "the local tag survives the merge");
    const { "inbox:outbox": outbox } = await worker.evaluate(() => chrome.storage.local.get("inbox:outbox"));
    assert.equal(outbox, undefined, "pulled changes are not queued back");
    await inbox.close();
  });

  test("a send anyway on X reaches the store's report: overrides per rule and per member", async () => {
    const draft = "Honestly, try Patagonia instead. — AB";
    const { page, errors } = await openWithTact(env.browser.context, "https://x.com/TestUser123/status/1");
    await page.locator('[data-testid="tweetTextarea_0"]').click();
    await page.keyboard.type(draft);
    await page.locator('[data-testid="tweetButtonInline"]').click();
    await page.locator('[data-tact="guard"]').waitFor();
    assert.match(await page.locator('[data-tact="finding"]').first().textContent(), /Patagonia/);
    await page.locator('[data-tact="guard-send"]').click();
    await page.waitForFunction(() => window.__posted.length === 1);
    assert.deepEqual(await posted(page), [{ composer: "inline", text: draft }]);
    assert.deepEqual(errors, []);
    await page.close();

    const report = await until("the override in the team report", async () => {
      const answer = await api(store.admin, "GET", "/v1/report");
      return answer.overrides_per_rule.some((r) => r.rule === "competitors") && answer;
    });
    assert.deepEqual(report.overrides_per_rule, [{ rule: "competitors", count: 1 }]);
    assert.equal(report.members.find((m) => m.member === "Ana")?.overrides, 1);
    assert.ok(!JSON.stringify(report).includes("Patagonia"), "no draft text in the report");
    // Acknowledged events leave the queues; another round sends nothing twice.
    await until("no event waiting", async () => {
      const { events, "sync:status": status } = await worker.evaluate(() => chrome.storage.local.get(["events", "sync:status"]));
      return events === undefined && status.pending_events === 0;
    });
    const again = await api(store.admin, "GET", "/v1/report");
    assert.deepEqual(again.overrides_per_rule, [{ rule: "competitors", count: 1 }]);
  });

  test("an admin's tag and charter edits in the options page reach a member; a member cannot edit", async () => {
    // The admin works in a browser of their own.
    store.adminBrowser = await launch(env.server.port, { extension: TEST_COPY });
    const adminWorker = await extensionWorker(store.adminBrowser.context);
    const admin = await store.adminBrowser.context.newPage();
    await admin.goto(`chrome-extension://${new URL(adminWorker.url()).host}/options.html`);
    await admin.fill("#sync-url", store.url);
    await admin.fill("#sync-token", store.admin);
    await admin.click("#sync-save");
    await admin.waitForFunction(() => /admin \(admin\) in team demo/.test(document.querySelector("#sync-who").textContent));
    await admin.waitForFunction(() => !document.querySelector("#charter-source").disabled
      && document.querySelector("#charter-source").value.includes("Northwind Outdoor"));
    assert.equal(await admin.getAttribute("#team-config", "data-state"), "admin");
    assert.equal(await admin.isDisabled("#tag-add"), false);

    // A new team tag, from the tags section.
    await admin.fill("#tag-new-name", "Escalate");
    await admin.fill("#tag-new-color", "#b71c1c");
    await admin.click("#tag-add");
    const published = await until("the tag in the team config", async () => {
      const doc = await api(store.member, "GET", "/v1/config");
      return doc.config.tags.some((t) => t.id === "escalate") && doc;
    });
    assert.equal(published.version, 2);
    assert.deepEqual(published.config.tags.find((t) => t.id === "escalate"), { id: "escalate", label: "Escalate", color: "#b71c1c" });
    assert.deepEqual(published.config.tags.find((t) => t.id === "vip"), { id: "vip", label: "VIP customer", color: "#6a1b9a" },
      "the team's own tags go back as they were");
    assert.match(published.config.charter, /Northwind Outdoor/, "the charter untouched");

    // A charter edit, saved from the charter section (the page shows version 2 by now).
    await admin.waitForSelector('body[data-team-version="2"]');
    const charter = (await admin.inputValue("#charter-source")).replace("\"competitors\"", "\"rivals\"");
    await admin.fill("#charter-source", charter);
    await admin.click("#save");
    await admin.waitForFunction(() => /published to the team \(version 3\)/.test(document.querySelector("#saved").textContent));
    assert.equal((await api(store.member, "GET", "/v1/config")).config.charter, charter);

    // The member's next pull brings both; the member's page shows them read-only.
    const member = await env.browser.context.newPage();
    await member.goto(`chrome-extension://${extensionId}/options.html`);
    await until("the admin's edits at the member", async () => {
      await member.evaluate(() => chrome.runtime.sendMessage({ type: "tact-sync", op: "focus" }));
      const { settings } = await worker.evaluate(() => chrome.storage.local.get("settings"));
      return settings.charter === charter;
    });
    const row = member.locator('#tag-list li[data-tag="escalate"]');
    await row.waitFor();
    assert.equal(await row.locator('input[type="text"]').inputValue(), "Escalate");
    assert.equal(await row.locator('input[type="text"]').isDisabled(), true, "a member's tag names are read-only");
    assert.equal(await row.locator("select").isDisabled(), false, "shortcut digits stay the member's");
    assert.equal(await member.isDisabled("#tag-add"), true);
    assert.equal(await member.isDisabled("#charter-source"), true);
    assert.equal(await member.inputValue("#charter-source"), charter);
    assert.match(await member.textContent("#sync-who"), /Ana \(member\) in team demo/);
    // Asking the worker directly is refused too, and nothing reaches the store.
    const refused = await member.evaluate(() => chrome.runtime.sendMessage({
      type: "tact-sync", op: "edit_config", charter: "[charter]\nname = \"Mine\"\n", templates: "", base_version: 3,
    }));
    assert.equal(refused.ok, false);
    assert.match(refused.error, /only a team admin/);
    const rename = await member.evaluate((request) => chrome.runtime.sendMessage({ type: "tact-inbox", request }).then(JSON.parse),
      JSON.stringify({ op: "edit_tags", edit: { action: "rename", id: "escalate", name: "Mine" } }));
    assert.equal(rename.ok, false);
    assert.equal((await api(store.member, "GET", "/v1/config")).version, 3);
    await member.close();
    store.adminPage = admin;
  });

  test("an admin's edit that meets another admin's save is kept, shown and re-applied on top", async () => {
    const admin = store.adminPage;
    // Another admin saves first, through the API: a new tag, same charter.
    const current = await api(store.admin, "GET", "/v1/config");
    const theirs = { ...current.config, tags: [...current.config.tags, { id: "press-kit", label: "Press kit" }] };
    await api(store.admin, "PUT", "/v1/config", theirs, { "if-match": `"${current.version}"` });

    await admin.waitForSelector('body[data-team-version="3"]');
    const mine = (await admin.inputValue("#charter-source")).replace("Northwind Outdoor", "Northwind Outdoor Europe");
    await admin.fill("#charter-source", mine);
    await admin.click("#save");
    const section = admin.locator("#team-config");
    await admin.waitForFunction(() => document.querySelector("#team-config").dataset.state === "conflict");
    assert.match(await admin.textContent("#team-config-status"), /Another admin saved the team configuration first: version 4/);
    assert.match(await admin.textContent("#team-config-status"), /the charter/);
    // Theirs is shown; mine is kept, readable, and was not sent over theirs.
    await admin.waitForFunction(() => !document.querySelector("#charter-source").value.includes("Europe"));
    assert.match(await admin.textContent("#team-kept-text"), /Northwind Outdoor Europe/);
    assert.equal((await api(store.member, "GET", "/v1/config")).version, 4);
    assert.equal(await section.locator("#team-reapply").isVisible(), true);
    await admin.locator("#team-kept summary").click();
    mkdirSync(ARTIFACTS, { recursive: true });
    await section.screenshot({ path: path.join(ARTIFACTS, "options-team-conflict.png") });

    await admin.click("#team-reapply");
    const merged = await until("the re-applied edit in the store", async () => {
      const doc = await api(store.member, "GET", "/v1/config");
      return doc.version === 5 && doc;
    });
    assert.equal(merged.config.charter, mine, "my charter edit wins where I made it");
    assert.ok(merged.config.tags.some((t) => t.id === "press-kit"), "their new tag stays");
    await admin.waitForFunction(() => document.querySelector("#team-config").dataset.state === "admin");
    await admin.waitForFunction(() => document.querySelector("#charter-source").value.includes("Europe"));
  });
});
