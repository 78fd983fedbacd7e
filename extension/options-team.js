// Options page, team configuration: who the token is, and an admin's edit the store has
// not taken yet (waiting, refused, or in conflict with another admin's save) with the
// choice to re-apply or discard it. Everything shown comes from the sync client's status
// ("sync:status", written by sync.js); every decision is the client's. Text goes through
// textContent only.
const $ = (id) => document.getElementById(id);
const t = (key, ...args) => chrome.i18n.getMessage(key, args) || key;
const STATUS = "sync:status";

/** How this page may treat the charter, templates and tags: `own` (no store), `admin`
 * (edits are published to the team) or `read_only` (a member's, or the role not known). */
export function access(status) {
  if (!status?.configured) return "own";
  return status.can_edit_config ? "admin" : "read_only";
}

/** The status now, and `listener(status)` on every change. */
export async function watchStatus(listener) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes[STATUS]) listener(changes[STATUS].newValue);
  });
  return (await chrome.storage.local.get(STATUS))[STATUS];
}

const PARTS = { charter: "partCharter", templates: "partTemplates", tags: "partTags" };
const parts = (edit) => edit.changed.map((part) => t(PARTS[part] ?? part)).join(", ");

/** The kept edit's changed parts as plain text, to read or copy. */
function keptText(edit) {
  const kept = edit.kept;
  const blocks = edit.changed.map((part) => {
    const body = part === "tags"
      ? kept.tags.map((tag) => `${tag.id}: ${tag.label}${tag.color ? ` (${tag.color})` : ""}`).join("\n")
      : kept[part];
    return `— ${t(PARTS[part] ?? part)} —\n${body}`;
  });
  return blocks.join("\n\n");
}

function show(status) {
  const section = $("team-config");
  const edit = status?.configured ? status.config_edit : null;
  section.hidden = !status?.configured || (!status.me && !edit);
  section.dataset.state = edit?.state ?? access(status);
  $("sync-who").textContent = status?.me
    ? t("syncWho", status.me.member, t(status.me.role === "admin" ? "roleAdmin" : "roleMember"), status.me.team)
    : "";
  const line = $("team-config-status");
  line.className = edit && edit.state !== "pending" ? "error" : "";
  if (!edit) {
    line.textContent = access(status) === "admin" ? t("teamAdminHint") : t("syncTeamManaged");
  } else if (edit.state === "conflict") {
    line.textContent = t("teamConflict", String(status.config_version ?? ""), parts(edit));
  } else if (edit.state === "refused") {
    line.textContent = t("teamRefused", parts(edit), edit.message);
  } else {
    line.textContent = [t("teamPending"), status.error].filter(Boolean).join(" ");
  }
  $("team-config-actions").hidden = !edit || edit.state === "pending";
  $("team-reapply").hidden = edit?.state !== "conflict";
  $("team-kept").hidden = !edit || edit.state === "pending";
  $("team-kept-text").textContent = edit ? keptText(edit) : "";
}

async function resolve(op) {
  const answer = await chrome.runtime.sendMessage({ type: "tact-sync", op });
  if (!answer?.ok) $("team-config-status").textContent = answer?.error ?? "no answer";
  else if (op === "discard_config") $("saved").textContent = t("teamDiscarded");
}

$("team-reapply").addEventListener("click", () => resolve("reapply_config"));
$("team-discard").addEventListener("click", () => resolve("discard_config"));
show(await watchStatus(show));
