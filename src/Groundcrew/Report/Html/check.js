// The check report: summary, findings (filters, search), and the deployment graph laid out by Groundcrew (MSAGL, in C#).
const F = DATA.findings, G = DATA.graph, M = DATA.meta, RULES = DATA.rules;
const SEVS = ["error", "warning", "note"];
const KIND_FILL = {
  workload: "#d1e9ff", container: "#eff8ff", image: "#f4f3ff", app: "#ebe9fe", service: "#d1fadf", ingress: "#a6f4c5",
  configmap: "#fef0c7", secret: "#fee4e2", serviceaccount: "#e0f2fe", "iam-role": "#ffead5", "iam-policy": "#fff6ed",
  "oidc-provider": "#fdead7", taskdefinition: "#d5d9eb", "ecs-service": "#c7d7fe", "aws-secret": "#fecdca", queue: "#ccfbef",
  "event-rule": "#99f6e0", subnet: "#f2f4f7", "route-table": "#eaecf0", gateway: "#d0d5dd", endpoint: "#e4e7ec",
  cluster: "#dde3f8", "load-balancer": "#d3f8df", database: "#fcceee", autoscaler: "#e9d7fe", file: "#ffffff", resource: "#f9fafb",
};
const BIG = G.nodes.length > 2500;

// ---------- header: verdict, counts, inputs ----------
const counts = { error: 0, warning: 0, note: 0 };
const byRule = new Map();
for (const f of F) { counts[f.severity]++; byRule.set(f.rule, (byRule.get(f.rule) || 0) + 1); }

const header = el("header", {},
  el("h1", {}, "Groundcrew check: ", el("span", { class: M.failed ? "verdict-failed" : "verdict-passed", id: "verdict" }, M.failed ? "FAILED" : "passed")),
  el("div", { class: "meta" },
    `${M.inputs.join(", ") || "."} · ${plural(M.files, "file")} · ${plural(M.resources, "resource")} · ${M.seconds.toFixed(2)} s · failing on ${M.failOn} and above · ${M.tool} · ${M.generated}`
    + (M.suppressed ? ` · ${M.suppressed} suppressed` : "") + (M.inventory ? ` · against the ${M.inventory}` : "")),
  el("div", { class: "counts" },
    SEVS.map(s => el("span", { class: "count" }, el("b", { class: "sev-" + s, id: "count-" + s }, counts[s]), ` ${s}${counts[s] === 1 ? "" : "s"}`)),
    el("span", { class: "count" }, el("b", { id: "count-nodes" }, G.nodes.length), " resources drawn"),
    el("span", { class: "count" }, el("b", { class: "sev-error", id: "count-broken" }, G.edges.filter(e => e.state === "broken").length), " broken references"),
    el("span", { class: "count" }, el("b", { id: "count-unknown" }, G.edges.filter(e => e.state === "unknown").length), " unknown"),
    M.inventory ? el("span", { class: "count" }, el("b", { id: "count-live" }, G.nodes.filter(n => n.live).length), " live") : null),
  el("details", { class: "meta" }, el("summary", {}, "by rule, inputs and notes"),
    el("table", { class: "summary", id: "rule-counts" },
      el("tr", {}, el("th", {}, "rule"), el("th", {}, "findings"), el("th", {}, "prevents")),
      [...byRule.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) =>
        el("tr", { "data-rule": r }, el("td", {}, el("a", { href: RULES[r].docs, target: "_blank", rel: "noopener" }, r)), el("td", {}, n), el("td", {}, RULES[r].why || "")))),
    el("div", {}, `scan root: ${M.root}`),
    M.notices.map(n => el("div", {}, "note: " + n))));
document.body.append(header);

// ---------- layout: findings on the left, graph on the right ----------
const left = el("section", { class: "pane", id: "findings-pane" });
const right = el("section", { class: "pane", id: "graph-pane" });
const split = el("main", { class: "split" }, left, right);
document.body.append(split);
const style = document.createElement("style");
style.textContent = ".split{display:grid;grid-template-columns:minmax(380px,40%) 1fr;gap:14px;padding:12px 20px;height:calc(100vh - 120px)}.pane{overflow:auto;min-height:0}#graph-wrap{height:calc(100% - 40px)}";
document.head.append(style);

