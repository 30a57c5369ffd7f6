import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bar } from "../../src/domain/bars.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { brier } from "../../src/domain/scoring.ts";
import { type SweepReport, sweepDueCalls } from "../../src/resolution/sweep.ts";
import { verifyChains } from "../../src/resolution/verify.ts";
import { appendCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { FakeQuotes } from "../support/fake-quotes.ts";
import { AFTER_DEADLINE, MADE, QQQ } from "./qqq-tape.ts";

const bar = (date: string, close: number, high = close): Bar => ({
  date,
  open: close,
  high,
  low: close,
  close,
});
/** Falling while QQQ rises, with one intraday spike to 660 on Thursday for the touch calls. */
const SPY = [
  bar("2026-03-31", 652),
  bar("2026-04-01", 650),
  bar("2026-04-02", 645, 660),
  bar("2026-04-06", 640),
  bar("2026-04-07", 635),
];

type Expected = { status: "right" | "wrong" } | { status: "void"; voidReason: string } | { status: "open" };

/**
 * Every kind, two symbols, two deadlines (24h: Thursday's close; 120h: Monday's), and DIA, which the
 * source has no bars for (postponed within the grace period). Entries: QQQ 577.18, SPY 650.
 */
const VARIANTS: { fields: Record<string, unknown>; expected: Expected }[] = [
  { fields: { symbol: "QQQ", direction: "up", horizonHours: 24 }, expected: { status: "right" } },
  { fields: { symbol: "QQQ", direction: "down", horizonHours: 120 }, expected: { status: "wrong" } },
  { fields: { symbol: "SPY", direction: "down", horizonHours: 24 }, expected: { status: "right" } },
  { fields: { symbol: "SPY", direction: "up", horizonHours: 120 }, expected: { status: "wrong" } },
  {
    fields: { symbol: "QQQ", direction: "up", horizonHours: 120, flatBandPct: 5 },
    expected: { status: "void", voidReason: "inside_flat_band" },
  },
  {
    fields: { symbol: "QQQ", kind: "threshold", comparator: "above", level: 579, horizonHours: 24 },
    expected: { status: "right" },
  },
  {
    fields: { symbol: "SPY", kind: "threshold", comparator: "below", level: 630, horizonHours: 120 },
    expected: { status: "wrong" },
  },
  {
    fields: { symbol: "SPY", kind: "touch", comparator: "above", level: 655, horizonHours: 120 },
    expected: { status: "right" },
  },
  {
    fields: { symbol: "QQQ", kind: "touch", comparator: "above", level: 586, horizonHours: 120 },
    expected: { status: "wrong" },
  },
  {
    fields: { symbol: "SPY", kind: "hold", comparator: "below", level: 655, horizonHours: 120 },
    expected: { status: "wrong" },
  },
  {
    fields: { symbol: "QQQ", kind: "relative", versus: "SPY", direction: "outperform", horizonHours: 24 },
    expected: { status: "right" },
  },
  {
    fields: { symbol: "SPY", kind: "relative", versus: "QQQ", direction: "outperform", horizonHours: 120 },
    expected: { status: "wrong" },
  },
  { fields: { symbol: "DIA", direction: "up", horizonHours: 24 }, expected: { status: "open" } },
];
const COUNT = 312; // 24 of each variant

describe.each(testDatabases())("a set-based sweep of a few hundred calls on $label", (target) => {
  let db: Database;
  let serverId: string;
  const quotes = new FakeQuotes({ QQQ, SPY });
  const made: { id: number; probability: number; desk: boolean; expected: Expected }[] = [];
  const sweepAll = async (now: Date, graceHours: number) => {
    const reports: SweepReport[] = [];
    for (;;) {
      const report = await sweepDueCalls({ db, quotes, now, graceHours, pageSize: 50, maxCalls: 200 });
      if (report.due === 0) return reports;
      reports.push(report);
    }
  };

  beforeAll(async () => {
    db = await openMigrated(target);
    const server = await ensureServer(
      db.prisma,
      { platform: "local", externalId: "batch", name: "batch" },
      { schedule: "0 15 * * 1-5", timezone: "UTC", symbols: ["QQQ", "SPY", "DIA"] },
    );
    serverId = server.id;
    const members = await Promise.all(
      ["ada", "bo", "cy"].map((name) =>
        db.prisma.member.create({ data: { serverId, externalId: name, displayName: name } }),
      ),
    );
    for (let i = 0; i < COUNT; i++) {
      const variant = VARIANTS[i % VARIANTS.length] as (typeof VARIANTS)[number];
      const probability = 0.51 + (i % 45) / 100;
      const spec = callSpecSchema.parse({ kind: "direction", probability, madeAt: MADE, ...variant.fields });
      const desk = i % 4 === 0;
      const { call } = await appendCall(db.prisma, {
        serverId,
        spec,
        source: desk ? "dispatch" : "predict",
        lockAt: lockAtOf(spec, 0.25),
        ...(desk
          ? { authorType: "desk", mind: "macro" }
          : { authorType: "member", memberId: (members[i % 3] as { id: string }).id }),
      });
      made.push({ id: call.id, probability, desk, expected: variant.expected });
    }
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  it("decides every call as its kind, symbol and deadline say, in pages, with one lookup per group", async () => {
    const reports = await sweepAll(AFTER_DEADLINE, 200);
    // 312 due: a pass of 200 in four pages, then the rest.
    expect(reports.map((r) => [r.due, r.pages])).toEqual([
      [200, 4],
      [112, 3],
    ]);
    // Per pass at most one lookup per symbol and deadline group (2 deadlines × QQQ, SPY, DIA).
    for (const report of reports) expect(report.lookups).toBeLessThanOrEqual(6);
    const stored = new Map((await db.prisma.call.findMany({ where: { serverId } })).map((c) => [c.id, c]));
    for (const call of made) {
      const row = stored.get(call.id);
      expect({ id: call.id, ...row }).toMatchObject({ id: call.id, ...call.expected });
      if (call.expected.status === "right" || call.expected.status === "wrong") {
        const outcome = call.expected.status === "right" ? 1 : 0;
        expect(row?.outcome).toBe(outcome);
        expect(row?.brier).toBeCloseTo(brier(call.probability, outcome), 12);
        expect(row?.receipt).toMatch(/"barsHash"/);
      }
    }
  });

  it("writes each verdict's chain record, score totals and learn marker once, and the chain verifies", async () => {
    const decided = made.filter((c) => c.expected.status !== "open");
    expect(await db.prisma.chainRecord.count({ where: { serverId, kind: "verdict" } })).toBe(decided.length);
    const report = await verifyChains(db, { server: serverId, full: true });
    expect(report?.ok).toBe(true);
    const totals = await db.prisma.scoreTotal.findMany({ where: { serverId, season: "all" } });
    const sum = (pick: (t: (typeof totals)[number]) => number) => totals.reduce((s, t) => s + pick(t), 0);
    const count = (status: string) => decided.filter((c) => c.expected.status === status).length;
    expect(sum((t) => t.resolved)).toBe(count("right") + count("wrong"));
    expect(sum((t) => t.rightCount)).toBe(count("right"));
    expect(sum((t) => t.voids)).toBe(count("void"));
    expect(await db.prisma.learnMarker.count({ where: { serverId } })).toBe(
      decided.filter((c) => c.desk).length,
    );
  });

  it("postpones the calls without data in one write, and a second sweep resolves nothing", async () => {
    const waiting = await db.prisma.call.findMany({ where: { serverId, symbol: "DIA" } });
    expect(waiting).toHaveLength(COUNT / VARIANTS.length);
    for (const call of waiting) {
      expect(call).toMatchObject({ status: "open", attempts: 1 });
      expect(call.nextAttemptAt?.getTime()).toBe(AFTER_DEADLINE.getTime() + 5 * 60_000);
    }
    const before = await db.prisma.scoreTotal.findMany({
      where: { serverId },
      orderBy: { authorKey: "asc" },
    });
    expect(await sweepAll(AFTER_DEADLINE, 200)).toEqual([]);
    expect(
      await db.prisma.scoreTotal.findMany({ where: { serverId }, orderBy: { authorKey: "asc" } }),
    ).toEqual(before);
  });

  it("voids the calls without data once the grace period has passed, and the chain still verifies", async () => {
    const late = new Date(AFTER_DEADLINE.getTime() + 10 * 86_400_000);
    const reports = await sweepAll(late, 200);
    expect(reports.flatMap((r) => r.resolved)).toHaveLength(COUNT / VARIANTS.length);
    expect(await db.prisma.call.count({ where: { serverId, status: "open" } })).toBe(0);
    expect(
      await db.prisma.call.count({ where: { serverId, symbol: "DIA", voidReason: "data_unavailable" } }),
    ).toBe(COUNT / VARIANTS.length);
    expect((await verifyChains(db, { server: serverId, full: true }))?.ok).toBe(true);
    expect(await sweepAll(late, 200)).toEqual([]);
  });
});
