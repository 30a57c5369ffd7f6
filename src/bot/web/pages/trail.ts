import { Hono } from "hono";
import { html } from "hono/html";
import type { CallTrailView, MindView, StanceRoundView } from "../../../commands/call-trail.ts";
import type { CallView } from "../../../commands/call-view.ts";
import { stripBidi } from "../../../commands/plain-text.ts";
import type { SideBySide } from "../../../commands/side-by-side.ts";
import { callTrailOf } from "../../../commands/trail.ts";
import { listServers } from "../../../store/public-pages.ts";
import type { WebDeps } from "../deps.ts";
import { fixed, pct, signed, utc } from "../format.ts";
import { int4Id } from "../guards.ts";
import { cardTable, page } from "../layout.ts";
import { chartImage } from "../record-view.ts";
import { serverQuery } from "../server-param.ts";

/** Loads one call's trail with the server it belongs to, or null for an unknown id. */
async function trailOf(deps: WebDeps, id: number) {
  const found = await callTrailOf(deps.db, id);
  if (!found) return null;
  const server = (await listServers(deps.db.prisma)).find((s) => s.id === found.serverId);
  return { view: found.view, platform: server?.platform ?? "local", serverId: found.serverId };
}

const stance = (s: StanceRoundView | null) => {
  if (!s) return html`<span class="meta">no stance</span>`;
  if (s.abstained) return html`<span class="meta">abstained</span> · ${s.reason}`;
  return html`${s.direction === "up" ? "↑" : "↓"} ${s.direction} ${pct(s.probability)} · ${s.reason}`;
};

const mindRow = (m: MindView) => [m.mind, stance(m.round1), stance(m.round2)];

function author(call: CallView, platform: string) {
  if (call.author.type === "desk")
    return html`the desk${call.author.mind ? html` (lead mind: ${call.author.mind})` : ""}`;
  const { externalId, displayName } = call.author;
  return html`<a href="/u/${platform}/${encodeURIComponent(externalId)}">${stripBidi(displayName)}</a>`;
}

function verdict(call: CallView) {
  const r = call.result;
  if (!r) return html`<p>Open: locks ${utc(call.lockAt)}, resolves ${utc(call.deadline)}.</p>`;
  return html`<p><span class="${call.status}">${call.status.toUpperCase()}</span> at ${utc(r.resolvedAt)} · ${r.evidence ?? ""}${r.voidReason ? ` · void: ${r.voidReason}` : ""}</p>
${cardTable(
  ["Brier", "Baseline", "Peer vs desk", "Exit", "Move"],
  [
    [
      fixed(r.brier, 3),
      signed(r.baselineScore),
      signed(r.peerScore),
      fixed(r.exitPrice, 2),
      r.movePct === null ? "—" : `${r.movePct.toFixed(2)}%`,
    ],
  ],
  "scores",
)}`;
}

/** The verdict's receipt and its own link in the chain: what it was decided from, and that it is on record. */
function receiptBlock(v: CallTrailView) {
  const r = v.receipt;
  const bars = r
    ? html`<p>Receipt · data source <strong>${r.source}</strong> · bars sha256 <code>${r.barsHash}</code></p>
${cardTable(
  ["Bar closed", "Symbol", "Close", "High", "Low"],
  r.bars.map((b) => [
    utc(b.time),
    b.symbol,
    fixed(b.value, 2),
    fixed(b.high ?? null, 2),
    fixed(b.low ?? null, 2),
  ]),
)}`
    : "";
  const link = v.verdictChain
    ? html`<p class="meta hash">Verdict chain #${v.verdictChain.seq} · hash <code>${v.verdictChain.hash}</code><br>prev <code>${v.verdictChain.prevHash}</code></p>`
    : "";
  return html`${bars}${link}`;
}

/** The engine's flags (model_fallback, …); the simulated market is already named beside them. */
const engineFlags = (flags: string[]) =>
  flags.filter((f) => f !== "simulated_market").map((f) => html` <span class="flag">${f}</span>`);

function trailBody(v: CallTrailView, platform: string, serverId: string) {
  const { call } = v;
  const isDesk = call.author.type === "desk";
  const chart = isDesk
    ? chartImage("/charts/calibration/desk", "The desk's calibration curve", serverQuery(serverId))
    : chartImage(
        `/charts/calibration/u/${platform}/${encodeURIComponent(call.author.type === "member" ? call.author.externalId : "")}`,
        "This member's calibration curve",
        serverQuery(serverId),
      );
  return html`<h1>Call #${call.id}: ${call.text} · ${pct(call.probability)}</h1>
<p class="meta">By ${author(call, platform)} · ${call.source}${call.stance ? ` · ${call.stance}` : ""} · made ${utc(call.madeAt)} · entry ${fixed(call.entryPrice, 2)}${
    v.dispatch ? html` · <a href="/read/${v.dispatch.number}">dispatch #${v.dispatch.number}</a>` : ""
  }${v.cycle ? html` · cycle ${v.cycle.number} · ${v.cycle.regime ?? "no regime"} · ${v.cycle.marketSource} market · ${v.cycle.engine} engine${engineFlags(v.cycle.engineFlags)}` : ""}</p>
