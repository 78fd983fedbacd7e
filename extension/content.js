// Tact content script: bootstrap only. It loads the Rust/wasm module and hands over to it;
// every decision and every overlay lives in the module (src/web/).
(async () => {
  const url = (path) => chrome.runtime.getURL(path);
  try {
    const tact = await import(url("pkg/tact.js"));
    await tact.default({ module_or_path: url("pkg/tact_bg.wasm") });
    tact.start();
  } catch (error) {
    console.error("Tact could not start on this page:", error);
  }
})();
