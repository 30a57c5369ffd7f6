import { Hono } from "hono";
import { html } from "hono/html";
import { type CallView, callView } from "../../../commands/call-view.ts";
import { stripBidi } from "../../../commands/plain-text.ts";
import type { MemberTrailView } from "../../../commands/trail.ts";
import { memberRecord } from "../../../resolution/records.ts";
import type { WebDeps } from "../deps.ts";
import { fixed, pct, signed, utc } from "../format.ts";
import { cardTable, page } from "../layout.ts";
import { chartImage, recordStats, summaryTable } from "../record-view.ts";
import { membershipFor, publicServer, serverQuery } from "../server-param.ts";

/** The member view the /trail command shows, plus which server it is and where else they play. */
async function memberPage(deps: WebDeps, platform: string, externalId: string, requested?: string) {
  const found = await membershipFor(deps.db, platform, externalId, requested);
  if (!found) return null;
  const { member, others } = found;
  const record = await memberRecord(deps.db, member.id, 25);
  const view: MemberTrailView = {
    kind: "member",
    // Names stored before bidi controls were stripped at the door are cleaned on the way out too.
    member: { externalId: member.externalId, displayName: stripBidi(member.displayName) },
    summary: record.summary,
    recent: record.recent.map((row) => callView(row, member)),
  };
  return { view, server: publicServer(member.server), others: others.map((o) => publicServer(o.server)) };
}

const recentRow = (c: CallView) => [
  html`<a href="/trail/${c.id}">#${c.id}</a> ${c.text}${c.stance ? html` <span class="meta">${c.stance} #${c.parentCallId}</span>` : ""}`,
  pct(c.probability),
  html`<span class="state ${c.status}">${c.status}</span>`,
  c.result
    ? `${fixed(c.result.brier, 3)} · ${signed(c.result.baselineScore)}${c.result.peerScore === null ? "" : ` · vs desk ${signed(c.result.peerScore)}`}`
    : html`<span class="meta">resolves ${utc(c.deadline)}</span>`,
];

export function memberRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  app.get("/u/:platform/:id", async (c) => {
    const { platform, id } = c.req.param();
    const requested = c.req.query("server");
    const found = await memberPage(deps, platform, id, requested);
    if (!found) return c.html(page("Not found", html`<p>No member ${id} on ${platform}.</p>`), 404);
    const { view, server, others } = found;
    const chart = `/u/${platform}/${encodeURIComponent(id)}`;
    const query = serverQuery(requested);
    return c.html(
      page(
        view.member.displayName,
        html`<h1>${view.member.displayName}</h1>
<p class="meta">Record on ${server.name}${others.map((o) => html` · also on <a href="/u/${platform}/${encodeURIComponent(id)}?server=${o.id}">${o.name}</a>`)}</p>
${recordStats(view.summary)}
${summaryTable("All calls", view.summary)}
<div class="charts">${chartImage(`/charts/calibration${chart}`, `${view.member.displayName}'s calibration curve`, query)}
${chartImage(`/charts/score${chart}`, `${view.member.displayName}'s score over time`, query)}</div>
<h2>Recent calls</h2>
${view.recent.length ? cardTable(["Call", "p", "Status", "Brier · baseline · vs desk"], view.recent.map(recentRow)) : html`<p class="meta">No calls yet.</p>`}`,
      ),
    );
  });
  app.get("/api/u/:platform/:id", async (c) => {
    const { platform, id } = c.req.param();
    const found = await memberPage(deps, platform, id, c.req.query("server"));
    return found ? c.json(found) : c.json({ error: "no such member" }, 404);
  });
  return app;
}