${v.parent ? html`<p>Answers desk call <a href="/trail/${v.parent.id}">#${v.parent.id}</a>: ${v.parent.text} · ${pct(v.parent.probability)}</p>` : ""}
<h3>1 · Observations</h3>
${
  v.observations.length
    ? cardTable(
        ["Input", "Source", "Value", "As of", "Flags"],
        v.observations.map((o) => [
          `${o.kind} ${o.symbol ?? ""}`,
          html`${o.source} <span class="meta">${o.trust}</span>`,
          o.value ?? "missing",
          utc(o.asOf),
          html`${o.flags.map((f) => html`<span class="flag">${f}</span> `)}`,
        ]),
      )
    : html`<p class="meta">No observations: a member's call stands on its own.</p>`
}
<h3>2 · Minds</h3>
${v.minds.length ? cardTable(["Mind", "Round 1", "Round 2"], v.minds.map(mindRow), "stack") : html`<p class="meta">No debate behind this call.</p>`}
<h3>3 · Thesis</h3>
${v.dispatch ? html`<p>${v.dispatch.thesis}</p><p class="meta">${v.dispatch.debateLine}</p>` : html`<p class="meta">No thesis: not a desk call.</p>`}
<h3>4 · The call</h3>
<div class="call-line">${call.text} · ${pct(call.probability)} · locks ${utc(call.lockAt)} · resolves ${utc(call.deadline)}</div>
<p class="meta hash">Chain #${v.chain.seq} · hash <code>${v.chain.hash}</code><br>prev <code>${v.chain.prevHash}</code> · <a href="/verify">verify the chain</a></p>
<h3>5 · Resolution</h3>
${verdict(call)}
${v.sideBySide ? sideBySideTable(v.sideBySide) : ""}
${receiptBlock(v)}
<h3>6 · Lesson</h3>
${v.lesson ? html`<p><strong>${v.lesson.title}</strong></p><p>${v.lesson.body}</p>${v.lesson.counterfactual ? html`<p class="meta">Counterfactual: ${v.lesson.counterfactual}</p>` : ""}` : html`<p class="meta">No lesson written${call.status === "wrong" && isDesk ? " yet" : ""}.</p>`}
${isDesk ? html`<p>Members: ↑ ${v.responses.agree} agree · ↓ ${v.responses.fade} fade</p>` : ""}
<div class="charts">${chartImage(`/charts/call/${call.id}`, `${call.spec.symbol} price around this call`, "", 340)}${chart}</div>`;
}

const oneDecimal = (x: number) => `${x > 0 ? "+" : ""}${x.toFixed(1)}`;

/** Crowd, desk and base rate on the same question, each scored on the outcome and against the desk. */
function sideBySideTable(s: SideBySide) {
  const row = (who: string, side: { p: number; baseline: number; peer: number } | null, none: string) =>
    side
      ? [who, pct(side.p), oneDecimal(side.baseline), oneDecimal(side.peer)]
      : [who, html`<span class="meta">${none}</span>`, "", ""];
  return html`<h4>Crowd, desk and base rate</h4>
<p class="meta">Probabilities that the call resolves right; baseline against a coin flip, peer score against the desk.</p>
${cardTable(
  ["Forecaster", "On the call", "Baseline", "vs desk"],
  [
    row("Desk", s.desk, ""),
    row(
      s.crowd ? `Crowd (median of ${s.crowd.members} member${s.crowd.members === 1 ? "" : "s"})` : "Crowd",
      s.crowd,
      "no member answered",
    ),
    row(
      s.baseRate ? `Base rate (${s.baseRate.n} similar, ${s.baseRate.bucket})` : "Base rate",
      s.baseRate,
      "no base rate yet",
    ),
  ],
  "side-by-side",
)}`;
}

export function trailRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  app.get("/trail/:id{[0-9]+}", async (c) => {
    const id = int4Id(c.req.param("id"));
    const found = id === null ? null : await trailOf(deps, id);
    if (!found) return c.html(page("Not found", html`<p>No call #${c.req.param("id")}.</p>`), 404);
    return c.html(page(`Call #${found.view.call.id}`, trailBody(found.view, found.platform, found.serverId)));
  });
  app.get("/api/trail/:id{[0-9]+}", async (c) => {
    const id = int4Id(c.req.param("id"));
    const found = id === null ? null : await trailOf(deps, id);
    return found ? c.json(found.view) : c.json({ error: "no such call" }, 404);
  });
  return app;
}
