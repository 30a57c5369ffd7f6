import { Hono } from "hono";
import { html } from "hono/html";
import type { Database } from "../../store/database.ts";
import { dispatchByNumber, latestDispatches, pingDatabase } from "../../store/dispatches.ts";
import { dispatchArticle } from "./dispatch-view.ts";
import { page } from "./layout.ts";

export interface WebDeps {
  db: Database;
  /** Liveness of the parts the web server does not own. */
  health: () => { scheduler: boolean; surfaces: Record<string, boolean> };
}

/** The public web view: server-rendered pages and their JSON twins. Public data only. */
export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono();
  const { db } = deps;

  app.get("/healthz", async (c) => {
    const parts = deps.health();
    let database = true;
    try {
      await pingDatabase(db.prisma);
    } catch {
      database = false;
    }
    const ok = database && parts.scheduler;
    return c.json({ ok, database, ...parts }, ok ? 200 : 503);
  });

  app.get("/", async (c) => {
    const dispatches = await latestDispatches(db.prisma, 20);
    const body = dispatches.length
      ? html`${dispatches.map((d) => dispatchArticle(d, false))}`
      : html`<p>No dispatch yet: the desk publishes its first one shortly after start.</p>`;
    return c.html(page("Latest dispatches", body));
  });

  app.get("/read/:n{[0-9]+}", async (c) => {
    const dispatch = await dispatchByNumber(db.prisma, Number(c.req.param("n")));
    if (!dispatch) return c.html(page("Not found", html`<p>No dispatch #${c.req.param("n")}.</p>`), 404);
    return c.html(page(dispatch.title, dispatchArticle(dispatch, true)));
  });

  app.get("/api/dispatches", async (c) => c.json(await latestDispatches(db.prisma, 50)));
  app.get("/api/dispatches/:n{[0-9]+}", async (c) => {
    const dispatch = await dispatchByNumber(db.prisma, Number(c.req.param("n")));
    return dispatch ? c.json(dispatch) : c.json({ error: "no such dispatch" }, 404);
  });

  return app;
}
