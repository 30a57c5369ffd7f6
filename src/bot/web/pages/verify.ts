import { Hono } from "hono";
import { html } from "hono/html";
import { verifyChains } from "../../../resolution/verify.ts";
import type { WebDeps } from "../deps.ts";
import { cardTable, page } from "../layout.ts";

/**
 * Re-checks every server's chain of calls and verdicts, each from its last clean checkpoint (rows
 * changed since are re-read too), so anyone can see nothing was edited after the fact. 409 when broken.
 */
export function verifyRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  const verifyAll = async (full: boolean) =>
    (await verifyChains(deps.db, { full })) ?? { ok: true, servers: [] };
  app.get("/verify", async (c) => {
    const report = await verifyAll(c.req.query("full") === "1");
    const rows = report.servers.map(({ server, check }) =>
      check.ok
        ? [
            server.name,
            html`<span class="right">ok</span>`,
            `${check.length} records, seq 1–${check.length}`,
            html`<code>${check.head}</code>`,
          ]
        : [
            server.name,
            html`<span class="wrong">broken</span>`,
            `at seq ${check.seq}: ${check.record}`,
            check.problem,
          ],
    );
    return c.html(
      page(
        "Verify",
        html`<h1>Hash chain of calls and verdicts</h1>
<p>Every call commits to its question, author, probability, times, entry and note; every verdict to its status, exit, evidence, scores and receipt; each record to the hash of the one before it, and the newest to the chain's head. This page re-checks each server's chain against what the pages show, from its last clean checkpoint (<a href="/verify?full=1">from the first record</a>).</p>
${cardTable(["Server", "Chain", "Sequence", "Head hash / problem"], rows)}`,
      ),
      report.ok ? 200 : 409,
    );
  });
  app.get("/api/verify", async (c) => {
    const report = await verifyAll(c.req.query("full") === "1");
    return c.json(report, report.ok ? 200 : 409);
  });
  return app;
}
