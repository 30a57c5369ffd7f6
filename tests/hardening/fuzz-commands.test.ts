import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure } from "../../src/commands/config.ts";
import type { CommandContext, CommandResult } from "../../src/commands/context.ts";
import { cycleNow } from "../../src/commands/cycle.ts";
import { type AnyCommand, invoke, isRefusal, type OptionSpec } from "../../src/commands/declaration.ts";
import { leaderboard } from "../../src/commands/leaderboard.ts";
import { predict } from "../../src/commands/predict.ts";
import { COMMANDS } from "../../src/commands/registry.ts";
import { agree, fade } from "../../src/commands/stance.ts";
import { trail } from "../../src/commands/trail.ts";
import { callSpecSchema } from "../../src/domain/call.ts";
import type { Server } from "../../src/domain/server.ts";
import type { Database } from "../../src/store/database.ts";
import { ADA, bar, contextFor, deskCall, freshServer, PointInTimeQuotes } from "../commands/harness.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import {
  expectSpecificError,
  fingerprint,
  hostileNumber,
  hostileOptions,
  hostileString,
  hostileValue,
  mostly,
  mutated,
  runs,
} from "./fuzz-support.ts";

const NOW = new Date("2026-04-01T21:00:00Z");
const shapeOf = (command: AnyCommand) =>
  "shape" in command.schema ? (command.schema.shape as Record<string, unknown>) : {};
/** Call ids are PostgreSQL `integer`s. */
const INT4_MAX = 2_147_483_647;
const quotes = new PointInTimeQuotes({
  QQQ: [bar("2026-03-31", 570), bar("2026-04-01", 577.18)],
  SPY: [bar("2026-04-01", 650)],
  IWM: [bar("2026-04-01", 251.5)],
  "BTC-USD": [bar("2026-04-01", 68_000)],
  DIA: [bar("2026-04-01", 420)],
});

/**
 * Every handler takes `unknown` here: adapters type their options, but a broken client, a stale
 * command registration or a future adapter can send anything, and the handler is the last gate.
 */
type Handler = (ctx: CommandContext, options: never) => Promise<CommandResult<unknown>>;

