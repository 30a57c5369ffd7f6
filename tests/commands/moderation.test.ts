import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ConfigOptions, configure, nextRuns } from "../../src/commands/config.ts";
import type { CommandContext } from "../../src/commands/context.ts";
import { cycleNow } from "../../src/commands/cycle.ts";
import type { Server } from "../../src/domain/server.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { ADA, bar, contextFor, freshServer, PointInTimeQuotes } from "./harness.ts";

const NOW = new Date("2026-04-01T21:00:00Z");
const quotes = new PointInTimeQuotes({
  QQQ: [bar("2026-04-01", 577)],
  SPY: [bar("2026-04-01", 650)],
  "BTC-USD": [bar("2026-04-01", 68_000)],
});
const MOD = { ...ADA, isModerator: true };

describe("nextRuns", () => {
  it("reads the cron in the server's timezone", () => {
    const result = nextRuns("0 15 * * 1-5", "America/New_York", NOW);
    // Wednesday 17:00 New York is past 15:00: Thursday, Friday, then Monday at 15:00 EDT.
    expect(result.ok && result.runs.map((d) => d.toISOString())).toEqual([
      "2026-04-02T19:00:00.000Z",
      "2026-04-03T19:00:00.000Z",
      "2026-04-06T19:00:00.000Z",
    ]);
  });
});

