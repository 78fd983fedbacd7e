// The send guard on the real editors: a draft with findings never reaches the page's post
// handler until the CM decides; "send anyway" posts exactly once; clean drafts pass through.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { extensionWorker, openWithTact, posted, setSettings, useBrowser } from "./harness.mjs";

const env = useBrowser();

const X_URL = "https://x.com/TestUser123/status/1";
const FB_URL = "https://www.facebook.com/cafelumiere/posts/pfbid02xYz123";
const BAD_FR = "Vous êtes des imbéciles, lisez la FAQ";

/** The audit events the background worker queued. */
async function events() {
  const worker = await extensionWorker(env.browser.context);
  return worker.evaluate(async () => (await chrome.storage.local.get("events")).events ?? []);
}

describe("send guard on X (Draft.js)", () => {
  test("the Reply button and Ctrl+Enter are held; send anyway posts exactly once", async () => {
    const { page, errors } = await openWithTact(env.browser.context, X_URL);
    const editor = page.locator('[data-testid="tweetTextarea_0"]');
    await editor.click();
    await page.keyboard.type(BAD_FR);
    const badge = page.locator('[data-tact="badge"]');
    await assert.doesNotReject(badge.and(page.locator('[data-tact-verdict="warn"], [data-tact-verdict="block"]')).waitFor());

    await page.locator('[data-testid="tweetButtonInline"]').click();
    const guard = page.locator('[data-tact="guard"]');
    await guard.waitFor();
    assert.equal(await guard.getAttribute("role"), "dialog");
    assert.ok((await page.locator('[data-tact="finding"]').count()) >= 1);
    assert.match(await page.locator('[data-tact="finding"]').first().textContent(), /imbéciles/);
    assert.deepEqual(await posted(page), [], "the page's post handler was not called");

    // Escape = edit: the panel closes and the caret is back in the editor.
    await page.keyboard.press("Escape");
    await guard.waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "tweetTextarea_0");

    await page.keyboard.press("Control+Enter");
    await guard.waitFor();
    assert.deepEqual(await posted(page), [], "Ctrl+Enter was held too");

    await page.locator('[data-tact="guard-send"]').click();
    await guard.waitFor({ state: "detached" });
    await page.waitForFunction(() => window.__posted.length > 0);
    await page.waitForTimeout(200);
    assert.deepEqual(await posted(page), [{ composer: "inline", text: BAD_FR }], "posted exactly once");

    const audit = await events();
    const last = audit.at(-1);
    assert.equal(last.type, "override");
    assert.equal(last.network, "x");
    assert.ok(last.rules.length >= 1);
    assert.ok(!JSON.stringify(audit).includes("imbéciles"), "the audit never holds draft text");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a clean reply posts at once, with no panel", async () => {
    const { page } = await openWithTact(env.browser.context, X_URL);
    await page.locator('[data-testid="tweetTextarea_0"]').click();
    await page.keyboard.type("Merci pour votre retour, nous regardons cela.");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => window.__posted.length === 1);
    assert.equal(await page.locator('[data-tact="guard"]').count(), 0);
    await page.locator('[data-testid="tweetTextarea_0"]').click();
    await page.keyboard.type("Bonne journée !");
    await page.locator('[data-testid="tweetButtonInline"]').click();
    await page.waitForFunction(() => window.__posted.length === 2);
    assert.equal(await page.locator('[data-tact="guard"]').count(), 0);
    await page.close();
  });

  test("inline and modal composers are tracked independently", async () => {
    const { page } = await openWithTact(env.browser.context, X_URL);
    await page.evaluate(() => window.fixture.openModal());
    const editors = page.locator('[data-testid="tweetTextarea_0"]');
    await page.locator('[data-tact="badge"]').nth(1).waitFor({ state: "attached" });
    await editors.nth(1).click();
    await page.keyboard.type(BAD_FR);
    await editors.nth(0).click();
    await page.keyboard.type("Merci !");
    const verdicts = await page.locator('[data-tact="badge"]').evaluateAll((badges) => badges.map((b) => b.getAttribute("data-tact-verdict")));
    assert.deepEqual(verdicts.sort(), ["pass", "warn"]);
    // The clean inline reply posts; the modal's Post button is held.
    await page.locator('[data-testid="tweetButtonInline"]').click();
    await page.waitForFunction(() => window.__posted.length === 1);
    assert.equal((await posted(page))[0].composer, "inline");
    await page.locator('[data-testid="tweetButton"]').click();
    await page.locator('[data-tact="guard"]').waitFor();
    assert.equal((await posted(page)).length, 1);
    await page.close();
  });
});

