import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/commands/context.ts";
import { leaderboard } from "../../src/commands/leaderboard.ts";
import { predict } from "../../src/commands/predict.ts";
import { agree, fade } from "../../src/commands/stance.ts";
import { trail } from "../../src/commands/trail.ts";
import type { Server } from "../../src/domain/server.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { contextFor, deskCall, freshServer, PointInTimeQuotes, walk } from "./harness.ts";

const SYMBOLS = ["QQQ", "SPY", "IWM"];
const SERIES = {
  QQQ: walk("2026-02-02", "2026-05-29", 560, 7),
  SPY: walk("2026-02-02", "2026-05-29", 650, 11),
  IWM: walk("2026-02-02", "2026-05-29", 240, 13),
};
const MINDS = ["macro", "flow", "contrarian"];
const MEMBERS = ["ada", "bo", "cy", "di", "ed", "fay", "gus", "hal"];
const DESK_DAYS = (SERIES.QQQ ?? []).filter((b) => b.date >= "2026-03-02" && b.date <= "2026-04-24");

/** Seeded, so every run (and both databases) sees the same community. */
function dice(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe.each(testDatabases())("trail and leaderboard at volume on $label", (target) => {
  let db: Database;
  let server: Server;
  const quotes = new PointInTimeQuotes(SERIES);
  const as = (member: string, now: Date, extra: Partial<CommandContext> = {}) =>
    contextFor(db, server, quotes, {
      now,
      actor: { externalId: `u-${member}`, displayName: member, isModerator: false },
      ...extra,
    }).ctx;

  beforeAll(async () => {
    db = await openMigrated(target);
    server = await freshServer(db, "guild-volume", SYMBOLS);
    const roll = dice(5);
    for (const [i, day] of DESK_DAYS.entries()) {
      const symbol = SYMBOLS[i % 3] as string;
      const madeAt = new Date(`${day.date}T21:00:00Z`);
      const entry = (SERIES[symbol as keyof typeof SERIES] ?? []).find((b) => b.date === day.date);
      const desk = await deskCall(
        db,
        server.id,
        {
          symbol,
          direction: roll() < 0.5 ? "up" : "down",
          // Never 48h: from a Friday (or Good Thursday) evening no close falls inside, so it locks at once.
          horizonHours: i % 2 ? 96 : 120,
          probability: 0.55 + Math.round(roll() * 20) / 100,
          madeAt: madeAt.toISOString(),
        },
        {
          mind: MINDS[i % 3] as string,
          regime: i % 4 ? "choppy" : "risk_off",
          entryPrice: entry?.close as number,
        },
      );
      const soon = new Date(madeAt.getTime() + 3_600_000);
      for (const member of MEMBERS) {
        if (roll() > 0.6) continue;
        const respond = roll() < 0.5 ? agree : fade;
        const options = {
          callId: desk.id,
          probability: 55 + Math.round(roll() * 30),
          source: "button" as const,
        };
        expect((await respond(as(member, soon), options)).ok).toBe(true);
      }
      // Ada changes her mind on every fifth call: only the fade may count.
      if (i % 5 === 0) {
        await agree(as("ada", soon), { callId: desk.id, source: "button" });
        await fade(as("ada", new Date(soon.getTime() + 60_000)), { callId: desk.id, source: "reaction" });
      }
      if (i % 8 === 0) {
        for (const member of MEMBERS) {
          const text = `${SYMBOLS[(i + member.length) % 3]} ${roll() < 0.5 ? "up" : "down"} 48h ${60 + (i % 30)}%`;
          expect((await predict(as(member, new Date(soon.getTime() + 7_200_000)), { text })).ok).toBe(true);
        }
      }
    }
    await predict(as("lurker", new Date("2026-04-01T22:00:00Z")), { text: "SPY up 48h 70%" });
    await sweepDueCalls({ db, quotes, now: new Date("2026-05-30T00:00:00Z"), graceHours: 72 });
  }, 240_000);
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  const scoredWhere = () => ({ serverId: server.id, status: { in: ["right", "wrong"] } });

  it("resolved a realistic volume, superseded calls excluded", async () => {
    const total = await db.prisma.call.count({ where: { serverId: server.id } });
    expect(total).toBeGreaterThan(250);
    expect(await db.prisma.call.count({ where: { serverId: server.id, status: "open" } })).toBe(0);
    expect(
      await db.prisma.call.count({ where: { serverId: server.id, status: "superseded" } }),
    ).toBeGreaterThan(0);
    // However often a member changed their mind, one response per desk call is live.
    const live = await db.prisma.call.groupBy({
      by: ["memberId", "parentCallId"],
      where: { serverId: server.id, parentCallId: { not: null }, status: { not: "superseded" } },
      _count: true,
    });
    expect(Math.max(...live.map((g) => g._count))).toBe(1);
  });

  it("ranks members by shrunk skill per call, places the desk, crowd and always up, and floors the rest", async () => {
    const result = await leaderboard(as("ada", new Date("2026-05-30T00:00:00Z")), {
      season: "all",
      limit: 25,
    });
    if (!result.ok) throw new Error(result.error);
    const { rows, desk, belowFloor } = result.view;
    const deskScored = await db.prisma.call.aggregate({
      where: { ...scoredWhere(), authorType: "desk" },
      _count: true,
      _sum: { baselineScore: true },
    });
    expect(desk).toMatchObject({ kind: "desk", rank: null, name: "Desk", resolved: deskScored._count });
    expect(desk.baselineSum).toBeCloseTo(deskScored._sum.baselineScore ?? 0, 6);
    expect(desk.skill.shrunk).toBe(0);
    expect(rows.map((r) => r.kind).filter((k) => k !== "member")).toEqual(
      expect.arrayContaining(["desk", "crowd", "always_up"]),
    );
    expect(rows.filter((r) => r.isDesk)).toHaveLength(3);
    expect(rows.filter((r) => !r.isDesk).map((r) => r.rank)).toEqual(MEMBERS.map((_, i) => i + 1));
    // The order rule changed with issue #15: shrunk mean skill, not summed baseline score.
    const shrunk = rows.map((r) => r.skill.shrunk);
    expect(shrunk).toEqual([...shrunk].sort((a, b) => b - a));
    expect(belowFloor).toBe(1);
    expect(rows.some((r) => r.externalId === "u-lurker")).toBe(false);
    for (const row of rows.filter((r) => !r.isDesk)) {
      const member = await db.prisma.member.findFirstOrThrow({
        where: { externalId: row.externalId as string },
      });
      const own = await db.prisma.call.findMany({ where: { ...scoredWhere(), memberId: member.id } });
      expect(row.resolved).toBe(own.length);
      expect(row.baselineSum).toBeCloseTo(
        own.reduce((s, c) => s + (c.baselineScore ?? 0), 0),
        6,
      );
      const skill = own.map((c) => c.peerScore ?? (c.baselineScore ?? 0) * Math.LN2);
      expect(row.skill.shrunk).toBeCloseTo(skill.reduce((s, x) => s + x, 0) / (own.length + 10), 6);
      expect(row.hitRate).toBeCloseTo(own.filter((c) => c.outcome === 1).length / own.length, 9);
      expect(row.peerCount).toBe(own.filter((c) => c.parentCallId !== null).length);
      expect(row.beatsDesk).toBe((row.vsDesk?.interval?.low ?? 0) > 0);
    }
  });

  it("answers the current season (the calendar month of now) and honours the limit", async () => {
    const result = await leaderboard(as("ada", new Date("2026-04-15T12:00:00Z")), { limit: 3 });
    if (!result.ok) throw new Error(result.error);
    expect(result.view.season).toBe("2026-04");
    const deskApril = await db.prisma.call.count({
      where: { ...scoredWhere(), authorType: "desk", season: "2026-04" },
    });
    expect(result.view.desk.resolved).toBe(deskApril);
    expect(result.view.rows.filter((r) => !r.isDesk)).toHaveLength(3);
    const bad = await leaderboard(as("ada", new Date()), { season: "2026-13" });
    expect(!bad.ok && bad.error).toMatch(/season: a season: "current", "all" or a month such as 2026-03/);
  });

  it("shows the desk's record by mind, regime, asset and horizon", async () => {
    const result = await trail(as("ada", new Date()), { target: "desk" });
    if (!result.ok || result.view.kind !== "desk") throw new Error("expected the desk trail");
    const { overall, byMind, byRegime, bySymbol, byHorizon } = result.view.record;
    expect(overall.resolved).toBe(
      await db.prisma.call.count({ where: { ...scoredWhere(), authorType: "desk" } }),
    );
    expect(Object.keys(byMind).sort()).toEqual([...MINDS].sort());
    expect(Object.keys(byRegime).sort()).toEqual(["choppy", "risk_off"]);
    expect(Object.keys(bySymbol).sort()).toEqual([...SYMBOLS].sort());
    expect(Object.keys(byHorizon).sort()).toEqual(["120h", "96h"]);
    for (const cut of [byMind, byRegime, bySymbol, byHorizon]) {
      expect(Object.values(cut).reduce((s, r) => s + r.resolved, 0)).toBe(overall.resolved);
    }
  });

  it("shows a member's recent calls, record and calibration, by id, mention or as 'me'", async () => {
    const ada = await db.prisma.member.findFirstOrThrow({ where: { externalId: "u-ada" } });
    const own = await db.prisma.call.count({ where: { ...scoredWhere(), memberId: ada.id } });
    for (const target of [undefined, "me", "u-ada", "<@u-ada>", "<@u-ada|ada>"]) {
      const result = await trail(as("ada", new Date()), { target, limit: 12 });
      if (!result.ok || result.view.kind !== "member") throw new Error(`expected Ada's trail for ${target}`);
      expect(result.view.member).toEqual({ externalId: "u-ada", displayName: "ada" });
      expect(result.view.summary.resolved).toBe(own);
      expect(result.view.summary.calibration.reduce((s, b) => s + b.count, 0)).toBe(own);
      const made = result.view.recent.map((c) => c.madeAt);
      expect(made).toHaveLength(12);
      expect(made).toEqual([...made].sort().reverse());
      expect(result.view.recent.every((c) => c.author.type === "member")).toBe(true);
    }
  });

  it("shows a resolved desk call with its evidence, scores and live responses", async () => {
    const call = await db.prisma.call.findFirstOrThrow({
      where: { serverId: server.id, authorType: "desk", responses: { some: {} } },
      orderBy: { id: "asc" },
    });
    const result = await trail(as("bo", new Date()), { target: String(call.id) });
    if (!result.ok || result.view.kind !== "call") throw new Error("expected a call trail");
    expect(result.view.call.result?.evidence).toMatch(new RegExp(`^${call.symbol} `));
    expect(result.view.call.result?.brier).toBe(call.brier);
    expect(result.view.chain).toEqual({ seq: call.chainSeq, hash: call.hash, prevHash: call.prevHash });
    const live = (stance: string) =>
      db.prisma.call.count({ where: { parentCallId: call.id, stance, status: { not: "superseded" } } });
    expect(result.view.responses).toEqual({ agree: await live("agree"), fade: await live("fade") });
  });
});
