import { Hono } from "hono";
import { html } from "hono/html";
import { verifyChains } from "../../../resolution/verify.ts";
import { sharedInFlight } from "../cache.ts";
import type { WebDeps } from "../deps.ts";
import { page } from "../layout.ts";

/**
 * Re-checks every server's chain of calls and verdicts, each from its last clean checkpoint (rows
 * changed since are re-read too), so anyone can see nothing was edited after the fact. 409 when broken.
 */
export function verifyRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  // Requests arriving while a check runs share its report: a burst of visitors costs one check.
  const verifyShared = sharedInFlight(
    async (mode) => (await verifyChains(deps.db, { full: mode === "full" })) ?? { ok: true, servers: [] },
  );
  const verifyAll = (full: boolean) => verifyShared(full ? "full" : "checkpoint");
  app.get("/verify", async (c) => {
    const report = await verifyAll(c.req.query("full") === "1");
    const rows = report.servers.map(({ server, check }) =>
      check.ok
        ? html`<tr><td>${server.name}</td><td class="right">ok</td><td>${check.length} records, seq 1–${check.length}</td><td><code>${check.head}</code></td></tr>`
        : html`<tr><td>${server.name}</td><td class="wrong">broken</td><td>at seq ${check.seq}: ${check.record}</td><td>${check.problem}</td></tr>`,
    );
    return c.html(
      page(
        "Verify",
        html`<h2>Hash chain of calls and verdicts</h2>
<p>Every call commits to its question, author, probability, times, entry and note; every verdict to its status, exit, evidence, scores and receipt; each record to the hash of the one before it, and the newest to the chain's head. This page re-checks each server's chain against what the pages show, from its last clean checkpoint (<a href="/verify?full=1">from the first record</a>).</p>
<table><tr><th>Server</th><th>Chain</th><th>Sequence</th><th>Head hash / problem</th></tr>${rows}</table>`,
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
