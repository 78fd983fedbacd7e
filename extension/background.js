// Tact background service worker: owns storage. Audit events from the pages (override
// decisions: rule ids, severity, network, time — never draft text) are appended to a queue
// in chrome.storage.local, which survives restarts until the team store takes them.
const EVENTS = "events";

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
