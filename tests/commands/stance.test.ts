import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agree, fade } from "../../src/commands/stance.ts";
import { trail } from "../../src/commands/trail.ts";
import { type CallSpec, callSpecSchema } from "../../src/domain/call.ts";
import { fadeOf } from "../../src/domain/claims.ts";
import type { Server } from "../../src/domain/server.ts";
import { checkChain } from "../../src/store/chain-verify.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { ADA, bar, contextFor, deskCall, freshServer, PointInTimeQuotes } from "./harness.ts";

const MADE = new Date("2026-04-01T21:00:00Z");
// 48h call due on Good Friday, decided by Thursday 20:00 UTC: lock share 0.25 locks 04-02 02:45
const BEFORE_LOCK = new Date("2026-04-02T02:00:00Z");
const quotes = new PointInTimeQuotes({ QQQ: [bar("2026-04-01", 577.18)] });

const spec = (fields: Record<string, unknown>): CallSpec =>
  callSpecSchema.parse({
    symbol: "QQQ",
    horizonHours: 48,
    probability: 0.6,
    madeAt: MADE.toISOString(),
    ...fields,
  });

describe("fadeOf", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["down → up", { kind: "direction", direction: "down" }, { kind: "direction", direction: "up" }],
    ["up → down", { kind: "direction", direction: "up" }, { kind: "direction", direction: "down" }],
    [
      "outperform → underperform",
      { kind: "relative", direction: "outperform", versus: "IWM" },
      { kind: "relative", direction: "underperform", versus: "IWM" },
    ],
    [
      "threshold above → below",
      { kind: "threshold", comparator: "above", level: 600 },
      { kind: "threshold", comparator: "below", level: 600 },
    ],
    [
      "touch above → hold below",
      { kind: "touch", comparator: "above", level: 600 },
      { kind: "hold", comparator: "below", level: 600 },
    ],
    [
      "touch below → hold above",
      { kind: "touch", comparator: "below", level: 550 },
      { kind: "hold", comparator: "above", level: 550 },
    ],
    [
      "hold above → touch below",
      { kind: "hold", comparator: "above", level: 550 },
      { kind: "touch", comparator: "below", level: 550 },
    ],
  ])("%s", (_, from, to) => {
    const call = spec(from);
    expect(fadeOf(call)).toEqual({ ...call, ...to });
    expect(fadeOf(fadeOf(call))).toEqual(call);
  });
});

