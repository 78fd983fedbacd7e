// Bundles the fixture apps (real draft-js and lexical from npm) into tests/e2e/.build/.
// Run by ./build.sh before the browser tests; the bundles are never committed.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: ["x-app.js", "facebook-app.js"].map((f) => path.join(here, "fixtures", f)),
  outdir: path.join(here, ".build"),
  bundle: true,
  format: "iife",
  target: "chrome116",
  define: { "process.env.NODE_ENV": '"development"', global: "window" },
  logLevel: "warning",
});
console.log("fixture bundles built in tests/e2e/.build/");
