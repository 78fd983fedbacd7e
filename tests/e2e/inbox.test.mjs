// Quick-tag inbox end to end: tag buttons on the real captured tweets and on a French
// Facebook post and comment, tagging by mouse and by Alt+digit, X-style cell re-rendering,
// a quoted tweet, then the inbox page: items, CSV/JSON export, JSON import (and a corrupt
// file), and the stats view.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT, extensionWorker, extraPages, openWithTact, useBrowser } from "./harness.mjs";

const env = useBrowser();
const SHARED = process.env.TACT_SHARED_DATA ?? path.resolve(ROOT, "../shared/data");
const tweet = (name) => readFileSync(path.join(SHARED, "sites/x", name), "utf8");

const FEED = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home / X</title>
<link rel="stylesheet" href="/fixture/fixture.css"></head><body><main role="main">
<div aria-label="Timeline: Your Home Timeline">
<div data-testid="cellInnerDiv" id="cell-focused">${tweet("tweetyoink_x-tweet-sample.html")}</div>
<div data-testid="cellInnerDiv" id="cell-retweet">${tweet("tmh_timeline.html")}</div>
</div></main></body></html>`;

const FACEBOOK = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Facebook</title>
<link rel="stylesheet" href="/fixture/fixture.css"></head><body>
<div role="banner"><div role="article"><a href="https://www.facebook.com/ads/posts/1">Publicité</a></div></div>
<div role="main"><div role="feed"><div aria-posinset="1" aria-setsize="1">
  <div role="article" aria-labelledby="post-author-1" id="fb-post">
    <div data-ad-rendering-role="profile_name"><h4 id="post-author-1"><a href="https://www.facebook.com/cafelumiere?__tn__=-UC">Café Lumière</a></h4></div>
    <a href="https://www.facebook.com/cafelumiere/posts/pfbid02xYz123?__cft__[0]=AZ&amp;__tn__=%2CO%2CP-R" aria-label="2 h">2 h</a>
    <div data-ad-rendering-role="story_message"><div dir="auto">Notre nouvelle carte d'automne arrive demain <img alt="☕" src="data:,"> dans tous nos cafés</div></div>
    <div role="article" aria-label="Commentaire de Julie Moreau il y a 1 heure" id="fb-comment">
      <a href="https://www.facebook.com/julie.moreau.52?comment_id=Y29t&amp;__tn__=R">Julie Moreau</a>
      <div dir="auto">Ma commande n° 48213 n'est toujours pas arrivée !</div>
      <a href="https://www.facebook.com/cafelumiere/posts/pfbid02xYz123?comment_id=99887766&amp;__cft__[0]=AZ">1 h</a>
    </div>
  </div>
</div></div></div></body></html>`;

// The retweet with every link to its status removed: the pack finds no permalink.
const NO_LINK = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home / X</title>
<link rel="stylesheet" href="/fixture/fixture.css"></head><body><main role="main">
<div data-testid="cellInnerDiv" id="cell-nolink">${tweet("tmh_timeline.html").replace(/href="[^"]*\/status\/[^"]*"/g, 'href="#"')}</div>
</main></body></html>`;

const EMPTY = `<!doctype html><html><head><meta charset="utf-8"><title>X</title></head><body><main>Nothing here</main></body></html>`;

extraPages.set("x.com", new Map([["/home", FEED], ["/settings", EMPTY], ["/nolink", NO_LINK]]));
extraPages.set("www.facebook.com", new Map([["/cafelumiere/posts/pfbid02xYz123", FACEBOOK]]));

/** For each post, how many tag buttons belong to it. */
const buttonsPerPost = (page, selector) => page.evaluate((sel) => [...document.querySelectorAll(sel)].map((a) =>
  [...a.querySelectorAll('[data-tact="tag-button"]')].filter((b) => b.closest(sel) === a).length), selector);

/** The tags the post's own button shows (not those of a comment inside it). */
const tagsOn = (page, selector) => page.evaluate((sel) => {
  const post = document.querySelector(sel);
  const own = [...post?.querySelectorAll('[data-tact="tag-button"]') ?? []]
    .find((b) => b.closest('article, [role="article"]') === post);
  return own?.getAttribute("data-tact-tagged") ?? null;
}, selector);

async function waitTags(page, selector, expected) {
  for (let i = 0; i < 100; i++) {
    if ((await tagsOn(page, selector)) === expected) return;
    await page.waitForTimeout(100);
  }
  assert.equal(await tagsOn(page, selector), expected, `tags shown on ${selector}`);
}

async function inboxPage(context) {
  const worker = await extensionWorker(context);
  const id = new URL(worker.url()).host;
  const page = await context.newPage();
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto(`chrome-extension://${id}/inbox.html`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

