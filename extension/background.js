// Tact background service worker: owns storage. Audit events from the pages (override
// decisions: rule ids, severity, network, time — never draft text) are appended to a queue
// in chrome.storage.local, which survives restarts until the team store takes them.
// Inbox requests (quick-tag, the inbox page, the options' tags) go to inbox-store.js.
import { handle as inbox } from "./inbox-store.js";

const EVENTS = "events";

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type !== "tact-inbox" || typeof message.request !== "string") return false;
  inbox(message.request).then((answer) => reply(JSON.stringify(answer)),
    (error) => reply(JSON.stringify({ ok: false, error: String(error) })));
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
