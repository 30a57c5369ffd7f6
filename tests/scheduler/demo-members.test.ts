import { describe, expect, it, vi } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { runCycle } from "../../src/agents/cycle/service.ts";
import { commandCore } from "../../src/commands/core.ts";
import type { Server } from "../../src/domain/server.ts";
import { createLogger } from "../../src/log.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import type { Clock } from "../../src/scheduler/clock.ts";
import { DemoMembers } from "../../src/scheduler/demo-members.ts";
import type { Database } from "../../src/store/database.ts";
import { SETTINGS } from "../commands/harness.ts";
import { testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";
import { withMigratedDatabase } from "../support/per-block.ts";

const log = createLogger({ level: "silent", format: "json" });
/** A Tuesday morning in New York, the desk's first cycle; the members play an hour later. */
const CYCLE_AT = new Date("2026-06-09T14:05:00Z");
const TURN_AT = new Date("2026-06-09T15:30:00Z");

/** A desk with one dispatch, and simulated members over it on a clock standing at `now.at`. */
async function deskWithMembers(db: Database, count: number, seed = 42) {
  await db.prisma.server.deleteMany({});
  const market = new SimulatedMarket(3).source();
  const server: Server = await ensureLocalServer(db, ["SPY", "QQQ", "NVDA", "BTC-USD", "ETH-USD"]);
  await runCycle(offlineDesk(db, market), server, CYCLE_AT);
  const now = { at: TURN_AT };
  const clock: Clock = { now: () => now.at, speed: 720 };
  const core = commandCore({
    db,
    quotes: market.quotes,
    now: clock.now,
    settings: SETTINGS,
    cycles: { runNow: async () => ({ status: "already_running" }), reschedule: () => undefined },
    serverDefaults: { schedule: server.schedule, timezone: server.timezone, symbols: server.symbols },
  });
  const members = new DemoMembers({ core, server, db, quotes: market.quotes, clock, seed, count, log });
  return { members, now };
}

/** Every member call, oldest first, as the record shows it. */
async function memberCalls(db: Database) {
  const rows = await db.prisma.call.findMany({
    where: { authorType: "member" },
    orderBy: { id: "asc" },
    include: { member: true },
  });
  return rows.map((row) => ({
    member: row.member?.displayName,
    externalId: row.member?.externalId,
    symbol: row.symbol,
    kind: row.kind,
    direction: row.direction,
    stance: row.stance,
    probability: row.probability,
    deadline: row.deadline.toISOString(),
  }));
}

describe.each(testDatabases())("simulated members ($label)", (target) => {
  let db: Database;
  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  it("three styles each make a call through the command core, named and stored as simulated", async () => {
    const { members } = await deskWithMembers(db, 3);
    await members.playAt(TURN_AT);
    const calls = await memberCalls(db);
    expect(calls.map((c) => c.member)).toEqual([
      "Momentum Mo (simulated)",
      "Contrarian Cass (simulated)",
      "Cautious Cal (simulated)",
    ]);
    expect(calls.map((c) => c.externalId)).toEqual([
      "simulated:momentum",
      "simulated:contrarian",
      "simulated:cautious",
    ]);
    // A second turn at the same moment is the same events: the store replays them, nothing new.
    await members.playAt(TURN_AT);
    expect(await memberCalls(db)).toHaveLength(3);
  });

  it("plays the same moves from the same seed, and other moves from another", async () => {
    const play = async (seed: number) => {
      const { members } = await deskWithMembers(db, 3, seed);
      for (let hour = 0; hour < 24; hour += 4)
        await members.playAt(new Date(TURN_AT.getTime() + hour * 3_600_000));
      return (await memberCalls(db)).map(({ externalId: _id, ...call }) => call);
    };
    const first = await play(42);
    expect(first.length).toBeGreaterThanOrEqual(12);
    // Styles show in the record: the contrarian only ever fades the desk, the cautious one only agrees.
    const stances = (who: string) =>
      new Set(first.filter((c) => c.member?.startsWith(who)).map((c) => c.stance));
    expect(stances("Contrarian")).toContain("fade");
    expect(stances("Contrarian")).not.toContain("agree");
    expect(stances("Cautious")).not.toContain("fade");
    expect(await play(42)).toEqual(first);
    expect(await play(7)).not.toEqual(first);
  });

  it("takes turns on the demo clock, not the wall clock: a turn slot passes, one turn each", async () => {
    const { members, now } = await deskWithMembers(db, 3);
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      members.start();
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await memberCalls(db)).toEqual([]);
      // The demo clock passes 16:30 UTC (a */2 slot): the next tick plays it.
      now.at = new Date("2026-06-09T16:31:00Z");
      await vi.advanceTimersByTimeAsync(1_000);
      await members.stop();
    } finally {
      vi.useRealTimers();
    }
    expect((await memberCalls(db)).map((c) => c.member)).toHaveLength(3);
  });

  it("DEMO_MEMBERS=0: nobody plays", async () => {
    const { members } = await deskWithMembers(db, 0);
    members.start();
    await members.playAt(TURN_AT);
    await members.stop();
    expect(await memberCalls(db)).toEqual([]);
  });
});
