import { type Context, Hono } from "hono";
import type { CallRecord } from "../../domain/call-record.ts";
import { deskRecord, summarizeCalls } from "../../resolution/records.ts";
import { findResolvedDeskCalls, findResolvedMemberCalls } from "../../store/records.ts";
import { calibrationChart } from "../charts/calibration.ts";
import { boardBars, leaderboardChart } from "../charts/leaderboard.ts";
import type { Chart } from "../charts/render.ts";
import { type ScoredPoint, scoreOverTimeChart } from "../charts/score-over-time.ts";
import { callChart } from "./call-chart.ts";
import type { WebDeps } from "./deps.ts";
import { int4Id } from "./guards.ts";
import { membershipFor, serverFor } from "./server-param.ts";
import { boardFor, seasonParam } from "./visitor-commands.ts";

type Format = "png" | "svg";

/** Voids and open calls carry no score, so they draw no point. */
export function scoredPoints(rows: readonly CallRecord[]): ScoredPoint[] {
  return rows.flatMap((r) =>
    r.resolvedAt && r.baselineScore !== null
      ? [{ resolvedAt: r.resolvedAt, baselineScore: r.baselineScore }]
      : [],
  );
}

/** `u-eve.png` → { name: "u-eve", format: "png" }; anything but .png or .svg is not a chart. */
function splitFile(file: string): { name: string; format: Format } | null {
  const match = /^(.+)\.(png|svg)$/.exec(file);
  return match ? { name: match[1] as string, format: match[2] as Format } : null;
}

async function send(c: Context, chart: Chart, format: Format) {
  // Charts change when calls resolve; a minute of caching spares re-rendering on every page view.
  c.header("Cache-Control", "public, max-age=60");
  if (format === "svg") return c.body(chart.svg, 200, { "Content-Type": "image/svg+xml; charset=utf-8" });
  return c.body(new Uint8Array(await chart.png()), 200, { "Content-Type": "image/png" });
}

const notFound = (c: Context) => c.text("no such chart", 404);

/** PNG and SVG of every chart the pages show; chat adapters call the chart functions directly. */
export function chartRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  const { db } = deps;

  // Registered first: /charts/:chart/:file would otherwise claim the leaderboard's and calls' paths.
  app.get("/charts/leaderboard/:file", async (c) => {
    const file = splitFile(c.req.param("file"));
    const server = await serverFor(db, c.req.query("server"));
    if (file?.name !== "board" || !server) return notFound(c);
    const season = seasonParam(c.req.query("season"));
    const board = await boardFor(deps, server, season);
    if (!board.ok) return c.text(board.error, 400);
    return send(c, await leaderboardChart(boardBars(board.view), `Leaderboard · ${season}`), file.format);
  });

  app.get("/charts/call/:file", async (c) => {
    const file = splitFile(c.req.param("file"));
    const id = int4Id(file?.name);
    const now = deps.clock?.now() ?? new Date();
    const market = deps.market && { quotes: deps.market, now };
    const chart = file && id !== null ? await callChart(db, id, market) : null;
    return file && chart ? send(c, chart, file.format) : notFound(c);
  });

  app.get("/charts/:chart/:file", async (c) => {
    const file = splitFile(c.req.param("file"));
    const server = await serverFor(db, c.req.query("server"));
    if (file?.name !== "desk" || !server) return notFound(c);
    const { format } = file;
    switch (c.req.param("chart")) {
      case "calibration": {
        const record = await deskRecord(db, server.id);
        return send(c, await calibrationChart(record.overall.calibration, "Desk calibration"), format);
      }
      case "score": {
        const rows = await findResolvedDeskCalls(db.prisma, server.id);
        return send(c, await scoreOverTimeChart(scoredPoints(rows), "Desk score over time"), format);
      }
      default:
        return notFound(c);
    }
  });

  app.get("/charts/:chart/u/:platform/:file", async (c) => {
    const file = splitFile(c.req.param("file"));
    if (!file) return notFound(c);
    const { name: externalId, format } = file;
    const found = await membershipFor(db, c.req.param("platform"), externalId, c.req.query("server"));
    if (!found) return notFound(c);
    const rows = await findResolvedMemberCalls(db.prisma, found.member.id);
    const name = found.member.displayName;
    switch (c.req.param("chart")) {
      case "calibration":
        return send(
          c,
          await calibrationChart(summarizeCalls(rows).calibration, `${name}: calibration`),
          format,
        );
      case "score":
        return send(c, await scoreOverTimeChart(scoredPoints(rows), `${name}: score over time`), format);
      default:
        return notFound(c);
    }
  });

  return app;
}
