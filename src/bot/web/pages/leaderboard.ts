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
import { cardTable, page, type Row } from "../layout.ts";
import { chartImage } from "../record-view.ts";
import { publicServer, serverFor, serverQuery } from "../server-param.ts";
import { boardFor, seasonParam } from "../visitor-commands.ts";

/** Skill scores are small numbers: one decimal, signed. */
const signed = (n: number) => `${n > 0 ? "+" : ""}${n.toFixed(1)}`;
const interval = (i: Interval | null) => (i ? `${signed(i.low)} … ${signed(i.high)}` : "—");
const meanOf = (m: MeanWithInterval | null) =>
  m?.mean == null ? "—" : `${signed(m.mean)} [${interval(m.interval)}] over ${m.n}`;

const HEAD = [
  "Who",
  "Rank",
  "Skill (shrunk)",
  "Mean",
  "95% interval",
  "Against",
  "Peer vs desk",
  "Baseline vs coin flip",
  "Resolved",
  "Hit rate",
  "Brier",
  "Voids",
  "Calibration",
  "What it says",
];

/** Where a row's calibration curve is drawn: the desk's and each member's; the crowd and "always up" have none. */
function calibrationLink(r: LeaderboardRow, server: Server, query: string) {
  const path =
    r.kind === "desk"
      ? "/charts/calibration/desk"
      : r.kind === "member" && r.externalId
        ? `/charts/calibration/u/${server.platform}/${encodeURIComponent(r.externalId)}`
        : null;
  return path ? html`<a href="${path}.svg${query}">curve</a>` : "—";
}

/** The name leads each row, so on a phone it titles the row's card. */
function row(r: LeaderboardRow, server: Server, query: string): Row {
  const who = r.isDesk
    ? html`<strong>${stripBidi(r.name)}</strong>`
    : r.externalId
      ? html`<a href="/u/${server.platform}/${encodeURIComponent(r.externalId)}">${stripBidi(r.name)}</a>`
      : html`${stripBidi(r.name)}`;
  const cells = [
    who,
    r.rank ?? "—",
    signed(r.skill.shrunk),
    r.skill.mean === null ? "—" : signed(r.skill.mean),
    interval(r.skill.interval),
    r.against,
    meanOf(r.vsDesk),
    meanOf(r.vsCoinFlip),
    r.resolved,
    pct(r.hitRate),
    fixed(r.meanBrier, 3),
    r.voids,
    calibrationLink(r, server, query),
    r.verdict,
  ];
  return r.isDesk ? { cells, className: "desk" } : cells;
}

function boardBody(view: LeaderboardView, server: Server, requested: string | undefined) {
  const query = serverQuery(requested, { season: view.season });
  return html`<h1>Leaderboard · ${server.name} · ${view.season === "all" ? "all time" : view.season}</h1>
<p class="meta">${SKILL_NOTE} Crowd: the median of members' probabilities on each desk question; always up: ${Math.round(ALWAYS_UP_P * 100)}% on the up side of every desk question. Members need ${view.minResolved} resolved call${view.minResolved === 1 ? "" : "s"} to rank${view.belowFloor ? `; ${view.belowFloor} more are on their way` : ""}. Voids are shown, never scored.
<a href="/leaderboard${serverQuery(requested, { season: "all" })}">All time</a></p>
${cardTable(
  HEAD,
  view.rows.map((r) => row(r, server, serverQuery(requested))),
  "board",
)}
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
