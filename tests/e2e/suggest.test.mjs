// Reply suggestions on the real editors: focusing the reply box under a comment shows the
// best replies filled in; Alt+1 or a click puts one into the editor, and the page's own post
// handler receives exactly that text, line breaks included.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { extensionWorker, extraPages, fixturePage, openWithTact, posted, setSettings, useBrowser } from "./harness.mjs";

const env = useBrowser();

const CAPTURE = "tweetyoink_x-tweet-sample.html";
const LATE_ORDER = "Ordered a desk lamp from you on the 2nd (order #58217) and it still hasn't arrived. "
  + "Tracking hasn't moved in 9 days. Where is my order?";

/** Replaces every `from` in captured markup, failing loudly if the capture no longer has it. */
function swap(html, from, to) {
  assert.ok(html.includes(from), `the captured tweet no longer holds "${from}"`);
  return html.split(from).join(to);
}

/** Cuts the <div> whose opening tag holds `marker` (with everything inside it). */
function cutDiv(html, marker) {
  const at = html.indexOf(marker);
  assert.ok(at >= 0, `the captured tweet no longer holds ${marker}`);
  const start = html.lastIndexOf("<div", at);
  const tags = /<div\b|<\/div>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[0] === "</div>" ? -1 : 1;
    if (depth === 0) return html.slice(0, start) + html.slice(m.index + m[0].length);
  }
  throw new Error(`unbalanced markup around ${marker}`);
}

/**
 * The captured focused tweet, kept in X's real markup, rewritten as a customer complaining
 * about a late order: another author and handle, another text, no link card.
 */
function lateOrderTweet(name, markup) {
  if (name !== CAPTURE) return markup;
  let html = cutDiv(markup, 'data-testid="card.wrapper"');
  html = swap(html, "Test User Account", "Sam Carter");
  html = swap(html, "TestUser123", "samcarter_io");
  return swap(html, "Democrat Shutdown Jeopardizes America's Skies", LATE_ORDER);
}

const LATE_URL = "https://x.com/samcarter_io/status/2";
extraPages.set("x.com", new Map([[new URL(LATE_URL).pathname, fixturePage("x.html", lateOrderTweet)]]));

const X_URL = "https://x.com/TestUser123/status/1";
const FB_URL = "https://www.facebook.com/cafelumiere/posts/pfbid02xYz123";
const SETTINGS = { brand: "Café Lumière", agent: "Camille" };

/** Settings for one test, then the defaults again. */
async function withSettings(settings, run) {
  await setSettings(env.browser.context, settings);
  try {
    await run();
  } finally {
    await setSettings(env.browser.context, {});
  }
}

/** The first suggestion's template, intent and full text, once the box is drawn. */
async function firstSuggestion(page) {
  const box = page.locator('[data-tact="suggestions"]');
  const first = page.locator('[data-tact="suggestion"]').first();
  await first.waitFor();
  return {
    intent: await box.getAttribute("data-tact-intent"),
    template: await first.getAttribute("data-tact-template"),
    verdict: await first.getAttribute("data-tact-verdict"),
    text: await first.locator(".text").textContent(),
    count: await page.locator('[data-tact="suggestion"]').count(),
  };
}

/**
 * Focuses the reply box under a late-order comment: the first suggestion must be an
 * order_status reply in `lang` greeting `author` and signed on its own line; Alt+1 puts it
 * into the editor and `sendKey` makes the page post exactly that text.
 */
async function lateOrderRoundTrip({ url, editor, lang, author, sendKey, composer }) {
  await withSettings(SETTINGS, async () => {
    const { page, errors } = await openWithTact(env.browser.context, url);
    await page.locator(editor).click();
    const first = await firstSuggestion(page);
    assert.equal(first.intent, "order_status");
    assert.match(first.template, new RegExp(`^order-.*-${lang}$`));
    assert.ok(first.count >= 1 && first.count <= 3, `${first.count} suggestions`);
    const greeting = lang === "fr" ? "(Bonjour|Bonsoir)" : "(Hello|Good morning|Good evening)";
    assert.match(first.text, new RegExp(`^${greeting} ${author}\\b`));
    assert.ok(first.text.endsWith("\nCamille"), `signed on its own line: ${JSON.stringify(first.text)}`);
    assert.equal(first.verdict, "pass");
    assert.equal(await page.locator('[data-tact="suggestions"]').getAttribute("lang"), lang);

    await page.keyboard.press("Alt+1");
    await page.locator('[data-tact="suggestions"]').waitFor({ state: "detached" });
    await page.waitForFunction(([selector, text]) => document.querySelector(selector).innerText.trim() === text.trim(), [editor, first.text]);
    await page.keyboard.press(sendKey);
    await page.waitForFunction(() => window.__posted.length > 0);
    await page.waitForTimeout(200);
    assert.deepEqual(await posted(page), [{ composer, text: first.text }], "posted exactly once, line breaks kept");
    assert.equal(await page.locator('[data-tact="guard"]').count(), 0, "a passing reply is not held");
    assert.deepEqual(errors, []);
    await page.close();
  });
}

