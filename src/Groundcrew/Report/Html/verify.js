// The verify report: the rollouts waited for, then each flow and its steps (timings, the failing assertion with expected
// and actual, the masked response excerpt). DATA is verify's JSON report, already redacted.
const V = DATA;
const failedFlows = V.flows.filter(f => !f.passed).length, failedRollouts = V.rollouts.filter(r => !r.passed).length;
document.body.append(el("header", {},
  el("h1", {}, "Groundcrew verify: ", el("span", { class: V.exitCode === 0 ? "verdict-passed" : "verdict-failed", id: "verdict" }, V.result)),
  el("div", { class: "counts" },
    el("span", { class: "count" }, el("b", { id: "count-flows" }, V.flows.length), " flows, ", el("b", { class: "sev-error", id: "count-failed-flows" }, failedFlows), " failed"),
    el("span", { class: "count" }, el("b", { id: "count-rollouts" }, V.rollouts.length), " rollouts, ", el("b", { class: "sev-error" }, failedRollouts), " failed")),
  V.errors.map(e => el("div", { class: "sev-error" }, "error: " + e))));
const main = el("main", {});
document.body.append(main);
if (V.rollouts.length) {
  main.append(el("h2", {}, "Rollouts"));
  for (const r of V.rollouts)
    main.append(el("div", { class: "step" + (r.passed ? "" : " failed"), "data-rollout": r.target },
      el("div", { class: "head" }, el("span", { class: "badge " + (r.passed ? "note" : "error") }, r.passed ? "passed" : "failed"), " ", el("b", {}, r.target), ` · ${r.seconds.toFixed(2)} s`),
      el("div", {}, r.message),
      r.evidence.map(e => el("div", {}, el("div", { class: "meta" }, `${e.platform} ${e.subject}`),
        e.state.length ? el("div", { class: "kv" }, e.state.join("\n")) : null,
        e.events.length ? el("div", { class: "kv" }, e.events.join("\n")) : null,
        e.logs ? el("div", { class: "kv" }, e.logs) : null)),
      r.explanations.map(x => el("div", { class: "fix" }, el("b", {}, "diagnosis: "), x))));
}
for (const f of V.flows) {
  const steps = el("div", {});
  for (const s of f.steps) {
    const failed = s.status === "failed";
    steps.append(el("div", { class: "step" + (failed ? " failed" : ""), "data-step": s.name, "data-status": s.status },
      el("div", { class: "head" }, el("span", { class: "badge " + (failed ? "error" : s.status === "skipped" ? "warning" : "note") }, s.status), " ",
        el("b", {}, s.name), ` · ${s.seconds.toFixed(3)} s` + (s.attempts > 1 ? ` · ${s.attempts} attempts` : "")
        + (s.request ? ` · ${s.request.method} ${s.request.url}` : "") + (s.responseStatus ? ` → ${s.responseStatus}` : "")),
      s.message ? el("div", {}, s.message) : null,
      s.failures.length ? el("table", { class: "summary" }, el("tr", {}, el("th", {}, "assertion"), el("th", {}, "expected"), el("th", {}, "actual"), el("th", {}, "why")),
        s.failures.map(a => el("tr", {}, el("td", {}, a.subject), el("td", {}, el("code", {}, a.expected)), el("td", {}, el("code", {}, a.actual)), el("td", {}, a.why || "")))) : null,
      s.response ? el("details", {}, el("summary", {}, "response excerpt (masked)"), el("div", { class: "kv" }, s.response)) : null));
  }
  main.append(el("section", { class: "file-group", "data-flow": f.name },
    el("h3", {}, `${f.passed ? "✓" : "✗"} ${f.name} — ${f.file} · ${f.seconds.toFixed(2)} s`),
    f.error ? el("div", { class: "sev-error", style: "padding:8px 12px" }, f.error) : null,
    el("div", { style: "padding:0 12px" }, steps)));
}
document.body.dataset.ready = "true";