describe.each(testDatabases())("every command handler under hostile options on $label", (target) => {
  let db: Database;
  let server: Server;
  const callIds: number[] = [];

  beforeAll(async () => {
    db = await openMigrated(target);
    server = await freshServer(db, "guild-fuzz", ["QQQ", "SPY", "IWM"]);
    const open = await deskCall(db, server.id, { madeAt: "2026-04-01T20:00:00Z" });
    const locked = await deskCall(db, server.id, { horizonHours: 4, madeAt: "2026-04-01T16:00:00Z" });
    const level = await deskCall(db, server.id, {
      kind: "touch",
      comparator: "above",
      level: 600,
      madeAt: "2026-04-01T20:00:00Z",
    });
    callIds.push(open.id, locked.id, level.id);
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  /** Runs one handler and checks the contract every handler shares. */
  async function check(handler: Handler, options: unknown, moderator: boolean) {
    // A successful /config changed the row: each run starts from what is stored.
    server = await db.prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    const actor = { ...ADA, isModerator: moderator };
    const { ctx } = contextFor(db, server, quotes, { now: NOW, actor, interactionId: undefined });
    const before = await fingerprint(db);
    const result = await handler(ctx, options as never);
    expect(typeof result.ok).toBe("boolean");
    if (!result.ok) {
      expectSpecificError(result.error);
      expect(await fingerprint(db)).toEqual(before);
    }
    return result;
  }

  const callId = () =>
    mostly(fc.oneof(fc.constantFrom(...callIds), fc.constantFrom(0, 99_999, INT4_MAX, INT4_MAX + 1)));
  const probability = mostly(fc.oneof(fc.integer({ min: 40, max: 110 }), fc.double({ min: 0, max: 1 })));

  /** A value of the declared type mostly, anything sometimes: what a stale or broken client sends. */
  const optionValue = (spec: OptionSpec): fc.Arbitrary<unknown> => {
    const plausible: Record<OptionSpec["type"], fc.Arbitrary<unknown>> = {
      string:
        spec.type === "string" && spec.choices
          ? fc.constantFrom(...spec.choices.map((c) => c.value), "nope")
          : hostileString,
      integer: fc.oneof(fc.integer({ min: -10, max: 2_000 }), fc.constantFrom(...callIds)),
      number: hostileNumber,
      boolean: fc.boolean(),
      user: fc.constantFrom("u-ada", "u-nobody", "<@u-ada>"),
      channel: fc.constantFrom("C0123456", "chan-1"),
      role: fc.constantFrom("role-1", "S0MODS"),
    };
    return fc.option(mostly(plausible[spec.type]), { nil: undefined });
  };

  it("every registered command, through its text and option forms: an answer or a specific refusal that stores nothing", async () => {
    const invocation = fc.constantFrom(...(COMMANDS as readonly AnyCommand[])).chain((command) => {
      const slash = command.slash;
      const forms: fc.Arbitrary<unknown>[] = [
        hostileOptions(Object.fromEntries(Object.keys(shapeOf(command)).map((key) => [key, hostileValue]))),
      ];
      if (slash) {
        forms.push(
          fc
            .oneof(
              hostileString,
              fc.constantFrom("", "now", "desk", "all", "QQQ down 48h 65%", "symbols SPY"),
            )
            .map((text) => slash.fromText(text, { channelId: "C0123456" })),
          fc
            .record(Object.fromEntries(slash.options.map((o) => [o.name, optionValue(o)])))
            .map((values) =>
              slash.fromOptions(values as Record<string, string | number | boolean | undefined>),
            ),
        );
      }
      return fc.tuple(fc.constant(command), fc.oneof(...forms), fc.boolean());
    });
    await fc.assert(
      fc.asyncProperty(invocation, async ([command, options, moderator]) => {
        // A form that could not be read never reaches the handler, and says why in a sentence.
        if (isRefusal(options)) return expectSpecificError(options.error);
        const result = await check(
          ((ctx: CommandContext, o: unknown) => invoke(command, ctx, o)) as Handler,
          options,
          moderator,
        );
        if (command.access === "moderator" && !moderator)
          expect(!result.ok && result.code).toBe("not_moderator");
        if (result.ok) expect(typeof command.text(result.view)).toBe("string");
      }),
      runs(200),
    );
  });

  it("/predict: answers a call or a specific refusal, and a refusal stores nothing", async () => {
    const fields = {
      symbol: fc.constantFrom("QQQ", "spy", "IWM"),
      probability: fc.integer({ min: 50, max: 99 }),
      note: fc.string({ maxLength: 80 }),
    };
    const when = fc.oneof(
      fc.record({ horizonHours: fc.integer({ min: 1, max: 720 }) }),
      fc.record({
        deadline: fc.constantFrom("eod", "tomorrow", "friday", "2026-04-10", "2026-04-03T21:00Z"),
      }),
    );
    const claim = fc.oneof(
      fc.record({ kind: fc.constant("direction"), direction: fc.constantFrom("up", "down") }),
      fc.record({
        kind: fc.constantFrom("threshold", "touch", "hold"),
        comparator: fc.constantFrom("above", "below"),
        level: fc.double({ min: 1, max: 1_000, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant("relative"),
        direction: fc.constantFrom("outperform", "underperform"),
        versus: fc.constantFrom("SPY", "IWM"),
      }),
    );
    const valid = fc.oneof(
      fc.record({ text: fc.constantFrom("QQQ down 48h 65%", "SPY up by friday 70%", "IWM touches 260 5d") }),
      fc.tuple(fc.record(fields), claim, when).map(([f, c, w]) => ({ ...f, ...c, ...w })),
    );
    const keys = ["text", "deadline", "horizonHours", "level", "probability", "symbol", "versus", "note"];
    const hostile = hostileOptions({
      text: mostly(fc.constantFrom("QQQ down 48h 65%", "SPY up by friday", "QQQ touches 600 5d", "IWM")),
      symbol: mostly(fc.constantFrom("QQQ", "spy", "IWM", "TSLA", "BTC")),
      kind: mostly(fc.constantFrom("direction", "threshold", "touch", "hold", "relative")),
      direction: mostly(fc.constantFrom("up", "down", "outperform", "underperform")),
      comparator: mostly(fc.constantFrom("above", "below")),
      level: mostly(fc.double({ min: 0, max: 2_000, noNaN: true })),
      versus: mostly(fc.constantFrom("SPY", "IWM", "QQQ")),
      horizonHours: mostly(fc.integer({ min: -5, max: 10_000 })),
      deadline: mostly(fc.constantFrom("eod", "friday", "2026-04-10", "2026-03-01", "2026-04-03T21:00Z")),
      probability,
      flatBandPct: mostly(fc.double({ min: -1, max: 30, noNaN: true })),
      note: mostly(fc.string({ maxLength: 300 })),
      source: mostly(fc.constantFrom("predict", "modal")),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostile, mutated(valid, keys), valid), async (o) => {
        const result = await check(predict as Handler, o, false);
        // What is stored is a call the rest of the desk can read back.
        if (result.ok) {
          const view = result.view as { call: { spec: unknown } };
          expect(callSpecSchema.safeParse(view.call.spec).success).toBe(true);
        }
      }),
      {
        ...runs(200),
        // Found by this property: the refusal quoted the whole deadline back, past Discord's limit.
        examples: [[{ symbol: "QQQ", kind: "direction", direction: "up", deadline: "x".repeat(5_000) }]],
      },
    );
  });

  it("agree and fade: a desk call answered or a specific refusal that stores nothing", async () => {
    const options = hostileOptions({
      callId: callId(),
      probability,
      source: mostly(fc.constantFrom("button", "reaction")),
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(agree, fade), options, (handler, o) =>
        check(handler as Handler, o, false).then(() => undefined),
      ),
      {
        ...runs(150),
        // Found by this property on PostgreSQL: callId 2147483648 passed the schema and the lookup
        // failed in the database.
        examples: [[agree, { callId: INT4_MAX + 1, source: "button" }]],
      },
    );
  });

  it("/trail and /leaderboard read and never write, whatever they are asked", async () => {
    const trailOptions = hostileOptions({
      target: mostly(
        fc.oneof(
          fc.constantFrom("desk", "me", "DESK", "<@u-ada>", "<@!u-ada>", "<@U024BE7LH|bob>", "u-nobody"),
          fc.constantFrom(...callIds).map((id) => `#${id}`),
        ),
      ),
      limit: mostly(fc.integer({ min: -1, max: 60 })),
    });
    const boardOptions = hostileOptions({
      season: mostly(fc.constantFrom("current", "all", "2026-03", "ALL", "2026-13", "season")),
      limit: mostly(fc.integer({ min: -1, max: 30 })),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          trailOptions.map((o) => [trail, o] as const),
          boardOptions.map((o) => [leaderboard, o] as const),
        ),
        async ([handler, o]) => {
          const before = await fingerprint(db);
          await check(handler as Handler, o, false);
          expect(await fingerprint(db)).toEqual(before);
        },
      ),
      runs(150),
    );
  });

  it("/config: moderators only, every value checked before anything is saved", async () => {
    const options = hostileOptions({
      channelId: mostly(fc.constantFrom("chan-1", "C0123456", "1234567890")),
      schedule: mostly(fc.constantFrom("0 15 * * 1-5", "5 10,13,15 * * 1-5", "*/5 * * * *", "0 25 * * *")),
      timezone: mostly(fc.constantFrom("America/New_York", "Europe/London", "UTC", "EST5EDT")),
      symbols: mostly(
        fc.oneof(
          fc.constantFrom("SPY, QQQ IWM", "spy,btc", "SPY DIA", "ZZZZ", ""),
          fc.array(fc.oneof(fc.constantFrom("SPY", "QQQ", "IWM"), hostileString), { maxLength: 30 }),
        ),
      ),
      moderatorRoleId: mostly(fc.constantFrom(null, "role-1", "S0MODS")),
    });
    await fc.assert(
      fc.asyncProperty(options, fc.boolean(), async (o, moderator) => {
        const result = await check(configure as Handler, o, moderator);
        if (!moderator) expect(result.ok).toBe(false);
      }),
      {
        ...runs(150),
        // Found by this property on PostgreSQL: text with U+0000 was a database error, not an answer.
        examples: [[{ moderatorRoleId: "\u0000" }, true]],
      },
    );
  });

  it("/cycle now: takes no options and runs only for moderators", async () => {
    const options = fc.oneof(
      fc.constant({}),
      fc.constant(undefined),
      hostileOptions({ now: mostly(fc.boolean()), force: hostileNumber, server: hostileString }),
    );
    await fc.assert(
      fc.asyncProperty(options, fc.boolean(), async (o, moderator) => {
        const result = await check(cycleNow as Handler, o, moderator);
        if (!moderator) expect(result.ok).toBe(false);
      }),
      runs(100),
    );
  });
});
