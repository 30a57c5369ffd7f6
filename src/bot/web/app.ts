import { Hono } from "hono";
import { routePath } from "hono/route";
import { createLogger } from "../../log.ts";
import { metrics, metricsRegistry } from "../../scheduler/metrics.ts";
import { dispatchByNumber, latestDispatches, pingDatabase } from "../../store/dispatches.ts";
import { chartRoutes } from "./chart-routes.ts";
import type { WebDeps } from "./deps.ts";
import { int4Id, logErrors, notFoundResponse, pageHeaders, refuseNul } from "./guards.ts";
import { webLoadGuards } from "./load.ts";
import { anchorRoutes } from "./pages/anchors.ts";
import { deskRoutes } from "./pages/desk.ts";
import { dispatchRoutes } from "./pages/dispatch.ts";
import { feedRoutes } from "./pages/feed.ts";
import { leaderboardRoutes } from "./pages/leaderboard.ts";
import { memberRoutes } from "./pages/member.ts";
import { trailRoutes } from "./pages/trail.ts";
import { verifyRoutes } from "./pages/verify.ts";

export type { HealthParts, WebDeps } from "./deps.ts";

/** The public web view: server-rendered pages and their JSON twins. Public data only. */
export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono();
  const { db } = deps;
  app.onError(logErrors(deps.log ?? createLogger({ level: "info", format: "json" })));
  app.notFound(notFoundResponse);
  app.use(pageHeaders, refuseNul);

  // Pages are the web's commands: their latency goes in the same histogram, by route pattern.
  app.use(async (c, next) => {
    const end = metrics.commandDuration.startTimer({ surface: "web" });
    await next();
    end({ command: routePath(c, -1) });
  });

  app.get("/healthz", async (c) => {
    const parts = deps.health();
    let database = true;
    try {
      await pingDatabase(db.prisma);
    } catch {
      database = false;
    }
    // A chat connection that stays down (a revoked token, a dead socket) should fail the health check.
    const ok = database && parts.scheduler && Object.values(parts.surfaces).every(Boolean);
    return c.json({ ok, database, ...parts }, ok ? 200 : 503);
  });

  app.get("/metrics", async (c) =>
    c.body(await metricsRegistry.metrics(), 200, { "Content-Type": metricsRegistry.contentType }),
  );

  app.use(...webLoadGuards(deps));

  app.get("/api/dispatches", async (c) => c.json(await latestDispatches(db.prisma, 50)));
  app.get("/api/dispatches/:n{[0-9]+}", async (c) => {
    const n = int4Id(c.req.param("n"));
    const dispatch = n === null ? null : await dispatchByNumber(db.prisma, n);
    return dispatch ? c.json(dispatch) : c.json({ error: "no such dispatch" }, 404);
  });

  for (const routes of [
    dispatchRoutes,
    trailRoutes,
    leaderboardRoutes,
    memberRoutes,
    deskRoutes,
    verifyRoutes,
    anchorRoutes,
    feedRoutes,
    chartRoutes,
  ]) {
    app.route("/", routes(deps));
  }
  return app;
}
