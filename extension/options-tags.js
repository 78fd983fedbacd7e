// Options page, tags section: the team's tag vocabulary and the CM's name. Every edit is a
// request to the worker's inbox core (src/inbox/service.rs), which checks it (unique names,
// valid colours, one tag per digit) and answers with the whole list to redraw. With a team
// store the names, colours and the list itself are the team's: read-only for a member (the
// worker refuses such edits too), published to the team for an admin; shortcut digits
// and the order stay each CM's own.
import { access, watchStatus } from "./options-team.js";

const $ = (id) => document.getElementById(id);
const t = (key, ...args) => chrome.i18n.getMessage(key, args) || key;
const lang = chrome.i18n.getUILanguage().toLowerCase().startsWith("fr") ? "fr" : "en";

let tags = [];
let readOnly = false;

for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
  const text = chrome.i18n.getMessage(el.dataset.i18nPlaceholder);
  if (text) el.placeholder = text;
}

async function ask(request) {
  const answer = await chrome.runtime.sendMessage({ type: "tact-inbox", request: JSON.stringify(request) });
  const reply = typeof answer === "string" ? JSON.parse(answer) : { ok: false, error: "no answer" };
  $("tags-status").className = reply.ok ? "ok" : "error";
  $("tags-status").textContent = reply.ok ? t("tagsSaved") : reply.error;
  if (reply.ok && reply.tags) {
    tags = reply.tags;
    draw();
  }
  return reply;
}

const edit = (edit) => ask({ op: "edit_tags", edit });

function control(tag, type, label) {
  const node = document.createElement(tag);
  if (type) node.type = type;
  if (label) node.setAttribute("aria-label", label);
  return node;
}

function draw() {
  $("tag-list").replaceChildren(...tags.map((tag, i) => {
    const li = document.createElement("li");
    li.dataset.tag = tag.id;
    const color = control("input", "color", tag.names[lang]);
    color.value = tag.color;
    color.addEventListener("change", () => edit({ action: "recolor", id: tag.id, color: color.value }));
    const name = control("input", "text", tag.names[lang]);
    name.value = tag.names[lang];
    name.addEventListener("change", () => edit({ action: "rename", id: tag.id, name: name.value, lang }));
    const digit = control("select", null, t("tagDigit"));
    for (const d of ["", "1", "2", "3", "4", "5", "6", "7", "8", "9"]) {
      const option = document.createElement("option");
      option.value = d;
      option.textContent = d ? `Alt+${d}` : t("tagNoDigit");
      digit.append(option);
    }
    digit.value = tag.digit ? String(tag.digit) : "";
    digit.addEventListener("change", () => edit({ action: "digit", id: tag.id, digit: digit.value ? Number(digit.value) : null }));
    const move = (delta, key) => {
      const button = control("button", "button", t(key));
      button.textContent = delta < 0 ? "↑" : "↓";
      button.disabled = i + delta < 0 || i + delta >= tags.length;
      button.addEventListener("click", () => {
        const ids = tags.map((x) => x.id);
        [ids[i], ids[i + delta]] = [ids[i + delta], ids[i]];
        edit({ action: "reorder", ids });
      });
      return button;
    };
    const remove = control("button", "button", t("tagDelete"));
    remove.textContent = "✕";
    remove.addEventListener("click", () => {
      if (confirm(`${t("tagDelete")}: ${tag.names[lang]}?`)) edit({ action: "delete", id: tag.id });
    });
    for (const team of [color, name, remove]) team.disabled = readOnly;
    li.append(color, name, digit, move(-1, "tagUp"), move(1, "tagDown"), remove);
    return li;
  }));
  for (const id of ["tag-new-color", "tag-new-name", "tag-add"]) $(id).disabled = readOnly;
}

$("tag-add").addEventListener("click", async () => {
  const name = $("tag-new-name").value.trim();
  if (!name) return;
  const reply = await edit({ action: "add", name, color: $("tag-new-color").value });
  if (reply.ok) $("tag-new-name").value = "";
});

const { settings = {} } = await chrome.storage.local.get("settings");
$("cm-name").value = settings.cm_name ?? "";
$("cm-name").addEventListener("change", async () => {
  const { settings: current = {} } = await chrome.storage.local.get("settings");
  await chrome.storage.local.set({ settings: { ...current, cm_name: $("cm-name").value.trim() } });
});
/** Redraws for the team's access and vocabulary (a new version may bring new tags). */
let followed = null;
async function follow(status) {
  const now = `${access(status)} ${status?.config_version}`;
  if (now === followed) return;
  followed = now;
  readOnly = access(status) === "read_only";
  const reply = await ask({ op: "tags" });
  if (reply.ok) {
    $("tags-status").className = "";
    $("tags-status").textContent = readOnly ? t("syncTeamManaged") : "";
  }
}

await follow(await watchStatus(follow));
