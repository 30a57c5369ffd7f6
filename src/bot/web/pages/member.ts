import { Hono } from "hono";
import { html } from "hono/html";
import { type CallView, callView } from "../../../commands/call-view.ts";
import { stripBidi } from "../../../commands/plain-text.ts";
import type { MemberTrailView } from "../../../commands/trail.ts";
import { memberRecord } from "../../../resolution/records.ts";
import type { WebDeps } from "../deps.ts";
import { fixed, pct, signed, utc } from "../format.ts";
import { page } from "../layout.ts";
import { chartImage, summaryTable } from "../record-view.ts";
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

const recentRow = (c: CallView) =>
  html`<tr><td><a href="/trail/${c.id}">#${c.id}</a></td><td>${c.text}${c.stance ? html` <span class="meta">${c.stance} #${c.parentCallId}</span>` : ""}</td><td>${pct(c.probability)}</td><td class="${c.status}">${c.status}</td><td>${c.result ? html`${fixed(c.result.brier, 3)} · ${signed(c.result.baselineScore)}` : html`<span class="meta">resolves ${utc(c.deadline)}</span>`}</td></tr>`;

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
        html`<h2>${view.member.displayName}</h2>
<p class="meta">Record on ${server.name}${others.map((o) => html` · also on <a href="/u/${platform}/${encodeURIComponent(id)}?server=${o.id}">${o.name}</a>`)}</p>
${summaryTable("All calls", view.summary)}
${chartImage(`/charts/calibration${chart}`, `${view.member.displayName}'s calibration curve`, query)}
${chartImage(`/charts/score${chart}`, `${view.member.displayName}'s score over time`, query)}
<h3>Recent calls</h3>
${view.recent.length ? html`<table><tr><th>Call</th><th>Question</th><th>p</th><th>Status</th><th>Brier · baseline</th></tr>${view.recent.map(recentRow)}</table>` : html`<p class="meta">No calls yet.</p>`}`,
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
