import { describe, expect, it } from "vitest";
import { learnFromVerdicts, learnPending } from "../../src/agents/cycle/learn.ts";
import type { Bar } from "../../src/domain/bars.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { appendCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { loadDeskMemory } from "../../src/store/desk-memory.ts";
import { saveLesson } from "../../src/store/lessons.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { testDatabases } from "../support/databases.ts";
import { FakeQuotes } from "../support/fake-quotes.ts";
import { withMigratedDatabase } from "../support/per-block.ts";

// A falling tape: every "up" call made on it is wrong.
const dates = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 1, 2 + i))).filter(
  (d) => d.getUTCDay() % 6 !== 0,
);
const IWM: Bar[] = dates.map((d, i) => ({ date: d.toISOString().slice(0, 10), close: 250 - i * 2 }));
/** Calls enough for a rule: a shortfall on fewer than 30 is not evidence. */
const CALLS = 34;

describe.each(testDatabases())("learning from verdicts on $label", (target) => {
  let db: Database;

  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  /** A server whose desk called IWM up every day of the falling tape, each call with its own thesis. */
  async function deskCallingUp(externalId: string) {
    const server = await ensureServer(
      db.prisma,
      { platform: "local", externalId, name: "L" },
      { schedule: "0 15 * * 1-5", timezone: "UTC", symbols: ["IWM"] },
    );
    for (const date of IWM.slice(1, 1 + CALLS)) {
      const spec = callSpecSchema.parse({
        kind: "direction",
        symbol: "IWM",
        direction: "up",
        horizonHours: 72,
        probability: 0.6,
        madeAt: `${date.date}T21:00:00Z`,
        note: `IWM higher from ${date.date}: thesis of this call alone.`,
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
  const now = new Date("2026-03-28T00:00:00Z");

  it("writes a post-mortem per wrong desk call, once, and benches a target worse than a coin flip", async () => {
    const server = await deskCallingUp("learn");
    const { resolved } = await sweepDueCalls({ db, quotes: new FakeQuotes({ IWM }), now, graceHours: 72 });
    const wrong = resolved.filter((v) => v.status === "wrong");
    expect(wrong.length).toBeGreaterThanOrEqual(30);

    const report = await learnFromVerdicts(db, resolved, now);
    expect(report.lessons).toBe(wrong.length);
    const lessons = await db.prisma.lesson.findMany({ where: { serverId: server.id, kind: "post_mortem" } });
    expect(lessons).toHaveLength(wrong.length);
    expect(lessons[0]?.body).toMatch(/IWM/);
    // Each post-mortem quotes its own call's thesis, not one thesis for every call.
    const calls = await db.prisma.call.findMany({
      where: { serverId: server.id },
      select: { id: true, note: true },
    });
    for (const lesson of lessons) {
      const own = calls.find((c) => c.id === lesson.callId);
      expect(lesson.body).toContain(`Thesis: ${own?.note}`);
    }
    expect(new Set(lessons.map((l) => l.body.match(/Thesis: (.*?)\./)?.[1])).size).toBe(lessons.length);
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
    expect(await learnPending(db, now)).toEqual({ lessons: 0, adopted: [], lifted: [], withheld: [] });
    expect(await db.prisma.lesson.count({ where: { serverId: server.id } })).toBe(wrong.length);
    expect(await db.prisma.learnedRule.count({ where: { serverId: server.id } })).toBe(rules.length);

    // A marker back for a call already learned from (a restored backup) writes no second post-mortem.
    await db.prisma.learnMarker.create({ data: { callId: wrong[0]?.callId as number, serverId: server.id } });
    expect((await learnPending(db, now)).lessons).toBe(0);
    expect(await db.prisma.lesson.count({ where: { serverId: server.id } })).toBe(wrong.length);
    expect(await db.prisma.learnMarker.count()).toBe(0);
  });

  it("keeps reflections apart: the desk's memory of lessons holds post-mortems only", async () => {
    const server = await deskCallingUp("reflect");
    const { resolved } = await sweepDueCalls({ db, quotes: new FakeQuotes({ IWM }), now, graceHours: 72 });
    await learnFromVerdicts(db, resolved, now);
    await saveLesson(db.prisma, {
      serverId: server.id,
      kind: "reflection",
      title: "Reflection at cycle 560",
      body: "Cycle 560. Overall 3 of 9 right.",
    });
    const memory = await loadDeskMemory(db.prisma, server.id, new Date(now.getTime() + 86_400_000));
    expect(memory.lessons.length).toBeGreaterThan(0);
    for (const lesson of memory.lessons) expect(lesson.title).toMatch(/^Wrong: IWM higher/);
  });

  it.skipIf(!target.connectAgain)("two instances learning at once adopt each rule once", async () => {
    const server = await deskCallingUp("learn-twice");
    const { resolved } = await sweepDueCalls({ db, quotes: new FakeQuotes({ IWM }), now, graceHours: 72 });
    const ids = resolved.map((v) => v.callId);
    const other = await (target.connectAgain as () => Promise<Database>)();
    try {
      // Different verdicts of one server, so neither finds the other's markers already taken.
      const [a, b] = await Promise.all([
        learnPending(db, now, { callIds: ids.slice(0, 7) }),
        learnPending(other, now, { callIds: ids.slice(7) }),
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
