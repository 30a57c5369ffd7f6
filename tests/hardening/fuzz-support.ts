import fc from "fast-check";
import { expect } from "vitest";
import type { Database } from "../../src/store/database.ts";

/** Text a hostile or careless member (or a broken client) might send in any field. */
const NASTY = [
  "",
  " ",
  "\u0000",
  "\u202eevil",
  "<@123456789012345678>",
  "<@!1>",
  "<@&42>",
  "@everyone",
  "@here",
  "<!channel>",
  "<!subteam^S123|@mods>",
  '\'; DROP TABLE "Call"; --',
  "1 OR 1=1",
  "{{process.env}}",
  "NaN",
  "Infinity",
  "-1",
  "0",
  "1e309",
  "null",
  "undefined",
  "{}",
  "[]",
  "QQQ",
  "qqq",
  "BTC",
  "TSLA",
  "desk",
  "me",
  "#1",
  "2026-13-45",
  "2026-04-03",
  "1999-01-01",
  "eod",
  "friday",
  "48h",
  "0 15 * * 1-5",
  "* * * * *",
  "America/New_York",
  "Mars/Olympus",
  "QQQ down 48h 65%",
  "🚀🚀🚀",
  "Ω≈ç√∫",
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  // Huge: past every length limit a platform or schema has.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...NASTY), fc.integer({ min: 300, max: 20_000 }))
      .map(([seed, n]) => `${seed}x`.repeat(Math.ceil(n / (seed.length + 1)))),
  },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0, -1, 0.5, 0.99, 1, 50, 65, 99, 99.9, 100, 1e308),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 31, 8_785),
  fc.double(),
  fc.integer(),
);

/** Any value of any type: wrong types are the point. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  {
    weight: 2,
    arbitrary: fc.constantFrom(null, undefined, true, false, 10n, new Date(Number.NaN), new Date(0)),
  },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
);

/** A plausible value most of the time, so runs reach past validation, and a hostile one otherwise. */
export function mostly<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: hostileValue });
}

/**
 * Option objects: some known keys with plausible-or-hostile values, sometimes a stray key, and now
 * and then something that is not an options object at all.
 */
export function hostileOptions(known: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.record(known, { requiredKeys: [] });
  return fc.oneof(
    { weight: 12, arbitrary: record },
    {
      weight: 2,
      arbitrary: fc
        .tuple(record, fc.constantFrom("__proto__", "constructor", "extra", "SYMBOL", "callid"), hostileValue)
        .map(([options, key, value]) => ({ ...options, [key]: value })),
    },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, "options", 42, [], [1, 2]) },
  );
}

/**
 * A valid options object with one or two of its fields (or a stray one) replaced by a hostile value:
 * this reaches the checks after validation far more often than independent fields do.
 */
export function mutated(valid: fc.Arbitrary<Record<string, unknown>>, keys: readonly string[]) {
  const change = fc.tuple(fc.constantFrom(...keys, "extra"), hostileValue);
  return fc
    .tuple(valid, fc.array(change, { minLength: 1, maxLength: 2 }))
    .map(([options, changes]) => ({ ...options, ...Object.fromEntries(changes) }));
}

/** Longest message a member may be shown: Discord refuses content over 2000 characters. */
export const MAX_ERROR_CHARS = 1_000;

/**
 * A refusal the member can act on: a sentence that names the field or the problem, not a bare
 * "invalid"/"Required", a zod dump or a stack, and short enough to send on every platform.
 */
export function expectSpecificError(error: unknown): void {
  expect(typeof error).toBe("string");
  const text = (error as string).trim();
  expect(text.length, `too short: ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(12);
  expect(text.length, `too long (${text.length} chars)`).toBeLessThanOrEqual(MAX_ERROR_CHARS);
  expect(text).not.toMatch(/^(invalid|required|invalid input|invalid options?)\.?$/i);
  // A field followed only by zod's generic words says which field but not what is wrong with it.
  expect(text).not.toMatch(/:\s*(invalid input|invalid|required)\.?$/i);
  expect(text).not.toMatch(/^[[{]|"code":|ZodError|\[object Object\]|\bat .+\.ts:\d+|TypeError/);
  // Either "field: problem" or a sentence of several words.
  expect(/^[\w.]+: \S/.test(text) || text.split(/\s+/).length >= 4, `not a sentence: ${text}`).toBe(true);
}

/**
 * Mentions that would ping someone if the text were posted as-is. Ids are case-sensitive (Slack's
 * are upper-case, Discord's digits); the broadcast words are not.
 */
const LIVE_MENTIONS = [
  /<@[!&]?\d+>/,
  /<@[UW][A-Z0-9]+(\|[^>]*)?>/,
  /<!subteam\^[A-Z0-9]+(\|[^>]*)?>/,
  /<!(channel|here|everyone)(\|[^>]*)?>/i,
  /@(everyone|here)\b/i,
];

export function expectNoLiveMention(text: string): void {
  const found = LIVE_MENTIONS.map((pattern) => pattern.exec(text)?.[0]).find(Boolean);
  expect(found ?? null, `live mention in ${JSON.stringify(text.slice(0, 300))}`).toBeNull();
}

/** Rows and settings a refused command must leave exactly as they were. */
export async function fingerprint(db: Database) {
  const p = db.prisma;
  const [calls, members, heads, servers, cycles, deliveries, totals] = await Promise.all([
    p.call.count(),
    p.member.count(),
    p.chainHead.findMany({ orderBy: { serverId: "asc" } }),
    p.server.findMany({ orderBy: { id: "asc" } }),
    p.cycle.count(),
    p.delivery.count(),
    p.scoreTotal.count(),
  ]);
  return { calls, members, heads, servers, cycles, deliveries, totals };
}

/** fast-check's settings for the fuzz files: reproducible from the printed seed, runs kept modest. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, endOnFailure: true };
}
