import { Hono } from "hono";
import { html } from "hono/html";
import { describeCall } from "../../../domain/call.ts";
import { specOf } from "../../../domain/call-record.ts";
import type { DispatchRecord, ResponseCounts } from "../../../domain/dispatch.ts";
import { responseCounts } from "../../../store/dispatch-posts.ts";
import { dispatchByNumber, latestDispatches } from "../../../store/dispatches.ts";
import { latestSkips } from "../../../store/one-bet.ts";
import { crowdOnCall } from "../../../store/side-by-side.ts";
import type { WebDeps } from "../deps.ts";
import {
  callState,
  debateChips,
  decidingClose,
  dispatchHeader,
  dispatchSummary,
  essayParagraphs,
  skipNotice,
} from "../dispatch-view.ts";
import { fixed, pct, utc } from "../format.ts";
import { int4Id } from "../guards.ts";
import { page } from "../layout.ts";
import { chartImage } from "../record-view.ts";
import { latestAnchorLine } from "./anchors.ts";

type DeskCall = DispatchRecord["calls"][number];
interface Crowd {
  counts: ResponseCounts;
  /** The median probability members' live answers put on the call being right; null with no answer. */
  p: number | null;
}

const nowOf = (deps: WebDeps) => deps.clock?.now() ?? new Date();

function outcome(call: DeskCall, state: string) {
  if (state === "open") return html`answers close ${utc(call.lockAt)}`;
  if (state === "locked") return html`answers closed; verdict after ${utc(call.deadline)}`;
  const scores =
    call.brier !== null
      ? ` · Brier ${call.brier.toFixed(3)} · baseline ${Math.round(call.baselineScore ?? 0)}`
      : "";
  const why = call.status === "void" && call.voidReason ? ` · void: ${call.voidReason}` : "";
  return html`${call.evidence ?? "no evidence recorded"}${why}${scores}`;
}

function crowdText({ counts, p }: Crowd) {
  const answers = html`↑ ${counts.agree} agree · ↓ ${counts.fade} fade`;
  return p === null
    ? html`${answers} · no member answered yet`
    : html`${answers} · crowd ${pct(p)} on the call`;
}

/** One desk call as a card: the question, the numbers it stands on, its state, the crowd and its price path. */
function callCard(call: DeskCall, index: number, crowd: Crowd, now: Date) {
  const state = callState(call, now);
  const claim = describeCall(specOf(call));
  const entry =
    call.entryPrice === null ? "—" : `${fixed(call.entryPrice, 2)} at ${utc(call.entryAt ?? call.madeAt)}`;
  return html`<article class="card call-card" id="call-${call.id}">
<div class="meta">CALL ${index + 1} · <a href="/trail/${call.id}">#${call.id}</a>${call.mind ? ` · lead ${call.mind}` : ""}</div>
<h3><a href="/trail/${call.id}">${claim}</a></h3>
<div><span class="prob">${pct(call.probability)}</span> <span class="state ${state}">${state}</span></div>
<dl>
<dt>Entry</dt><dd>${entry}</dd>
<dt>Deciding close</dt><dd>${decidingClose(call)}</dd>
<dt>Lock</dt><dd>${utc(call.lockAt)}</dd>
<dt>Deadline</dt><dd>${utc(call.deadline)}</dd>
<dt>${state === "open" || state === "locked" ? "State" : "Verdict"}</dt><dd class="${state}">${outcome(call, state)}</dd>
<dt>Crowd</dt><dd>${crowdText(crowd)}</dd>
</dl>
${chartImage(`/charts/call/${call.id}`, `${call.symbol} price around call #${call.id}, with entry, lock, deadline and exit marked`, "", 340)}
</article>`;
}

async function crowdsOf(deps: WebDeps, calls: readonly DeskCall[]): Promise<Crowd[]> {
  const ids = calls.map((c) => c.id);
  const [counts, medians] = await Promise.all([
    responseCounts(deps.db.prisma, ids),
    Promise.all(ids.map((id) => crowdOnCall(deps.db.prisma, id))),
  ]);
  return calls.map((c, i) => ({
    counts: counts.get(c.id) ?? { agree: 0, fade: 0, agreeRight: 0, fadeRight: 0 },
    p: medians[i]?.p ?? null,
  }));
}

/** The dispatch page: the essay once, then one card per call; the debate line once, as chips. */
async function dispatchBody(deps: WebDeps, d: DispatchRecord) {
  const now = nowOf(deps);
  const [crowds, anchored] = await Promise.all([crowdsOf(deps, d.calls), latestAnchorLine(deps)]);
  const paragraphs = essayParagraphs(d.body, d.debateLine);
  return html`<article class="dispatch-full">
${dispatchHeader(d)}
<h1>${d.title}</h1>
${debateChips(d.debateLine)}
<div class="prose">${paragraphs.map(essayParagraph)}</div>
<h2>${d.calls.length ? `The calls (${d.calls.length})` : "No call this cycle"}</h2>
${
  d.calls.length
    ? html`<div class="calls">${d.calls.map((c, i) => callCard(c, i, crowds[i] as Crowd, now))}</div>`
    : html`<p class="meta">The desk published its reading without a call: the edge was too thin.</p>`
}
${anchored}
</article>`;
}

/** A paragraph of the essay; the simulated-market notice stands out as a notice, not as prose. */
const essayParagraph = (lines: string[]) =>
  html`<p${lines[0]?.startsWith("[simulated market]") ? html` class="notice"` : ""}>${lines.map((l, i) => html`${i ? html`<br>` : ""}${l}`)}</p>`;

const deskScoreChart = () => chartImage("/charts/score/desk", "The desk's cumulative baseline score");

/** The home page (latest dispatches) and each dispatch's permalink. */
export function dispatchRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const [dispatches, skips] = await Promise.all([
      latestDispatches(deps.db.prisma, 20),
      latestSkips(deps.db.prisma),
    ]);
    const now = nowOf(deps);
    const body = dispatches.length
      ? html`<h1>Latest dispatches</h1>${skips.map(skipNotice)}<div class="charts">${deskScoreChart()}${chartImage("/charts/calibration/desk", "The desk's calibration")}</div>${dispatches.map((d) => dispatchSummary(d, now))}`
      : html`<h1>Latest dispatches</h1><p>No dispatch yet: the desk publishes its first one shortly after start.</p>`;
    return c.html(page("Latest dispatches", body));
  });

  app.get("/read/:n{[0-9]+}", async (c) => {
    const n = int4Id(c.req.param("n"));
    const dispatch = n === null ? null : await dispatchByNumber(deps.db.prisma, n);
    if (!dispatch) return c.html(page("Not found", html`<p>No dispatch #${c.req.param("n")}.</p>`), 404);
    return c.html(page(dispatch.title, await dispatchBody(deps, dispatch)));
  });
  return app;
}
