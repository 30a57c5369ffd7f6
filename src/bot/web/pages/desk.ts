import { Hono } from "hono";
import { html } from "hono/html";
import { deskRecord } from "../../../resolution/records.ts";
import { findLearnedRules, findRecentLessons } from "../../../store/public-pages.ts";
import type { WebDeps } from "../deps.ts";
import { utc } from "../format.ts";
import { cardTable, page } from "../layout.ts";
import { breakdownTable, chartImage, recordStats, summaryTable } from "../record-view.ts";
import { publicServer, serverFor, serverQuery } from "../server-param.ts";

type Rule = Awaited<ReturnType<typeof findLearnedRules>>[number];

async function deskPage(deps: WebDeps, requested: string | undefined) {
  const server = await serverFor(deps.db, requested);
  if (!server) return null;
  const [record, rules, lessons] = await Promise.all([
    deskRecord(deps.db, server.id),
    findLearnedRules(deps.db.prisma, server.id),
    findRecentLessons(deps.db.prisma, server.id, 10),
  ]);
  return {
    server: publicServer(server),
    record,
    rules: rules.map((r) => ({
      scope: r.scope,
      mind: r.mind,
      symbol: r.symbol,
      horizonHours: r.horizonHours,
      regime: r.regime,
      reason: r.reason,
      active: r.active,
      adoptedAt: r.createdAt.toISOString(),
      liftedAt: r.liftedAt?.toISOString() ?? null,
    })),
    lessons: lessons.map((l) => ({
      callId: l.callId,
      kind: l.kind,
      title: l.title,
      body: l.body,
      createdAt: l.createdAt.toISOString(),
    })),
  };
}

const ruleSubject = (r: Pick<Rule, "mind" | "symbol" | "horizonHours" | "regime">) =>
  [r.mind, r.symbol, r.horizonHours !== null ? `${r.horizonHours}h` : null, r.regime && `in ${r.regime}`]
    .filter(Boolean)
    .join(" · ");

export function deskRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  app.get("/desk", async (c) => {
    const requested = c.req.query("server");
    const found = await deskPage(deps, requested);
    if (!found) return c.html(page("The desk", html`<p>No such server.</p>`), 404);
    const { record, rules, lessons } = found;
    const query = serverQuery(requested);
    const ruleRow = (r: (typeof rules)[number]) => [
      ruleSubject(r),
      r.active ? "active" : html`<span class="meta">lifted ${utc(r.liftedAt ?? r.adoptedAt)}</span>`,
      r.reason,
      utc(r.adoptedAt),
    ];
    return c.html(
      page(
        "The desk's record",
        html`<h1>The desk's record · ${found.server.name}</h1>
${recordStats(record.overall)}
${summaryTable("All desk calls", record.overall)}
<div class="charts">${chartImage("/charts/calibration/desk", "The desk's calibration curve", query)}
${chartImage("/charts/score/desk", "The desk's cumulative baseline score", query)}</div>
${breakdownTable("By lead mind", record.byMind)}
${breakdownTable("By regime", record.byRegime)}
${breakdownTable("By asset", record.bySymbol)}
${breakdownTable("By horizon", record.byHorizon)}
<h3>Learned rules</h3>
${rules.length ? cardTable(["Applies to", "State", "Why", "Adopted"], rules.map(ruleRow), "stack") : html`<p class="meta">No rules yet: the desk adopts one when its record on something is worse than a coin flip.</p>`}
<h3>Recent lessons</h3>
${lessons.length ? lessons.map((l) => html`<p><strong>${l.title}</strong>${l.callId ? html` · <a href="/trail/${l.callId}">call #${l.callId}</a>` : ""}<br>${l.body}</p>`) : html`<p class="meta">No lessons yet.</p>`}`,
      ),
    );
  });
  app.get("/api/desk", async (c) => {
    const found = await deskPage(deps, c.req.query("server"));
    return found ? c.json(found) : c.json({ error: "no such server" }, 404);
  });
  return app;
}
