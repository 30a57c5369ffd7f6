import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CommandSettings } from "../../src/commands/context.ts";
import { predict } from "../../src/commands/predict.ts";
import { agree } from "../../src/commands/stance.ts";
import type { Server } from "../../src/domain/server.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { ADA, bar, contextFor, deskCall, freshServer, PointInTimeQuotes, SETTINGS } from "./harness.ts";

const NOW = new Date("2026-04-01T21:00:00Z");
const SERIES = { QQQ: [bar("2026-04-01", 577.18)], IWM: [bar("2026-04-01", 251.5)] };
const LIMITED: CommandSettings = { ...SETTINGS, rateLimit: { calls: 3, windowMs: 10 * 60_000 } };
const GRACE = { externalId: "u-grace", displayName: "Grace", isModerator: false };

describe.each(testDatabases())("per-member rate limit on $label", (target) => {
  let db: Database;
  let server: Server;
  const quotes = new PointInTimeQuotes(SERIES);

  beforeAll(async () => {
    db = await openMigrated(target);
  });
  beforeEach(async () => {
    server = await freshServer(db, "guild-1", ["QQQ", "IWM"]);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  const ctx = (overrides: Parameters<typeof contextFor>[3] = {}, on: Database = db) =>
    contextFor(on, server, quotes, { now: NOW, settings: LIMITED, ...overrides }).ctx;
  const memberCalls = (externalId: string) => db.prisma.call.count({ where: { member: { externalId } } });

  it("refuses the call over the limit with when to try again, and stores nothing", async () => {
    for (const text of ["QQQ up 24h", "IWM down 24h", "QQQ down 48h"]) {
      expect((await predict(ctx(), { text })).ok).toBe(true);
    }
    const refused = await predict(ctx({ interactionId: "ix-over" }), { text: "IWM up 48h" });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatch(
      /^Slow down: you made 3 calls in the last 10 minutes.*\(3\)\. Try again after/,
    );
    // The retry moment is the oldest call's time plus the window, shown to the minute.
    const oldest = await db.prisma.call.findFirstOrThrow({
      where: { serverId: server.id, member: { externalId: ADA.externalId } },
      orderBy: { createdAt: "asc" },
    });
    const retryAt = Date.parse(`${refused.error.match(/after (\S+ \S+) UTC/)?.[1]?.replace(" ", "T")}Z`);
    const expected = oldest.createdAt.getTime() + LIMITED.rateLimit.windowMs;
    expect(retryAt).toBe(expected - (expected % 60_000));
    expect(await memberCalls(ADA.externalId)).toBe(3);
    expect(await db.prisma.call.count({ where: { interactionId: "ix-over" } })).toBe(0);
  });

  it("counts buttons and reactions with /predict, and each member separately", async () => {
    const desk = await deskCall(db, server.id, {});
    await predict(ctx(), { text: "QQQ up 24h" });
    await predict(ctx(), { text: "IWM up 24h" });
    expect((await agree(ctx(), { callId: desk.id, source: "button" })).ok).toBe(true);
    const reaction = await agree(ctx(), { callId: desk.id, source: "reaction" });
    expect(!reaction.ok && reaction.error).toMatch(/^Slow down/);
    // Grace has her own allowance.
    expect((await agree(ctx({ actor: GRACE }), { callId: desk.id, source: "reaction" })).ok).toBe(true);
    expect(await memberCalls(ADA.externalId)).toBe(3);
  });

  it("a redelivered interaction still answers with its stored call, not a refusal", async () => {
    const first = await predict(ctx({ interactionId: "ix-1" }), { text: "QQQ up 24h" });
    await predict(ctx(), { text: "IWM up 24h" });
    await predict(ctx(), { text: "QQQ down 48h" });
    const again = await predict(ctx({ interactionId: "ix-1" }), { text: "QQQ up 24h" });
    expect(again.ok && again.view.replayed && again.view.call.id).toBe(first.ok && first.view.call.id);
  });

  it("lets the member call again once the window has passed", async () => {
    for (const text of ["QQQ up 24h", "IWM down 24h", "QQQ down 48h"]) await predict(ctx(), { text });
    expect((await predict(ctx(), { text: "IWM up 48h" })).ok).toBe(false);
    const member = await db.prisma.member.findFirstOrThrow({ where: { externalId: ADA.externalId } });
    // Two of the three calls age out of the window; one is still inside it.
    const calls = await db.prisma.call.findMany({ where: { memberId: member.id }, orderBy: { id: "asc" } });
    for (const call of calls.slice(0, 2)) {
      await db.prisma.call.update({
        where: { id: call.id },
        data: { createdAt: new Date(call.createdAt.getTime() - 11 * 60_000) },
      });
    }
    expect((await predict(ctx(), { text: "IWM up 48h" })).ok).toBe(true);
    expect((await predict(ctx(), { text: "IWM down 48h" })).ok).toBe(true);
    expect((await predict(ctx(), { text: "QQQ up 48h" })).ok).toBe(false);
    expect(await memberCalls(ADA.externalId)).toBe(5);
  });

  it("holds across instances sharing the database when calls arrive at once", async () => {
    const other = target.connectAgain ? await target.connectAgain() : db;
    try {
      const texts = ["QQQ up 24h", "QQQ down 24h", "IWM up 24h", "IWM down 24h", "QQQ up 48h", "IWM up 48h"];
      const results = await Promise.all(
        texts.map((text, i) => predict(ctx({}, i % 2 === 0 ? db : other), { text })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(await memberCalls(ADA.externalId)).toBe(3);
    } finally {
      if (other !== db) await other.close();
    }
  });
});
