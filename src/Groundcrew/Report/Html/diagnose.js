// The diagnose report: each known failure matched, best first, with its evidence lines, cause, fix and the check rules
// that prevent it. DATA is diagnose's JSON report, already redacted.
const D = DATA;
document.body.append(el("header", {},
  el("h1", {}, "Groundcrew diagnose: ", el("span", { id: "verdict", class: D.matches.length ? "verdict-failed" : "verdict-passed" },
    D.matches.length ? plural(D.matches.length, "known failure") + " matched" : "no known failure matched")),
  D.problems.map(p => el("div", { class: "sev-warning" }, `${p.source}: ${p.message}`))));
const main = el("main", {});
document.body.append(main);
for (const m of D.matches) {
  main.append(el("section", { class: "step failed", "data-match": m.id },
    el("div", { class: "head" }, el("span", { class: "badge error" }, m.id), " ", el("b", {}, m.title), el("span", { class: "meta" }, ` · confidence ${m.confidence}`)),
    el("div", { class: "why" }, el("b", {}, "cause: "), m.cause),
    el("div", { class: "fix" }, el("b", {}, "fix: "), m.fix.length === 1 ? m.fix[0] : el("ol", {}, m.fix.map(x => el("li", {}, x)))),
    m.preventedBy.length ? el("div", { class: "fix" }, el("b", {}, "prevented by: "), m.preventedBy.map((r, i) => [i ? ", " : "", el("a", { href: RULE_DOCS ? RULE_DOCS + r + ".md" : null, target: "_blank", rel: "noopener" }, r)])) : null,
    el("div", { class: "meta" }, "evidence"), el("div", { class: "kv evidence" }, m.evidence.join("\n")),
    m.hypotheses.length ? el("details", {}, el("summary", {}, "possible causes, ranked"),
      el("ol", {}, m.hypotheses.map(h => el("li", {}, `${h.cause} (score ${h.score})`, h.support.length ? el("div", { class: "meta" }, h.support.join("; ")) : null)))) : null,
    m.sources.length ? el("div", { class: "meta" }, "sources: ", m.sources.join(", ")) : null));
}
if (!D.matches.length && D.unmatchedErrorLines.length)
  main.append(el("h2", {}, "Lines that look like errors"), el("div", { class: "kv" }, D.unmatchedErrorLines.join("\n")));
document.body.dataset.ready = "true";