describe.each(testDatabases())("agree and fade on $label", (target) => {
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

  const ctxAt = (now: Date, interactionId?: string) =>
    contextFor(db, server, quotes, { now, ...(interactionId && { interactionId }) }).ctx;

  it("agree takes the desk's question, entry, deadline and lock at the member's probability", async () => {
    const desk = await deskCall(db, server.id, {});
    const result = await agree(ctxAt(BEFORE_LOCK), { callId: desk.id, source: "button" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const stored = await db.prisma.call.findUniqueOrThrow({ where: { id: result.view.call.id } });
    expect(stored).toMatchObject({
      authorType: "member",
      stance: "agree",
      source: "button",
      parentCallId: desk.id,
      symbol: "QQQ",
      direction: "down",
      probability: 0.6,
      horizonHours: null,
      deadline: desk.deadline,
      lockAt: desk.lockAt,
      entryPrice: 577.18,
      madeAt: BEFORE_LOCK,
    });
    expect(result.view.deskCall.id).toBe(desk.id);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["QQQ down is QQQ up", { kind: "direction", direction: "down" }, { kind: "direction", direction: "up" }],
    [
      "QQQ outperforms IWM is QQQ underperforms IWM",
      { kind: "relative", direction: "outperform", versus: "IWM" },
      { kind: "relative", direction: "underperform", versus: "IWM" },
    ],
    [
      "touches above 600 is holds below 600",
      { kind: "touch", comparator: "above", level: 600 },
      { kind: "hold", comparator: "below", level: 600 },
    ],
    [
      "holds above 550 is touches below 550",
      { kind: "hold", comparator: "above", level: 550 },
      { kind: "touch", comparator: "below", level: 550 },
    ],
  ])("fade of %s", async (_, question, opposite) => {
    const desk = await deskCall(db, server.id, question, { versusEntry: 251.5 });
    const result = await fade(ctxAt(BEFORE_LOCK), { callId: desk.id, probability: 70, source: "reaction" });
    expect(result.ok && result.view.call.spec).toMatchObject({
      ...opposite,
      symbol: "QQQ",
      probability: 0.7,
    });
    const stored = await db.prisma.call.findFirstOrThrow({ where: { parentCallId: desk.id } });
    expect(stored).toMatchObject({
      stance: "fade",
      source: "reaction",
      entryPrice: 577.18,
      deadline: desk.deadline,
    });
    if (question.kind === "relative") expect(stored.versusEntry).toBe(251.5);
  });

  it("refuses after the lock, saying when it locked, and stores nothing", async () => {
    const desk = await deskCall(db, server.id, {});
    const result = await fade(ctxAt(desk.lockAt), { callId: desk.id, source: "button" });
    expect(!result.ok && result.error).toBe(
      `Call #${desk.id} locked at 2026-04-02 02:45 UTC: agree and fade close then, so nobody scores with hindsight.`,
    );
    expect(await db.prisma.call.count({ where: { parentCallId: desk.id } })).toBe(0);
  });

  it("a later response replaces the earlier one until the lock, and the chain stays valid", async () => {
    const desk = await deskCall(db, server.id, {});
    const first = await agree(ctxAt(BEFORE_LOCK), { callId: desk.id, source: "button" });
    const second = await fade(ctxAt(new Date(BEFORE_LOCK.getTime() + 60_000)), {
      callId: desk.id,
      source: "reaction",
    });
    if (!first.ok || !second.ok) throw new Error("both responses should be accepted");
    expect(second.view.replaced).toEqual([first.view.call.id]);
    const rows = await db.prisma.call.findMany({ where: { parentCallId: desk.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.stance, r.status])).toEqual([
      ["agree", "superseded"],
      ["fade", "open"],
    ]);
    expect(await checkChain(db.prisma, server.id)).toMatchObject({ ok: true });
    const shown = await trail(ctxAt(BEFORE_LOCK), { target: `#${desk.id}` });
    expect(shown.ok && shown.view.kind === "call" && shown.view.responses).toEqual({ agree: 0, fade: 1 });
    // Another member's response is theirs alone.
    const bo = contextFor(db, server, quotes, {
      now: BEFORE_LOCK,
      actor: { ...ADA, externalId: "u-bo", displayName: "Bo" },
    }).ctx;
    const other = await agree(bo, { callId: desk.id, source: "button" });
    expect(other.ok && other.view.replaced).toEqual([]);
  });

  it("a stored answer asks for its post to re-render once, under the event's key; a replay or a refusal does not", async () => {
    const desk = await deskCall(db, server.id, {});
    const h = contextFor(db, server, quotes, { now: BEFORE_LOCK, interactionId: "ix-7" });
    await agree(h.ctx, { callId: desk.id, source: "button" });
    await agree(h.ctx, { callId: desk.id, source: "button" });
    const late = await fade(
      { ...h.ctx, now: () => desk.lockAt, interactionId: "ix-8" },
      { callId: desk.id, source: "button" },
    );
    expect(!late.ok && late.code).toBe("locked");
    expect(h.refreshed).toEqual([{ deskCallId: desk.id, key: "ix-7" }]);
  });

  it("where the platform asks, repeating the live stance replays it; a changed mind is a new answer", async () => {
    const desk = await deskCall(db, server.id, {});
    // Slack's clicks carry no repeating id: the key comes from the state the click answers.
    const slack = contextFor(db, server, quotes, { now: BEFORE_LOCK, sameAnswerReplays: true }).ctx;
    const first = await agree(slack, { callId: desk.id, source: "button" });
    if (!first.ok) throw new Error("the first answer should be stored");
    const again = await agree(slack, { callId: desk.id, source: "reaction" });
    expect(again.ok && again.view).toMatchObject({ replayed: true, call: { id: first.view.call.id } });
    const changed = await fade(slack, { callId: desk.id, source: "button" });
    expect(changed.ok && changed.view.replaced).toEqual([first.view.call.id]);
    expect(await db.prisma.call.count({ where: { parentCallId: desk.id } })).toBe(2);
  });

  it("refusals carry their reason as a code: not_found, not_answerable, locked", async () => {
    const desk = await deskCall(db, server.id, {});
    const member = await agree(ctxAt(BEFORE_LOCK), { callId: desk.id, source: "button" });
    const codes = [
      await agree(ctxAt(BEFORE_LOCK), { callId: 999_999, source: "button" }),
      await agree(ctxAt(BEFORE_LOCK), { callId: member.ok ? member.view.call.id : 0, source: "button" }),
      await agree(ctxAt(desk.lockAt), { callId: desk.id, source: "button" }),
    ].map((r) => !r.ok && r.code);
    expect(codes).toEqual(["not_found", "not_answerable", "locked"]);
  });

  it("a replayed interaction answers with its call and replaces nothing", async () => {
    const desk = await deskCall(db, server.id, {});
    const first = await agree(ctxAt(BEFORE_LOCK, "ix-9"), { callId: desk.id, source: "button" });
    const again = await agree(ctxAt(BEFORE_LOCK, "ix-9"), { callId: desk.id, source: "button" });
    expect(again.ok && again.view).toMatchObject({ replayed: true, replaced: [] });
    expect(again.ok && first.ok && again.view.call.id).toBe(first.ok && first.view.call.id);
    expect(await db.prisma.call.count({ where: { parentCallId: desk.id, status: "open" } })).toBe(1);
  });

  it("refuses member calls, unknown ids and another server's calls", async () => {
    const desk = await deskCall(db, server.id, {});
    const mine = await agree(ctxAt(BEFORE_LOCK), { callId: desk.id, source: "button" });
    const memberCallId = mine.ok ? mine.view.call.id : 0;
    const elsewhere = await freshServer(db, "guild-2");
    const foreign = await deskCall(db, elsewhere.id, {});
    const before = await db.prisma.call.count();
    const refusals = await Promise.all([
      agree(ctxAt(BEFORE_LOCK), { callId: memberCallId, source: "button" }),
      fade(ctxAt(BEFORE_LOCK), { callId: 999_999, source: "button" }),
      fade(ctxAt(BEFORE_LOCK), { callId: foreign.id, source: "button" }),
      agree(ctxAt(BEFORE_LOCK), { callId: desk.id, probability: 0.995, source: "button" }),
    ]);
    expect(refusals.map((r) => !r.ok && r.error)).toEqual([
      `Call #${memberCallId} is a member's call: only desk calls can be agreed with or faded. Use /predict.`,
      "There is no call #999999 on this server.",
      `There is no call #${foreign.id} on this server.`,
      "probability: 0.995 is too high: give 50 to 99 (percent) or 0.5 to 0.99",
    ]);
    expect(await db.prisma.call.count()).toBe(before);
  });
});