// ---------- findings ----------
const sevBoxes = SEVS.map(s => el("label", {}, el("input", { type: "checkbox", checked: true, "data-sev": s, onchange: applyFilters }), " " + s));
const ruleSelect = el("select", { id: "rule-filter", onchange: applyFilters }, el("option", { value: "" }, "all rules"),
  [...byRule.keys()].sort().map(r => el("option", { value: r }, `${r} (${byRule.get(r)})`)));
const files = [...new Set(F.map(f => f.file))].sort();
const fileSelect = el("select", { id: "file-filter", onchange: applyFilters }, el("option", { value: "" }, "all files"), files.map(f => el("option", { value: f }, f)));
const search = el("input", { type: "search", id: "search", placeholder: "search messages, files, rules…", oninput: applyFilters });
const shown = el("span", { id: "shown-count", class: "meta" });
left.append(el("div", { class: "filters" }, sevBoxes, ruleSelect, fileSelect, search, shown));
const list = el("div", { id: "findings" });
left.append(list);
if (F.length === 0) list.append(el("div", { class: "empty" }, "No findings."));

const cards = [];
for (const file of files) {
  const group = el("div", { class: "file-group", "data-file": file }, el("h3", {}, file));
  F.forEach((f, i) => { if (f.file === file) { const c = card(f, i); cards.push(c); group.append(c); } });
  list.append(group);
}

function card(f, i) {
  const rule = RULES[f.rule] || {};
  const c = el("article", { class: "finding", id: "finding-" + i, "data-index": i, "data-rule": f.rule, "data-severity": f.severity, "data-file": f.file,
      onclick: () => selectFinding(i) },
    el("div", { class: "head" }, el("span", { class: "badge " + f.severity }, f.severity), el("span", { class: "loc" }, `${f.file}:${f.line}:${f.column}`),
      el("span", { class: "msg" }, f.message)),
    el("div", {}, el("a", { class: "rule", href: rule.docs, target: "_blank", rel: "noopener", onclick: e => e.stopPropagation() }, f.rule), rule.title ? " · " + rule.title : ""));
  if (f.frame) {
    const frame = el("div", { class: "frame" });
    f.frame.lines.forEach((text, k) => {
      const n = f.frame.start + k;
      frame.append(el("div", { class: n === f.line ? "hit" : "" }, el("span", { class: "ln" }, n), text));
      if (n === f.line) frame.append(el("div", { class: "mark" }, el("span", { class: "ln" }, ""), " ".repeat(Math.max(0, f.frame.markColumn - 1)) + "^".repeat(f.frame.markWidth)));
    });
    c.append(frame);
  }
  if (rule.why) c.append(el("div", { class: "why" }, el("b", {}, "why: "), rule.why));
  if (f.fix) c.append(el("div", { class: "fix" }, el("b", {}, "fix: "), f.fix));
  if (f.related.length) c.append(el("ul", { class: "related" }, f.related.map(r => el("li", {}, "see ", el("code", {}, `${r.file}:${r.line}`), ": " + r.message))));
  c.dataset.text = `${f.file} ${f.rule} ${f.message} ${f.fix || ""} ${f.related.map(r => r.file + " " + r.message).join(" ")}`.toLowerCase();
  return c;
}

function applyFilters() {
  const sevs = new Set(sevBoxes.map(l => l.querySelector("input")).filter(i => i.checked).map(i => i.dataset.sev));
  const rule = ruleSelect.value, file = fileSelect.value, q = search.value.trim().toLowerCase();
  let visible = 0;
  for (const c of cards) {
    const ok = sevs.has(c.dataset.severity) && (!rule || c.dataset.rule === rule) && (!file || c.dataset.file === file) && (!q || c.dataset.text.includes(q));
    c.classList.toggle("hidden", !ok);
    if (ok) visible++;
  }
  for (const g of list.querySelectorAll(".file-group")) g.classList.toggle("hidden", !g.querySelector(".finding:not(.hidden)"));
  shown.textContent = `${visible} of ${F.length} shown`;
}
applyFilters();

