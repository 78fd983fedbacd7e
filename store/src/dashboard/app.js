// Tact team dashboard: signs in with a team token, fetches /v1/report and draws it as
// SVG. Every node is built with createElement/createElementNS and textContent: no data
// ever goes through innerHTML.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const TOKEN_KEY = "tact-store-token";
const PALETTE_SIZE = 8;
const state = { report: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) {
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function byId(id) {
  return document.getElementById(id);
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function daysBetween(from, to) {
  const days = [];
  for (let d = new Date(from + "T00:00:00Z"); isoDay(d) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(isoDay(d));
  }
  return days;
}

// A "nice" axis maximum and step so gridlines land on round numbers.
function niceScale(max) {
  if (max <= 0) return { top: 4, step: 1 };
  const raw = max / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return { top: Math.ceil(max / step) * step, step };
}

async function api(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : "HTTP " + response.status;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

function showSignedIn(signedIn) {
  byId("login").hidden = signedIn;
  byId("report").hidden = !signedIn;
  byId("session").hidden = !signedIn;
}

async function load() {
  const from = byId("from").value;
  const to = byId("to").value;
  byId("status-line").textContent = "Loading…";
  try {
    const report = await api("/v1/report?from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to));
    state.report = report;
    render(report);
    byId("status-line").textContent = "Updated " + new Date().toLocaleTimeString();
  } catch (error) {
    if (error.status === 401) {
      signOut(error.message);
    } else {
      byId("status-line").textContent = error.message;
    }
  }
}

function render(report) {
  const tags = [...new Set(report.captures_per_tag_per_day.map((r) => r.tag))].sort();
  renderTotals(report);
  renderTagChart(report, tags);
  renderStatus(report.status);
  renderRules(report.overrides_per_rule);
  renderMembers(report.members);
}

function renderTotals(report) {
  const totals = byId("totals");
  clear(totals);
  const tagged = report.captures_per_tag_per_day.reduce((sum, r) => sum + r.count, 0);
  const overrides = report.overrides_per_rule.reduce((sum, r) => sum + r.count, 0);
  const cards = [
    ["captures", "Items captured", report.status.open + report.status.done],
    ["tagged", "Tags applied", tagged],
    ["done", "Done", report.status.done],
    ["overrides", "Sent anyway", overrides],
  ];
  for (const [key, name, value] of cards) {
    totals.append(el("div", { class: "total", "data-total": key },
      el("div", { class: "value" }, value), el("div", { class: "name" }, name)));
  }
}

function renderTagChart(report, tags) {
  const host = byId("chart-tags");
  const legend = byId("legend-tags");
  clear(host);
  clear(legend);
  if (tags.length === 0) {
    host.append(el("p", { class: "empty" }, "No tagged captures in this period."));
    return;
  }
  const days = daysBetween(report.from, report.to);
  const perDay = new Map(days.map((d) => [d, new Map()]));
  for (const row of report.captures_per_tag_per_day) {
    if (perDay.has(row.day)) perDay.get(row.day).set(row.tag, row.count);
  }
  const totals = days.map((d) => [...perDay.get(d).values()].reduce((a, b) => a + b, 0));
  const { top, step } = niceScale(Math.max(...totals));
  const W = 720, H = 240, left = 36, right = 8, topPad = 10, bottom = 28;
  const plotW = W - left - right, plotH = H - topPad - bottom;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Captures per tag and day" });
  for (let v = 0; v <= top; v += step) {
    const y = topPad + plotH - (v / top) * plotH;
    chart.append(svg("line", { class: "grid-line", x1: left, x2: W - right, y1: y, y2: y }));
    chart.append(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, v));
  }
  const slot = plotW / days.length;
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const labelEvery = Math.ceil(days.length / 10);
  days.forEach((day, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = topPad + plotH;
    tags.forEach((tag, t) => {
      const count = perDay.get(day).get(tag) || 0;
      if (count === 0) return;
      const h = (count / top) * plotH;
      y -= h;
      const bar = svg("rect", {
        x, y, width: barW, height: h, rx: 2, class: "swatch-" + (t % PALETTE_SIZE),
        "data-day": day, "data-tag": tag, "data-count": count,
      });
      bar.append(svg("title", {}, `${day} · ${tag}: ${count}`));
      chart.append(bar);
    });
    if (i % labelEvery === 0) {
      chart.append(svg("text", { x: x + barW / 2, y: H - 8, "text-anchor": "middle" }, day.slice(5)));
    }
  });
  host.append(chart);
  tags.forEach((tag, t) => {
    legend.append(el("span", { "data-legend": tag }, el("i", { class: "swatch-" + (t % PALETTE_SIZE) }), tag));
  });
}

function horizontalBars(host, rows, fillClass, label) {
  clear(host);
  if (rows.length === 0) {
    host.append(el("p", { class: "empty" }, "Nothing in this period."));
    return;
  }
  const W = 340, rowH = 30, labelW = 120, valueW = 40;
  const H = rows.length * rowH + 4;
  const max = Math.max(...rows.map((r) => r.count), 1);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
  rows.forEach((row, i) => {
    const y = i * rowH + 4;
    const w = ((W - labelW - valueW) * row.count) / max;
    chart.append(svg("text", { x: 0, y: y + 16 }, row.name.length > 18 ? row.name.slice(0, 17) + "…" : row.name));
    const bar = svg("rect", {
      x: labelW, y: y + 4, width: Math.max(w, 2), height: rowH - 12, rx: 3,
      class: row.fill || fillClass, "data-name": row.name, "data-count": row.count,
    });
    bar.append(svg("title", {}, `${row.name}: ${row.count}`));
    chart.append(bar);
    chart.append(svg("text", { x: labelW + Math.max(w, 2) + 6, y: y + 16, class: "value-label" }, row.count));
  });
  host.append(chart);
}

function renderStatus(status) {
  horizontalBars(byId("chart-status"), [
    { name: "open", count: status.open, fill: "fill-open" },
    { name: "done", count: status.done, fill: "fill-done" },
  ].filter((r) => status.open + status.done > 0), "fill-open", "Open vs done");
}

function renderRules(rules) {
  horizontalBars(byId("chart-rules"), rules.map((r) => ({ name: r.rule, count: r.count })), "fill-rule", "Overrides per rule");
}

function renderMembers(members) {
  const host = byId("members");
  clear(host);
  if (members.length === 0) {
    host.append(el("p", { class: "empty" }, "No activity in this period."));
    return;
  }
  const head = el("tr", {}, el("th", {}, "Member"), el("th", { class: "num" }, "Captures"),
    el("th", { class: "num" }, "Changes synced"), el("th", { class: "num" }, "Sent anyway"));
  const body = el("tbody");
  for (const m of members) {
    body.append(el("tr", { "data-member": m.member }, el("td", {}, m.member),
      el("td", { class: "num" }, m.captures), el("td", { class: "num" }, m.mutations),
      el("td", { class: "num" }, m.overrides)));
  }
  host.append(el("table", {}, el("thead", {}, head), body));
}

// CSV cells are quoted; a leading = + - @ is neutralised so spreadsheets never run it.
function csvCell(value) {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return '"' + text.replace(/"/g, '""') + '"';
}

function reportCsv(report) {
  const rows = [["section", "day", "name", "value"]];
  for (const r of report.captures_per_tag_per_day) rows.push(["captures_per_tag", r.day, r.tag, r.count]);
  rows.push(["status", "", "open", report.status.open]);
  rows.push(["status", "", "done", report.status.done]);
  for (const r of report.overrides_per_rule) rows.push(["overrides_per_rule", "", r.rule, r.count]);
  for (const m of report.members) {
    rows.push(["member_captures", "", m.member, m.captures]);
    rows.push(["member_changes", "", m.member, m.mutations]);
    rows.push(["member_overrides", "", m.member, m.overrides]);
  }
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function exportCsv() {
  if (!state.report) return;
  const blob = new Blob([reportCsv(state.report)], { type: "text/csv;charset=utf-8" });
  const link = el("a", {
    href: URL.createObjectURL(blob),
    download: `tact-report-${state.report.from}-to-${state.report.to}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.report = null;
  showSignedIn(false);
  byId("login-error").textContent = message || "";
}

async function signIn(event) {
  event.preventDefault();
  const token = byId("token").value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  byId("token").value = "";
  byId("login-error").textContent = "";
  showSignedIn(true);
  await load();
}

function init() {
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400000);
  byId("to").value = isoDay(today);
  byId("from").value = isoDay(monthAgo);
  byId("login-form").addEventListener("submit", signIn);
  byId("period").addEventListener("submit", (event) => { event.preventDefault(); load(); });
  byId("logout").addEventListener("click", () => signOut(""));
  byId("export").addEventListener("click", exportCsv);
  if (sessionStorage.getItem(TOKEN_KEY)) {
    showSignedIn(true);
    load();
  }
}

document.addEventListener("DOMContentLoaded", init);
