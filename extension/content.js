// Tact content script: bootstrap only. It loads the Rust/wasm module, hands it the stored
// settings and a way to send audit events to the background worker; every decision and
// every overlay lives in the module (src/web/).
(async () => {
  const url = (path) => chrome.runtime.getURL(path);
  try {
    const [tact, stored] = await Promise.all([
      import(url("pkg/tact.js")),
      chrome.storage.local.get("settings"),
    ]);
    await tact.default({ module_or_path: url("pkg/tact_bg.wasm") });
    const host = {
      emit: (json) => chrome.runtime.sendMessage({ type: "tact-event", event: JSON.parse(json) }).catch(() => {}),
    };
    tact.start(JSON.stringify(stored.settings ?? {}), host);
  } catch (error) {
    console.error("Tact could not start on this page:", error);
  }
})();