// ---------- graph ----------
const groupings = Object.keys(G.layouts);
let grouping = groupings[0];
const collapsed = new Set();
const groupSelect = el("select", { id: "group-by", onchange: () => { grouping = groupSelect.value; collapsed.clear(); initialCollapse(); render(); fit(); } },
  groupings.map(g => el("option", { value: g }, "group by " + g)));
const legendLine = (cls, text) => el("span", {}, svgLegend(cls), " " + text);
right.append(el("div", { class: "graph-bar" }, groupSelect,
  el("button", { onclick: () => { collapsed.clear(); render(); fit(); } }, "expand all"),
  el("button", { onclick: () => { for (const g of G.layouts[grouping]) collapsed.add(g.name); render(); fit(); } }, "collapse all"),
  el("button", { onclick: () => { clearHighlight(); fit(); } }, "fit"),
  el("span", { class: "legend" }, legendLine("edge", "resolved"), legendLine("edge broken", "broken (missing, contradicted)"), legendLine("edge unknown", "unknown (not scanned)"),
    G.nodes.some(n => n.live) ? el("span", {}, el("span", { class: "live-swatch" }), " live (in the account or cluster)") : null)));
function svgLegend(cls) { const s = sv("svg", { width: 28, height: 8 }); s.append(sv("line", { x1: 0, y1: 4, x2: 28, y2: 4, class: cls })); return s; }

