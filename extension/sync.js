// Team sync, the background worker's I/O half: fetch, timers and storage. Every decision
// (what to send, when to retry, what a pull changes, whether the config changed, who may
// edit the team configuration) is the wasm sync client's (src/sync/client.rs through
// src/web/sync_api.rs); its whole state is a JSON string kept under "sync:state", so the
// queues survive restarts and crashes. A failed fetch is reported to the client like any
// answer: nothing queued is dropped before the store acknowledged it.
import { OUTBOX, withInbox } from "./inbox-store.js";
import {
  sync_answer, sync_credentials_changed, sync_enqueue, sync_gate, sync_new, sync_request,
  sync_status,
} from "./pkg/tact_worker.js";

/** `{ url, token }`, written by the options page. */
export const SETTINGS = "sync:settings";
const STATE = "sync:state";
/** What the inbox and options pages show: the client's status plus `{ configured, received_at }`. */
export const STATUS = "sync:status";
/** Audit events from the pages (background.js), waiting to enter the client's queue. */
const EVENTS = "events";
/** The options page's team configuration edits, waiting to enter the client. */
const EDITS = "sync:edits";
/** The requests of one round, in order (see `Exchange` in src/sync/client.rs). */
const EXCHANGES = ["push", "events", "me", "config_put", "config", "pull"];
const PULL_ALARM = "tact-sync-pull";
const PUSH_ALARM = "tact-sync-push";
const PULL_MINUTES = 1;
/** Focus pulls closer together than this are one pull. */
const FOCUS_GAP_MS = 3_000;

let running = null;
let credentialsChanged = false;
let lastPullAt = 0;
let pushTimer = null;

async function storeSettings() {
  const { [SETTINGS]: s } = await chrome.storage.local.get(SETTINGS);
  return s?.url && s?.token ? s : null;
}

/** The client state, made on first use with a random id for this browser profile. */
async function loadState() {
  const { [STATE]: state } = await chrome.storage.local.get(STATE);
  return typeof state === "string" ? state : sync_new(crypto.randomUUID());
}

/** One request to the store as the client described it; the answer as the client wants
 * to hear it: `{ status, body, retry_after_s }`, status 0 when there was no answer. */
async function http({ url, token }, { method, path, body, if_match: ifMatch, if_none_match: ifNoneMatch }) {
  const headers = { authorization: `Bearer ${token}` };
  if (body) headers["content-type"] = "application/json";
  if (ifMatch) headers["if-match"] = ifMatch;
  if (ifNoneMatch) headers["if-none-match"] = ifNoneMatch;
  try {
    const response = await fetch(new URL(path, url), { method, headers, body, cache: "no-store" });
    const retry = response.headers.get("retry-after");
    return { status: response.status, body: await response.text(), retry_after_s: /^\d+$/.test(retry ?? "") ? Number(retry) : null };
  } catch (error) {
    return { status: 0, body: String(error?.message ?? error) };
  }
}

/** Appends `entry` to the list under `key`, in the inbox's queue (which the sync round
 * takes its queues in), so no entry written meanwhile is lost. */
const append = (key, entry) => withInbox(async () => {
  const { [key]: list } = await chrome.storage.local.get(key);
  await chrome.storage.local.set({ [key]: (Array.isArray(list) ? list : []).concat([entry]) });
});

/** Queues a page's audit event (rule ids, severity, network, time) for the store. */
export const queueEvent = (event) => append(EVENTS, event);

/** Puts the team's charter and templates in the settings: the team's, not editable here. */
async function applyConfig(config) {
  const { settings: previous = {} } = await chrome.storage.local.get("settings");
  await chrome.storage.local.set({
    settings: {
      ...previous,
      charter: config.charter.trim() ? config.charter : null,
      charter_file: config.charter.trim() ? "team charter" : null,
      templates: config.templates.trim() ? config.templates : null,
      templates_file: config.templates.trim() ? "team templates" : null,
      team_managed: true,
    },
  });
}

async function writeStatus(next) {
  const { [STATUS]: previous = {} } = await chrome.storage.local.get(STATUS);
  next.received_at ??= previous.received_at ?? null;
  // Written only when it changed: the inbox page redraws on every write.
  if (JSON.stringify(next) !== JSON.stringify(previous)) await chrome.storage.local.set({ [STATUS]: next });
}