describe("send guard on Facebook (Lexical, French labels)", () => {
  test("Enter is held, Shift+Enter is a newline, an IME Enter neither sends nor guards", async () => {
    const { page, errors } = await openWithTact(env.browser.context, FB_URL);
    const editor = page.locator('[aria-label="Répondre à Julie Moreau"]');
    await editor.click();
    await page.keyboard.type("Bonjour Julie,");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type(BAD_FR);
    assert.equal(await page.locator('[data-tact="guard"]').count(), 0, "Shift+Enter is not a send");
    const text = await page.evaluate(() => window.fixture.editors.reply.getEditorState().read(() => window.fixture.editors.reply._editorState._nodeMap.get("root").getTextContent()));
    assert.equal(text, `Bonjour Julie,\n${BAD_FR}`);

    // An Enter that commits an input-method composition, as Chromium sends it: inside
    // compositionstart/compositionend, with isComposing set and keyCode 229.
    await page.evaluate(() => {
      const root = document.querySelector('[aria-label="Répondre à Julie Moreau"]');
      root.dispatchEvent(new CompositionEvent("compositionstart", { data: "", bubbles: true }));
      const enter = new KeyboardEvent("keydown", { key: "Enter", code: "Enter", isComposing: true, bubbles: true, cancelable: true });
      Object.defineProperty(enter, "keyCode", { value: 229 });
      root.dispatchEvent(enter);
      root.dispatchEvent(new CompositionEvent("compositionend", { data: "", bubbles: true }));
    });
    assert.equal(await page.locator('[data-tact="guard"]').count(), 0, "IME Enter does not trigger the guard");
    assert.deepEqual(await posted(page), [], "IME Enter does not submit");

    await page.keyboard.press("Enter");
    const guard = page.locator('[data-tact="guard"]');
    await guard.waitFor();
    assert.deepEqual(await posted(page), [], "Enter was held");
    await page.locator('[data-tact="guard-send"]').click();
    await page.waitForFunction(() => window.__posted.length > 0);
    await page.waitForTimeout(200);
    assert.deepEqual(await posted(page), [{ composer: "reply", text: `Bonjour Julie,\n${BAD_FR}` }]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the Commenter button is held like Enter", async () => {
    const { page } = await openWithTact(env.browser.context, FB_URL);
    await page.locator('[aria-label="Commenter en tant que Café Lumière"]').click();
    await page.keyboard.type("Quel idiot");
    await page.locator('[role="button"][aria-label="Commenter"]').nth(1).click();
    await page.locator('[data-tact="guard"]').waitFor();
    assert.deepEqual(await posted(page), []);
    await page.close();
  });
});

describe("suggestions and intern mode", () => {
  const SHOUTED = "Bonjour, VOUS DEVEZ PATIENTER COMME TOUT LE MONDE";
  const CALM = "Bonjour, Vous devez patienter comme tout le monde";

  test("X: applying a suggestion changes the Draft.js editor's own state", async () => {
    const { page, errors } = await openWithTact(env.browser.context, X_URL);
    await page.locator('[data-testid="tweetTextarea_0"]').click();
    await page.keyboard.type(SHOUTED);
    await page.keyboard.press("Control+Enter");
    await page.locator('[data-tact="guard"]').waitFor();
    await page.locator('[data-tact="finding-suggestion"]').click();
    await page.locator('[data-tact="guard"]').waitFor({ state: "detached" });
    await page.waitForFunction(() => document.querySelector("tact-overlay").shadowRoot
      .querySelector('[data-tact="badge"]').getAttribute("data-tact-verdict") === "pass");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => window.__posted.length === 1);
    assert.deepEqual(await posted(page), [{ composer: "inline", text: CALM }]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("Facebook: applying a suggestion changes the Lexical editor's own state", async () => {
    const { page } = await openWithTact(env.browser.context, FB_URL);
    await page.locator('[aria-label="Répondre à Julie Moreau"]').click();
    await page.keyboard.type(SHOUTED);
    await page.keyboard.press("Enter");
    await page.locator('[data-tact="finding-suggestion"]').click();
    await page.locator('[data-tact="guard"]').waitFor({ state: "detached" });
    // The replacement goes in one task after the editor is focused.
    await page.waitForFunction((calm) => document.querySelector('[aria-label="Répondre à Julie Moreau"]').textContent === calm, CALM);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => window.__posted.length === 1);
    assert.deepEqual(await posted(page), [{ composer: "reply", text: CALM }]);
    await page.close();
  });

  test("intern mode: send anyway stays disabled until a reason is written", async () => {
    await setSettings(env.browser.context, { mode: "intern" });
    try {
      const { page } = await openWithTact(env.browser.context, X_URL);
      await page.locator('[data-testid="tweetTextarea_0"]').click();
      await page.keyboard.type(BAD_FR);
      await page.locator('[data-testid="tweetButtonInline"]').click();
      await page.locator('[data-tact="guard"]').waitFor();
      assert.equal(await page.locator('[data-tact="guard"]').getAttribute("data-tact-verdict"), "block");
      const send = page.locator('[data-tact="guard-send"]');
      assert.equal(await send.isDisabled(), true);
      await send.click({ force: true });
      assert.deepEqual(await posted(page), [], "a disabled send-anyway does nothing");
      await page.locator('[data-tact="guard-reason"]').fill("Client insultant, validé par Camille");
      assert.equal(await send.isDisabled(), false);
      await send.click();
      await page.waitForFunction(() => window.__posted.length === 1);
      const last = (await events()).at(-1);
      assert.equal(last.severity, "block");
      assert.equal(last.mode, "intern");
      assert.equal(last.reason, "Client insultant, validé par Camille");
      await page.close();
    } finally {
      await setSettings(env.browser.context, {});
    }
  });
});
