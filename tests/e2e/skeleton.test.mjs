// Walking skeleton: the shipped extension loads, the wasm starts on both sites, and typing
// into each real editor (Draft.js on X, Lexical on Facebook) updates the badge.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openWithTact, useBrowser } from "./harness.mjs";

const env = useBrowser();

async function badgeFor(page) {
  const badge = page.locator('[data-tact="badge"]').first();
  await badge.waitFor({ state: "attached" });
  return badge;
}

describe("walking skeleton", () => {
  test("X: the Draft.js composer gets a badge that follows the draft", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://x.com/TestUser123/status/1");
    const editor = page.locator('[data-testid="tweetTextarea_0"]');
    await editor.click();
    const badge = await badgeFor(page);
    assert.equal(await badge.getAttribute("data-tact-verdict"), "pass");
    await page.keyboard.type("Merci pour votre retour, ");
    assert.equal(await badge.getAttribute("data-tact-verdict"), "pass");
    await page.keyboard.type("vous êtes des imbéciles");
    await page.waitForFunction(() => document.querySelector("tact-overlay")?.shadowRoot
      ?.querySelector('[data-tact="badge"]')?.getAttribute("data-tact-verdict") === "warn");
    assert.equal(await badge.textContent(), "1");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("Facebook: the Lexical comment box (French aria-label) gets a badge that follows the draft", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://www.facebook.com/cafelumiere/posts/pfbid02xYz123");
    const editor = page.locator('[aria-label="Répondre à Julie Moreau"]');
    await editor.click();
    assert.equal(await editor.getAttribute("data-lexical-editor"), "true", "the real Lexical editor is mounted");
    assert.equal(await page.locator('[data-tact="badge"]').count(), 2, "one badge per comment box");
    await page.keyboard.type("Bonjour Julie, quel idiot ce livreur");
    await page.waitForFunction(() => [...document.querySelector("tact-overlay").shadowRoot
      .querySelectorAll('[data-tact="badge"]')].some((b) => b.getAttribute("data-tact-verdict") === "warn"));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
