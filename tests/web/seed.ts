import { learnFromVerdicts } from "../../src/agents/cycle/learn.ts";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { dispatched, runCycle } from "../../src/agents/cycle/service.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import { createWebApp } from "../../src/bot/web/app.ts";
import { WEB_SETTINGS } from "../../src/bot/web/visitor-commands.ts";
import type { CommandContext } from "../../src/commands/context.ts";
import { agree, fade } from "../../src/commands/stance.ts";
import type { Server } from "../../src/domain/server.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";

/** Hostile on purpose: the pages must print it as text, never as markup. */
export const HOSTILE = `<script>alert("x")</script> & Co`;
export const MEMBER = { externalId: "u-eve", displayName: `Eve ${HOSTILE}` };
/** Two more members who agree with the desk's later calls, so boards and crowds hold more than one. */
export const OTHERS = [
  { externalId: "u-ada", displayName: "Ada" },
  { externalId: "u-sam", displayName: "Sam" },
];

/** Weekday 15:00 UTC cycles over two weeks of the simulated market, so calls both resolve and stay open. */
const CYCLE_DAYS = [
  "2026-06-01",
  "2026-06-02",
  "2026-06-03",
  "2026-06-04",
  "2026-06-05",
  "2026-06-08",
  "2026-06-09",
];
export const SWEEP_AT = new Date("2026-06-10T22:00:00Z");

export interface Seeded {
  db: Database;
  server: Server;
  app: ReturnType<typeof createWebApp>;
  /** Desk call ids in the order they were made. */
  deskCalls: number[];
  /** The member's fades of the first desk calls. */
  memberCalls: number[];
  /** The other members' agreements with the second call of each cycle. */
  otherCalls: number[];
}

/**
 * A migrated in-memory database filled the way production fills it: real cycles on the simulated
 * market with the offline engine, a member fading desk calls before they lock, then a resolution
 * sweep over the same market's quotes with the desk's post-mortems, and one dispatch retitled with markup.
 * In a fresh in-memory PGlite unless given a database (the integrity suite runs on PostgreSQL too).
 */
export async function seedDesk(into?: Database): Promise<Seeded> {
  const db = into ?? (await openDatabase({ kind: "pglite", dataDir: "memory://" }));
  await migrate(db);
  const server = await ensureLocalServer(db, ["QQQ", "SPY", "IWM", "BTC-USD"]);
  const market = new SimulatedMarket(11).source();
  const options = { db, market, engine: new OfflineEngine(), engineName: "offline", lockShare: 0.25 };
  const deskCalls: number[] = [];
  const memberCalls: number[] = [];
  const otherCalls: number[] = [];
  for (const day of CYCLE_DAYS) {
    const at = new Date(`${day}T15:00:00Z`);
    const { calls } = dispatched(await runCycle(options, server, at));
    deskCalls.push(...calls.map((c) => c.id));
    const later = new Date(at.getTime() + 60_000);
    for (const call of calls.slice(0, 1)) {
      const ctx = memberContext(db, server, market.quotes, later, MEMBER);
      const faded = await fade(ctx, { callId: call.id, source: "button", probability: 0.6 });
      if (faded.ok) memberCalls.push(faded.view.call.id);
    }
    for (const [i, call] of calls.slice(1, 2).entries()) {
      for (const [j, other] of OTHERS.entries()) {
        const ctx = memberContext(db, server, market.quotes, later, other);
        const probability = 0.55 + 0.1 * ((i + j) % 3);
        const agreed = await agree(ctx, { callId: call.id, source: "button", probability });
        if (agreed.ok) otherCalls.push(agreed.view.call.id);
      }
    }
  }
  // A day every price feed is down: the desk still publishes, calls nothing, and says why.
  const down = (): Promise<never> => Promise.reject(new Error("feed down"));
  const dark = {
    ...market,
    quotes: { name: "down", latestQuote: down, dailyBars: down },
    crypto: { name: "down", cryptoQuote: down },
  };
  await runCycle({ ...options, market: dark }, server, new Date("2026-06-10T15:00:00Z"));
  const report = await sweepDueCalls({ db, quotes: market.quotes, now: SWEEP_AT, graceHours: 72 });
  await learnFromVerdicts(db, report.resolved, SWEEP_AT);
  const first = await db.prisma.dispatch.findFirstOrThrow({ orderBy: { number: "asc" } });
  await db.prisma.dispatch.update({ where: { id: first.id }, data: { title: `Tape ${HOSTILE}` } });
  const app = createWebApp({
    db,
    health: () => ({ scheduler: true, surfaces: { web: true } }),
    settings: { ...WEB_SETTINGS, leaderboardMinResolved: 1 },
  });
  return { db, server, app, deskCalls, memberCalls, otherCalls };
}

function memberContext(
  db: Database,
  server: Server,
  quotes: CommandContext["quotes"],
  now: Date,
  member: { externalId: string; displayName: string },
): CommandContext {
  return {
    db,
    server,
    quotes,
    now: () => now,
    settings: {
      lockShare: 0.25,
      defaultProbability: 0.6,
      leaderboardMinResolved: 1,
      maxOpenCallsPerMember: 50,
      rateLimit: { calls: 1_000, windowMs: 600_000 },
    },
    actor: { ...member, isModerator: false },
    cycles: { runNow: () => Promise.reject(new Error("not in these tests")), reschedule: () => {} },
    posts: { refresh: async () => {} },
  };
}
