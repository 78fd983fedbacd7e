// Inbox page, team sync status line: what the worker (sync.js) last wrote under
// "sync:status" — last sync, changes waiting, the error if any. Opening or focusing the
// page asks the worker for a pull, so teammates' changes show up (inbox.js redraws the
// list when the items in storage change).
const STATUS = "sync:status";
const line = document.querySelector('[data-tact="sync-status"]');
const t = (key, ...args) => chrome.i18n.getMessage(key, args) || key;

function show(status) {
  line.className = status?.error ? "error" : "";
  line.dataset.pending = String(status?.pending ?? "");
  line.dataset.lastSync = String(status?.last_sync_ms ?? "");
  if (!status?.configured) {
    line.textContent = t("syncOff");
  } else if (status.error) {
    line.textContent = t("syncError", status.error);
  } else if (status.last_sync_ms == null) {
    line.textContent = t("syncNever");
  } else {
    line.textContent = t("syncLast", new Date(status.last_sync_ms).toLocaleString(), String(status.pending));
  }
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes[STATUS]) show(changes[STATUS].newValue);
});
const pull = () => chrome.runtime.sendMessage({ type: "tact-sync", op: "focus" }).catch(() => {});
window.addEventListener("focus", pull);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") pull();
});
show((await chrome.storage.local.get(STATUS))[STATUS]);
pull();
