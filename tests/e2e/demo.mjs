// ./build.sh demo: the fixture pages served as x.com and www.facebook.com, with the built
// extension loaded. With a display, Chromium opens for you to try; without one, it runs
// headless, types a few drafts and saves screenshots under dist/demo/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ROOT, launch, openWithTact, startServer } from "./harness.mjs";

const headed = Boolean(process.env.DISPLAY);
const out = path.join(ROOT, "dist/demo");
mkdirSync(out, { recursive: true });
const server = await startServer();
const browser = await launch(server.port, { headed });
const pages = [
  ["x", "https://x.com/TestUser123/status/1", '[data-testid="tweetTextarea_0"]', "Merci pour votre message ! Vous êtes des imbéciles"],
  ["facebook", "https://www.facebook.com/cafelumiere/posts/pfbid02xYz123", '[aria-label="Répondre à Julie Moreau"]', "Bonjour Julie, nous regardons votre commande tout de suite."],
];
for (const [name, url, editor, draft] of pages) {
  const { page } = await openWithTact(browser.context, url);
  await page.locator(editor).click();
  await page.keyboard.type(draft);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`${name}: ${url} -> dist/demo/${name}.png`);
}
if (headed) {
  console.log("Chromium is open on the demo pages; press Ctrl+C to stop.");
  await new Promise((resolve) => process.on("SIGINT", resolve));
}
await browser.close();
await server.close();
