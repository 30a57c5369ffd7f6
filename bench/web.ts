import { setTimeout as sleep } from "node:timers/promises";
import { serveWebView } from "../src/bot/web/serve.ts";
import { createLogger } from "../src/log.ts";
import { systemClock } from "../src/scheduler/clock.ts";
import type { Database, SqlSession } from "../src/store/database.ts";
import { callIdRange, clearCalls, seedResolvedDesk } from "./fixtures.ts";
import { type Figure, figure } from "./report.ts";
import { percentile, sample, timed } from "./stats.ts";

const TARGET_MS = 100;
/** Requests per page between two changes of the data. */
const REQUESTS = 200;
/** Renders per page right after the data changed: the same page without the cache's help. */
const RENDERS = 5;

/** The data version window `npm start` gives the web app. */
const VERSION_WINDOW_MS = 1000;

const exec = (db: Database, sql: string) => db.withSession((s: SqlSession) => s.query(sql));

/**
 * Any write the data version sees, as a call being made or resolved would: the chain head moves. Then
 * past the app's version window, so the next request sees it.
 */
async function changeData(db: Database, serverId: string): Promise<void> {
  await exec(
    db,
    `INSERT INTO "ChainHead" ("serverId", seq, hash) VALUES ('${serverId}', 1, 'bench')
     ON CONFLICT ("serverId") DO UPDATE SET seq = "ChainHead".seq + 1`,
  );
  await sleep(VERSION_WINDOW_MS + 50);
}

/**
 * Every public page over `count` stored calls through the real web app on a real HTTP socket: each
 * page's p99 over `REQUESTS` sequential requests after a change of the data (so the first of them
 * renders), against the same page's p99 over renders that each follow a change (no cache help).
 * The figure is the slowest page. /verify is measured apart: it reads the chain live on purpose.
 */
export async function benchWebPages(
  db: Database,
  count: number,
  log: (line: string) => void,
): Promise<Figure[]> {
  const { serverId } = await seedResolvedDesk(db, count, log);
  const server = await db.prisma.server.findUniqueOrThrow({ where: { id: serverId } });
  const { min } = await callIdRange(db);
  const q = `server=${server.externalId}`;
  const pages = [
    `/?${q}`,
    `/leaderboard?${q}`,
    `/leaderboard?${q}&season=all`,
    `/api/leaderboard?${q}`,
    `/desk?${q}`,
    `/api/desk?${q}`,
    `/u/local/U1?${q}`,
    `/trail/${min}`,
    `/charts/score/desk.png?${q}`,
    `/charts/calibration/desk.png?${q}`,
    `/charts/leaderboard/board.png?${q}`,
    `/charts/score/u/local/U1.png?${q}`,
    `/feed.xml`,
  ];

  // As `npm start` serves it (src/cli/commands/start.ts): the app here, its front on its own thread.
  const web = await serveWebView({
    db,
    port: 0,
    hostname: "127.0.0.1",
    log: createLogger({ level: "silent", format: "json" }),
    clock: systemClock,
    health: () => ({ scheduler: true, surfaces: {} }),
    versionMaxAgeMs: VERSION_WINDOW_MS,
  });
  const base = `http://127.0.0.1:${web.port}`;
  const get = async (path: string) => {
    const res = await fetch(base + path);
    await res.arrayBuffer();
    if (res.status !== 200 && res.status !== 409) throw new Error(`${path} answered ${res.status}`);
  };

  try {
    const rows: { path: string; cached: number; uncached: number }[] = [];
    for (const path of pages) {
      const uncached: number[] = [];
      for (let i = 0; i < RENDERS; i += 1) {
        await changeData(db, serverId);
        uncached.push((await timed(() => get(path))).ms);
      }
      await changeData(db, serverId);
      const cached = await sample(REQUESTS, () => get(path));
      rows.push({ path, cached: percentile(cached, 99), uncached: percentile(uncached, 99) });
      log(
        `  ${path}: p99 ${percentile(cached, 99).toFixed(1)} ms, uncached ${percentile(uncached, 99).toFixed(0)} ms`,
      );
    }
    const verify = await sample(20, () => get("/verify"));
    const slowest = rows.reduce((a, b) => (b.cached > a.cached ? b : a));
    const slowestUncached = rows.reduce((a, b) => (b.uncached > a.uncached ? b : a));
    const label = count >= 1_000_000 ? `${count / 1_000_000}m` : `${count / 1000}k`;
    return [
      figure({
        section: "web",
        name: `web-page-${label}-p99`,
        value: slowest.cached,
        unit: "ms",
        baseline: slowestUncached.uncached,
        baselineName: "slowest page rendered after every change (no cache)",
        target: `< ${TARGET_MS} ms`,
        met: slowest.cached < TARGET_MS,
        note: `slowest: ${slowest.path}; ${REQUESTS} sequential requests per page after one change of the data; slowest uncached: ${slowestUncached.path}`,
      }),
      figure({
        section: "web",
        name: `web-verify-${label}-p99`,
        value: percentile(verify, 99),
        unit: "ms",
        baseline: null,
        baselineName: null,
        target: null,
        met: null,
        note: "/verify reads the chain on every request (never cached); bench calls carry synthetic chain fields, so it answers 409 after the same scan",
      }),
    ];
  } finally {
    await web.close();
    await clearCalls(db);
  }
}