async function run({ pull }) {
  const store = await storeSettings();
  // Without a store nothing is loaded: the outbox and events stay where the pages put
  // them, and the charter, templates and tags are the member's own again.
  if (!store) {
    const { settings } = await chrome.storage.local.get("settings");
    if (settings?.team_managed) await chrome.storage.local.set({ settings: { ...settings, team_managed: false } });
    return writeStatus({ configured: false });
  }
  let state;
  let receivedAt = null;
  /** Saves the client's answer and applies what it says (inbox writes are withInbox's). */
  const take = async (answer) => {
    state = answer.state;
    await chrome.storage.local.set({ [STATE]: state });
    for (const why of [...(answer.skipped ?? []), ...answer.problems]) console.warn("Tact sync:", why);
    if (answer.config) await applyConfig(answer.config);
    return answer;
  };
  // The queues move into the client inside the inbox's queue (which also loads the wasm
  // and serialises the appends above), so no entry written meanwhile is lost.
  await withInbox(async () => {
    state = await loadState();
    if (credentialsChanged) state = sync_credentials_changed(state);
    credentialsChanged = false;
    const queues = await chrome.storage.local.get([OUTBOX, EVENTS, EDITS]);
    const taken = JSON.parse(sync_enqueue(state, JSON.stringify({
      outbox: queues[OUTBOX] ?? [], events: queues[EVENTS] ?? [], edits: queues[EDITS] ?? [],
    })));
    await take(taken);
    await chrome.storage.local.remove([OUTBOX, EVENTS, EDITS]);
    return taken;
  });
  for (const kind of EXCHANGES) {
    for (let request = sync_request(kind, state, Date.now(), pull); request; request = sync_request(kind, state, Date.now(), pull)) {
      if (kind === "pull") lastPullAt = Date.now();
      const answer = await http(store, JSON.parse(request));
      const taken = await withInbox(async () => take(JSON.parse(sync_answer(kind, state, JSON.stringify(answer), Date.now(), Math.random()))));
      if (kind === "pull" && taken.writes.put.length) receivedAt = Date.now();
      if (!taken.again) break;
    }
  }
  const status = JSON.parse(sync_status(state));
  await writeStatus({ ...status, configured: true, received_at: receivedAt });
  schedulePush(status);
}

/** Wakes up for the next push the client is waiting for: a timer while the worker lives,
 * an alarm (at least 30 s away in Chrome) in case it is stopped meanwhile. */
function schedulePush(status) {
  clearTimeout(pushTimer);
  if (status.next_push_ms == null) return;
  const delay = Math.max(status.next_push_ms - Date.now(), 0);
  pushTimer = setTimeout(() => syncNow({ pull: false }), delay + 50);
  chrome.alarms.create(PUSH_ALARM, { when: Date.now() + Math.max(delay, 30_000) });
}

const REFUSALS = { member: "syncTeamManaged", unknown: "syncRoleUnknown" };

/** What the client says of a request that would change team configuration (an inbox tag
 * edit or `{ op: "edit_config" }`): `{ refused, publish }`, `refused` a message or null. */
export async function teamGate(request) {
  const connected = (await storeSettings()) != null;
  const gate = await withInbox(async () => JSON.parse(sync_gate(await loadState(), connected, JSON.stringify(request ?? null))));
  const key = REFUSALS[gate.refused];
  return { publish: gate.publish, refused: key ? chrome.i18n.getMessage(key) || gate.refused : null };
}

/** An admin's tag edit went through: the vocabulary goes to the team, labelled in the
 * browser's language. */
export const publishTags = () => append(EDITS, { kind: "tags", lang: chrome.i18n.getUILanguage() });

/** The options page's team configuration requests: a charter/templates edit (gated
 * like tag edits), or re-applying or discarding a kept edit. Answers with the status. */
async function configRequest(message) {
  if (message.op === "edit_config") {
    const gate = await teamGate({ op: "edit_config" });
    if (gate.refused) return { ok: false, error: gate.refused };
    if (!gate.publish) return { ok: true };
    await append(EDITS, { kind: "texts", charter: message.charter, templates: message.templates, base_version: message.base_version ?? null });
  } else {
    await append(EDITS, { kind: message.op === "reapply_config" ? "reapply" : "discard" });
  }
  await syncNow({ pull: false });
  const { [STATUS]: status } = await chrome.storage.local.get(STATUS);
  return { ok: true, status };
}

/** The round after the one under way, if asked for: `{ pull, promise }`. */
let queued = null;

function start(pull) {
  running = run({ pull })
    .catch((error) => console.error("Tact sync:", error))
    .finally(() => {
      running = null;
    });
  return running;
}

/** Runs one sync round now, or once more after the one under way (all asks meanwhile
 * share it); resolves when the round that covers this ask is over. */
export function syncNow({ pull = true } = {}) {
  if (!running) return start(pull);
  if (!queued) {
    const next = { pull };
    next.promise = running.then(() => {
      queued = null;
      return syncNow({ pull: next.pull });
    });
    queued = next;
  }
  queued.pull ||= pull;
  return queued.promise;
}

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === PULL_ALARM) syncNow({ pull: true });
  if (alarm.name === PUSH_ALARM) syncNow({ pull: false });
});

const CONFIG_OPS = new Set(["edit_config", "reapply_config", "discard_config"]);

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type !== "tact-sync") return false;
  if (CONFIG_OPS.has(message.op)) {
    configRequest(message).then(reply, (error) => reply({ ok: false, error: String(error?.message ?? error) }));
    return true;
  }
  if (message.op === "configured") credentialsChanged = true;
  const focusPull = message.op === "focus" && Date.now() - lastPullAt < FOCUS_GAP_MS;
  (focusPull ? Promise.resolve() : syncNow({ pull: true })).then(() => reply({ ok: true }));
  return true;
});

chrome.alarms.get(PULL_ALARM).then((alarm) => {
  if (!alarm) chrome.alarms.create(PULL_ALARM, { periodInMinutes: PULL_MINUTES });
});
