/**
 * The dashboard: one self-contained page (inline CSS and JS, no build step, no external
 * assets). It only renders what the JSON API returns; every piece of data is put in the page
 * with textContent or setAttribute, never innerHTML. Live updates come over /api/events, read
 * with fetch so the token can travel in a header (EventSource cannot send one).
 */
const CSS = `
:root { color-scheme: light dark; --bg:#f7f7f8; --fg:#1d1d22; --muted:#676772; --card:#fff; --line:#dedee3;
  --ok:#1a7f37; --bad:#cf222e; --live:#0969da; --warn:#9a6700; --off:#8c959f; }
@media (prefers-color-scheme: dark) { :root { --bg:#111318; --fg:#e6e6ea; --muted:#9a9aa6; --card:#1a1d24; --line:#2c303a;
  --ok:#3fb950; --bad:#f85149; --live:#58a6ff; --warn:#d29922; --off:#6e7681; } }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--fg); }
header { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:baseline; padding:.8rem 1rem; border-bottom:1px solid var(--line); }
header h1 { font-size:1.15rem; margin:0; } header a { color:inherit; text-decoration:none; }
#conn { font-size:.85rem; color:var(--muted); } #conn[data-live="yes"]::before { content:"● "; color:var(--ok); }
main { padding:1rem; max-width:1100px; margin:0 auto; }
h2 { font-size:1rem; margin:1.2rem 0 .5rem; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.jobs { display:grid; grid-template-columns:repeat(auto-fill, minmax(300px, 1fr)); gap:.8rem; }
.job { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.8rem; display:flex; flex-direction:column; gap:.35rem; }
.job h3 { margin:0; font-size:1.05rem; display:flex; justify-content:space-between; gap:.5rem; flex-wrap:wrap; }
.muted { color:var(--muted); font-size:.88rem; }
.countdown { font-variant-numeric:tabular-nums; font-weight:600; }
.badge { display:inline-block; padding:0 .45rem; border-radius:999px; font-size:.8rem; color:#fff; background:var(--off); white-space:nowrap; }
.tl-cell { width:14px; height:22px; border-radius:3px; display:block; background:var(--off); }
/* State colours come after every base rule that sets a background, so they win. */
.s-succeeded { background:var(--ok); } .s-failed, .s-timed_out, .s-interrupted, .s-cancelled { background:var(--bad); }
.s-running, .s-pending { background:var(--live); } .s-paused, .s-skipped_overlap, .s-missed, .s-blocked_window,
.s-blocked_dependency, .s-coalesced, .s-superseded, .s-skipped_dst_gap { background:var(--warn); }
.actions { display:flex; gap:.4rem; flex-wrap:wrap; margin-top:.3rem; }
button { font:inherit; font-size:.88rem; padding:.3rem .7rem; border-radius:6px; border:1px solid var(--line); background:var(--bg); color:var(--fg); cursor:pointer; }
button:hover { border-color:var(--live); } button:disabled { opacity:.5; cursor:default; }
.timeline { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.6rem .8rem; }
.tl-row { display:flex; align-items:center; gap:.6rem; padding:.25rem 0; }
.tl-row .name { width:9rem; flex:none; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; font-size:.9rem; }
.tl-cells { display:flex; flex-wrap:wrap; gap:3px; }
#msg { min-height:1.4rem; color:var(--bad); font-size:.9rem; }
pre.log { background:#0d1117; color:#d6dde6; padding:.8rem; border-radius:8px; overflow:auto; max-height:60vh; white-space:pre-wrap; word-break:break-word; font-size:.85rem; }
dl { display:grid; grid-template-columns:max-content 1fr; gap:.2rem 1rem; margin:0; } dt { color:var(--muted); } dd { margin:0; word-break:break-word; }
@media (max-width: 560px) { main { padding:.6rem; } .jobs { grid-template-columns:1fr; } .tl-row { flex-direction:column; align-items:flex-start; }
  .tl-row .name { width:auto; } dl { grid-template-columns:1fr; } dt { margin-top:.4rem; } }
`;

