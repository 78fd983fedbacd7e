// Inbox page glue (side panel or tab): draws what the worker's inbox core answers. Filters,
// search, exports, imports and statistics are all computed in Rust (src/inbox/); this file
// only collects the controls, sends requests and writes answers with textContent.
const $ = (id) => document.getElementById(id);
const t = (key, ...args) => chrome.i18n.getMessage(key, args) || key;
const lang = chrome.i18n.getUILanguage().toLowerCase().startsWith("fr") ? "fr" : "en";
const PAGE = 100;

for (const el of document.querySelectorAll("[data-i18n]")) {
  const text = chrome.i18n.getMessage(el.dataset.i18n);
  if (text) el.textContent = text;
}
for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
  const text = chrome.i18n.getMessage(el.dataset.i18nPlaceholder);
  if (text) el.placeholder = text;
}

async function ask(request) {
  const answer = await chrome.runtime.sendMessage({ type: "tact-inbox", request: JSON.stringify(request) });
  const reply = typeof answer === "string" ? JSON.parse(answer) : { ok: false, error: t("inboxNoWorker") };
  if (!reply.ok) say(reply.error, true);
  return reply;
}

function say(text, error = false) {
  $("message").textContent = text;
  $("message").className = error ? "error" : "";
}

let tags = [];
let shown = PAGE;
const selected = new Set();

const tagName = (id) => {
  const tag = tags.find((x) => x.id === id);
  return tag ? tag.names[lang] : id;
};
const tagColor = (id) => tags.find((x) => x.id === id)?.color ?? "#616161";

