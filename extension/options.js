// Options page glue: reads and writes Tact's settings in chrome.storage.local and asks the
// wasm core to lint the charter. With a team store, the charter and templates are the
// team's: read-only for a member, published to the team on save for an admin (the sync
// client decides which, see options-team.js). Page text only ever goes through textContent.
import init, { lint_charter } from "./pkg/tact.js";
import initReplies, { lint_templates } from "./pkg/tact_replies.js";
import { access, watchStatus } from "./options-team.js";

const $ = (id) => document.getElementById(id);
const t = (key, ...args) => chrome.i18n.getMessage(key, args) || key;

for (const el of document.querySelectorAll("[data-i18n]")) {
  const text = chrome.i18n.getMessage(el.dataset.i18n);
  if (text) el.textContent = text;
}

await Promise.all([init(), initReplies()]);
let charterFile = null;
/** The sync status the fields were loaded under, and whether they were edited since. */
let loadedStatus = null;
let dirty = false;

function lint() {
  const source = $("charter-source").value;
  const status = $("charter-status");
  status.className = "";
  if (!source.trim()) {
    status.textContent = t("charterNone");
    return true;
  }
  const result = lint_charter(source, charterFile ?? "charter.toml");
  if (result.ok) {
    status.className = "ok";
    status.textContent = t("charterOk", result.name || charterFile || "charter", String(result.rules));
    return true;
  }
  status.className = "error";
  status.textContent = result.error.text;
  return false;
}

/** Lints the templates against the charter being edited; false when they do not load. */
function lintTemplates() {
  const source = $("templates-source").value;
  const status = $("templates-status");
  status.className = "";
  if (!source.trim()) {
    status.textContent = t("templatesNone");
    return true;
  }
  const result = JSON.parse(lint_templates(source, "templates.toml", $("charter-source").value));
  status.className = result.ok ? (result.lints.length ? "warn" : "ok") : "error";
  status.textContent = result.ok
    ? [t("templatesOk", String(result.templates)), ...result.lints].join("\n")
    : result.error;
  return result.ok;
}

async function load() {
  const { settings = {}, "sync:status": status } = await chrome.storage.local.get(["settings", "sync:status"]);
  loadedStatus = status ?? null;
  dirty = false;
  // The team configuration version the fields show (for automation; "" without one).
  document.body.dataset.teamVersion = String(status?.config_version ?? "");
  $("charter-source").value = settings.charter ?? "";
  charterFile = settings.charter_file ?? null;
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === (settings.mode ?? "normal");
  for (const box of document.querySelectorAll('input[name="site"]')) box.checked = settings.sites?.[box.value] ?? true;
  $("brand-accounts").value = (settings.brand_accounts ?? []).join("\n");
  $("reply-brand").value = settings.brand ?? "";
  $("reply-agent").value = settings.agent ?? "";
  $("templates-source").value = settings.templates ?? "";
  lint();
  lintTemplates();
  // Editable only once the stored settings are in: typing earlier would be overwritten.
  // A team store's charter and templates are the team's (sync.js keeps them current).
  const readOnly = access(status) === "read_only";
  $("templates-source").disabled = readOnly;
  $("charter-source").disabled = readOnly;
  $("charter-file").disabled = readOnly;
  $("charter-clear").disabled = readOnly;
  if (readOnly) $("charter-status").textContent = t("syncTeamManaged");
  $("save").disabled = false;
}

/** An admin's charter and templates go to the team store; says what became of them. */
async function publish(charter, templates) {
  const before = loadedStatus?.config_version ?? null;
  const answer = await chrome.runtime.sendMessage({ type: "tact-sync", op: "edit_config", charter, templates, base_version: before });
  if (!answer?.ok) return answer?.error ?? "no answer";
  const status = answer.status;
  // No kept edit and a new version: published (the same version: nothing team-wide changed).
  const published = status?.config_version != null && status.config_version !== before;
  if (!status?.config_edit) return published ? t("teamPublished", String(status.config_version)) : t("saved");
  // A refusal or a conflict is explained in the team configuration section.
  return status.config_edit.state === "pending" ? t("teamPending") : t("saved");
}

async function save() {
  if (!lint() || !lintTemplates()) {
    $("saved").textContent = t("saveRefused");
    return;
  }
  const source = $("charter-source").value;
  const settings = {
    mode: document.querySelector('input[name="mode"]:checked')?.value ?? "normal",
    sites: Object.fromEntries([...document.querySelectorAll('input[name="site"]')].map((b) => [b.value, b.checked])),
    brand_accounts: $("brand-accounts").value.split("\n").map((s) => s.trim()).filter(Boolean),
    charter: source.trim() ? source : null,
    charter_file: source.trim() ? charterFile ?? "charter.toml" : null,
    brand: $("reply-brand").value.trim() || null,
    agent: $("reply-agent").value.trim() || null,
    templates: $("templates-source").value.trim() ? $("templates-source").value : null,
    templates_file: $("templates-source").value.trim() ? "templates.toml" : null,
  };
  const { settings: previous = {}, "sync:status": status } = await chrome.storage.local.get(["settings", "sync:status"]);
  await chrome.storage.local.set({ settings: { ...previous, ...settings } });
  dirty = false;
  $("saved").textContent = access(status) === "admin"
    ? await publish(source, $("templates-source").value)
    : t("saved");
}

$("charter-file").addEventListener("change", async (event) => {
  const file = event.target.files?.[0];
  if (!file) return;
  charterFile = file.name;
  $("charter-source").value = await file.text();
  dirty = true;
  lint();
});
$("charter-clear").addEventListener("click", () => {
  $("charter-source").value = "";
  charterFile = null;
  dirty = true;
  lint();
});
$("charter-source").addEventListener("input", () => {
  dirty = true;
  lint();
  $("saved").textContent = "";
});
$("templates-source").addEventListener("input", () => {
  dirty = true;
  lintTemplates();
  $("saved").textContent = "";
});
$("save").addEventListener("click", save);
await load();
// A new team configuration (another admin's save, a conflict's newer version) or a new
// role shows at once, unless the fields hold unsaved typing.
await watchStatus((status) => {
  const changed = status?.config_version !== loadedStatus?.config_version || access(status) !== access(loadedStatus);
  if (changed && !dirty) load();
});
