import { html } from "hono/html";
import { decidedByText, describeCall } from "../../domain/call.ts";
import { answersCloseAt, specOf } from "../../domain/call-record.ts";
import type { DispatchRecord } from "../../domain/dispatch.ts";
import type { LatestSkip } from "../../store/one-bet.ts";
import { pct, utc } from "./format.ts";

type DeskCall = DispatchRecord["calls"][number];

/** open, locked (answers closed, verdict pending), right, wrong or void: what a reader needs first. */
export function callState(call: DeskCall, now: Date): string {
  if (call.status !== "open") return call.status;
  return now.getTime() >= answersCloseAt(call).getTime() ? "locked" : "open";
}

/** One compact call line for the home page's summaries; the dispatch page shows full cards. */
export function callLine(call: DeskCall, now: Date) {
  const state = callState(call, now);
  const detail =
    call.status === "open"
      ? state === "locked"
        ? `resolves ${utc(call.deadline)}`
        : `answers close ${utc(answersCloseAt(call))}`
      : (call.evidence ?? call.voidReason ?? "");
  return html`<div class="call-line"><a href="/trail/${call.id}">#${call.id}</a> <strong>${describeCall(specOf(call))}</strong> <span>${pct(call.probability)}</span> <span class="state ${state}">${state}</span> <span class="meta">${detail}</span></div>`;
}

/**
 * Which dispatch, and the market moment it read: the cycle's as-of time, which in demo mode is the
 * simulated clock its calls lock on, never the wall-clock time the row was written.
 */
export function dispatchHeader(d: DispatchRecord) {
  const simulated =
    d.cycle.marketSource === "simulated" ? html` <span class="flag">simulated market</span>` : "";
  const fallback = d.flags.includes("model_fallback")
    ? html` <span class="flag">model fell back to offline</span>`
    : "";
  return html`<div class="meta">Dispatch #${d.number} · cycle ${d.cycle.number}${d.cycle.regime ? ` · ${d.cycle.regime}` : ""} · market as of ${utc(d.cycle.asOf)}${simulated}${fallback}</div>`;
}

/** A dispatch on the home page: its thesis and calls in brief, linking to the full read. */
export function dispatchSummary(d: DispatchRecord, now: Date) {
  return html`<article class="dispatch">
${dispatchHeader(d)}
<h2><a href="/read/${d.number}">${d.title}</a></h2>
<p class="lede">${d.thesis}</p>
${d.calls.length ? d.calls.map((c) => callLine(c, now)) : html`<p class="meta">No call this cycle.</p>`}
<p class="meta"><a href="/read/${d.number}">Read dispatch #${d.number} →</a></p>
</article>`;
}

const CALL_LINE = /^CALL \d+\s/;

/**
 * The essay without what the page shows in its own place: the call list (cards) and the debate
 * line (chips). The sentence introducing the list goes with it; a "still holding" line stays.
 */
export function essayParagraphs(body: string, debateLine: string): string[][] {
  return body
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== debateLine.trim())
    .map((p) => {
      const lines = p.split("\n");
      const first = lines.findIndex((l) => CALL_LINE.test(l));
      if (first === -1) return lines;
      const intro = first > 0 && lines[first - 1]?.trim().endsWith(":") ? first - 1 : first;
      return lines.filter((l, i) => i < intro || (i >= first && !CALL_LINE.test(l)));
    })
    .filter((lines) => lines.some((l) => l.trim()));
}

/** "Debate: split | Conviction 5% | Macro 58% | …" as one chip per part. */
export function debateChips(line: string) {
  return html`<div class="debate">${line.split(" | ").map((part) => html`<span class="chip">${part}</span>`)}</div>`;
}

/** The deciding close without its "decided by" lead, for a labelled field. */
export const decidingClose = (call: DeskCall) => decidedByText(specOf(call)).replace(/^decided by /, "");

/** A desk whose last cycle saw nothing new: said on the page, so a quiet feed is not mistaken for a dead one. */
export function skipNotice(skip: LatestSkip) {
  return html`<p class="meta skipped">${skip.server} · cycle ${skip.cycleNumber} at ${utc(skip.asOf)} skipped: ${skip.reason}. Nothing new published.</p>`;
}