/** The inbox page's items as the CM sees them. */
const items = (page) => page.$$eval('[data-tact="inbox-item"]', (lis) => lis.map((li) => ({
  id: li.dataset.id,
  name: li.querySelector(".name").textContent,
  handle: li.querySelector(".handle").textContent,
  permalink: li.querySelector("a.permalink").href,
  text: li.querySelector(".text").textContent,
  time: li.querySelector("time").getAttribute("datetime") || null,
  tags: [...li.querySelectorAll(".chip")].map((c) => c.dataset.tag),
  status: li.dataset.status,
})));

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return readFileSync(await file.path(), "utf8");
}

const FOCUSED = "#cell-focused article";
const RETWEET = "#cell-retweet article";

describe("quick-tag inbox", () => {
  test("X: one button per tweet, tagging by mouse and Alt+digit, re-rendered cells", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://x.com/home");
    const ARTICLE = 'article[data-testid="tweet"]';
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} [data-tact="tag-button"]`).length === 2, ARTICLE);
    assert.deepEqual(await buttonsPerPost(page, ARTICLE), [1, 1]);
    // The retweet with the mouse: button, then the menu entry.
    await page.locator(`${RETWEET} [data-tact="tag-button"]`).click();
    const entry = page.locator('[data-tact="tag-menu"] [data-tact-tag="complaint"]');
    await entry.waitFor();
    assert.equal(await page.locator('[data-tact="tag-menu"] [data-tact-tag]').count(), 8, "the default tags");
    await entry.click();
    await waitTags(page, RETWEET, "complaint");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator('[data-tact="tag-menu"]').count(), 0);
    // The focused tweet with the keyboard, as X's j/k leaves it focused.
    await page.focus(FOCUSED);
    await page.keyboard.press("Alt+2");
    await waitTags(page, FOCUSED, "question");

    // X recycles cells: fresh nodes for the same tweets, cells detached and put back.
    await page.evaluate(() => {
      for (const cell of document.querySelectorAll('[data-testid="cellInnerDiv"]')) {
        const copy = cell.cloneNode(true);
        copy.querySelectorAll("tact-tag").forEach((b) => b.remove());
        cell.replaceChildren(...copy.childNodes);
      }
      const timeline = document.querySelector('[aria-label^="Timeline"]');
      const first = timeline.firstElementChild;
      first.remove();
      timeline.append(first);
      // A copy that carries our button without its shadow root, as a naive clone would.
      const retweet = document.querySelector("#cell-retweet");
      retweet.replaceChildren(...retweet.cloneNode(true).childNodes);
    });
    await waitTags(page, RETWEET, "complaint");
    await waitTags(page, FOCUSED, "question");
    assert.deepEqual(await buttonsPerPost(page, ARTICLE), [1, 1]);
    // Tagging again after the re-render updates the same item.
    await page.focus(RETWEET);
    await page.keyboard.press("Alt+5");
    await waitTags(page, RETWEET, "complaint crisis");
    assert.deepEqual(errors, []);
    await page.close();

    const inbox = await inboxPage(env.browser.context);
    const list = await items(inbox);
    assert.equal(list.length, 2, JSON.stringify(list));
    const byId = Object.fromEntries(list.map((it) => [it.id, it]));
    assert.deepEqual(byId["x:1852311426666537322"], {
      id: "x:1852311426666537322", name: "birdman🦊", handle: "@birdman46049238",
      permalink: "https://x.com/birdman46049238/status/1852311426666537322", text: "🦊🦊",
      time: "2024-11-01T11:27:13.000Z", tags: ["complaint", "crisis"], status: "open",
    });
    assert.deepEqual(byId["x:1981398750557065646"], {
      id: "x:1981398750557065646", name: "Test User Account", handle: "@TestUser123",
      permalink: "https://x.com/TestUser123/status/1981398750557065646",
      text: "Democrat Shutdown Jeopardizes America's Skies",
      time: "2025-10-23T16:34:09.000Z", tags: ["question"], status: "open",
    });
    await inbox.close();
  });

  test("X: tagging a tweet that quotes another captures the outer tweet", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://x.com/home");
    await page.waitForFunction(() => document.querySelectorAll('[data-tact="tag-button"]').length === 2);
    // Build the quote from the retweet's real author block, time link and text, and put
    // it between the focused tweet's text and its own time link, as X does.
    await page.evaluate(() => {
      const source = document.querySelector("#cell-retweet article");
      const quote = document.createElement("div");
      quote.setAttribute("role", "link");
      quote.tabIndex = 0;
      quote.append(source.querySelector('[data-testid="User-Name"]').cloneNode(true),
        source.querySelector('[data-testid="tweetText"]').cloneNode(true));
      document.querySelector("#cell-retweet").remove();
      const text = document.querySelector('#cell-focused [data-testid="tweetText"]');
      text.after(quote);
    });
    await page.focus(FOCUSED);
    await page.keyboard.press("Alt+3");
    await waitTags(page, FOCUSED, "question lead");
    assert.deepEqual(errors, []);
    await page.close();
    const inbox = await inboxPage(env.browser.context);
    const list = await items(inbox);
    assert.equal(list.length, 2, "no item for the quoted tweet");
    const outer = list.find((it) => it.id === "x:1981398750557065646");
    assert.equal(outer.handle, "@TestUser123");
    assert.equal(outer.text, "Democrat Shutdown Jeopardizes America's Skies");
    assert.deepEqual(outer.tags, ["question", "lead"]);
    assert.deepEqual(list.find((it) => it.id !== outer.id).tags, ["complaint", "crisis"]);
    await inbox.close();
  });

  test("a page where the pack finds no post gets no button and no error", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://x.com/settings");
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-tact="tag-button"]').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("Facebook: a post and a comment (French labels) are tagged", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://www.facebook.com/cafelumiere/posts/pfbid02xYz123");
    const POSTS = 'div[role="article"]';
    await page.waitForFunction(() => document.querySelectorAll('[data-tact="tag-button"]').length === 2);
    assert.deepEqual(await buttonsPerPost(page, POSTS), [0, 1, 1], "none in the banner, one per post and comment");
    const postButton = page.locator('#fb-post > [data-tact="tag-button"]');
    await postButton.click();
    await page.locator('[data-tact="tag-menu"] [data-tact-tag="lead"]').click();
    await waitTags(page, "#fb-post", "lead");
    await page.keyboard.press("Escape");
    await page.focus('#fb-comment > [data-tact="tag-button"]');
    await page.keyboard.press("Alt+1");
    await waitTags(page, "#fb-comment", "complaint");
    assert.equal(await tagsOn(page, "#fb-post"), "lead", "the comment's tag stays on the comment");
    assert.deepEqual(errors, []);
    await page.close();

    const inbox = await inboxPage(env.browser.context);
    const list = await items(inbox);
    assert.equal(list.length, 4);
    const post = list.find((it) => it.permalink === "https://www.facebook.com/cafelumiere/posts/pfbid02xYz123");
    assert.ok(post, JSON.stringify(list));
    assert.equal(post.name, "Café Lumière");
    assert.equal(post.handle, "@cafelumiere");
    assert.equal(post.text, "Notre nouvelle carte d'automne arrive demain ☕ dans tous nos cafés");
    assert.deepEqual(post.tags, ["lead"]);
    const comment = list.find((it) => it.permalink.includes("comment_id=99887766"));
    assert.ok(comment, JSON.stringify(list));
    assert.equal(comment.name, "Julie Moreau");
    assert.equal(comment.text, "Ma commande n° 48213 n'est toujours pas arrivée !");
    assert.deepEqual(comment.tags, ["complaint"]);
    await inbox.close();
  });

  test("inbox page: CSV and JSON export, JSON import round trip, corrupt file, stats", async () => {
    const inbox = await inboxPage(env.browser.context);
    assert.equal((await items(inbox)).length, 4);
    // One item done, with a note.
    const first = inbox.locator('[data-tact="inbox-item"]').first();
    await first.locator("textarea").fill("Rappeler demain, ça urge");
    await first.locator("textarea").blur();
    await inbox.waitForFunction(() => document.getElementById("message").textContent !== "");
    await first.locator('button[data-action="status"]').click();
    await inbox.waitForSelector('[data-tact="inbox-item"][data-status="done"]');
    // Search is the core's: accents and case folded.
    await inbox.fill("#f-query", "ARRIVEE");
    await inbox.waitForFunction(() => document.querySelectorAll('[data-tact="inbox-item"]').length === 1);
    await inbox.fill("#f-query", "");
    await inbox.waitForFunction(() => document.querySelectorAll('[data-tact="inbox-item"]').length === 4);

    const csv = await download(inbox, "#export-csv");
    assert.ok(csv.startsWith("\uFEFFid,network,permalink,author_handle,author_name,text,posted_at,captured_at,captured_by,tags,status,note\r\n"));
    assert.equal(csv.trimEnd().split("\r\n").length, 5, "header and four rows");
    assert.match(csv, /"?Rappeler demain, ça urge"?/);
    const json = await download(inbox, "#export-json");
    const before = await items(inbox);

    // Empty the inbox, then bring everything back from the JSON file.
    await inbox.check("#select-all");
    await inbox.click("#bulk-delete");
    await inbox.waitForFunction(() => document.querySelectorAll('[data-tact="inbox-item"]').length === 0);
    await inbox.setInputFiles("#import-file", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"format":"tact-inbox","version":1,"items":[{') });
    await inbox.waitForFunction(() => document.getElementById("message").className === "error");
    assert.match(await inbox.textContent("#message"), /broken\.json.*line 1/);
    assert.equal(await inbox.locator('[data-tact="inbox-item"]').count(), 0, "a corrupt file changes nothing");
    await inbox.setInputFiles("#import-file", { name: "export.json", mimeType: "application/json", buffer: Buffer.from(json) });
    await inbox.waitForFunction(() => document.querySelectorAll('[data-tact="inbox-item"]').length === 4);
    assert.deepEqual(await items(inbox), before);
    assert.equal(await download(inbox, "#export-csv"), csv, "CSV after the round trip is identical");
    // Importing the same file again adds nothing.
    await inbox.setInputFiles("#import-file", { name: "export.json", mimeType: "application/json", buffer: Buffer.from(json) });
    await inbox.waitForFunction(() => /0 new|0 nouveaux/.test(document.getElementById("message").textContent));
    assert.equal(await inbox.locator('[data-tact="inbox-item"]').count(), 4);

    await inbox.click("#tab-stats");
    await inbox.waitForFunction(() => document.querySelector('[data-tact="stat-total"]').textContent === "4");
    assert.equal(await inbox.textContent('[data-tact="stat-open"]'), "3");
    assert.equal(await inbox.textContent('[data-tact="stat-done"]'), "1");
    const perTag = await inbox.$$eval("#per-tag li", (lis) => Object.fromEntries(lis.map((li) => [li.dataset.tag, li.textContent])));
    assert.equal(perTag.complaint, "Complaint: 2");
    assert.equal(perTag.lead, "Lead: 2");
    await inbox.waitForFunction(() => document.getElementById("chart").naturalWidth > 0);
    const svg = await download(inbox, "#chart-svg");
    assert.ok(svg.startsWith("<svg") && svg.includes("Complaint"), svg.slice(0, 200));

    // Every change went to the sync queue too.
    const worker = await extensionWorker(env.browser.context);
    const outbox = await worker.evaluate(async () => (await chrome.storage.local.get("inbox:outbox"))["inbox:outbox"]);
    assert.ok(outbox.some((q) => q.change.field === "tag" && q.change.tag === "crisis" && q.change.present));
    assert.ok(outbox.some((q) => q.change.field === "status" && q.change.status === "done"));
    await inbox.close();
  });

  test("X: a tweet without a permalink is captured with the page address and a visible warning", async () => {
    const { page, errors } = await openWithTact(env.browser.context, "https://x.com/nolink");
    await page.waitForFunction(() => document.querySelectorAll('[data-tact="tag-button"]').length === 1);
    await page.focus("#cell-nolink article");
    await page.keyboard.press("Alt+1");
    await waitTags(page, "#cell-nolink article", "complaint");
    const notice = page.locator('[data-tact="tag-notice"]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /no permalink.*https:\/\/x\.com\/nolink/);
    assert.deepEqual(errors, []);
    await page.close();
    const inbox = await inboxPage(env.browser.context);
    const item = (await items(inbox)).find((it) => it.permalink === "https://x.com/nolink");
    assert.ok(item, "captured under the page address");
    assert.equal(item.handle, "@birdman46049238");
    assert.deepEqual(item.tags, ["complaint"]);
    await inbox.close();
  });

  test("a full browser storage gives a visible message and saves nothing", async () => {
    const worker = await extensionWorker(env.browser.context);
    await worker.evaluate(() => {
      const area = chrome.storage.local;
      globalThis.__tactRealSet = area.set;
      area.set = () => Promise.reject(new Error("QUOTA_BYTES quota exceeded"));
    });
    try {
      const { page, errors } = await openWithTact(env.browser.context, "https://x.com/nolink");
      await page.waitForFunction(() => document.querySelectorAll('[data-tact="tag-button"]').length === 1);
      await page.focus("#cell-nolink article");
      await page.keyboard.press("Alt+2");
      const notice = page.locator('[data-tact="tag-notice"]', { hasText: "storage is full" });
      await notice.waitFor();
      assert.match(await notice.textContent(), /nothing was saved/);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await worker.evaluate(() => { chrome.storage.local.set = globalThis.__tactRealSet; });
    }
    const inbox = await inboxPage(env.browser.context);
    const item = (await items(inbox)).find((it) => it.permalink === "https://x.com/nolink");
    assert.deepEqual(item.tags, ["complaint"], "the refused tag was not kept");
    await inbox.close();
  });
});
