// Team sync, the background worker's I/O half: fetch, timers and storage. Every decision
// (what to push, when to retry, what a pull changes, whether the config changed) is the
// wasm sync client's (src/sync/client.rs through src/web/sync_api.rs); its whole state is a
// JSON string kept under "sync:state", so the queue survives restarts and crashes. A
// failed fetch is reported to the client like any answer: the queue is never dropped.
import { OUTBOX, withInbox } from "./inbox-store.js";
import {
  sync_answer, sync_config_etag, sync_credentials_changed, sync_enqueue, sync_new,
  sync_pull_cursor, sync_push, sync_status,
} from "./pkg/tact_worker.js";

/** `{ url, token }`, written by the options page. */
export const SETTINGS = "sync:settings";
const STATE = "sync:state";
/** What the inbox page shows: `{ configured, last_sync_ms, pending, error, next_push_ms, received_at }`. */
export const STATUS = "sync:status";
const PULL_ALARM = "tact-sync-pull";
const PUSH_ALARM = "tact-sync-push";
const PULL_MINUTES = 1;
/** Focus pulls closer together than this are one pull. */
const FOCUS_GAP_MS = 3_000;

let running = null;
let again = null;
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

/** One request to the store, as the client wants to hear it: `{ status, body, retry_after_s }`
 * with status 0 when there was no answer. */
async function http({ url, token }, method, path, { body, etag } = {}) {
  const headers = { authorization: `Bearer ${token}` };
  if (body) headers["content-type"] = "application/json";
  if (etag) headers["if-none-match"] = etag;
  try {
    const response = await fetch(new URL(path, url), { method, headers, body, cache: "no-store" });
    const retry = response.headers.get("retry-after");
    return { status: response.status, body: await response.text(), retry_after_s: /^\d+$/.test(retry ?? "") ? Number(retry) : null };
  } catch (error) {
    return { status: 0, body: String(error?.message ?? error) };
  }
}

const answered = (answer) => answer.status >= 200 && answer.status < 300;

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
  // Without a store nothing is loaded: the outbox stays where the inbox put it, and the
  // charter, templates and tags are the member's own again.
  if (!store) {
    const { settings } = await chrome.storage.local.get("settings");
    if (settings?.team_managed) await chrome.storage.local.set({ settings: { ...settings, team_managed: false } });
    return writeStatus({ configured: false });
  }
  let state;
  const save = (next) => {
    state = next;
    return chrome.storage.local.set({ [STATE]: state });
  };
  let receivedAt = null;
  // Outbox entries move into the client's queue inside the inbox's queue (which also
  // loads the wasm), so no entry written meanwhile is lost.
  await withInbox(async () => {
    state = await loadState();
    const { [OUTBOX]: outbox = [] } = await chrome.storage.local.get(OUTBOX);
    if (credentialsChanged) state = sync_credentials_changed(state);
    credentialsChanged = false;
    const taken = JSON.parse(sync_enqueue(state, JSON.stringify(outbox)));
    for (const why of taken.skipped) console.warn("Tact sync:", why);
    await save(taken.state);
    if (outbox.length) await chrome.storage.local.remove(OUTBOX);
  });
  const pending = () => JSON.parse(sync_status(state)).pending;
  for (let body = sync_push(state, Date.now()); body; body = sync_push(state, Date.now())) {
    const before = pending();
    const answer = await http(store, "POST", "/v1/push", { body });
    await save(JSON.parse(sync_answer("push", state, JSON.stringify(answer), Date.now(), Math.random())).state);
    // Stop when the store took nothing: the backoff decides when to try again.
    if (!answered(answer) || pending() >= before) break;
  }
  if (pull && sync_pull_cursor(state, Date.now()) >= 0) {
    lastPullAt = Date.now();
    const etag = sync_config_etag(state);
    const config = await http(store, "GET", "/v1/config", { etag });
    const taken = await withInbox(async () => JSON.parse(sync_answer("config", state, JSON.stringify(config), Date.now(), Math.random())));
    await save(taken.state);
    if (taken.config) await applyConfig(taken.config);
    for (let more = true; more;) {
      const cursor = sync_pull_cursor(state, Date.now());
      if (cursor < 0) break;
      const answer = await http(store, "GET", `/v1/pull?cursor=${cursor}`);
      const pulled = await withInbox(async () => JSON.parse(sync_answer("pull", state, JSON.stringify(answer), Date.now(), Math.random())));
      await save(pulled.state);
      for (const why of pulled.problems) console.warn("Tact sync:", why);
      if (pulled.writes.put.length) receivedAt = Date.now();
      more = answered(answer) && pulled.more;
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
  if (!status.pending || status.next_push_ms == null) return;
  const delay = Math.max(status.next_push_ms - Date.now(), 0);
  pushTimer = setTimeout(() => syncNow({ pull: false }), delay + 50);
  chrome.alarms.create(PUSH_ALARM, { when: Date.now() + Math.max(delay, 30_000) });
}

/** Tag edits that change the team's vocabulary (shortcut digits and order stay personal). */
const TEAM_TAG_EDITS = new Set(["add", "rename", "recolor", "delete"]);

/** Why an inbox request must be refused (a team store manages the tags), or null. */
export async function refusedByTeam(request) {
  if (request?.op !== "edit_tags" || !TEAM_TAG_EDITS.has(request.edit?.action)) return null;
  const { settings = {} } = await chrome.storage.local.get("settings");
  return settings.team_managed && (await storeSettings())
    ? chrome.i18n.getMessage("syncTeamManaged") || "Managed by your team's store: edit it there."
    : null;
}

/** Runs one sync now, or once more after the one under way. */
export function syncNow({ pull = true } = {}) {
  if (running) {
    again = { pull: pull || again?.pull };
    return running;
  }
  running = run({ pull })
    .catch((error) => console.error("Tact sync:", error))
    .finally(() => {
      running = null;
      const next = again;
      again = null;
      if (next) syncNow(next);
    });
  return running;
}

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === PULL_ALARM) syncNow({ pull: true });
  if (alarm.name === PUSH_ALARM) syncNow({ pull: false });
});

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (message?.type !== "tact-sync") return false;
  if (message.op === "configured") credentialsChanged = true;
  const focusPull = message.op === "focus" && Date.now() - lastPullAt < FOCUS_GAP_MS;
  (focusPull ? Promise.resolve() : syncNow({ pull: true })).then(() => reply({ ok: true }));
  return true;
});

chrome.alarms.get(PULL_ALARM).then((alarm) => {
  if (!alarm) chrome.alarms.create(PULL_ALARM, { periodInMinutes: PULL_MINUTES });
});
