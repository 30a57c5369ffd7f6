import { html } from "hono/html";
import type { Breakdown, RecordSummary } from "../../resolution/records.ts";
import { fixed, pct, signed } from "./format.ts";
import { cardTable } from "./layout.ts";

const HEAD = ["", "Resolved", "Hit rate", "Brier", "Skill vs coin", "Baseline Σ", "Peer vs desk", "Voids"];

/** Mean peer score per call against the desk, or "—" where nothing was scored against it (the desk itself). */
export const peerVsDesk = (s: Pick<RecordSummary, "peerSum" | "peerCount">) =>
  s.peerCount ? `${signed(s.peerSum / s.peerCount)} per call over ${s.peerCount}` : "—";

function row(label: string, s: RecordSummary) {
  return [
    label,
    s.resolved,
    `${pct(s.hitRate)} (${s.right}/${s.resolved})`,
    fixed(s.meanBrier, 3),
    pct(s.brierSkillVsCoinFlip),
    signed(s.baselineSum),
    peerVsDesk(s),
    s.voids,
  ];
}

/** A record's headline numbers; voids are shown but never scored. */
export function summaryTable(label: string, summary: RecordSummary) {
  return cardTable(HEAD, [row(label, summary)]);
}

/** The headline of a record as a few large figures: what a reader looks for before the table. */
export function recordStats(s: RecordSummary) {
  const stat = (value: string | number, label: string) =>
    html`<div class="stat"><b>${value}</b><span>${label}</span></div>`;
  return html`<div class="stats">${stat(s.resolved, "resolved")}${stat(`${pct(s.hitRate)}`, `hit rate (${s.right}/${s.resolved})`)}${stat(fixed(s.meanBrier, 3), "mean Brier")}${stat(
    s.peerCount ? signed(s.peerSum / s.peerCount) : "—",
    s.peerCount ? `peer vs desk per call (${s.peerCount})` : "peer vs desk: none scored against it",
  )}${stat(s.voids, "voids, never scored")}</div>`;
}

/** One row per group (mind, regime, asset, horizon), largest sample first. */
export function breakdownTable(title: string, breakdown: Breakdown) {
  const groups = Object.entries(breakdown).sort(([, a], [, b]) => b.resolved - a.resolved);
  if (!groups.length) return html`<h3>${title}</h3><p class="meta">Nothing resolved yet.</p>`;
  return html`<h3>${title}</h3>${cardTable(
    HEAD,
    groups.map(([label, s]) => row(label, s)),
  )}`;
}

/** A chart image linking to its SVG; `path` has no extension, `query` keeps the page's server and season. */
export function chartImage(path: string, alt: string, query = "", width = 460) {
  return html`<figure><a href="${path}.svg${query}"><img src="${path}.png${query}" alt="${alt}" width="${width}"></a></figure>`;
}
