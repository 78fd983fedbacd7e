// Tact content script: bootstrap only. It loads the Rust/wasm module, hands it the stored
// settings and a way to send audit events to the background worker; every decision and
// every overlay lives in the module (src/web/).
(async () => {
  const url = (path) => chrome.runtime.getURL(path);
  const began = performance.now();
  try {
    const [tact, stored] = await Promise.all([
      import(url("pkg/tact.js")),
      chrome.storage.local.get("settings"),
    ]);
    await tact.default({ module_or_path: url("pkg/tact_bg.wasm") });
    // The reply module (suggestions) is loaded the first time the page asks, when idle.
    let replies = null;
    let loading = null;
    const host = {
      replies: {
        load(templates, file) {
          loading ??= import(url("pkg/tact_replies.js")).then(async (module) => {
            await module.default({ module_or_path: url("pkg/tact_replies_bg.wasm") });
            const warning = module.replies_learn(templates, file);
            if (warning) console.warn(`Tact: the reply templates could not be loaded (${warning}); using the built-in ones`);
            replies = module;
          });
          return loading;
        },
        suggest: (...args) => (replies ? replies.replies_suggest(...args) : null),
      },
      emit: (json) => chrome.runtime.sendMessage({ type: "tact-event", event: JSON.parse(json) }).catch(() => {}),
      inbox: (json) => chrome.runtime.sendMessage({ type: "tact-inbox", request: json }),
    };
    if (tact.start(JSON.stringify(stored.settings ?? {}), host)) {
      // Start-up cost (module load, wasm instantiation, engine build), for the benchmark.
      const ms = (performance.now() - began).toFixed(2);
      document.querySelector("tact-overlay")?.setAttribute("data-tact-startup-ms", ms);
    }
  } catch (error) {
    console.error("Tact could not start on this page:", error);
  }
  // Coming back to the site: the worker pulls the team's changes (throttled there).
  window.addEventListener("focus", () => chrome.runtime.sendMessage({ type: "tact-sync", op: "focus" }).catch(() => {}));
})();
