import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { baselineScore, brier, peerScore } from "../../src/domain/scoring.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { appendCall, type NewCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureMember } from "../../src/store/servers.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { FakeQuotes } from "../support/fake-quotes.ts";
import { AFTER_DEADLINE, freshQqqServer, MADE, QQQ } from "./qqq-tape.ts";

describe.each(testDatabases())("resolution sweep on $label", (target) => {
  let db: Database;
  let serverId: string;
  let quotes: FakeQuotes;

  beforeAll(async () => {
    db = await openMigrated(target);
  });
  beforeEach(async () => {
    serverId = await freshQqqServer(db, "desk");
    quotes = new FakeQuotes({ QQQ });
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  async function add(fields: Record<string, unknown>, extra: Partial<NewCall> = {}) {
    const spec = callSpecSchema.parse({
      kind: "direction",
      symbol: "QQQ",
      direction: "up",
      horizonHours: 120,
      probability: 0.62,
      madeAt: MADE,
      ...fields,
    });
    return (
      await appendCall(db.prisma, {
        serverId,
        spec,
        authorType: "desk",
        mind: "macro",
        source: "dispatch",
        lockAt: lockAtOf(spec, 0.25),
        ...extra,
      })
    ).call;
  }

  it("one price lookup serves every call on the same symbol and deadline", async () => {
    for (let i = 0; i < 30; i++) await add({ probability: 0.5 + i / 100 });
    await add({ horizonHours: 48, madeAt: "2026-03-31T21:00:00Z" }); // another deadline: a second group
    const report = await sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 72 });
    expect(report.resolved).toHaveLength(31);
    expect(report.lookups).toBe(2);
    expect(quotes.lookups.filter((l) => l.symbol === "QQQ")).toHaveLength(2);
  });

  it("stores status, evidence, exit and proper scores", async () => {
    const call = await add({});
    await sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 72 });
    const stored = await db.prisma.call.findUniqueOrThrow({ where: { id: call.id } });
    // Deadline Mon 04-06 21:00 UTC: last close at or before it is Monday's 584.98.
    expect(stored).toMatchObject({
      status: "right",
      outcome: 1,
      exitPrice: 584.98,
      evidence: "QQQ 577.18 → 584.98 (+1.35%)",
    });
    expect(stored.brier).toBeCloseTo(brier(0.62, 1), 12);
    expect(stored.baselineScore).toBeCloseTo(baselineScore(0.62, 1), 12);
  });

  it("resolves a deadline over a closed market when it passes, not after the next session", async () => {
    // Data through Thursday 04-02; Good Friday and the weekend have no session before Monday's open.
    quotes = new FakeQuotes({ QQQ: QQQ.slice(0, 3) });
    const weekend = await add({ horizonHours: 72 }); // due Saturday 04-04 21:00 UTC
    const monday = await add({ horizonHours: 120 }); // due Monday 04-06 21:00 UTC
    const report = await sweepDueCalls({ db, quotes, now: new Date("2026-04-04T21:05:00Z"), graceHours: 72 });
    expect(report.resolved.map((v) => v.callId)).toEqual([weekend.id]);
    const stored = await db.prisma.call.findUniqueOrThrow({ where: { id: weekend.id } });
    expect(stored).toMatchObject({
      status: "right",
      exitPrice: 580,
      evidence: "QQQ 577.18 → 580.00 (+0.49%)",
    });
    // On Tuesday a source still ending Thursday is lagging: Monday's deadline waits for Monday's bar.
    const later = await sweepDueCalls({ db, quotes, now: new Date("2026-04-07T14:00:00Z"), graceHours: 72 });
    expect(later).toMatchObject({ due: 1, resolved: [], postponed: 1 });
    expect(await db.prisma.call.findUniqueOrThrow({ where: { id: monday.id } })).toMatchObject({
      status: "open",
      attempts: 1,
    });
  });

  it("two sweeps at once resolve each call exactly once, count it once and mark it to learn once", async () => {
    for (let i = 0; i < 40; i++) await add({ direction: i % 2 ? "up" : "down" });
    const [a, b] = await Promise.all([
      sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 72 }),
      sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 72 }),
    ]);
    expect(a.resolved.length + b.resolved.length).toBe(40);
    const ids = [...a.resolved, ...b.resolved].map((v) => v.callId);
    expect(new Set(ids).size).toBe(40);
    const total = await db.prisma.scoreTotal.findUniqueOrThrow({
      where: { serverId_season_authorKey: { serverId, season: "all", authorKey: "desk" } },
    });
    expect(total).toMatchObject({ resolved: 40, rightCount: 20, voids: 0 });
    // What follows from a verdict is written with it, so also once: one learn marker per desk call.
    expect(await db.prisma.learnMarker.count({ where: { serverId } })).toBe(40);
    expect((await sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 72 })).due).toBe(0);
  });

  it("retries with backoff while the source is down, then voids after the grace period", async () => {
    const call = await add({});
    quotes.failing = true;
    const first = await sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 24 });
    expect(first).toMatchObject({ postponed: 1, resolved: [] });
    const waiting = await db.prisma.call.findUniqueOrThrow({ where: { id: call.id } });
    expect(waiting).toMatchObject({ status: "open", attempts: 1 });
    expect(waiting.nextAttemptAt?.getTime()).toBe(AFTER_DEADLINE.getTime() + 5 * 60_000);
    // Not due again before its next attempt.
    expect(
      (await sweepDueCalls({ db, quotes, now: new Date(AFTER_DEADLINE.getTime() + 60_000), graceHours: 24 }))
        .due,
    ).toBe(0);
    const late = new Date(AFTER_DEADLINE.getTime() + 25 * 3_600_000);
    const last = await sweepDueCalls({ db, quotes, now: late, graceHours: 24 });
    expect(last.resolved).toHaveLength(1);
    const voided = await db.prisma.call.findUniqueOrThrow({ where: { id: call.id } });
    expect(voided).toMatchObject({ status: "void", voidReason: "data_unavailable", brier: null });
    expect(voided.evidence).toMatch(/source timed out/);
  });

  it.each([
    { pages: "one page", pageSize: undefined },
    { pages: "a page per call (the desk's verdict still being written)", pageSize: 1 },
  ])(
    "scores members who agreed or faded against the desk on the same question, $pages",
    async ({ pageSize }) => {
      const desk = await add({ probability: 0.6 });
      const ada = await ensureMember(db.prisma, serverId, "u1", "Ada");
      const bo = await ensureMember(db.prisma, serverId, "u2", "Bo");
      const member = {
        authorType: "member" as const,
        mind: undefined,
        parentCallId: desk.id,
        entryPrice: 577.18,
      };
      const agree = await add(
        { probability: 0.8 },
        { ...member, memberId: ada.id, stance: "agree", source: "button" },
      );
      const fade = await add(
        { direction: "down", probability: 0.7 },
        { ...member, memberId: bo.id, stance: "fade", source: "reaction" },
      );
      const report = await sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 72, pageSize });
      expect(report).toMatchObject({ due: 3, pages: pageSize ? 4 : 1 });
      const [a, f] = await Promise.all(
        [agree, fade].map((c) => db.prisma.call.findUniqueOrThrow({ where: { id: c.id } })),
      );
      // QQQ went up: the desk put 0.6 on it, Ada 0.8, Bo 0.3.
      expect(a?.peerScore).toBeCloseTo(peerScore(0.8, 0.6), 9);
      expect(f?.status).toBe("wrong");
      expect(f?.peerScore).toBeCloseTo(peerScore(0.3, 0.6), 9);
      const boTotal = await db.prisma.scoreTotal.findUniqueOrThrow({
        where: { serverId_season_authorKey: { serverId, season: "2026-04", authorKey: bo.id } },
      });
      expect(boTotal).toMatchObject({ resolved: 1, rightCount: 0, peerCount: 1 });
      // The desk learns from its own verdicts only.
      expect(await db.prisma.learnMarker.findMany({ select: { callId: true } })).toEqual([
        { callId: desk.id },
      ]);
    },
  );
});
