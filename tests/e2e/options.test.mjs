// The options page: a charter is linted as it is typed (errors name the line), saved only
// when it loads, and then checked on the sites with its own rules and messages.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { extensionWorker, openWithTact, posted, setSettings, useBrowser } from "./harness.mjs";

const env = useBrowser();

const CHARTER = `[charter]
name = "Café Lumière"
languages = ["fr", "en"]

[[rule]]
id = "competitors"
severity = "warn"
terms = ["Starbucks"]
message = { fr = "Ne citez pas de concurrents.", en = "Do not name competitors." }
suggest = "d'autres cafés"
`;

describe("options page", () => {
  test("a broken charter is refused with its line; a good one is saved and enforced", async () => {
    const worker = await extensionWorker(env.browser.context);
    const id = new URL(worker.url()).host;
    const page = await env.browser.context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`chrome-extension://${id}/options.html`);
    const source = page.locator("#charter-source");
    await source.fill('[charter]\nname = "X"\n\n[[rule]]\nid = "a"\nseverity = "loud"\nterms = ["x"]\n');
    const status = page.locator("#charter-status");
    await page.waitForFunction(() => document.getElementById("charter-status").className === "error");
    assert.match(await status.textContent(), /:6:/, "the error names line 6");
    assert.match(await status.textContent(), /loud.*info.*warn.*block/, "says what was expected");
    await page.locator("#save").click();
    const stored = await worker.evaluate(async () => (await chrome.storage.local.get("settings")).settings);
    assert.equal(stored?.charter ?? null, null, "a broken charter is not saved");

    await source.fill(CHARTER);
    await page.waitForFunction(() => document.getElementById("charter-status").className === "ok");
    assert.match(await status.textContent(), /Café Lumière/);
    await page.locator("#save").click();
    await page.waitForFunction(() => document.getElementById("saved").textContent.length > 0);
    const saved = await worker.evaluate(async () => (await chrome.storage.local.get("settings")).settings);
    assert.equal(saved.charter, CHARTER);
    assert.equal(saved.mode, "normal");
    assert.deepEqual(errors, []);
    await page.close();

    try {
      const { page: x } = await openWithTact(env.browser.context, "https://x.com/TestUser123/status/1");
      await x.locator('[data-testid="tweetTextarea_0"]').click();
      await x.keyboard.type("Allez plutôt chez Starbucks");
      await x.keyboard.press("Control+Enter");
      const finding = x.locator('[data-tact="finding"][data-tact-rule="competitors"]');
      await finding.waitFor();
      assert.match(await finding.textContent(), /Do not name competitors|Ne citez pas de concurrents/);
      await x.locator('[data-tact="finding-suggestion"]').click();
      await x.locator('[data-tact="guard"]').waitFor({ state: "detached" });
      // The replacement goes in one task after the editor is focused; a key pressed sooner
      // would be sent with the old draft.
      await x.waitForFunction(() => document.querySelector('[data-testid="tweetTextarea_0"]').textContent === "Allez plutôt chez d'autres cafés");
      await x.keyboard.press("Control+Enter");
      await x.waitForFunction(() => window.__posted.length === 1);
      assert.deepEqual(await posted(x), [{ composer: "inline", text: "Allez plutôt chez d'autres cafés" }]);
      await x.close();
    } finally {
      await setSettings(env.browser.context, {});
    }
  });
});