const svg = sv("svg", { id: "graph", "data-testid": "graph" });
const defs = sv("defs");
for (const [id, color] of [["arrow", "#98a2b3"], ["arrow-broken", "#d92d20"]])
  defs.append(sv("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    sv("path", { d: "M0,0 L10,5 L0,10 z", fill: color })));
svg.append(defs);
const viewport = sv("g", { id: "viewport" });
svg.append(viewport);
const panel = el("div", { id: "panel", class: "hidden" });
const wrap = el("div", { id: "graph-wrap" }, svg, panel);
right.append(wrap);

let positions = new Map();   // node -> {x, y, w, h, group}
let groupBoxes = new Map();  // group name -> {x, y, w, h}
const nodeEls = new Map(), edgeEls = new Map();

function nodeWidth(n) { return Math.min(260, 20 + 6.4 * Math.min(n.label.length, 38)); }
function groupHasFindings(g) { for (let k = 0; k < g.nodes.length; k += 3) if (G.nodes[g.nodes[k]].findings) return true; return false; }
function initialCollapse() {
  // A large graph opens with only the groups that hold findings expanded: drawing every box of 20,000 is slow and unreadable.
  if (BIG) for (const g of G.layouts[grouping]) if (!groupHasFindings(g)) collapsed.add(g.name);
}
initialCollapse();

function render() {
  viewport.replaceChildren();
  positions = new Map(); groupBoxes = new Map(); nodeEls.clear(); edgeEls.clear();
  const groups = G.layouts[grouping];
  // Shelf packing: boxes left to right, a new row when the row is full; the width keeps the whole roughly 16:10.
  const sizes = groups.map(g => collapsed.has(g.name) ? { w: Math.max(180, 30 + 7 * g.name.length), h: 30 } : { w: g.width, h: g.height });
  const area = sizes.reduce((a, s) => a + (s.w + 20) * (s.h + 20), 0);
  const maxW = Math.max(900, Math.sqrt(area * 1.6), ...sizes.map(s => s.w));
  let x = 0, y = 0, rowH = 0;
  // Edges between groups pass over other boxes: they must not take the clicks meant for a group's title or a node.
  const groupLayer = sv("g"), crossLayer = sv("g", { style: "pointer-events:none" });
  viewport.append(groupLayer, crossLayer);
  groups.forEach((g, gi) => {
    const s = sizes[gi];
    if (x > 0 && x + s.w > maxW) { x = 0; y += rowH + 20; rowH = 0; }
    groupBoxes.set(g.name, { x, y, w: s.w, h: s.h });
    const isCollapsed = collapsed.has(g.name);
    const ge = sv("g", { class: "grp", transform: `translate(${x},${y})`, "data-group": g.name });
    ge.append(sv("rect", { class: "box", width: s.w, height: s.h, rx: 8 }));
    const count = g.nodes.length / 3;
    const title = sv("g", { class: "title", "data-group-title": g.name });
    title.append(sv("rect", { width: s.w, height: isCollapsed ? s.h : 22, rx: 8 }), sv("text", { x: 10, y: 15 }, `${isCollapsed ? "▸" : "▾"} ${g.name} (${count})`));
    title.addEventListener("click", e => { e.stopPropagation(); if (isCollapsed) collapsed.delete(g.name); else collapsed.add(g.name); render(); });
    ge.append(title);
    for (let k = 0; k < g.nodes.length; k += 3) {
      const n = g.nodes[k];
      positions.set(n, { x: x + g.nodes[k + 1], y: y + g.nodes[k + 2], w: nodeWidth(G.nodes[n]), h: 26, group: g.name, collapsed: isCollapsed, gx: x, gy: y, gw: s.w, gh: s.h });
    }
    if (!isCollapsed) {
      const edgeLayer = sv("g"), labelLayer = sv("g"), nodeLayer = sv("g");
      ge.append(edgeLayer, nodeLayer, labelLayer);
      for (const [ei, d] of Object.entries(g.paths)) edgeLayer.append(edgeEl(+ei, d, labelLayer, true));
      for (let k = 0; k < g.nodes.length; k += 3) nodeLayer.append(nodeEl(g.nodes[k], g.nodes[k + 1], g.nodes[k + 2]));
    }
    groupLayer.append(ge);
    x += s.w + 20; rowH = Math.max(rowH, s.h);
  });
  // Edges between groups: straight, from box edge to box edge; a collapsed group's edges meet at its title.
  const seen = new Set();
  G.edges.forEach((e, ei) => {
    const a = positions.get(e.from), b = positions.get(e.to);
    if (!a || !b || a.group === b.group) return;
    const pa = a.collapsed ? { x: a.gx + a.gw / 2, y: a.gy + a.gh / 2 } : a, pb = b.collapsed ? { x: b.gx + b.gw / 2, y: b.gy + b.gh / 2 } : b;
    const key = `${a.collapsed ? a.group : e.from}>${b.collapsed ? b.group : e.to}>${e.state}`;
    if ((a.collapsed || b.collapsed) && seen.has(key)) return;
    seen.add(key);
    const dx = pb.x - pa.x, dy = pb.y - pa.y;
    const sx = pa.x + Math.sign(dx) * (a.collapsed ? 0 : Math.min(a.w / 2, Math.abs(dx) / 2)), ex = pb.x - Math.sign(dx) * (b.collapsed ? 0 : Math.min(b.w / 2, Math.abs(dx) / 2));
    crossLayer.append(edgeEl(ei, `M${sx},${pa.y} C${sx + dx / 3},${pa.y} ${ex - dx / 3},${pb.y} ${ex},${pb.y}`, crossLayer, !(a.collapsed || b.collapsed)));
    void dy;
  });
  if (highlighted) applyHighlight();
}

function edgeEl(ei, d, labelLayer, withLabel) {
  const e = G.edges[ei];
  const p = sv("path", { d, class: `edge ${e.state}`, "data-edge": ei, "marker-end": `url(#${e.state === "broken" ? "arrow-broken" : "arrow"})` });
  p.append(sv("title", {}, `${G.nodes[e.from].label} → ${G.nodes[e.to].label}: ${e.label}${e.detail ? " — " + e.detail : ""}`));
  edgeEls.set(ei, [p]);
  // Labels on broken and unknown edges always, on the others only while the graph is small enough to read them.
  if (withLabel && (e.state !== "resolved" || G.edges.length < 400)) {
    const m = midpoint(d);
    const t = sv("text", { x: m.x, y: m.y - 3, class: "elabel " + e.state, "text-anchor": "middle", "data-edge-label": ei }, e.label.length > 40 ? e.label.slice(0, 39) + "…" : e.label);
    labelLayer.append(t);
    edgeEls.get(ei).push(t);
  }
  return p;
}

/** The middle of a path written as M x,y (C … | L …)*: the middle point of its middle segment. */
function midpoint(d) {
  const nums = d.match(/-?\d+(\.\d+)?/g).map(Number);
  const pts = [];
  for (let i = 0; i + 1 < nums.length; i += 2) pts.push({ x: nums[i], y: nums[i + 1] });
  if (pts.length >= 4 && pts.length % 3 === 1) {
    const seg = Math.floor((pts.length - 1) / 3 / 2) * 3;
    const [p0, p1, p2, p3] = pts.slice(seg, seg + 4);
    return { x: (p0.x + 3 * p1.x + 3 * p2.x + p3.x) / 8, y: (p0.y + 3 * p1.y + 3 * p2.y + p3.y) / 8 };
  }
  const a = pts[0], b = pts[pts.length - 1];
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

function nodeEl(n, cx, cy) {
  const node = G.nodes[n];
  const w = nodeWidth(node), h = 26;
  const sev = worstSeverity(node);
  const g = sv("g", { class: `node${node.external ? " ext" : ""}${node.live ? " live" : ""}${sev === "error" ? " has-findings" : sev === "warning" ? " has-warnings" : ""}`,
    transform: `translate(${cx - w / 2},${cy - h / 2})`, "data-node": n, "data-kind": node.kind });
  g.append(sv("rect", { width: w, height: h, rx: 5, fill: KIND_FILL[node.kind] || "#fff" }));
  const label = node.label.length > 38 ? node.label.slice(0, 37) + "…" : node.label;
  g.append(sv("text", { x: 8, y: 17 }, label));
  if (node.findings) g.append(sv("text", { x: w - 6, y: 10, "text-anchor": "end", class: "sev-" + sev, style: "font-size:9px;font-weight:700" }, node.findings.length));
  g.append(sv("title", {}, node.title + (node.file ? `\n${node.file}:${node.line}` : "")));
  g.addEventListener("click", ev => { ev.stopPropagation(); showNode(n); });
  nodeEls.set(n, g);
  return g;
}

function worstSeverity(node) {
  if (!node.findings) return null;
  let best = "note";
  for (const i of node.findings) { const s = F[i].severity; if (s === "error") return "error"; if (s === "warning") best = "warning"; }
  return best;
}

// ---------- node panel ----------
function showNode(n) {
  const node = G.nodes[n];
  for (const e of viewport.querySelectorAll(".node.sel")) e.classList.remove("sel");
  nodeEls.get(n)?.classList.add("sel");
  const edges = G.edges.map((e, i) => [e, i]).filter(([e]) => e.from === n || e.to === n);
  panel.replaceChildren(
    el("button", { class: "close", onclick: () => panel.classList.add("hidden"), title: "close" }, "×"),
    el("h4", {}, node.label),
    el("div", { class: "meta" }, node.title),
    node.file ? el("div", { class: "meta", id: "panel-location" }, `${node.file}:${node.line}`) : null,
    el("h4", { style: "margin-top:8px" }, node.findings ? plural(node.findings.length, "finding") : "no findings"),
    el("ul", { id: "panel-findings" }, (node.findings || []).map(i => el("li", { "data-finding": i, onclick: () => selectFinding(i) },
      el("span", { class: "badge " + F[i].severity }, F[i].severity), " ", F[i].message, el("div", { class: "rule" }, `${F[i].rule} · ${F[i].file}:${F[i].line}`)))),
    el("h4", { style: "margin-top:8px" }, "references"),
    el("ul", {}, edges.map(([e]) => el("li", { class: e.state === "broken" ? "sev-error" : "" },
      `${e.from === n ? "→ " + G.nodes[e.to].label : "← " + G.nodes[e.from].label}: ${e.label}${e.state !== "resolved" ? ` (${e.state})` : ""}${e.detail ? " — " + e.detail : ""}`))));
  panel.classList.remove("hidden");
}

// ---------- chains ----------
let highlighted = null;
function selectFinding(i) {
  for (const c of list.querySelectorAll(".finding.selected")) c.classList.remove("selected");
  const c = document.getElementById("finding-" + i);
  if (c) { c.classList.add("selected"); c.scrollIntoView({ block: "nearest" }); }
  const f = F[i];
  highlighted = { nodes: new Set(f.nodes || []), edges: new Set(f.edges || []) };
  let expanded = false;
  for (const n of highlighted.nodes) { const p = positions.get(n); if (p && collapsed.has(p.group)) { collapsed.delete(p.group); expanded = true; } }
  if (expanded) render(); else applyHighlight();
  zoomTo([...highlighted.nodes]);
}
function applyHighlight() {
  for (const e of viewport.querySelectorAll(".hl")) e.classList.remove("hl");
  if (!highlighted || highlighted.nodes.size === 0) { svg.classList.remove("dim"); return; }
  svg.classList.add("dim");
  for (const n of highlighted.nodes) nodeEls.get(n)?.classList.add("hl");
  for (const e of highlighted.edges) for (const x of edgeEls.get(e) || []) x.classList.add("hl");
}
function clearHighlight() {
  highlighted = null; applyHighlight();
  for (const c of list.querySelectorAll(".finding.selected")) c.classList.remove("selected");
}

// ---------- pan and zoom (the viewBox) ----------
let view = { x: 0, y: 0, w: 1000, h: 600 };
function setView(v) { view = v; svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`); }
function bounds(boxes) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const b of boxes) { x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h); }
  return { x0, y0, x1, y1 };
}
function frame(b, pad) {
  const r = svg.getBoundingClientRect(), aspect = (r.width || 1000) / (r.height || 600);
  let w = b.x1 - b.x0 + 2 * pad, h = b.y1 - b.y0 + 2 * pad;
  if (w / h < aspect) w = h * aspect; else h = w / aspect;
  setView({ x: (b.x0 + b.x1) / 2 - w / 2, y: (b.y0 + b.y1) / 2 - h / 2, w, h });
}
function fit() { if (groupBoxes.size) frame(bounds(groupBoxes.values()), 20); }
function zoomTo(nodes) {
  const boxes = nodes.map(n => positions.get(n)).filter(Boolean).map(p => p.collapsed ? { x: p.gx, y: p.gy, w: p.gw, h: p.gh } : { x: p.x - p.w / 2, y: p.y - p.h / 2, w: p.w, h: p.h });
  if (!boxes.length) return;
  const b = bounds(boxes);
  // Never closer than 1:1 for a short chain: the labels stay their size and the neighbours stay in sight.
  const r = svg.getBoundingClientRect();
  const minW = (r.width || 1000), minH = (r.height || 600);
  const cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
  if (b.x1 - b.x0 < minW - 80 && b.y1 - b.y0 < minH - 80) setView({ x: cx - minW / 2, y: cy - minH / 2, w: minW, h: minH });
  else frame(b, 60);
}
svg.addEventListener("wheel", e => {
  e.preventDefault();
  const r = svg.getBoundingClientRect();
  const k = Math.exp(e.deltaY * 0.0015);
  const mx = view.x + (e.clientX - r.left) / r.width * view.w, my = view.y + (e.clientY - r.top) / r.height * view.h;
  setView({ x: mx - (mx - view.x) * k, y: my - (my - view.y) * k, w: view.w * k, h: view.h * k });
}, { passive: false });
let drag = null;
svg.addEventListener("mousedown", e => { drag = { x: e.clientX, y: e.clientY, v: { ...view }, moved: false }; });
window.addEventListener("mousemove", e => {
  if (!drag) return;
  const r = svg.getBoundingClientRect();
  const dx = (e.clientX - drag.x) / r.width * drag.v.w, dy = (e.clientY - drag.y) / r.height * drag.v.h;
  if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) drag.moved = true;
  setView({ ...drag.v, x: drag.v.x - dx, y: drag.v.y - dy });
});
window.addEventListener("mouseup", () => { setTimeout(() => { drag = null; }, 0); });
svg.addEventListener("click", () => { if (drag && drag.moved) return; clearHighlight(); panel.classList.add("hidden"); });

render();
fit();
document.body.dataset.ready = "true";
