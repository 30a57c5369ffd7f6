import { Hono } from "hono";
import { html } from "hono/html";
import { verifyServerChain } from "../../../store/calls.ts";
import { listServers } from "../../../store/public-pages.ts";
import type { WebDeps } from "../deps.ts";
import { page } from "../layout.ts";
import { publicServer } from "../server-param.ts";

const PROBLEMS = {
  content_changed: "a stored call no longer matches its hash: it was edited after it was made",
  link_broken: "a call does not point at the hash before it: the chain was re-linked",
  sequence_gap: "a sequence number is missing: a call was removed",
} as const;

/** Re-hashes every server's calls from genesis, so anyone can check nothing was edited after the fact. */
async function verifyAll(deps: WebDeps) {
  const servers = await listServers(deps.db.prisma);
  return Promise.all(
    servers.map(async (server) => ({
      server: publicServer(server),
      verdict: await verifyServerChain(deps.db.prisma, server.id),
    })),
  );
}

export function verifyRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  app.get("/verify", async (c) => {
    const results = await verifyAll(deps);
    const allOk = results.every((r) => r.verdict.ok);
    const rows = results.map(({ server, verdict }) =>
      verdict.ok
        ? html`<tr><td>${server.name}</td><td class="right">ok</td><td>${verdict.length} calls, seq 1–${verdict.length}</td><td><code>${verdict.head}</code></td></tr>`
        : html`<tr><td>${server.name}</td><td class="wrong">broken</td><td>at seq ${verdict.seq}</td><td>${PROBLEMS[verdict.problem]}</td></tr>`,
    );
    return c.html(
      page(
        "Verify",
        html`<h2>Call hash chain</h2>
<p>Every call commits to its question, author, probability, times and entry, and to the hash of the call before it. This page re-computes each server's chain from the first call.</p>
<table><tr><th>Server</th><th>Chain</th><th>Sequence</th><th>Head hash / problem</th></tr>${rows}</table>`,
      ),
      allOk ? 200 : 409,
    );
  });
  app.get("/api/verify", async (c) => {
    const results = await verifyAll(deps);
    return c.json({ ok: results.every((r) => r.verdict.ok), servers: results });
  });
  return app;
}
