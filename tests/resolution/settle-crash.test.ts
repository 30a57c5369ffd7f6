import { beforeEach, describe, expect, it } from "vitest";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { settleDueCalls } from "../../src/resolution/settle.ts";
import type { Surface } from "../../src/scheduler/outbox.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import { appendCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import type { ClaimedDelivery } from "../../src/store/outbox.ts";
import { ensureMember } from "../../src/store/servers.ts";
import { capturedLogger } from "../support/captured-log.ts";
import { testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";
import { FakeQuotes } from "../support/fake-quotes.ts";
import { withMigratedDatabase } from "../support/per-block.ts";
import { AFTER_DEADLINE, freshQqqServer, MADE, QQQ } from "./qqq-tape.ts";

// On the rising tape the desk's "up" calls resolve right, its "down" calls wrong.
const CRASHED_AT = AFTER_DEADLINE;
const RESTARTED_AT = new Date("2026-04-07T21:30:00Z");
const TARGETS = ["discord", "slack"] as const;
const byNumber = (a: number | null, b: number | null) => (a ?? 0) - (b ?? 0);

/** A chat platform that records what it posted. */
class RecordingSurface implements Surface {
  readonly kinds = ["dispatch", "verdict"];
  readonly posts: ClaimedDelivery[] = [];
  constructor(readonly target: string) {}
  async deliver(delivery: ClaimedDelivery) {
    this.posts.push(delivery);
    return { platformMessageId: `${this.target}-${this.posts.length}` };
  }
}

/** A crash the database injects into the desk's writes. */
interface Crash {
  /** Whether it happened (PGlite's adapter does not pass the exception's message on). */
  fired(): Promise<boolean>;
  /** The restarted process runs without the fault. */
  recover(): Promise<void>;
}

/**
 * The process dies part-way: the `nth` row inserted into `table` (among those matching `when`)
 * fails, once, which rolls back that row's transaction as a killed connection would. A sequence
 * counts the rows because it is not rolled back with them.
 */
async function crashOnInsert(
  db: Database,
  table: "Delivery" | "Lesson",
  nth: number,
  when = "true",
): Promise<Crash> {
  await db.withSession((s) =>
    s.exec(`
      CREATE SEQUENCE crash_count;
      CREATE FUNCTION crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('crash_count') = ${nth} THEN RAISE EXCEPTION 'injected crash'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER crash BEFORE INSERT ON "${table}" FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION crash_once();`),
  );
  return {
    fired: async () => {
      const [row] = await db.withSession((s) =>
        s.query<{ n: string }>(`SELECT last_value AS n FROM crash_count`),
      );
      return Number(row?.n) >= nth;
    },
    recover: () =>
      db.withSession((s) =>
        s.exec(`DROP TRIGGER crash ON "${table}"; DROP FUNCTION crash_once(); DROP SEQUENCE crash_count;`),
      ),
  };
}

describe.each(testDatabases())("settling after a crash on $label", (target) => {
  let db: Database;
  let serverId: string;
  let right: number[];
  let wrong: number[];
  let memberCall: number;
  const quotes = new FakeQuotes({ QQQ });

  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  // A dispatch of four desk calls, posted to Discord and Slack (and to the web feed, which shows no
  // verdicts), and a member agreeing with one of them.
  beforeEach(async () => {
    serverId = await freshQqqServer(db, "crash");
    const cycle = await db.prisma.cycle.create({
      data: {
        serverId,
        number: 1,
        status: "published",
        engine: "offline",
        engineFlags: [],
        marketSource: "replay",
        asOf: new Date(MADE),
      },
    });
    const dispatch = await db.prisma.dispatch.create({
      data: {
        cycleId: cycle.id,
        serverId,
        title: "Tape",
        body: "…",
        thesis: "rates",
        debateLine: "",
        flags: [],
      },
    });
    const desk = async (direction: "up" | "down", mind: string) => {
      const spec = callSpecSchema.parse({
        kind: "direction",
        symbol: "QQQ",
        direction,
        horizonHours: 120,
        probability: 0.6,
        madeAt: MADE,
      });
      const { call } = await appendCall(db.prisma, {
        serverId,
        spec,
        authorType: "desk",
        mind,
        source: "dispatch",
        cycleId: cycle.id,
        dispatchId: dispatch.id,
        regime: "choppy",
        lockAt: lockAtOf(spec, 0.25),
      });
      return call.id;
    };
    right = [await desk("up", "macro"), await desk("up", "flow")];
    wrong = [await desk("down", "macro"), await desk("down", "contrarian")];
    const member = await ensureMember(db.prisma, serverId, "u-1", "Ann");
    const agree = callSpecSchema.parse({
      kind: "direction",
      symbol: "QQQ",
      direction: "down",
      horizonHours: 120,
      probability: 0.55,
      madeAt: MADE,
    });
    memberCall = (
      await appendCall(db.prisma, {
        serverId,
        spec: agree,
        authorType: "member",
        memberId: member.id,
        source: "button",
        stance: "agree",
        parentCallId: wrong[0],
        dispatchId: dispatch.id,
        lockAt: lockAtOf(agree, 0.25),
      })
    ).call.id;
    for (const target of [...TARGETS, "web"]) {
      await db.prisma.delivery.create({
        data: {
          serverId,
          dispatchId: dispatch.id,
          kind: "dispatch",
          target,
          channelId: `${target}-channel`,
          dedupeKey: `dispatch:${dispatch.id}:${target}`,
          payload: { dispatchNumber: dispatch.number },
          status: "sent",
          platformMessageId: `${target}-post`,
          sentAt: new Date(MADE),
        },
      });
    }
  });

  const runtime = (at: Date, surfaces: Surface[]) =>
    new DeskRuntime({
      ...offlineDesk(db, { ...new SimulatedMarket(3).source(), quotes }),
      clock: { now: () => at, speed: 1 },
      graceHours: 72,
      surfaces,
      log: capturedLogger().log,
      // Only what the test drives: the first sweep in start() and explicit outbox passes.
      sweepEveryMs: 3_600_000,
      outboxEveryMs: 3_600_000,
    });

  /** What a restarted desk ends up with: its first sweep, then the outbox drained. */
  async function restart(surfaces: RecordingSurface[]) {
    const desk = runtime(RESTARTED_AT, surfaces);
    await desk.start([], null);
    while ((await desk.outbox.drain()) > 0);
    await desk.stop();
  }

  async function expectSettledOnce(surfaces: RecordingSurface[]) {
    const deskCalls = [...right, ...wrong];
    for (const surface of surfaces) {
      const verdicts = surface.posts.filter((p) => p.kind === "verdict");
      expect(verdicts.map((p) => p.callId).sort(byNumber)).toEqual(deskCalls.sort(byNumber));
      for (const post of verdicts) {
        expect(post).toMatchObject({
          channelId: `${surface.target}-channel`,
          payload: { callId: post.callId },
        });
      }
    }
    // Only surfaces that show verdicts get them; a member's call gets none.
    expect(await db.prisma.delivery.count({ where: { kind: "verdict" } })).toBe(
      TARGETS.length * deskCalls.length,
    );
    const calls = await db.prisma.call.findMany({ where: { serverId }, orderBy: { id: "asc" } });
    expect(calls.filter((c) => c.authorType === "desk" && c.status === "wrong").map((c) => c.id)).toEqual(
      wrong,
    );
    expect(calls.find((c) => c.id === memberCall)?.status).toBe("wrong");
    const lessons = await db.prisma.lesson.findMany({ where: { serverId, kind: "post_mortem" } });
    expect(lessons.map((l) => l.callId).sort(byNumber)).toEqual([...wrong].sort(byNumber));
    expect(await db.prisma.learnMarker.count()).toBe(0);
    const totals = await db.prisma.scoreTotal.findMany({ where: { serverId, season: "all" } });
    const member = calls.find((c) => c.id === memberCall)?.memberId as string;
    expect(Object.fromEntries(totals.map((t) => [t.authorKey, t.resolved]))).toEqual({
      desk: 4,
      [member]: 1,
    });
  }

  async function expectNothingMoreToDo(surfaces: RecordingSurface[]) {
    const before = {
      posts: surfaces.map((s) => s.posts.length),
      deliveries: await db.prisma.delivery.count(),
      lessons: await db.prisma.lesson.count(),
      rules: await db.prisma.learnedRule.count(),
    };
    const again = await settleDueCalls({
      db,
      quotes,
      now: new Date(RESTARTED_AT.getTime() + 86_400_000),
      graceHours: 72,
      verdictTargets: [...TARGETS],
    });
    expect(again).toMatchObject({ due: 0, resolved: [], learned: { lessons: 0, adopted: [], lifted: [] } });
    const worker = runtime(RESTARTED_AT, surfaces).outbox;
    expect(await worker.drain()).toBe(0);
    expect({
      posts: surfaces.map((s) => s.posts.length),
      deliveries: await db.prisma.delivery.count(),
      lessons: await db.prisma.lesson.count(),
      rules: await db.prisma.learnedRule.count(),
    }).toEqual(before);
  }

  const surfaces = () => TARGETS.map((t) => new RecordingSurface(t));

  /** The desk sweeps into the crash and its process is gone; the restarted one runs without the fault. */
  async function crashedSweep(crash: Crash) {
    await expect(runtime(CRASHED_AT, surfaces()).sweep()).rejects.toThrow();
    expect(await crash.fired()).toBe(true);
    await crash.recover();
  }

  /** A restart settles everything exactly once, and leaves nothing for a further pass. */
  async function restartSettlesOnce() {
    const restarted = surfaces();
    await restart(restarted);
    await expectSettledOnce(restarted);
    await expectNothingMoreToDo(restarted);
  }

  it("a crash while the verdict posts are queued loses no verdict: the restart resolves, posts and learns", async () => {
    await crashedSweep(await crashOnInsert(db, "Delivery", 1, `NEW.kind = 'verdict'`));
    // Nothing of the verdicts was kept, so nothing of what follows from them is missing.
    expect(await db.prisma.call.count({ where: { serverId, status: "open" } })).toBe(5);
    await restartSettlesOnce();
  });

  it("a crash part-way through learning keeps the verdict posts and learns each wrong call once after a restart", async () => {
    await crashedSweep(await crashOnInsert(db, "Lesson", 2));
    // The verdicts, their posts and what is left to learn were committed together; no lesson was.
    expect(await db.prisma.call.count({ where: { serverId, status: "open" } })).toBe(0);
    expect(await db.prisma.delivery.count({ where: { kind: "verdict" } })).toBe(TARGETS.length * 4);
    expect(await db.prisma.learnMarker.count()).toBe(4);
    expect(await db.prisma.lesson.count()).toBe(0);
    await restartSettlesOnce();
  });
});
