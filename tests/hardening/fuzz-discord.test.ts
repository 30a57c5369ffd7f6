import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CLAIM_NAMES } from "../../src/domain/claims.ts";
import type { Database } from "../../src/store/database.ts";
import { findServer } from "../../src/store/servers.ts";
import { answerTo, modal, opt, slash } from "../discord/events.ts";
import { ADA, type DiscordHarness, MOD, startDiscord } from "../discord/harness.ts";
import { openMigrated, type TestDatabase, testDatabases } from "../support/databases.ts";
import { GUILD_ID } from "../support/fake-discord.ts";
import { PATIENT } from "../support/process.ts";
import { expectSpecificError, fingerprint, hostileString, runs } from "./fuzz-support.ts";

const target = testDatabases()[0] as TestDatabase;

type Option = ReturnType<typeof opt>;
const APOLOGY = /Something failed on the desk's side/;

/** An option as Discord would send it, or (now and then) with a value of the wrong type. */
function option(name: string, plausible: fc.Arbitrary<string | number>): fc.Arbitrary<Option> {
  return fc.oneof(
    { weight: 4, arbitrary: plausible.map((value) => opt(name, value)) },
    { weight: 3, arbitrary: hostileString.map((value) => opt(name, value)) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean()).map((value) => opt(name, value)) },
  );
}

/** Some of the options, in any order: a stale registration can leave out even required ones. */
const someOf = (options: fc.Arbitrary<Option>[]) =>
  fc
    .tuple(...options.map((o) => fc.option(o, { nil: undefined, freq: 4 })))
    .map((list) => list.filter((o): o is Option => o !== undefined));

describe("Discord interactions fuzzed through discord.js and a fake Discord", () => {
  let db: Database;
  let h: DiscordHarness;

  beforeAll(async () => {
    db = await openMigrated(target);
    h = await startDiscord(db);
    await vi.waitFor(
      async () => expect(await findServer(db.prisma, "discord", GUILD_ID)).not.toBeNull(),
      PATIENT,
    );
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
    await target.dispose();
  });

  /** Sends one interaction and checks what every answer must be; returns whether it was public. */
  async function answered(
    event: { id: string; token: string },
    before: Awaited<ReturnType<typeof fingerprint>>,
  ) {
    const answer = await answerTo(h.fake, event);
    // Whatever the bot says, it pings nobody.
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    expect(answer.content).not.toMatch(APOLOGY);
    // A refusal is private and says what was wrong; other private answers (a /config view) may show.
    if (answer.content.startsWith("⚠️ ")) {
      expect(answer.ephemeral).toBe(true);
      expectSpecificError(answer.content.replace(/^⚠️ /, ""));
      expect(await fingerprint(db)).toEqual(before);
    }
    return answer;
  }

  it("counter-call modal: any text is a public call or a specific private refusal", async () => {
    const text = fc.oneof(
      fc.constantFrom("SPY up 72h 70%", "QQQ down by friday 60%", "IWM touches 200 5d", "SPY 48h"),
      hostileString.map((t) => t.slice(0, 4_000)),
    );
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const before = await fingerprint(db);
        const event = h.send("INTERACTION_CREATE", modal(ADA, "tr:counter-call:1", { text: value }));
        const answer = await answered(event, before);
        expect(answer.ephemeral).toBe(answer.content.startsWith("⚠️ "));
        if (!answer.ephemeral) expect((await fingerprint(db)).calls).toBe(before.calls + 1);
      }),
      runs(40),
    );
  });

  it("a counter-call form without its text field gets a specific private refusal", async () => {
    const before = await fingerprint(db);
    const event = h.send("INTERACTION_CREATE", modal(ADA, "tr:counter-call:1", { note: "no text field" }));
    const answer = await answered(event, before);
    expect(answer).toMatchObject({
      ephemeral: true,
      content: expect.stringMatching(/without the call's text/),
    });
  });

  it("/predict string and number options: a public call or a specific private refusal", async () => {
    const options = someOf([
      option("symbol", fc.constantFrom("SPY", "qqq", "IWM", "TSLA")),
      option("claim", fc.constantFrom(...CLAIM_NAMES, "sideways")),
      option("probability", fc.integer({ min: 40, max: 110 })),
      option("horizon", fc.constantFrom(4, 24, 48, 0, -1, 99_999)),
      option("deadline", fc.constantFrom("eod", "friday", "2026-04-10", "2026-03-01", "soon")),
      option("level", fc.constantFrom(600, 0.5, 1e9)),
      option("versus", fc.constantFrom("SPY", "IWM", "QQQ")),
      option("note", fc.constantFrom("why not", "<@900000000000001003> @everyone look")),
    ]);
    await fc.assert(
      fc.asyncProperty(options, async (list) => {
        const before = await fingerprint(db);
        const answer = await answered(h.send("INTERACTION_CREATE", slash(ADA, "predict", list)), before);
        expect(answer.ephemeral).toBe(answer.content.startsWith("⚠️ "));
        if (!answer.ephemeral) expect((await fingerprint(db)).calls).toBe(before.calls + 1);
      }),
      {
        ...runs(40),
        // Found by this property: an option of another type (a stale registration) got the generic apology.
        examples: [[[opt("symbol", "SPY"), opt("claim", "up"), opt("probability", "sixty")]]],
      },
    );
  });

  it("/leaderboard season and /config text options by a moderator: an answer or a specific refusal", async () => {
    const command = fc.oneof(
      someOf([option("season", fc.constantFrom("current", "all", "2026-03", "2026-13"))]).map(
        (list) => ["leaderboard", list] as const,
      ),
      someOf([
        option("schedule", fc.constantFrom("0 15 * * 1-5", "* * * * *", "0 25 * * *")),
        option("timezone", fc.constantFrom("Europe/London", "Mars/Base")),
        option("symbols", fc.constantFrom("SPY, QQQ, IWM", "SPY ZZZZ", "")),
      ]).map((list) => ["config", list] as const),
    );
    await fc.assert(
      fc.asyncProperty(command, async ([name, list]) => {
        const before = await fingerprint(db);
        await answered(h.send("INTERACTION_CREATE", slash(MOD, name, list)), before);
      }),
      runs(30),
    );
  });
});
