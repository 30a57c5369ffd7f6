import { html } from "hono/html";
import type { Breakdown, RecordSummary } from "../../resolution/records.ts";
import { fixed, pct, signed } from "./format.ts";

const HEAD = html`<tr><th></th><th>Resolved</th><th>Hit rate</th><th>Brier</th><th>Skill vs coin</th><th>Baseline Σ</th><th>Voids</th></tr>`;

function row(label: string, s: RecordSummary) {
  return html`<tr><td>${label}</td><td>${s.resolved}</td><td>${pct(s.hitRate)} (${s.right}/${s.resolved})</td><td>${fixed(s.meanBrier, 3)}</td><td>${pct(s.brierSkillVsCoinFlip)}</td><td>${signed(s.baselineSum)}</td><td>${s.voids}</td></tr>`;
}

/** A record's headline numbers; voids are shown but never scored. */
export function summaryTable(label: string, summary: RecordSummary) {
  return html`<table>${HEAD}${row(label, summary)}</table>`;
}

/** One row per group (mind, regime, asset, horizon), largest sample first. */
export function breakdownTable(title: string, breakdown: Breakdown) {
  const groups = Object.entries(breakdown).sort(([, a], [, b]) => b.resolved - a.resolved);
  if (!groups.length) return html`<h3>${title}</h3><p class="meta">Nothing resolved yet.</p>`;
  return html`<h3>${title}</h3><table>${HEAD}${groups.map(([label, s]) => row(label, s))}</table>`;
}

/** A chart image linking to its SVG; `path` has no extension, `query` keeps the page's server and season. */
export function chartImage(path: string, alt: string, query = "") {
  return html`<figure><a href="${path}.svg${query}"><img src="${path}.png${query}" alt="${alt}" width="460"></a></figure>`;
}