function filter() {
  const tag = $("f-tag").value;
  const day = (value, next) => {
    if (!value) return null;
    const d = new Date(`${value}T00:00:00`);
    if (next) d.setDate(d.getDate() + 1);
    return d.toISOString();
  };
  return {
    tags: tag && tag !== "-" ? [tag] : [],
    untagged: tag === "-",
    status: $("f-status").value || null,
    network: $("f-network").value || null,
    since: day($("f-since").value, false),
    until: day($("f-until").value, true),
    author: $("f-author").value.trim() || null,
    query: $("f-query").value.trim() || null,
  };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderTags() {
  for (const select of [$("f-tag"), $("bulk-tag")]) {
    const keep = select.value;
    for (const option of [...select.options]) if (option.dataset.tag) option.remove();
    for (const tag of tags) {
      const option = el("option", "", tag.names[lang]);
      option.value = tag.id;
      option.dataset.tag = "1";
      select.append(option);
    }
    select.value = keep;
  }
}

function item(it) {
  const li = el("li");
  li.dataset.tact = "inbox-item";
  li.dataset.id = it.id;
  li.dataset.status = it.status;
  const box = el("input");
  box.type = "checkbox";
  box.checked = selected.has(it.id);
  box.setAttribute("aria-label", t("inboxSelect"));
  box.addEventListener("change", () => (box.checked ? selected.add(it.id) : selected.delete(it.id)));
  li.append(box);
  const meta = el("div", "meta");
  meta.append(el("span", "name", it.author.name), el("span", "handle", it.author.handle ? `@${it.author.handle}` : ""),
    el("span", "network", it.network));
  const time = el("time", "time", it.posted_at ? new Date(it.posted_at).toLocaleString() : "");
  if (it.posted_at) time.dateTime = it.posted_at;
  meta.append(time);
  const chips = el("span", "chips");
  for (const id of it.tags) {
    const chip = el("span", "chip", tagName(id));
    chip.dataset.tag = id;
    chip.style.background = tagColor(id);
    chips.append(chip);
  }
  meta.append(chips);
  li.append(meta, el("div", "text", it.text));
  const actions = el("div", "actions");
  const open = el("a", "", t("inboxOpenPost"));
  open.href = it.permalink;
  open.target = "_blank";
  open.rel = "noopener noreferrer";
  open.className = "permalink";
  const status = el("button", "", it.status === "done" ? t("inboxMarkOpen") : t("inboxMarkDone"));
  status.type = "button";
  status.dataset.action = "status";
  status.addEventListener("click", async () => {
    await ask({ op: "set_status", ids: [it.id], status: it.status === "done" ? "open" : "done" });
    await refresh();
  });
  const note = el("textarea");
  note.value = it.note;
  note.placeholder = t("inboxNote");
  note.setAttribute("aria-label", t("inboxNote"));
  note.addEventListener("change", async () => {
    const reply = await ask({ op: "set_note", id: it.id, note: note.value });
    if (reply.ok) say(t("inboxNoteSaved"));
  });
  actions.append(open, status, note);
  li.append(actions);
  return li;
}

async function refresh() {
  const reply = await ask({ op: "query", filter: filter(), offset: 0, limit: shown });
  if (!reply.ok) return;
  $("items").replaceChildren(...reply.items.map(item));
  $("count").textContent = t("inboxCount", String(reply.items.length), String(reply.total));
  $("more").hidden = reply.items.length >= reply.total;
  if (!$("view-stats").hidden) await stats();
}

let chartSvg = "";
async function stats() {
  const weekly = document.querySelector('input[name="period"]:checked')?.value === "week";
  const offset = -new Date().getTimezoneOffset();
  const reply = await ask({ op: "stats", request: { filter: filter(), offset_minutes: offset }, weekly, lang });
  if (!reply.ok) return;
  const s = reply.stats;
  document.querySelector('[data-tact="stat-total"]').textContent = String(s.total);
  document.querySelector('[data-tact="stat-open"]').textContent = String(s.open);
  document.querySelector('[data-tact="stat-done"]').textContent = String(s.done);
  chartSvg = reply.svg;
  const old = $("chart").src;
  $("chart").src = URL.createObjectURL(new Blob([chartSvg], { type: "image/svg+xml" }));
  if (old.startsWith("blob:")) URL.revokeObjectURL(old);
  $("per-tag").replaceChildren(...(weekly ? s.per_week : s.per_day).filter((x) => x.total > 0).map((x) => {
    const li = el("li", "", `${x.name}: ${x.total}`);
    li.dataset.tag = x.tag;
    return li;
  }));
  $("authors").replaceChildren(...s.top_authors.map((a) =>
    el("li", "", `${a.name || a.handle}${a.handle ? ` (@${a.handle})` : ""} — ${a.count}`)));
}

function download(name, text, type) {
  const a = el("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

const stamp = () => new Date().toISOString().slice(0, 10);

async function bulk(request) {
  if (!selected.size) {
    say(t("inboxNothingSelected"), true);
    return;
  }
  const reply = await ask({ ...request, ids: [...selected] });
  if (reply.ok) say(t("inboxChanged", String(reply.changed)));
  if (request.op === "remove") selected.clear();
  await refresh();
}

$("bulk-done").addEventListener("click", () => bulk({ op: "set_status", status: "done" }));
$("bulk-open").addEventListener("click", () => bulk({ op: "set_status", status: "open" }));
$("bulk-tag-add").addEventListener("click", () => bulk({ op: "set_tag", tag: $("bulk-tag").value, on: true }));
$("bulk-tag-remove").addEventListener("click", () => bulk({ op: "set_tag", tag: $("bulk-tag").value, on: false }));
$("bulk-delete").addEventListener("click", () => {
  if (selected.size && confirm(t("inboxConfirmDelete", String(selected.size)))) bulk({ op: "remove" });
});
$("select-all").addEventListener("change", () => {
  for (const li of document.querySelectorAll('[data-tact="inbox-item"]')) {
    const box = li.querySelector('input[type="checkbox"]');
    box.checked = $("select-all").checked;
    box.checked ? selected.add(li.dataset.id) : selected.delete(li.dataset.id);
  }
});
$("export-csv").addEventListener("click", async () => {
  const reply = await ask({ op: "export_csv", filter: filter(), semicolon: $("csv-semicolon").checked, lang });
  if (reply.ok) download(`tact-inbox-${stamp()}.csv`, reply.text, "text/csv;charset=utf-8");
});
$("export-json").addEventListener("click", async () => {
  const reply = await ask({ op: "export_json", filter: filter() });
  if (reply.ok) download(`tact-inbox-${stamp()}.json`, reply.text, "application/json");
});
$("import-file").addEventListener("change", async (event) => {
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  const reply = await ask({ op: "import", text: await file.text() });
  if (!reply.ok) {
    say(t("inboxImportFailed", file.name, reply.error), true);
    return;
  }
  const r = reply.report;
  say(t("inboxImported", String(r.added), String(r.updated), String(r.unchanged)));
  await loadTags();
  await refresh();
});
$("chart-svg").addEventListener("click", () => download(`tact-chart-${stamp()}.svg`, chartSvg, "image/svg+xml"));
$("chart-png").addEventListener("click", () => {
  const img = $("chart");
  const canvas = el("canvas");
  canvas.width = img.naturalWidth * 2;
  canvas.height = img.naturalHeight * 2;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  canvas.toBlob((blob) => {
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = `tact-chart-${stamp()}.png`;
    a.click();
  }, "image/png");
});
$("more").addEventListener("click", () => {
  shown += PAGE;
  refresh();
});
for (const tab of ["list", "stats"]) {
  $(`tab-${tab}`).addEventListener("click", () => {
    for (const other of ["list", "stats"]) {
      $(`tab-${other}`).setAttribute("aria-selected", String(other === tab));
      $(`view-${other}`).hidden = other !== tab;
    }
    if (tab === "stats") stats();
  });
}
for (const radio of document.querySelectorAll('input[name="period"]')) radio.addEventListener("change", stats);
let typing;
$("filters").addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    shown = PAGE;
    refresh();
  }, 150);
});
$("filters").addEventListener("submit", (event) => event.preventDefault());

async function loadTags() {
  const reply = await ask({ op: "tags" });
  if (reply.ok) tags = reply.tags;
  renderTags();
}

// Captures made in the pages while the panel is open show up without a reload.
let changed;
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "local" || !Object.keys(changes).some((k) => k.startsWith("inbox:item:") || k === "inbox:meta")) return;
  clearTimeout(changed);
  changed = setTimeout(async () => {
    if (changes["inbox:meta"]) await loadTags();
    await refresh();
  }, 200);
});

await loadTags();
await refresh();
document.body.dataset.ready = "true";
