import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { learnFromVerdicts } from "../../src/agents/cycle/learn.ts";
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

  it("writes a post-mortem per wrong desk call, once, and benches a target worse than a coin flip", async () => {
    const server = await ensureServer(
      db.prisma,
      { platform: "local", externalId: "learn", name: "L" },
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
    const now = new Date("2026-04-01T00:00:00Z");
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

    // Learning again from the same verdicts adds no second lesson and no duplicate rule.
    const again = await learnFromVerdicts(db, resolved, now);
    expect(again.adopted).toEqual([]);
    expect(await db.prisma.lesson.count({ where: { serverId: server.id } })).toBe(wrong.length);
  });
});
