// Options page, team store section: the store's address and the member's token. Saving
// asks for the host permission of that one origin at that moment (nothing is granted at
// install: optional_host_permissions), then tells the worker (sync.js) to sync at once.
const $ = (id) => document.getElementById(id);
const t = (key, ...args) => chrome.i18n.getMessage(key, args) || key;
const SETTINGS = "sync:settings";

/** The origin pattern to ask for, or null when the address is not one Tact may use. */
function originPattern(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const local = url.protocol === "http:" && ["localhost", "127.0.0.1"].includes(url.hostname);
  return url.protocol === "https:" || local ? `${url.protocol}//${url.hostname}/*` : null;
}

function say(text, error = false) {
  $("sync-result").textContent = text;
  $("sync-result").className = error ? "error" : "ok";
}

$("sync-save").addEventListener("click", () => {
  const url = $("sync-url").value.trim();
  const token = $("sync-token").value.trim();
  const origin = originPattern(url);
  if (!origin) return say(t("syncBadUrl"), true);
  if (!token) return say(t("syncNoToken"), true);
  // Asked first, while the click still counts as the user's gesture.
  chrome.permissions.request({ origins: [origin] }).then(async (granted) => {
    if (!granted) return say(t("syncDenied", new URL(url).origin), true);
    await chrome.storage.local.set({ [SETTINGS]: { url, token } });
    await chrome.runtime.sendMessage({ type: "tact-sync", op: "configured" });
    say(t("syncSaved", new URL(url).origin));
  }, (error) => say(String(error?.message ?? error), true));
});

$("sync-forget").addEventListener("click", async () => {
  await chrome.storage.local.remove(SETTINGS);
  $("sync-token").value = "";
  await chrome.runtime.sendMessage({ type: "tact-sync", op: "configured" });
  say(t("syncForgotten"));
});

const { [SETTINGS]: stored } = await chrome.storage.local.get(SETTINGS);
$("sync-url").value = stored?.url ?? "";
$("sync-token").value = stored?.token ?? "";
