// Tact background service worker: owns storage. Audit events from the pages (override
// decisions: rule ids, severity, network, time — never draft text) are appended to a queue
// in chrome.storage.local, which survives restarts until the team store takes them.
// Inbox requests (quick-tag, the inbox page, the options' tags) go to inbox-store.js.
// Team sync (sync.js) pushes what the inbox queued and pulls the team's changes.
import { handle as inbox } from "./inbox-store.js";
import { refusedByTeam, syncNow } from "./sync.js";

const EVENTS = "events";
/** Inbox requests that change nothing, so queue nothing for the team store. */
const READS = new Set(["tagged", "tags", "query", "export_csv", "export_json", "stats"]);
/** The request as an object (null when malformed: the inbox core answers those itself). */
const parse = (request) => {
  try {
    return JSON.parse(request);
  } catch {
    return null;
  }
};

/** The inbox's answer, unless the team store owns what the request would change. */
async function answer(request, parsed) {
  const refused = await refusedByTeam(parsed);
  return refused ? { ok: false, error: refused } : inbox(request);
}

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type !== "tact-inbox" || typeof message.request !== "string") return false;
  const parsed = parse(message.request);
  answer(message.request, parsed).then((answer) => {
    reply(JSON.stringify(answer));
    // A change queued for the team goes out now.
    if (!READS.has(parsed?.op)) syncNow({ pull: false });
  }, (error) => reply(JSON.stringify({ ok: false, error: String(error) })));
  return true;
});

// The toolbar button opens the inbox in the side panel.
chrome.sidePanel?.setPanelBehavior?.({ openPanelOnActionClick: true }).catch(() => {});

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type !== "tact-event" || typeof message.event !== "object") return false;
  chrome.storage.local.get(EVENTS).then(async (stored) => {
    const queue = Array.isArray(stored[EVENTS]) ? stored[EVENTS] : [];
    queue.push(message.event);
    await chrome.storage.local.set({ [EVENTS]: queue });
    reply({ ok: true });
  }).catch((error) => reply({ ok: false, error: String(error) }));
  return true;
});
