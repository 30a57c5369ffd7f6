import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agree } from "../../src/commands/stance.ts";
import { trail } from "../../src/commands/trail.ts";
import type { Server } from "../../src/domain/server.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { bar, contextFor, deskCall, freshServer, PointInTimeQuotes } from "./harness.ts";

const quotes = new PointInTimeQuotes({ QQQ: [bar("2026-04-01", 577.18)] });
// Desk calls from 04-01 21:00 UTC, 48h, are decided by Thursday's close and lock at 02:45 UTC.
const BEFORE_LOCK = new Date("2026-04-02T02:00:00Z");

describe.each(testDatabases())("/trail provenance on $label", (target) => {
  let db: Database;
  let server: Server;

  beforeAll(async () => {
    db = await openMigrated(target);
  });
  beforeEach(async () => {
    server = await freshServer(db);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  const ctx = () => contextFor(db, server, quotes, { now: BEFORE_LOCK }).ctx;

  /** A desk call with the cycle behind it, stored the way the cycle writer stores one. */
  async function callWithProvenance() {
    const cycle = await db.prisma.cycle.create({
      data: {
        serverId: server.id,
        number: 212,
        status: "published",
        regime: "choppy",
        engine: "offline",
        engineFlags: [],
        marketSource: "replay",
        asOf: new Date("2026-04-01T20:55:00Z"),
      },
    });
    const observation = (id: string, symbol: string | null, value: number | null, flags: string[] = []) => ({
      id: `${cycle.id}/${id}`,
      cycleId: cycle.id,
      source: id.startsWith("macro") ? "fred" : "yahoo",
      kind: id.split(":")[0] as string,
      symbol,
      value,
      asOf: new Date("2026-04-01T20:00:00Z"),
      trust: "primary",
      flags,
    });
    await db.prisma.observation.createMany({
      data: [
        observation("quote:QQQ", "QQQ", 577.18),
        observation("macro:DGS10", null, 4.31),
        observation("quote:IWM", "IWM", null, ["stale_quote"]),
        observation("quote:AAPL", "AAPL", 250.1),
      ],
    });
    const stance = (mind: string, round: number, fields: Record<string, unknown>) => ({
      cycleId: cycle.id,
      mind,
      round,
      symbol: "QQQ",
      direction: null,
      probability: null,
      abstained: false,
      reason: `${mind} round ${round}`,
      observationIds: [] as string[],
      ...fields,
    });
    await db.prisma.mindStance.createMany({
      data: [
        stance("macro", 1, { direction: "down", probability: 0.58, observationIds: ["macro:DGS10"] }),
        stance("macro", 2, { direction: "down", probability: 0.55 }),
        stance("flow", 1, {
          abstained: true,
          reason: "IWM volume feed flagged stale",
          observationIds: ["quote:IWM"],
        }),
      ],
    });
    const dispatch = await db.prisma.dispatch.create({
      data: {
        cycleId: cycle.id,
        serverId: server.id,
        title: "Breadth Is Lying About This Bounce",
        body: "…",
        thesis: "The bounce is carried by five names.",
        debateLine: "Debate: aligned_bearish | Conviction 41%",
        flags: [],
      },
    });
    const call = await deskCall(
      db,
      server.id,
      {},
      { cycleId: cycle.id, dispatchId: dispatch.id, regime: "choppy" },
    );
    await db.prisma.lesson.create({
      data: { serverId: server.id, kind: "post_mortem", callId: call.id, title: "Missed breadth", body: "…" },
    });
    return { call, dispatch };
  }

  it("walks a desk call from observations through minds and thesis to its hash and lesson", async () => {
    const { call, dispatch } = await callWithProvenance();
    await agree(ctx(), { callId: call.id, source: "button" });
    const result = await trail(ctx(), { target: `#${call.id}` });
    if (!result.ok || result.view.kind !== "call") throw new Error("expected a call trail");
    const view = result.view;
    // The cited inputs and the call's own symbol; the unrelated AAPL quote stays out.
    expect(view.observations.map((o) => o.id).sort()).toEqual(["macro:DGS10", "quote:IWM", "quote:QQQ"]);
    expect(view.observations.find((o) => o.id === "quote:IWM")).toMatchObject({
      value: null,
      flags: ["stale_quote"],
    });
    expect(view.minds).toEqual([
      {
        mind: "flow",
        round1: {
          direction: null,
          probability: null,
          abstained: true,
          reason: "IWM volume feed flagged stale",
        },
        round2: null,
      },
      {
        mind: "macro",
        round1: { direction: "down", probability: 0.58, abstained: false, reason: "macro round 1" },
        round2: { direction: "down", probability: 0.55, abstained: false, reason: "macro round 2" },
      },
    ]);
    expect(view.dispatch).toMatchObject({
      number: dispatch.number,
      thesis: "The bounce is carried by five names.",
    });
    expect(view.cycle).toMatchObject({ number: 212, regime: "choppy", marketSource: "replay" });
    expect(view.chain).toEqual({ seq: call.chainSeq, hash: call.hash, prevHash: call.prevHash });
    expect(view.lesson).toMatchObject({ title: "Missed breadth" });
    expect(view.responses).toEqual({ agree: 1, fade: 0 });
    expect(view.call).toMatchObject({
      text: "QQQ lower in 48h",
      author: { type: "desk", mind: "macro" },
      result: null,
    });
  });

  it("shows a member's agree with the desk call it answered", async () => {
    const desk = await deskCall(db, server.id, {});
    const mine = await agree(ctx(), { callId: desk.id, source: "button" });
    const result = await trail(ctx(), { target: String(mine.ok && mine.view.call.id) });
    if (!result.ok || result.view.kind !== "call") throw new Error("expected a call trail");
    expect(result.view.call.author).toEqual({ type: "member", externalId: "u-ada", displayName: "Ada" });
    expect(result.view.parent?.id).toBe(desk.id);
    expect(result.view.observations).toEqual([]);
  });

  it("gives a member without calls an empty record of their own, and refuses unknown targets", async () => {
    const own = await trail(ctx());
    expect(own.ok && own.view.kind === "member" && own.view.summary).toMatchObject({
      resolved: 0,
      hitRate: null,
    });
    const elsewhere = await freshServer(db, "guild-2");
    const foreign = await deskCall(db, elsewhere.id, {});
    const refusals = await Promise.all(
      ["#424242", `${foreign.id}`, "u-nobody"].map((t) => trail(ctx(), { target: t })),
    );
    expect(refusals.map((r) => !r.ok && r.error)).toEqual([
      "There is no call #424242 on this server.",
      `There is no call #${foreign.id} on this server.`,
      'No trail for "u-nobody": give desk, a call number such as 1841, or a member who has made a call.',
    ]);
  });
});
