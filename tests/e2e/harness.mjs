// The browser harness: a local HTTPS server that answers as x.com and www.facebook.com, and
// Debian's Chromium with the shipped dist/extension loaded, resolving those hosts to it.
import { chromium } from "playwright-core";
import { after, before } from "node:test";
import { execFileSync } from "node:child_process";
import { createServer } from "node:https";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "../..");
export const EXTENSION = path.join(ROOT, "dist/extension");
const SHARED = process.env.TACT_SHARED_DATA ?? path.resolve(ROOT, "../shared/data");
const FIXTURES = path.join(here, "fixtures");
const BUNDLES = path.join(here, ".build");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** A throwaway self-signed certificate for the fixture hosts, made fresh for each run. */
function certificate(dir) {
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
    "-subj", "/CN=tact-fixtures", "-addext", "subjectAltName=DNS:x.com,DNS:twitter.com,DNS:www.facebook.com",
    "-keyout", key, "-out", cert], { stdio: "ignore" });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * The page for a host: fixture HTML with captured markup spliced in at <!--tweet:FILE--> marks.
 * `edit(name, markup)` may rewrite a capture first (a fixture tweet made from real markup).
 */
export function fixturePage(file, edit = (name, markup) => markup) {
  const html = readFileSync(path.join(FIXTURES, file), "utf8");
  return html.replace(/<!--tweet:([\w.-]+)-->/g, (_, name) => edit(name, readFileSync(path.join(SHARED, "sites/x", name), "utf8")));
}

const PAGES = { "x.com": "x.html", "twitter.com": "x.html", "www.facebook.com": "facebook.html" };

/** Extra pages a test can register: host -> path -> html. */
export const extraPages = new Map();

export async function startServer() {
  if (!existsSync(path.join(SHARED, "sites/x"))) {
    throw new Error(`captured markup not found under ${SHARED}; set TACT_SHARED_DATA to the shared data folder`);
  }
  for (const bundle of ["x-app.js", "facebook-app.js"]) {
    if (!existsSync(path.join(BUNDLES, bundle))) throw new Error(`missing ${bundle}: run node tests/e2e/build-fixtures.mjs`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "tact-cert-"));
  const server = createServer(certificate(dir), (req, res) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    const url = new URL(req.url, `https://${host}`);
    try {
      let body;
      let type = TYPES[".html"];
      if (url.pathname.startsWith("/fixture/")) {
        const name = path.basename(url.pathname);
        const file = existsSync(path.join(BUNDLES, name)) ? path.join(BUNDLES, name) : path.join(FIXTURES, name);
        body = readFileSync(file);
        type = TYPES[path.extname(name)] ?? "application/octet-stream";
      } else if (extraPages.get(host)?.has(url.pathname)) {
        body = extraPages.get(host).get(url.pathname);
      } else if (PAGES[host] && !url.pathname.endsWith(".ico")) {
        body = fixturePage(PAGES[host]);
      } else {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { port, close: () => new Promise((resolve) => { server.close(resolve); rmSync(dir, { recursive: true, force: true }); }) };
}

/** Chromium with the shipped extension, mapping the real host names to the fixture server. */
export async function launch(port, { locale = "en-US", headed = false, extension = EXTENSION } = {}) {
  if (!existsSync(path.join(extension, "manifest.json"))) throw new Error(`${extension} is missing: run ./build.sh first`);
  const userDataDir = mkdtempSync(path.join(tmpdir(), "tact-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    ignoreHTTPSErrors: true,
    locale,
    viewport: { width: 1100, height: 900 },
    args: [
      ...(headed ? [] : ["--headless=new"]),
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--ignore-certificate-errors",
      `--host-resolver-rules=MAP x.com 127.0.0.1:${port}, MAP twitter.com 127.0.0.1:${port}, MAP www.facebook.com 127.0.0.1:${port}`,
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
    ],
  });
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

/** Opens `url` and waits until Tact's overlay root is in the page (the wasm started). */
export async function openWithTact(context, url) {
  const page = await context.newPage();
  const errors = [];
  // Captured markup links to images on X's CDN, which this offline machine cannot reach:
  // resource-load failures are fixture noise, anything else is an error.
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) errors.push(msg.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url);
  try {
    await page.waitForSelector("tact-overlay[data-tact=root]", { state: "attached", timeout: 15000 });
  } catch (error) {
    throw new Error(`Tact did not start on ${url}; page errors: ${errors.join(" | ") || "none"}`);
  }
  return { page, errors };
}

/** What the page's own post handler received. */
export const posted = (page) => page.evaluate(() => window.__posted);

/** The extension's service worker (it owns chrome.storage). */
export async function extensionWorker(context) {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
}

/** Stores Tact's settings as the options page would. */
export async function setSettings(context, settings) {
  const worker = await extensionWorker(context);
  await worker.evaluate((value) => chrome.storage.local.set({ settings: value }), settings);
}

/**
 * Starts the fixture server and Chromium with the extension before a test file's tests and
 * stops both after them; the returned object holds `browser` ({ context, close }).
 * `options` go to `launch` (e.g. another `extension` folder).
 */
export function useBrowser(options = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launch(env.server.port, options);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