describe("reply suggestions on X (Draft.js)", () => {
  test("a late-order tweet gets order_status replies with the author's name; Alt+1 posts exactly that text", async () => {
    await lateOrderRoundTrip({
      url: LATE_URL, editor: '[data-testid="tweetTextarea_0"]', lang: "en", author: "Sam Carter",
      sendKey: "Control+Enter", composer: "inline",
    });
  });

  test("the team's templates replace the built-in ones; a click inserts and blank lines survive", async () => {
    const templates = [
      "[[template]]",
      'id = "late-parcel"',
      'intents = ["order_status"]',
      'lang = "en"',
      'text = """{greeting} {author},\n\nSo sorry your parcel is late. Could you DM us your order number?\n\n{agent} for {brand}"""',
      'examples = ["my order still has not arrived", "where is my parcel", "tracking has not moved for a week"]',
      "",
      "[[template]]",
      'id = "thanks"',
      'intents = ["praise"]',
      'lang = "en"',
      'text = "Thank you {author}!"',
      'examples = ["love your shop", "great service, thanks"]',
    ].join("\n");
    await withSettings({ ...SETTINGS, templates }, async () => {
      const { page, errors } = await openWithTact(env.browser.context, LATE_URL);
      await page.locator('[data-testid="tweetTextarea_0"]').click();
      const first = await firstSuggestion(page);
      assert.equal(first.template, "late-parcel");
      assert.match(first.text, /^\w[\w ]* Sam Carter,\n\nSo sorry your parcel is late\. Could you DM us your order number\?\n\nCamille for Café Lumière$/);

      await page.locator('[data-tact="suggestion"]').first().click();
      await page.locator('[data-tact="suggestions"]').waitFor({ state: "detached" });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tweetTextarea_0"] [data-block="true"]').length === 5);
      await page.locator('[data-testid="tweetButtonInline"]').click();
      await page.waitForFunction(() => window.__posted.length > 0);
      assert.deepEqual(await posted(page), [{ composer: "inline", text: first.text }]);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });

  test("a tweet that fits no template gets no suggestion", async () => {
    const { page, errors } = await openWithTact(env.browser.context, X_URL);
    await page.locator('[data-testid="tweetTextarea_0"]').click();
    const box = page.locator('[data-tact="suggestions"]');
    await box.waitFor();
    assert.equal(await box.getAttribute("data-tact-state"), "empty");
    assert.equal(await page.locator('[data-tact="suggestion"]').count(), 0);
    await page.keyboard.type("Thanks for sharing.");
    await box.waitFor({ state: "detached" });
    assert.equal(await page.locator('[data-testid="tweetTextarea_0"]').innerText(), "Thanks for sharing.");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("reply suggestions on Facebook (Lexical)", () => {
  test("a French late-order comment gets French order_status replies; Alt+1 then Enter posts exactly that text", async () => {
    await lateOrderRoundTrip({
      url: FB_URL, editor: '[aria-label="Répondre à Julie Moreau"]', lang: "fr", author: "Julie Moreau",
      sendKey: "Enter", composer: "reply",
    });
  });

  test("Escape closes the box and typing never brings it back", async () => {
    const { page } = await openWithTact(env.browser.context, FB_URL);
    await page.locator('[aria-label="Répondre à Julie Moreau"]').click();
    await page.locator('[data-tact="suggestion"]').first().waitFor();
    await page.keyboard.press("Escape");
    await page.locator('[data-tact="suggestions"]').waitFor({ state: "detached" });
    await page.keyboard.type("Bonjour Julie");
    assert.equal(await page.locator('[data-tact="suggestions"]').count(), 0);
    assert.equal(await page.locator('[aria-label="Répondre à Julie Moreau"]').innerText(), "Bonjour Julie");
    await page.close();
  });
});

describe("reply settings in the options page", () => {
  test("brand, signature and the team's templates are saved; templates that do not load are refused with their line", async () => {
    const worker = await extensionWorker(env.browser.context);
    const page = await env.browser.context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`chrome-extension://${new URL(worker.url()).host}/options.html`);
    const source = page.locator("#templates-source");
    const status = page.locator("#templates-status");
    await source.fill('[[template]]\nid = "hi"\nintents = ["praise"]\nlang = "en"\ntext = "Thanks {nom}!"\nexamples = ["love it"]\n');
    await page.waitForFunction(() => document.getElementById("templates-status").className === "error");
    assert.match(await status.textContent(), /templates\.toml:5:/, "the error names line 5");
    assert.match(await status.textContent(), /nom/);
    await page.locator("#save").click();
    const refused = await worker.evaluate(async () => (await chrome.storage.local.get("settings")).settings);
    assert.equal(refused?.templates ?? null, null, "templates that do not load are not saved");

    const good = '[[template]]\nid = "hi"\nintents = ["praise"]\nlang = "en"\ntext = "Thanks {author}!\\n{agent}"\nexamples = ["love it"]\n';
    await source.fill(good);
    await page.waitForFunction(() => document.getElementById("templates-status").className === "ok");
    await page.locator("#reply-brand").fill("Café Lumière");
    await page.locator("#reply-agent").fill("Camille");
    await page.locator("#save").click();
    await page.waitForFunction(() => document.getElementById("saved").textContent.length > 0);
    try {
      const saved = await worker.evaluate(async () => (await chrome.storage.local.get("settings")).settings);
      assert.equal(saved.templates, good);
      assert.equal(saved.brand, "Café Lumière");
      assert.equal(saved.agent, "Camille");
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await setSettings(env.browser.context, {});
    }
  });
});
