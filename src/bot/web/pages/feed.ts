import { generateRssFeed } from "feedsmith";
import { Hono } from "hono";
import { latestDispatches } from "../../../store/dispatches.ts";
import type { WebDeps } from "../deps.ts";

/** RSS 2.0 of the latest dispatches; feedsmith writes the XML and wraps model text in CDATA. */
export function feedRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  app.get("/feed.xml", async (c) => {
    const base = deps.publicUrl ?? new URL(c.req.url).origin;
    const dispatches = await latestDispatches(deps.db.prisma, 30);
    const xml = generateRssFeed({
      title: "Tapereader desk",
      link: `${base}/`,
      description:
        "Dispatches from the Tapereader desk: falsifiable market calls, resolved and scored in public.",
      lastBuildDate: dispatches[0]?.createdAt ?? new Date(),
      items: dispatches.map((d) => {
        const link = `${base}/read/${d.number}`;
        return {
          title: `#${d.number} ${d.title}`,
          link,
          guid: { value: link, isPermaLink: true },
          pubDate: d.createdAt,
          description: `${d.thesis}\n\n${d.debateLine}`,
        };
      }),
    });
    return c.body(xml, 200, { "Content-Type": "application/rss+xml; charset=utf-8" });
  });
  return app;
}
