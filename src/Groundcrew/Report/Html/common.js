"use strict";
// Shared by every Groundcrew HTML report. No network, no libraries: the data is the JSON block #data.
const DATA = JSON.parse(document.getElementById("data").textContent);

/** el("div", {class: "x"}, "text", child): text is always set as text, never parsed as markup. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

const SVGNS = "http://www.w3.org/2000/svg";
function sv(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function plural(n, word) { return `${n} ${word}${n === 1 ? "" : "s"}`; }
