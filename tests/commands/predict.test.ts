import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PredictOptions, predict } from "../../src/commands/predict.ts";
import type { Server } from "../../src/domain/server.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { bar, contextFor, freshServer, PointInTimeQuotes, SETTINGS } from "./harness.ts";

const NOW = new Date("2026-04-01T21:00:00Z");
const SERIES = {
  QQQ: [bar("2026-03-31", 570), bar("2026-04-01", 577.18), bar("2026-04-02", 590)],
  IWM: [bar("2026-03-31", 250), bar("2026-04-01", 251.5)],
  "BTC-USD": [bar("2026-04-01", 68_000)],
};

describe.each(testDatabases())("/predict on $label", (target) => {
  let db: Database;
  let server: Server;
  let quotes: PointInTimeQuotes;

  beforeAll(async () => {
    db = await openMigrated(target);
  });
  beforeEach(async () => {
    server = await freshServer(db, "guild-1", ["QQQ", "IWM", "BTC-USD"]);
    quotes = new PointInTimeQuotes(SERIES);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  const run = (options: PredictOptions, overrides: Parameters<typeof contextFor>[3] = {}) =>
    predict(contextFor(db, server, quotes, { now: NOW, ...overrides }).ctx, options);
  const callCount = () => db.prisma.call.count();

  it("stores a structured call at the member's own entry price and time", async () => {
    const result = await run({
      symbol: "qqq",
      kind: "direction",
      direction: "down",
      horizonHours: 48,
      probability: 65,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The quote as of now is Wednesday's close, not Thursday's bar that the series also holds.
    expect(result.view.call).toMatchObject({ entryPrice: 577.18, entryAt: "2026-04-01T20:00:00.000Z" });
    expect(result.view.priceSource).toBe("fake");
    expect(result.view.call).toMatchObject({
      text: "QQQ lower in 48h",
      probability: 0.65,
      status: "open",
      source: "predict",
      author: { type: "member", externalId: "u-ada", displayName: "Ada" },
    });
    const stored = await db.prisma.call.findUniqueOrThrow({ where: { id: result.view.call.id } });
    expect(stored).toMatchObject({
      authorType: "member",
      symbol: "QQQ",
      direction: "down",
      entryPrice: 577.18,
      madeAt: NOW,
      lockAt: NOW,
      deadline: new Date("2026-04-03T21:00:00Z"),
      season: "2026-04",
    });
  });

  it("reads the text grammar, with aliases and the server's default probability", async () => {
    const result = await run({ text: "BTC up 3d", source: "modal" });
    expect(result.ok && result.view.call.spec).toMatchObject({
      symbol: "BTC-USD",
      direction: "up",
      probability: 0.6,
    });
    expect(result.ok && result.view.call.source).toBe("modal");
  });

  it("decides a bare 'touches' from today's price", async () => {
    const above = await run({ text: "QQQ touches 600 5d 55%" });
    const below = await run({ text: "QQQ touches 560 5d 55%" });
    expect(above.ok && above.view.call.spec).toMatchObject({
      kind: "touch",
      comparator: "above",
      level: 600,
    });
    expect(below.ok && below.view.call.spec).toMatchObject({
      kind: "touch",
      comparator: "below",
      level: 560,
    });
  });

  it("stores the versus entry of a relative call", async () => {
    const result = await run({ text: "QQQ outperforms IWM 24h 60%" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const stored = await db.prisma.call.findUniqueOrThrow({ where: { id: result.view.call.id } });
    expect(stored).toMatchObject({ versus: "IWM", entryPrice: 577.18, versusEntry: 251.5 });
  });

  it.each<[string, PredictOptions, RegExp]>([
    [
      "an untracked symbol",
      { symbol: "TSLA", kind: "direction", direction: "up", horizonHours: 24 },
      /TSLA is not tracked on this server: pick one of QQQ, IWM, BTC-USD/,
    ],
    ["an untracked versus", { text: "QQQ outperforms SPY 24h" }, /SPY is not tracked/],
    ["two untracked symbols", { text: "SPY outperforms DIA 24h" }, /SPY and DIA are not tracked/],
    [
      "probability 120",
      { symbol: "QQQ", kind: "direction", direction: "up", horizonHours: 24, probability: 120 },
      /probability: 120 is too high: give 50 to 99/,
    ],
    [
      "probability 30",
      { symbol: "QQQ", kind: "direction", direction: "up", horizonHours: 24, probability: 30 },
      /opposite call at 70%/,
    ],
    [
      "a past deadline",
      { symbol: "QQQ", kind: "direction", direction: "up", deadline: "2026-03-30T20:00:00Z" },
      /deadline: .*has already passed/,
    ],
    ["a past deadline in text", { text: "QQQ up by 2026-03-31" }, /has already passed/],
    [
      "a deadline that is no time",
      { symbol: "QQQ", kind: "direction", direction: "up", deadline: "soon" },
      /"soon" is not a deadline/,
    ],
    [
      "both horizon and deadline",
      { symbol: "QQQ", kind: "direction", direction: "up", horizonHours: 24, deadline: "friday" },
      /exactly one of/,
    ],
    [
      "a level call without a level",
      { symbol: "QQQ", kind: "threshold", comparator: "above", horizonHours: 24 },
      /needs comparator \(above or below\) and level/,
    ],
    [
      "text and fields together",
      { text: "QQQ up 24h", probability: 70 },
      /not both \(found text and probability\)/,
    ],
    ["unreadable text", { text: "QQQ maybe 24h" }, /unknown word "maybe"\. Example:/],
  ])("refuses %s and stores nothing", async (_, options, message) => {
    const before = await callCount();
    const result = await run(options);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
    expect(await callCount()).toBe(before);
    // Bad input does not even create the member.
    expect(await db.prisma.member.count({ where: { serverId: server.id } })).toBe(0);
  });

  it("stores nothing when no entry price can be had", async () => {
    quotes.quoteFailing = true;
    const result = await run({ text: "QQQ down 48h 65%" });
    expect(!result.ok && result.error).toMatch(
      /No price for QQQ right now \(quote source timed out\), so the call was not saved/,
    );
    expect(await callCount()).toBe(0);
  });

  it("stores one call for one interaction, even when it is delivered twice at once", async () => {
    const options = { text: "QQQ down 48h 65%" };
    const first = await run(options, { interactionId: "ix-1" });
    const again = await run(options, { interactionId: "ix-1" });
    expect(first.ok && again.ok && again.view.call.id).toBe(first.ok && first.view.call.id);
    expect(again.ok && again.view.replayed).toBe(true);
    const racing = await Promise.all([1, 2, 3].map(() => run(options, { interactionId: "ix-2" })));
    expect(new Set(racing.map((r) => r.ok && r.view.call.id)).size).toBe(1);
    expect(await callCount()).toBe(2);
  });

  it("stores a member whose platform name holds control characters under a clean name", async () => {
    const actor = { externalId: "u-nul", displayName: "Ada\u0000 Lovelace\u0007", isModerator: false };
    expect((await run({ text: "QQQ up 24h" }, { actor })).ok).toBe(true);
    const member = await db.prisma.member.findFirstOrThrow({ where: { externalId: "u-nul" } });
    expect(member.displayName).toBe("Ada Lovelace");
  });

  it("caps a member's open calls, also when calls arrive at once", async () => {
    const settings = { ...SETTINGS, maxOpenCallsPerMember: 2 };
    const results = await Promise.all(
      ["QQQ up 24h", "QQQ down 48h", "IWM up 24h"].map((text) => run({ text }, { settings })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.error).toMatch(
      /already have 2 open calls.*\(2\): wait for one to resolve/,
    );
    expect(await callCount()).toBe(2);
  });
});
