import { html } from "hono/html";
import { decidedByText, describeCall } from "../../domain/call.ts";
import { specOf } from "../../domain/call-record.ts";
import type { DispatchRecord } from "../../domain/dispatch.ts";
import type { LatestSkip } from "../../store/one-bet.ts";
import { pct, utc } from "./format.ts";

/** One call line as members see it, with its verdict once resolved. */
export function callLine(call: DispatchRecord["calls"][number]) {
  const verdict =
    call.status === "open"
      ? html`<span class="open">open · locks ${utc(call.lockAt)} · ${decidedByText(specOf(call))} · resolves ${utc(call.deadline)}</span>`
      : html`<span class="${call.status}">${call.status.toUpperCase()}</span> · ${call.evidence ?? ""}${
          call.brier !== null
            ? html` · Brier ${call.brier.toFixed(3)} · baseline ${Math.round(call.baselineScore ?? 0)}`
            : ""
        }`;
  return html`<div class="call"><a href="/trail/${call.id}">#${call.id}</a> ${describeCall(specOf(call))} · ${pct(call.probability)} · ${verdict}</div>`;
}

export function dispatchHeader(d: DispatchRecord) {
  const simulated =
    d.cycle.marketSource === "simulated" ? html` <span class="flag">simulated market</span>` : "";
  const fallback = d.flags.includes("model_fallback")
    ? html` <span class="flag">model fell back to offline</span>`
    : "";
  return html`<div class="meta">Dispatch #${d.number} · cycle ${d.cycle.number} · ${d.cycle.regime ?? ""} · ${utc(d.createdAt)}${simulated}${fallback}</div>`;
}

export function dispatchArticle(d: DispatchRecord, full: boolean) {
  return html`<article>
${dispatchHeader(d)}
<h2><a href="/read/${d.number}">${d.title}</a></h2>
${full ? html`<pre>${d.body}</pre>` : html`<p>${d.thesis}</p>`}
${d.calls.length ? d.calls.map(callLine) : html`<p class="meta">No call this cycle.</p>`}
<p class="meta">${d.debateLine}</p>
</article>`;
}

/** A desk whose last cycle saw nothing new: said on the page, so a quiet feed is not mistaken for a dead one. */
export function skipNotice(skip: LatestSkip) {
  return html`<p class="meta skipped">${skip.server} · cycle ${skip.cycleNumber} at ${utc(skip.asOf)} skipped: ${skip.reason}. Nothing new published.</p>`;
}
