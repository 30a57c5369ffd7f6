import { Hono } from "hono";
import { html } from "hono/html";
import { grantedReply } from "../../../anchor/token.ts";
import type { AnchorRecord } from "../../../domain/anchor.ts";
import { anchorToken, latestAnchored, listAnchors } from "../../../store/anchors.ts";
import type { WebDeps } from "../deps.ts";
import { utc } from "../format.ts";
import { int4Id } from "../guards.ts";
import { cardTable, page } from "../layout.ts";

const short = (root: string) => `${root.slice(0, 12)}…`;

/** The line each dispatch page carries: the newest root a Time-Stamp Authority signed. */
export async function latestAnchorLine(deps: WebDeps) {
  const anchor = await latestAnchored(deps.db.prisma);
  if (!anchor) return html`<p class="meta">Chain not anchored yet. <a href="/anchors">Anchors</a></p>`;
  return html`<p class="meta">Chain anchored ${utc(anchor.genTime ?? anchor.attemptedAt)}, root <code>${short(anchor.root)}</code>, <a href="/anchors/${anchor.id}.tsr">RFC 3161 token</a> · <a href="/anchors">all anchors</a></p>`;
}

function row(a: AnchorRecord) {
  const status =
    a.status === "anchored"
      ? html`<span class="right">anchored</span> · <a href="/anchors/${a.id}.tsr">token</a>`
      : html`<span class="wrong">failed</span> · ${a.error ?? ""}`;
  return [
    `#${a.id}`,
    utc(a.genTime ?? a.attemptedAt),
    html`<code>${a.root}</code>`,
    a.servers,
    a.tsaUrl,
    status,
  ];
}

export function anchorRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  app.get("/anchors", async (c) => {
    const anchors = await listAnchors(deps.db.prisma, 100);
    const body = html`<h1>Anchors</h1>
<p>Every day a public RFC 3161 Time-Stamp Authority signs one root: the SHA-256 of the head (server, sequence, hash) of every server's chain. A chain rewritten after that day no longer matches the signed root, however it was re-hashed. Check a token with <code>openssl ts -verify -data anchor-N.heads.json -in anchor-N.tsr -CAfile &lt;tsa-cacert.pem&gt;</code> (the heads come with <code>npm run cli -- verify --export DIR</code>).</p>
${
  anchors.length
    ? cardTable(["Anchor", "When", "Root", "Chains", "TSA", "Status"], anchors.map(row))
    : html`<p>No anchor yet.</p>`
}`;
    return c.html(page("Anchors", body));
  });
  app.get("/api/anchors", async (c) => c.json(await listAnchors(deps.db.prisma, 100)));
  app.get("/anchors/:file{[0-9]+\\.tsr}", async (c) => {
    const id = int4Id(c.req.param("file").replace(/\.tsr$/, ""));
    const token = id === null ? null : await anchorToken(deps.db.prisma, id);
    if (!token) return c.text("no such anchored token", 404);
    return c.body(Buffer.from(grantedReply(token)), 200, { "Content-Type": "application/timestamp-reply" });
  });
  return app;
}