describe.each(testDatabases())("moderator commands on $label", (target) => {
  let db: Database;
  let server: Server;

  beforeAll(async () => {
    db = await openMigrated(target);
  });
  beforeEach(async () => {
    server = await freshServer(db, "guild-1", ["QQQ", "SPY"]);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  const harness = (actor = MOD, extra: Partial<CommandContext> = {}) =>
    contextFor(db, server, quotes, { now: NOW, actor, ...extra });
  const stored = () => db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });

  it("refuses /cycle now to a non-moderator without starting a cycle", async () => {
    const { ctx, runs } = harness(ADA);
    const result = await cycleNow(ctx);
    expect(!result.ok && result.error).toBe(
      "Only moderators can use /cycle now: it needs the server's manage-server (Discord) or admin (Slack) permission.",
    );
    expect(runs).toEqual([]);
  });

  it("starts a cycle for a moderator, and says so when one is already running", async () => {
    const { ctx, runs } = harness();
    expect(await cycleNow(ctx)).toEqual({ ok: true, view: { status: "started", dispatchNumber: 7 } });
    expect(runs).toEqual([server.id]);
    const busy = harness(MOD, {
      cycles: { runNow: async () => ({ status: "already_running" }), reschedule: () => {} },
    });
    expect(await cycleNow(busy.ctx)).toEqual({ ok: true, view: { status: "already_running" } });
  });

  it("/config asks the scheduler to follow a changed schedule or timezone, and only then", async () => {
    const quiet = harness(MOD);
    expect((await configure(quiet.ctx, { channelId: "chan-9" })).ok).toBe(true);
    expect(quiet.rescheduled).toEqual([]);
    const moved = harness(MOD);
    expect((await configure(moved.ctx, { schedule: "0 9 * * 1-5" })).ok).toBe(true);
    expect(moved.rescheduled.map((s) => [s.id, s.schedule])).toEqual([[server.id, "0 9 * * 1-5"]]);
    const refused = harness(ADA);
    const result = await configure(refused.ctx, { timezone: "Europe/London" });
    expect(!result.ok && result.code).toBe("not_moderator");
    expect(refused.rescheduled).toEqual([]);
  });

  it("refuses /config to a non-moderator, naming the moderator role when there is one", async () => {
    server = await db.prisma.server.update({ where: { id: server.id }, data: { moderatorRoleId: "role-9" } });
    const result = await configure(harness(ADA).ctx, { schedule: "0 9 * * 1-5" });
    expect(!result.ok && result.error).toBe(
      "Only moderators can use /config: it needs the server's moderator role.",
    );
    expect((await stored()).schedule).toBe("0 15 * * 1-5");
  });

  it("saves every setting and shows the new ones with the next cycle times", async () => {
    const result = await configure(harness().ctx, {
      channelId: "chan-1",
      schedule: "30 9 * * 1-5",
      timezone: "Europe/London",
      symbols: "spy, qqq BTC spy",
      moderatorRoleId: "role-1",
    });
    if (!result.ok) throw new Error(result.error);
    expect(result.view).toMatchObject({
      channelId: "chan-1",
      schedule: "30 9 * * 1-5",
      timezone: "Europe/London",
      symbols: ["SPY", "QQQ", "BTC-USD"],
      moderatorRoleId: "role-1",
      changed: ["channelId", "schedule", "timezone", "symbols", "moderatorRoleId"],
    });
    // 09:30 London in BST is 08:30 UTC.
    expect(result.view.nextCycles[0]).toBe("2026-04-02T08:30:00.000Z");
    expect(await stored()).toMatchObject({ timezone: "Europe/London", symbols: ["SPY", "QQQ", "BTC-USD"] });
    const cleared = await configure(harness().ctx, { moderatorRoleId: null });
    expect(cleared.ok && cleared.view).toMatchObject({ moderatorRoleId: null, changed: ["moderatorRoleId"] });
  });

  it("sets the agree and fade reactions and where verdicts go", async () => {
    const result = await configure(harness().ctx, {
      agreeEmoji: "👍",
      fadeEmoji: "🇫🇷",
      verdictInThread: true,
    });
    expect(result.ok && result.view).toMatchObject({
      agreeEmoji: "👍",
      fadeEmoji: "🇫🇷",
      verdictInThread: true,
      changed: ["agreeEmoji", "fadeEmoji", "verdictInThread"],
    });
    expect(await stored()).toMatchObject({ agreeEmoji: "👍", fadeEmoji: "🇫🇷", verdictInThread: true });
    // Swapping one onto the other's emoji would make one reaction mean both.
    server = await stored();
    const clash = await configure(harness().ctx, { fadeEmoji: "👍" });
    expect(!clash.ok && clash.error).toMatch(/agreeEmoji and fadeEmoji must differ/);
    expect(await stored()).toMatchObject({ fadeEmoji: "🇫🇷" });
  });

  it("shows the settings unchanged when given nothing to change", async () => {
    const result = await configure(harness().ctx);
    expect(result.ok && result.view).toMatchObject({
      schedule: "0 15 * * 1-5",
      symbols: ["QQQ", "SPY"],
      changed: [],
    });
  });

  it.each<[string, ConfigOptions, RegExp]>([
    [
      "a cron out of range",
      { schedule: "61 * * * *" },
      /schedule: "61 \* \* \* \*" is not a valid cron expression/,
    ],
    ["a cron with seconds", { schedule: "0 0 15 * * 1-5" }, /needs five fields/],
    ["a schedule every minute", { schedule: "* * * * *" }, /runs more often than every 15 minutes/],
    ["words for a schedule", { schedule: "every day" }, /needs five fields.*for example "0 15 \* \* 1-5"/],
    [
      "an unknown timezone",
      { timezone: "Mars/Olympus" },
      /timezone: "Mars\/Olympus" is not an IANA timezone/,
    ],
    ["a malformed ticker", { symbols: "SPY, QQ Q!" }, /symbols: "Q!" is not a ticker/],
    [
      "a ticker without data",
      { symbols: ["SPY", "ZZZZ"] },
      /symbols: no market data for ZZZZ from fake; check the ticker/,
    ],
    ["no tickers", { symbols: " , " }, /symbols: give at least one ticker/],
    ["a word for an emoji", { agreeEmoji: "up" }, /agreeEmoji: a single emoji such as/],
    ["two emoji for one reaction", { fadeEmoji: "👎👎" }, /fadeEmoji: a single emoji such as/],
    ["a custom server emoji", { agreeEmoji: "<:bull:123456789012345678>" }, /agreeEmoji: a single emoji/],
    ["an unknown option", { channel: "x" } as ConfigOptions, /Unrecognized key/],
  ])("refuses %s and saves nothing, not even the valid values beside it", async (_, options, message) => {
    const before = await stored();
    const result = await configure(harness().ctx, { channelId: "chan-new", ...options });
    expect(!result.ok && result.error).toMatch(message);
    expect(await stored()).toEqual(before);
  });
});
