import { describe, expect, it } from "vitest";
import { verdictLine } from "../../src/bot/discord/dispatch-post.ts";
import { verdictReply } from "../../src/bot/slack/render/dispatch.ts";
import type { CommandContext } from "../../src/commands/context.ts";
import { leaderboard } from "../../src/commands/leaderboard.ts";
import { agree, fade } from "../../src/commands/stance.ts";
import { trail } from "../../src/commands/trail.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import type { CallRecord } from "../../src/domain/call-record.ts";
import { NO_RESPONSES } from "../../src/domain/dispatch.ts";
import { baselineScore, brier } from "../../src/domain/scoring.ts";
import type { Server } from "../../src/domain/server.ts";
import { sideBySide } from "../../src/resolution/side-by-side.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { appendInTransaction } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { applyVerdicts } from "../../src/store/resolutions.ts";
import { bar, contextFor, deskCall, freshServer, PointInTimeQuotes, SETTINGS } from "../commands/harness.ts";
import { testDatabases } from "../support/databases.ts";
import { withMigratedDatabase } from "../support/per-block.ts";

const QUOTES = new PointInTimeQuotes({
  QQQ: [
    bar("2026-04-07", 580),
    bar("2026-04-08", 575),
    bar("2026-04-09", 570), // the earlier "down" question came true
    bar("2026-04-14", 577.18),
    bar("2026-04-15", 574),
    bar("2026-04-16", 571), // the desk's "down" call comes true
  ],
});

/**
 * A member's record written through the real verdict path (applyVerdicts, which keeps the running
 * totals): `right` calls at p that came true and `wrong` that did not, on members' own questions.
 */
async function record(db: Database, server: Server, name: string, p: number, right: number, wrong: number) {
  const member = await db.prisma.member.create({
    data: { serverId: server.id, externalId: `u-${name}`, displayName: name },
  });
  const spec = callSpecSchema.parse({
    kind: "direction",
    direction: "up",
    symbol: "SPY",
    horizonHours: 48,
    probability: p,
    madeAt: "2026-04-01T21:00:00Z",
  });
  const calls = await db.prisma.$transaction(
    async (tx) => {
      const made = [];
      for (let i = 0; i < right + wrong; i++) {
        made.push(
          await appendInTransaction(tx, {
            serverId: server.id,
            spec,
            authorType: "member",
            memberId: member.id,
            source: "predict",
            lockAt: lockAtOf(spec, SETTINGS.lockShare),
            entryPrice: 650,
            entryAt: new Date(spec.madeAt),
          }),
        );
      }
      return made;
    },
    { timeout: 120_000 },
  );
  await applyVerdicts(
    db,
    calls.map((call, i) => {
      const outcome = i < right ? 1 : 0;
      return {
        callId: call.id,
        status: outcome ? "right" : "wrong",
        exitPrice: 651,
        exitAt: new Date("2026-04-03T20:00:00Z"),
        movePct: 0.15,
        evidence: "SPY 650 → 651",
        voidReason: null,
        outcome,
        brier: brier(p, outcome),
        baselineScore: baselineScore(p, outcome),
        peerScore: null,
        receipt: null,
      };
    }),
    new Date("2026-04-04T00:00:00Z"),
  );
}

