// The operator's page at /ops: a static shell that asks for the ops token and renders
// /ops/actors. The token stays in the page's memory and travels only in the Authorization header.

#include "http/router.hpp"
#include "http/routes/routes.hpp"

namespace mundoctor::http {

namespace {

constexpr auto page_html = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mundoctor operations</title>
<link rel="stylesheet" href="/ops/app.css">
<script src="/ops/app.js" defer></script>
</head>
<body>
<h1>Mundoctor actors</h1>
<form id="login"><label>Ops token <input id="token" type="password" autocomplete="off"></label>
<button type="submit">Show</button> <span id="status"></span></form>
<section id="pool"></section>
<section id="kinds"></section>
<section id="supervisors"></section>
</body>
</html>
)html";

constexpr auto page_css = R"css(body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #c9d2dc;padding:.3rem .6rem;text-align:left}
th{background:#eef2f6}#status{color:#a33}
)css";

constexpr auto page_js = R"js('use strict';
let token = '';
function cell(row, text) { const td = document.createElement('td'); td.textContent = String(text); row.appendChild(td); }
function table(title, headers, rows) {
  const section = document.createElement('div');
  const h = document.createElement('h2'); h.textContent = title; section.appendChild(h);
  const t = document.createElement('table'); const head = t.insertRow();
  for (const name of headers) { const th = document.createElement('th'); th.textContent = name; head.appendChild(th); }
  for (const r of rows) { const row = t.insertRow(); for (const v of r) cell(row, v); }
  section.appendChild(t); return section;
}
async function refresh() {
  const status = document.getElementById('status');
  const res = await fetch('/ops/actors', { headers: { Authorization: 'Bearer ' + token } });
  const body = await res.json();
  if (!body.success) { status.textContent = body.message; return; }
  status.textContent = '';
  const d = body.data;
  const pool = d.db_pool || {};
  document.getElementById('pool').replaceChildren(table('Database pool',
    ['size', 'in use', 'idle', 'queued', 'jobs', 'failures', 'reconnects', 'connected'],
    [[pool.size, pool.in_use, pool.idle, pool.queued, pool.jobs, pool.failures, pool.reconnects, pool.connected]]));
  document.getElementById('kinds').replaceChildren(table('Keyed actors',
    ['kind', 'count', 'spawned', 'passivated', 'crashes', 'mailbox', 'busiest', 'recent crashes'],
    d.kinds.map(k => [k.kind, k.count, k.spawned, k.passivated, k.crashes, k.mailbox_total,
      k.busiest.map(b => b.key + ' (' + b.mailbox + ')').join(', '), k.recent_crashes.join('; ')])));
  const rows = [];
  for (const s of d.supervisors) for (const c of s.children)
    rows.push([s.name, c.name, c.running, c.restarts, c.last_exit_reason]);
  document.getElementById('supervisors').replaceChildren(table('Supervisors',
    ['supervisor', 'child', 'running', 'restarts', 'last exit reason'], rows));
}
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('login').addEventListener('submit', e => {
    e.preventDefault(); token = document.getElementById('token').value; refresh(); setInterval(refresh, 5000);
  });
});
)js";

handler_fn static_asset(const char* content, const char* type, const char* csp) {
  return [content, type, csp](request_context&, responder res) {
    response r;
    r.headers.set("content-type", type);
    r.headers.set("content-security-policy", csp);
    r.headers.set("cache-control", "no-cache");
    r.body = content;
    res.send(std::move(r));
  };
}

}  // namespace

void register_ops_page(router& r) {
  constexpr auto page_csp =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  r.add(verb::get, "/ops", static_asset(page_html, "text/html; charset=utf-8", page_csp));
  r.add(verb::get, "/ops/app.js",
        static_asset(page_js, "text/javascript; charset=utf-8", "default-src 'none'"));
  r.add(verb::get, "/ops/app.css",
        static_asset(page_css, "text/css; charset=utf-8", "default-src 'none'"));
}

}  // namespace mundoctor::http