const JS = String.raw`
"use strict";
var TOKEN_KEY = "shipclock-token";
var jobs = [];
var occurrences = [];
var refreshTimer = null;

function el(tag, attrs) {
  var node = document.createElement(tag);
  var keys = Object.keys(attrs || {});
  for (var i = 0; i < keys.length; i++) {
    var k = keys[i], v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = String(v);
    else if (k === "onclick") node.addEventListener("click", v);
    else node.setAttribute(k, String(v));
  }
  for (var j = 2; j < arguments.length; j++) { var c = arguments[j]; if (c) node.appendChild(c); }
  return node;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function msg(text) { document.getElementById("msg").textContent = text || ""; }
function headers(extra) {
  var h = extra || {};
  var t = sessionStorage.getItem(TOKEN_KEY);
  if (t) h["Authorization"] = "Bearer " + t;
  return h;
}
function askToken() {
  var t = window.prompt("This shipclock API needs its token (SHIPCLOCK_API_TOKEN):");
  if (t) sessionStorage.setItem(TOKEN_KEY, t.trim());
  return Boolean(t);
}
async function api(path, options, retried) {
  options = options || {};
  var init = { method: options.method || "GET", headers: headers(options.body ? { "Content-Type": "application/json" } : {}) };
  if (options.body) init.body = JSON.stringify(options.body);
  var res = await fetch(path, init);
  if (res.status === 401 && !retried && askToken()) return api(path, options, true);
  var body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new Error((body && (body.title || body.code)) || ("HTTP " + res.status));
  return body;
}
function stateBadge(state, title) { return el("span", { "class": "badge s-" + state, text: state.replace(/_/g, " "), title: title || state, "data-state": state }); }
function fmtLeft(ms) {
  if (ms <= 0) return "due now";
  var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
  var two = function (n) { return (n < 10 ? "0" : "") + n; };
  if (d > 0) return "in " + d + "d " + h + "h";
  if (h > 0) return "in " + h + "h " + two(m) + "m";
  return "in " + m + "m " + two(r) + "s";
}
function tickCountdowns() {
  var nodes = document.querySelectorAll("[data-next]");
  for (var i = 0; i < nodes.length; i++) nodes[i].textContent = fmtLeft(Date.parse(nodes[i].getAttribute("data-next")) - Date.now());
}
async function act(job, action) {
  var body = {};
  if (action === "pause") {
    var note = window.prompt("Pause " + job + ": note (optional)", "");
    if (note === null) return;
    if (note) body.note = note;
  }
  msg("");
  try {
    var out = await api("/api/jobs/" + encodeURIComponent(job) + "/" + action, { method: "POST", body: body });
    msg("");
    if (action === "trigger" && out && out.occurrence_id) document.getElementById("last-action").textContent = job + ": run requested (" + out.occurrence_id + ")";
  } catch (e) { msg(job + ": " + action + " failed: " + e.message); }
  scheduleRefresh(0);
}
function renderJobs() {
  var box = clear(document.getElementById("jobs"));
  jobs.forEach(function (j) {
    var status = j.running ? stateBadge("running", "run " + (j.running.run_id || j.running.id)) : j.paused ? stateBadge("paused", j.paused_note ? "paused: " + j.paused_note : "paused") : null;
    var last = j.last ? el("a", { href: "/runs/" + encodeURIComponent(j.last.id), title: j.last.reason || j.last.state }, stateBadge(j.last.state, j.last.reason)) : el("span", { "class": "muted", text: "never ran" });
    box.appendChild(el("section", { "class": "job", "data-job": j.name },
      el("h3", null, el("span", { text: j.name }), status),
      j.description ? el("div", { "class": "muted", text: j.description }) : null,
      el("div", { title: j.schedule || "" , "data-testid": "schedule" }, el("span", { text: j.schedule_words }), el("span", { "class": "muted", text: " · " + j.timezone })),
      el("div", null, el("span", { "class": "muted", text: "next: " }),
        j.next_time ? el("span", { text: j.next_time_local + " " }) : el("span", { text: "—" }),
        j.next_time ? el("span", { "class": "countdown", "data-next": j.next_time, text: fmtLeft(Date.parse(j.next_time) - Date.now()) }) : null),
      el("div", null, el("span", { "class": "muted", text: "last: " }), last, j.last ? el("span", { "class": "muted", text: " " + (j.last.nominal_time || "") }) : null),
      el("div", { "class": "muted", text: j.provider.kind + " → " + j.target }),
      el("div", { "class": "actions" },
        el("button", { type: "button", "data-action": "trigger", onclick: function () { act(j.name, "trigger"); } , text: "Deploy now" }),
        j.paused
          ? el("button", { type: "button", "data-action": "resume", onclick: function () { act(j.name, "resume"); }, text: "Resume" })
          : el("button", { type: "button", "data-action": "pause", onclick: function () { act(j.name, "pause"); }, text: "Pause" }))));
  });
}
function renderTimeline() {
  var box = clear(document.getElementById("timeline"));
  var byJob = {};
  occurrences.forEach(function (o) { (byJob[o.job] = byJob[o.job] || []).push(o); });
  var names = jobs.map(function (j) { return j.name; });
  Object.keys(byJob).forEach(function (n) { if (names.indexOf(n) < 0) names.push(n); });
  names.forEach(function (name) {
    var cells = el("div", { "class": "tl-cells" });
    (byJob[name] || []).slice().reverse().forEach(function (o) {
      var tip = name + " " + o.nominal_time + " (" + o.kind + "): " + o.state + (o.reason ? " — " + o.reason : "");
      cells.appendChild(el("a", { "class": "tl-cell s-" + o.state, href: o.url, title: tip, "data-state": o.state, "data-id": o.id, "data-kind": o.kind, "aria-label": tip }));
    });
    box.appendChild(el("div", { "class": "tl-row", "data-timeline-job": name }, el("span", { "class": "name", text: name }), cells));
  });
  if (!names.length) box.appendChild(el("div", { "class": "muted", text: "no jobs" }));
}
async function refreshIndex() {
  try {
    var a = await api("/api/jobs");
    // Per job, so an every-minute job does not push the others off the timeline.
    var pages = await Promise.all(a.jobs.map(function (j) { return api("/api/occurrences?limit=60&job=" + encodeURIComponent(j.name)); }));
    jobs = a.jobs; occurrences = [].concat.apply([], pages.map(function (p) { return p.occurrences; }));
    renderJobs(); renderTimeline(); msg("");
  } catch (e) { msg("could not load: " + e.message); }
}
async function streamLog(id, attempt, pre, retried) {
  var res = await fetch("/api/occurrences/" + encodeURIComponent(id) + "/log?attempt=" + attempt, { headers: headers() });
  if (res.status === 401 && !retried && askToken()) return streamLog(id, attempt, pre, true);
  if (!res.ok || !res.body) { pre.textContent = "(no log yet)"; return; }
  // A retry's log follows the previous attempt's under a heading, so both stay readable.
  if (pre.textContent) pre.appendChild(document.createTextNode("\n── attempt " + attempt + " ──\n"));
  var reader = res.body.getReader(), dec = new TextDecoder();
  for (;;) {
    var part = await reader.read();
    if (part.done) break;
    pre.appendChild(document.createTextNode(dec.decode(part.value, { stream: true })));
    pre.scrollTop = pre.scrollHeight;
  }
}
var followed = null;
var logPre = null;
async function refreshRun(id) {
  try {
    var o = await api("/api/occurrences/" + encodeURIComponent(id));
    var box = clear(document.getElementById("run"));
    document.title = o.job + " " + o.state + " · shipclock";
    var rows = [["job", o.job], ["state", null], ["nominal time", o.nominal_time], ["kind", o.kind + (o.trigger !== o.kind ? " (" + o.trigger.replace(/_/g, " ") + ")" : "")], ["reason", o.reason],
      ["started", o.started_at], ["ended", o.ended_at], ["run id", o.run_id], ["requested by", o.requested_by], ["error", o.error_class ? o.error_class + ": " + (o.message || "") : null]];
    var dl = el("dl", { "data-testid": "run-details" });
    rows.forEach(function (r) {
      if (r[0] !== "state" && !r[1]) return;
      dl.appendChild(el("dt", { text: r[0] }));
      dl.appendChild(r[0] === "state" ? el("dd", { "data-run-state": o.state }, stateBadge(o.state, o.reason)) : el("dd", { text: r[1] }));
    });
    box.appendChild(el("h2", { text: "Run" })); box.appendChild(dl);
    box.appendChild(el("h2", { text: "Attempts" }));
    var list = el("ol", null);
    o.attempts.forEach(function (a) { list.appendChild(el("li", { text: (a.outcome || "running") + (a.error_class ? " (" + a.error_class + ")" : "") + (a.message ? ": " + a.message : "") + " · " + a.started_at })); });
    if (!o.attempts.length) list.appendChild(el("li", { "class": "muted", text: o.state === "pending" ? "waiting to start" : "none" }));
    box.appendChild(list);
    box.appendChild(el("h2", { text: "Log" }));
    // One log element for the page's life: a stream keeps writing into it across re-renders.
    if (!logPre) logPre = el("pre", { "class": "log", id: "log", "data-testid": "log", "aria-live": "polite" });
    box.appendChild(logPre);
    var last = o.attempts[o.attempts.length - 1];
    // A live stream runs to the attempt's end by itself: start a new one only for a new attempt.
    if (last && last.number !== followed) { followed = last.number; streamLog(o.id, last.number, logPre).catch(function () {}); }
  } catch (e) { msg("could not load run: " + e.message); }
}
function page() { var m = /^\/runs\/([^/]+)$/.exec(location.pathname); return m ? { run: decodeURIComponent(m[1]) } : { run: null }; }
function refresh() { var p = page(); return p.run ? refreshRun(p.run) : refreshIndex(); }
function scheduleRefresh(ms) { if (refreshTimer) clearTimeout(refreshTimer); refreshTimer = setTimeout(refresh, ms); }
async function listen(retried) {
  var conn = document.getElementById("conn");
  try {
    var res = await fetch("/api/events", { headers: headers() });
    if (res.status === 401 && !retried && askToken()) return listen(true);
    if (!res.ok || !res.body) throw new Error("HTTP " + res.status);
    conn.textContent = "live"; conn.setAttribute("data-live", "yes");
    var reader = res.body.getReader(), dec = new TextDecoder(), buf = "";
    for (;;) {
      var part = await reader.read();
      if (part.done) break;
      buf += dec.decode(part.value, { stream: true });
      var idx;
      while ((idx = buf.indexOf("\n\n")) >= 0) {
        var block = buf.slice(0, idx); buf = buf.slice(idx + 2);
        var name = "message";
        block.split("\n").forEach(function (line) { if (line.indexOf("event: ") === 0) name = line.slice(7); });
        if (name !== "hello" && name !== "run:log" && name !== "tick") scheduleRefresh(150);
      }
    }
  } catch (e) { /* reconnect below */ }
  conn.textContent = "reconnecting…"; conn.removeAttribute("data-live");
  setTimeout(function () { listen(false); }, 3000);
}
document.addEventListener("DOMContentLoaded", function () {
  var p = page();
  document.getElementById("index").hidden = Boolean(p.run);
  document.getElementById("run").hidden = !p.run;
  refresh();
  listen(false);
  setInterval(tickCountdowns, 1000);
  setInterval(refresh, 30000);
});
`;

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>shipclock</title>
<style>${CSS}</style>
</head>
<body>
<header><h1><a href="/">shipclock</a></h1><span id="conn">connecting…</span><span id="last-action" class="muted"></span></header>
<main>
<div id="msg" role="status"></div>
<div id="index">
<h2>Jobs</h2>
<div id="jobs" class="jobs"></div>
<h2>Timeline</h2>
<div id="timeline" class="timeline" aria-label="recent occurrences, oldest first"></div>
<p class="muted legend">Oldest first; hover a square for its time and reason, click it for the run.
<span class="badge s-succeeded">succeeded</span> <span class="badge s-failed">failed</span>
<span class="badge s-running">running / pending</span> <span class="badge s-missed">skipped, missed, paused, blocked</span></p>
</div>
<div id="run" hidden></div>
</main>
<script>${JS}</script>
</body>
</html>
`;