describe.each(testDatabases())("a leaderboard skill wins, not volume, on $label", (target) => {
  let db: Database;
  const as = (server: Server, member: string, now: Date): CommandContext =>
    contextFor(db, server, QUOTES, {
      now,
      actor: { externalId: `u-${member}`, displayName: member, isModerator: false },
      // One answered desk question is enough to show a row here.
      settings: { ...SETTINGS, leaderboardMinResolved: 1 },
    }).ctx;
  const board = async (server: Server) => {
    const result = await leaderboard(as(server, "reader", new Date("2026-04-20T00:00:00Z")), {
      season: "all",
      limit: 25,
    });
    if (!result.ok) throw new Error(result.error);
    return result.view;
  };

  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  it("ranks five good calls above five hundred cheap ones (problem 6), with intervals in words", async () => {
    const server = await freshServer(db, "guild-skill");
    await record(db, server, "volume", 0.55, 280, 220); // 56% at 0.55: Σ baseline ≈ +505
    await record(db, server, "skill", 0.8, 5, 0); // 5/5 at 0.80: Σ baseline ≈ +339
    const view = await board(server);
    const members = view.rows.filter((r) => r.kind === "member");
    expect(members.map((r) => r.name)).toEqual(["skill", "volume"]);
    const [skill, volume] = members as [(typeof members)[0], (typeof members)[0]];
    // The old order: a sum favours the volume.
    expect(volume.baselineSum).toBeGreaterThan(skill.baselineSum);
    expect(volume.baselineSum).toBeCloseTo(505, -1);
    // Shrunk means: sum / (n + 10) on the skill scale (baseline × ln 2 on members' own questions).
    expect(skill.skill.shrunk).toBeCloseTo((5 * baselineScore(0.8, 1) * Math.LN2) / 15, 6);
    expect(volume.skill.shrunk).toBeCloseTo((volume.baselineSum * Math.LN2) / 510, 6);
    expect(volume.against).toBe("coin flip");
    expect(volume.vsDesk).toBeNull();
    const interval = volume.vsCoinFlip.interval;
    expect(interval && interval.low < 0 && interval.high > 0).toBe(true);
    expect(volume.verdict).toBe("indistinguishable from a coin flip");
    expect(skill.verdict).toBe("better than a coin flip");
    expect(view.rows.find((r) => r.kind === "desk")?.verdict).toContain("the reference");
  }, 120_000);

  it("never lets volume alone climb: a record copied ×100 at the same mean stays below a higher mean", async () => {
    const server = await freshServer(db, "guild-volume-copy");
    await record(db, server, "steady", 0.8, 27, 3); // 30 calls, mean baseline ≈ +47.8
    await record(db, server, "copier", 0.7, 7, 3); // 10 calls, mean baseline ≈ +11.8
    const before = await board(server);
    expect(before.rows.filter((r) => r.kind === "member").map((r) => r.name)).toEqual(["steady", "copier"]);
    const copier = await db.prisma.member.findFirstOrThrow({
      where: { serverId: server.id, externalId: "u-copier" },
    });
    await db.prisma.member.delete({ where: { id: copier.id } });
    await db.prisma.scoreTotal.deleteMany({ where: { serverId: server.id, authorKey: copier.id } });
    await record(db, server, "copier", 0.7, 700, 300); // the same record ×100
    const after = await board(server);
    const rows = after.rows.filter((r) => r.kind === "member");
    expect(rows.map((r) => r.name)).toEqual(["steady", "copier"]);
    // Under the old rule (summed baseline) the copy would have climbed: +11,850 against +1,434.
    expect((rows[1]?.baselineSum ?? 0) > (rows[0]?.baselineSum ?? 0)).toBe(true);
  }, 240_000);

  it("scores members, the crowd and always up against the desk on the same questions; side by side on the trail and verdict", async () => {
    const server = await freshServer(db, "guild-peer");
    // An earlier desk question on QQQ, same kind and horizon, decided before the next one is made.
    await deskCall(db, server.id, { madeAt: "2026-04-07T21:00:00Z", probability: 0.6 }, { entryPrice: 580 });
    const desk = await deskCall(db, server.id, { madeAt: "2026-04-14T21:00:00Z", probability: 0.62 });
    const soon = new Date("2026-04-14T22:00:00Z");
    const answers = [
      { who: "ann", act: agree, probability: 80 }, // 0.80 on the desk's side
      { who: "ben", act: fade, probability: 70 }, //  0.30 on the desk's side
      { who: "cat", act: agree, probability: 60 }, // 0.60 on the desk's side
    ];
    for (const a of answers) {
      expect(
        (
          await a.act(as(server, a.who, soon), {
            callId: desk.id,
            probability: a.probability,
            source: "button",
          })
        ).ok,
      ).toBe(true);
    }
    await sweepDueCalls({ db, quotes: QUOTES, now: new Date("2026-04-17T00:00:00Z"), graceHours: 72 });
    const decided = await db.prisma.call.findUniqueOrThrow({ where: { id: desk.id } });
    expect(decided.status).toBe("right");

    const view = await board(server);
    const peer = (pOnOutcome: number) => 100 * (Math.log(pOnOutcome) - Math.log(0.62));
    const row = (name: string) => view.rows.find((r) => r.name === name);
    expect(row("ann")?.vsDesk?.mean).toBeCloseTo(peer(0.8), 6);
    expect(row("ben")?.vsDesk?.mean).toBeCloseTo(peer(0.3), 6);
    expect(row("ann")?.against).toBe("desk");
    const crowd = view.rows.find((r) => r.kind === "crowd");
    expect(crowd?.vsDesk?.n).toBe(1);
    expect(crowd?.vsDesk?.mean).toBeCloseTo(peer(0.6), 6); // the median of 0.80, 0.30, 0.60
    const up = view.rows.find((r) => r.kind === "always_up");
    expect(up?.vsDesk?.n).toBe(2); // both desk questions have a side
    expect(up?.vsDesk?.mean).toBeCloseTo((peer(0.45) + 100 * (Math.log(0.45) - Math.log(0.6))) / 2, 6);
    // One desk question is too few to tell; always up lost twice by a similar margin.
    expect(row("ann")?.verdict).toContain("too few desk questions to tell from the desk");
    expect(up?.verdict).toContain("behind the desk");
    // Rows are ordered by their shrunk skill, benchmarks included.
    const shrunk = view.rows.map((r) => r.skill.shrunk);
    expect(shrunk).toEqual([...shrunk].sort((a, b) => b - a));

    const side = await sideBySide(db, decided);
    expect(side).toMatchObject({ outcome: 1, desk: { p: 0.62, peer: 0 }, crowd: { p: 0.6, members: 3 } });
    expect(side?.baseRate).toMatchObject({ share: 1, n: 1, bucket: "2–4 days" });
    const shown = await trail(as(server, "ann", new Date("2026-04-20T00:00:00Z")), {
      target: String(desk.id),
    });
    if (!shown.ok || shown.view.kind !== "call") throw new Error("expected a call trail");
    expect(shown.view.sideBySide).toEqual(side);
    const first = await db.prisma.call.findFirstOrThrow({
      where: { serverId: server.id, authorType: "desk" },
    });
    const earliest = await sideBySide(db, first);
    expect(earliest?.baseRate).toBeNull();
    expect(earliest?.crowd).toBeNull();
    const call = decided as CallRecord;
    const line = verdictLine(call, NO_RESPONSES, side);
    expect(line).toContain("Desk 62% (baseline +31) · crowd 60% from 3 members");
    expect(line).toContain("base rate 100% of 1 similar, 2–4 days");
    expect(verdictReply(call, 0, NO_RESPONSES, earliest)).toContain(
      "crowd: no member answered · no base rate yet",
    );
  }, 120_000);
});
