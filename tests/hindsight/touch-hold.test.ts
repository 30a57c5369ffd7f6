import { describe, expect, it } from "vitest";
import { predict, predictCommand } from "../../src/commands/predict.ts";
import type { Bar } from "../../src/domain/bars.ts";
import { callSpecSchema } from "../../src/domain/call.ts";
import { resolveCall } from "../../src/domain/resolution.ts";
import type { Database } from "../../src/store/database.ts";
import { bar, contextFor, freshServer, PointInTimeQuotes } from "../commands/harness.ts";
import { testDatabases } from "../support/databases.ts";
import { withMigratedDatabase } from "../support/per-block.ts";

/** Issue #15, problem 3: touch and hold windows never include prices from before the call. */

// Thursday 04-02's high (672) and low (640) both came before a call made at 11:00 New York that day.
const SPY: Bar[] = [
  bar("2026-04-01", 655, 656, 650),
  bar("2026-04-02", 655.83, 672, 640),
  bar("2026-04-06", 660, 664, 652),
  bar("2026-04-07", 658, 661, 651),
];
const MID_SESSION = "2026-04-02T15:00:00Z";
const dataThrough = new Date("2026-04-08T00:00:00Z");
const spec = (fields: Record<string, unknown>) =>
  callSpecSchema.parse({ symbol: "SPY", probability: 0.99, madeAt: MID_SESSION, ...fields });

describe("touch and hold windows start after the call", () => {
  it("a touch of a level crossed that morning is not a hit: the window starts at the next session", () => {
    const result = resolveCall({
      call: spec({ kind: "touch", comparator: "above", level: 670, deadline: "2026-04-07T21:00:00Z" }),
      bars: { SPY },
      entryPrice: 658,
      dataThrough,
    });
    expect(result).toMatchObject({ status: "wrong" });
    expect(result.status !== "pending" && result.evidence).toBe(
      "SPY high 664.00 vs level 670 over 2 session(s)",
    );
  });

  it("a hold is not broken by a low printed before the call", () => {
    const result = resolveCall({
      call: spec({ kind: "hold", comparator: "above", level: 645, deadline: "2026-04-07T21:00:00Z" }),
      bars: { SPY },
      entryPrice: 658,
      dataThrough,
    });
    expect(result).toMatchObject({ status: "right" });
  });

  it("with no session opening inside the window, a touch is void rather than judged on the past", () => {
    const result = resolveCall({
      call: spec({ kind: "touch", comparator: "below", level: 641, horizonHours: 6 }),
      bars: { SPY },
      entryPrice: 658,
      dataThrough,
    });
    expect(result).toMatchObject({ status: "void", reason: "no_bar_in_window" });
  });
});

describe.each(testDatabases())("/predict refuses a touch already reached on $label", (target) => {
  let db: Database;
  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  it.each([
    [
      "fields",
      { symbol: "QQQ", kind: "touch", comparator: "above", level: 570, horizonHours: 48, probability: 99 },
    ],
    ["text", { text: "QQQ touches below 580 48h 99%" }],
  ] as const)("from %s, saying why, and stores nothing", async (_, options) => {
    const server = await freshServer(db, "guild-touch", ["QQQ"]);
    const quotes = new PointInTimeQuotes({ QQQ: [bar("2026-04-01", 577.18, 590, 560)] });
    const ctx = contextFor(db, server, quotes, { now: new Date("2026-04-01T21:00:00Z") }).ctx;
    const result = await predict(ctx, options);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/already .*577\.18/);
    expect(await db.prisma.call.count({ where: { serverId: server.id } })).toBe(0);
  });

  it("says which close decides the call in its reply", async () => {
    const server = await freshServer(db, "guild-touch", ["QQQ"]);
    const quotes = new PointInTimeQuotes({ QQQ: [bar("2026-04-01", 577.18)] });
    // Friday 15:05 New York, 48h: Friday's close decides it, 55 minutes later.
    const ctx = contextFor(db, server, quotes, { now: new Date("2026-04-10T19:05:00Z") }).ctx;
    const result = await predict(ctx, { text: "QQQ up 48h 60%" });
    if (!result.ok) throw new Error(result.error);
    expect(predictCommand.text(result.view)).toMatch(/decided by Friday's close \(16:00 New York\)$/);
  });
});
