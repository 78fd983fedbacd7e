// Tact background service worker: owns storage. Audit events from the pages (override
// decisions: rule ids, severity, network, time — never draft text) are queued in
// chrome.storage.local, which survives restarts, until sync.js hands them to the team
// store. Inbox requests (quick-tag, the inbox page, the options' tags) go to
// inbox-store.js. Team sync (sync.js) pushes what the inbox queued and pulls the team's
// changes; the sync client decides whether a tag edit is the CM's own, an admin's for the
// team, or refused (a member's, while a store manages the tags).
import { handle as inbox } from "./inbox-store.js";
import { publishTags, queueEvent, syncNow, teamGate } from "./sync.js";

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

/** The inbox's answer, unless the team store owns what the request would change; an
 * admin's vocabulary edit goes to the team too. */
async function answer(request, parsed) {
  // Only tag vocabulary edits can touch the team's configuration (the client tells which
  // of them do); other requests skip reading the sync state.
  const gate = parsed?.op === "edit_tags" ? await teamGate(parsed) : {};
  if (gate.refused) return { ok: false, error: gate.refused };
  const reply = await inbox(request);
  if (reply.ok && gate.publish) await publishTags();
  return reply;
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
  queueEvent(message.event).then(() => {
    reply({ ok: true });
    syncNow({ pull: false });
  }, (error) => reply({ ok: false, error: String(error) }));
  return true;
});
