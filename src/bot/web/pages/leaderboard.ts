import { Hono } from "hono";
import { html } from "hono/html";
import {
  type LeaderboardRow,
  type LeaderboardView,
  type MeanWithInterval,
  SKILL_NOTE,
} from "../../../commands/leaderboard.ts";
import { stripBidi } from "../../../commands/plain-text.ts";
import type { Server } from "../../../domain/server.ts";
import { ALWAYS_UP_P, type Interval } from "../../../domain/skill.ts";
import type { WebDeps } from "../deps.ts";
import { fixed, pct } from "../format.ts";
import { page } from "../layout.ts";
import { chartImage } from "../record-view.ts";
import { publicServer, serverFor, serverQuery } from "../server-param.ts";
import { boardFor, seasonParam } from "../visitor-commands.ts";

/** Skill scores are small numbers: one decimal, signed. */
const signed = (n: number) => `${n > 0 ? "+" : ""}${n.toFixed(1)}`;
const interval = (i: Interval | null) => (i ? `${signed(i.low)} … ${signed(i.high)}` : "—");
const meanOf = (m: MeanWithInterval | null) =>
  m?.mean == null ? "—" : `${signed(m.mean)} [${interval(m.interval)}] over ${m.n}`;

function rowHtml(r: LeaderboardRow, server: Server) {
  const who = r.isDesk
    ? html`<strong>${stripBidi(r.name)}</strong>`
    : r.externalId
      ? html`<a href="/u/${server.platform}/${encodeURIComponent(r.externalId)}">${stripBidi(r.name)}</a>`
      : html`${stripBidi(r.name)}`;
  return html`<tr class="${r.isDesk ? "desk" : ""}"><td>${r.rank ?? "—"}</td><td>${who}</td><td>${signed(r.skill.shrunk)}</td><td>${r.skill.mean === null ? "—" : signed(r.skill.mean)}</td><td>${interval(r.skill.interval)}</td><td>${r.against}</td><td>${meanOf(r.vsDesk)}</td><td>${meanOf(r.vsCoinFlip)}</td><td>${r.resolved}</td><td>${pct(r.hitRate)}</td><td>${fixed(r.meanBrier, 3)}</td><td>${r.voids}</td><td>${r.verdict}</td></tr>`;
}

function boardBody(view: LeaderboardView, server: Server, requested: string | undefined) {
  const query = serverQuery(requested, { season: view.season });
  return html`<h2>Leaderboard · ${server.name} · ${view.season === "all" ? "all time" : view.season}</h2>
<p class="meta">${SKILL_NOTE} Crowd: the median of members' probabilities on each desk question; always up: ${Math.round(ALWAYS_UP_P * 100)}% on the up side of every desk question. Members need ${view.minResolved} resolved call${view.minResolved === 1 ? "" : "s"} to rank${view.belowFloor ? `; ${view.belowFloor} more are on their way` : ""}. Voids are shown, never scored.
<a href="/leaderboard${serverQuery(requested, { season: "all" })}">All time</a></p>
<table><tr><th>#</th><th>Who</th><th>Skill (shrunk)</th><th>Mean</th><th>95% interval</th><th>Against</th><th>Peer vs desk</th><th>Baseline vs coin flip</th><th>Resolved</th><th>Hit rate</th><th>Brier</th><th>Voids</th><th>What it says</th></tr>
${view.rows.map((r) => rowHtml(r, server))}</table>
${chartImage("/charts/leaderboard/board", `Leaderboard bars for ${view.season}`, query)}`;
}

export function leaderboardRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  const load = async (requested: string | undefined, season: string | undefined) => {
    const server = await serverFor(deps.db, requested);
    if (!server) return { status: 404 as const, error: server === null ? "no server yet" : "no such server" };
    const board = await boardFor(deps, server, seasonParam(season));
    return board.ok
      ? { status: 200 as const, server, view: board.view }
      : { status: 400 as const, error: board.error };
  };

  app.get("/leaderboard", async (c) => {
    const requested = c.req.query("server");
    const found = await load(requested, c.req.query("season"));
    if (found.status !== 200) return c.html(page("Leaderboard", html`<p>${found.error}.</p>`), found.status);
    return c.html(page("Leaderboard", boardBody(found.view, found.server, requested)));
  });
  app.get("/api/leaderboard", async (c) => {
    const found = await load(c.req.query("server"), c.req.query("season"));
    if (found.status !== 200) return c.json({ error: found.error }, found.status);
    return c.json({ server: publicServer(found.server), ...found.view });
  });
  return app;
}
