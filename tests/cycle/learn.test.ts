import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { learnFromVerdicts, learnPending } from "../../src/agents/cycle/learn.ts";
import type { Bar } from "../../src/domain/bars.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { appendCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { FakeQuotes } from "../support/fake-quotes.ts";

// A falling tape: every "up" call made on it is wrong.
const dates = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 2, 2 + i))).filter(
  (d) => d.getUTCDay() % 6 !== 0,
);
const IWM: Bar[] = dates.map((d, i) => ({ date: d.toISOString().slice(0, 10), close: 250 - i * 2 }));

describe.each(testDatabases())("learning from verdicts on $label", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  /** A server whose desk called IWM up every day of the falling tape. */
  async function deskCallingUp(externalId: string) {
    const server = await ensureServer(
      db.prisma,
      { platform: "local", externalId, name: "L" },
      { schedule: "0 15 * * 1-5", timezone: "UTC", symbols: ["IWM"] },
    );
    for (const date of IWM.slice(1, 15)) {
      const spec = callSpecSchema.parse({
        kind: "direction",
        symbol: "IWM",
        direction: "up",
        horizonHours: 72,
        probability: 0.6,
        madeAt: `${date.date}T21:00:00Z`,
      });
      await appendCall(db.prisma, {
        serverId: server.id,
        spec,
        authorType: "desk",
        mind: "flow",
        source: "dispatch",
        regime: "choppy",
        lockAt: lockAtOf(spec, 0.25),
      });
    }
    return server;
  }
  const now = new Date("2026-04-01T00:00:00Z");

  it("writes a post-mortem per wrong desk call, once, and benches a target worse than a coin flip", async () => {
    const server = await deskCallingUp("learn");
    const { resolved } = await sweepDueCalls({ db, quotes: new FakeQuotes({ IWM }), now, graceHours: 72 });
    const wrong = resolved.filter((v) => v.status === "wrong");
    expect(wrong.length).toBeGreaterThanOrEqual(12);

    const report = await learnFromVerdicts(db, resolved, now);
    expect(report.lessons).toBe(wrong.length);
    const lessons = await db.prisma.lesson.findMany({ where: { serverId: server.id, kind: "post_mortem" } });
    expect(lessons).toHaveLength(wrong.length);
    expect(lessons[0]?.body).toMatch(/IWM/);
    expect(lessons[0]?.counterfactual).toMatch(/^COUNTERFACTUAL/);
    const rules = await db.prisma.learnedRule.findMany({ where: { serverId: server.id, active: true } });
    expect(rules.map((r) => r.scope).sort()).toEqual(["mind", "symbol_horizon"]);
    expect(rules.find((r) => r.scope === "symbol_horizon")).toMatchObject({
      symbol: "IWM",
      horizonHours: 72,
    });

    // Learned from means no longer pending: learning again adds no second lesson and no duplicate rule.
    expect(await db.prisma.learnMarker.count({ where: { serverId: server.id } })).toBe(0);
    const again = await learnFromVerdicts(db, resolved, now);
    expect(again.adopted).toEqual([]);
    expect(await learnPending(db, now)).toEqual({ lessons: 0, adopted: [], lifted: [] });
    expect(await db.prisma.lesson.count({ where: { serverId: server.id } })).toBe(wrong.length);
    expect(await db.prisma.learnedRule.count({ where: { serverId: server.id } })).toBe(rules.length);

    // A marker back for a call already learned from (a restored backup) writes no second post-mortem.
    await db.prisma.learnMarker.create({ data: { callId: wrong[0]?.callId as number, serverId: server.id } });
    expect((await learnPending(db, now)).lessons).toBe(0);
    expect(await db.prisma.lesson.count({ where: { serverId: server.id } })).toBe(wrong.length);
    expect(await db.prisma.learnMarker.count()).toBe(0);
  });

  it.skipIf(!target.connectAgain)("two instances learning at once adopt each rule once", async () => {
    const server = await deskCallingUp("learn-twice");
    const { resolved } = await sweepDueCalls({ db, quotes: new FakeQuotes({ IWM }), now, graceHours: 72 });
    const ids = resolved.map((v) => v.callId);
    const other = await (target.connectAgain as () => Promise<Database>)();
    try {
      // Different verdicts of one server, so neither finds the other's markers already taken.
      const [a, b] = await Promise.all([
        learnPending(db, now, ids.slice(0, 7)),
        learnPending(other, now, ids.slice(7)),
      ]);
      const wrong = resolved.filter((v) => v.status === "wrong").length;
      expect(a.lessons + b.lessons).toBe(wrong);
      expect(a.adopted.length + b.adopted.length).toBe(2);
      expect(await db.prisma.lesson.count({ where: { serverId: server.id } })).toBe(wrong);
      expect(await db.prisma.learnedRule.count({ where: { serverId: server.id } })).toBe(2);
    } finally {
      await other.close();
    }
  });
});
