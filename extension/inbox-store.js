// The inbox's storage, owned by the background worker: one chrome.storage.local key per
// item ("inbox:item:<id>"), one for the vocabulary and schema version ("inbox:meta"), and
// the outgoing sync queue ("inbox:outbox"). Every decision is the wasm core's
// (src/inbox/service.rs): this module loads what is stored, passes requests on and
// applies the writes each answer carries, one request at a time.
import init, { inbox_open, inbox_request } from "./pkg/tact_worker.js";

const ITEM = "inbox:item:";
const META = "inbox:meta";
export const OUTBOX = "inbox:outbox";

let loaded = null;
let queue = Promise.resolve();

async function apply(writes) {
  const set = {};
  for (const item of writes.put ?? []) set[ITEM + item.id] = item;
  if (writes.meta) set[META] = writes.meta;
  if (writes.queue?.length) {
    const stored = await chrome.storage.local.get(OUTBOX);
    set[OUTBOX] = (Array.isArray(stored[OUTBOX]) ? stored[OUTBOX] : []).concat(writes.queue);
  }
  if (Object.keys(set).length) await chrome.storage.local.set(set);
  if (writes.delete?.length) await chrome.storage.local.remove(writes.delete.map((id) => ITEM + id));
}

function load() {
  loaded ??= (async () => {
    await init({ module_or_path: chrome.runtime.getURL("pkg/tact_worker_bg.wasm") });
    const all = await chrome.storage.local.get(null);
    const items = Object.keys(all).filter((k) => k.startsWith(ITEM)).map((k) => all[k]);
    const meta = all[META] ? JSON.stringify(all[META]) : "";
    await apply(JSON.parse(inbox_open(meta, JSON.stringify(items))));
  })();
  return loaded;
}

function storageMessage(error) {
  const text = String(error?.message ?? error);
  return /quota/i.test(text)
    ? `Tact could not save: browser storage is full (${text}). Export and remove old items, then try again; nothing was saved.`
    : `Tact could not save (${text}); nothing was saved.`;
}

/** Runs `step` in the request queue once the inbox is loaded; applies the inbox writes it
 * returns (if any) and returns its result. For sync.js, whose steps touch the same state. */
export function withInbox(step) {
  const run = async () => {
    await load();
    const result = await step();
    if (result?.writes) await apply(result.writes);
    return result;
  };
  const answer = queue.then(run, run);
  queue = answer.catch(() => {});
  return answer;
}

/** Answers one inbox request (a JSON string) with the core's reply object. */
export function handle(request) {
  const run = async () => {
    try {
      await load();
    } catch (error) {
      loaded = null;
      return { ok: false, error: `Tact could not load the inbox: ${error?.message ?? error}` };
    }
    const { settings = {} } = await chrome.storage.local.get("settings");
    const outcome = JSON.parse(inbox_request(request, Date.now(), settings.cm_name ?? ""));
    try {
      await apply(outcome.writes);
    } catch (error) {
      // Memory is ahead of storage now: reload from storage on the next request.
      loaded = null;
      return { ok: false, error: storageMessage(error) };
    }
    return outcome.reply;
  };
  const answer = queue.then(run, run);
  queue = answer.catch(() => {});
  return answer;
}
