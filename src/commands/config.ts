import cronParser from "cron-parser";
import { IANAZone } from "luxon";
import { z } from "zod";
import { symbolSchema } from "../domain/call.ts";
import type { ServerSettings } from "../store/servers.ts";
import { updateServerSettings } from "../store/servers.ts";
import {
  type CommandContext,
  type CommandResult,
  fail,
  ok,
  parseOptions,
  requireModerator,
} from "./context.ts";
import { ALIASES } from "./grammar-words.ts";

/** Discord autocomplete offers at most 25 choices; more symbols could not all be picked in /predict. */
const MAX_SYMBOLS = 25;
/** A cycle costs data and model calls; a schedule tighter than this is a typo, not a plan. */
const MIN_CYCLE_GAP_MINUTES = 15;
/** Room for MAX_SYMBOLS tickers with separators; longer text is not a list of tickers. */
const SYMBOLS_TEXT_CHARS = 400;
const SCHEDULE_EXAMPLE = '"0 15 * * 1-5" (15:00 on weekdays)';

const platformId = z.string().trim().min(1, "an id").max(64, "an id of at most 64 characters");

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
/** One emoji as a reaction uses it: a single grapheme that is pictographic (flags and keycaps too). */
const emojiSchema = z
  .string()
  .trim()
  .max(32, "a single emoji such as ⬆️ or 👍")
  .refine(
    (text) =>
      [...graphemes.segment(text)].length === 1 &&
      /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u.test(text),
    "a single emoji such as ⬆️ or 👍 (a server's custom emoji cannot be used)",
  );

export const configOptionsSchema = z
  .object({
    channelId: platformId.optional(),
    /** Five-field cron: minute hour day-of-month month day-of-week, read in the server's timezone. */
    schedule: z
      .string()
      .trim()
      .min(1, `a cron expression such as ${SCHEDULE_EXAMPLE}`)
      .max(100, `a cron expression of at most 100 characters, such as ${SCHEDULE_EXAMPLE}`)
      .optional(),
    timezone: z
      .string()
      .trim()
      .min(1, "an IANA timezone such as America/New_York")
      .max(64, "an IANA timezone such as America/New_York (at most 64 characters)")
      .optional(),
    /** "SPY, QQQ BTC" or a list; BTC and ETH mean their USD pairs, as in the call grammar. */
    symbols: z
      .union([z.string().max(SYMBOLS_TEXT_CHARS), z.array(z.string().max(32)).max(MAX_SYMBOLS * 4)], {
        message: `tickers such as "SPY, QQQ, BTC-USD": at most ${MAX_SYMBOLS} of them`,
      })
      .optional(),
    /** Null clears it: then only platform admins moderate. */
    moderatorRoleId: platformId.nullable().optional(),
    /** The reactions that agree with and fade a dispatch (Discord; Slack uses ⬆️ and ⬇️). */
    agreeEmoji: emojiSchema.optional(),
    fadeEmoji: emojiSchema.optional(),
    /** Verdicts reply in a thread on the dispatch instead of in the channel (Discord). */
    verdictInThread: z.boolean({ message: "true or false" }).optional(),
  })
  .strict();

export type ConfigOptions = z.input<typeof configOptionsSchema>;

export interface ConfigView {
  channelId: string | null;
  schedule: string;
  timezone: string;
  symbols: string[];
  moderatorRoleId: string | null;
  agreeEmoji: string;
  fadeEmoji: string;
  verdictInThread: boolean;
  /** The next cycle times under the saved schedule, so a moderator sees what the cron means. */
  nextCycles: string[];
  /** Which settings this command changed; empty when it only showed them. */
  changed: (keyof ServerSettings)[];
}

/** `/config`: every value is validated before anything is saved, so a bad one changes nothing. */
export async function configure(
  ctx: CommandContext,
  options: ConfigOptions = {},
): Promise<CommandResult<ConfigView>> {
  const refused = requireModerator(ctx, "/config");
  if (refused) return refused;
  const parsed = parseOptions(configOptionsSchema, options);
  if (!parsed.ok) return parsed;
  const { channelId, schedule, timezone, symbols, moderatorRoleId, agreeEmoji, fadeEmoji, verdictInThread } =
    parsed.value;

  const zone = timezone ?? ctx.server.timezone;
  if (!IANAZone.isValidZone(zone))
    return fail(`timezone: "${zone}" is not an IANA timezone such as America/New_York`);
  const next = nextRuns(schedule ?? ctx.server.schedule, zone, ctx.now());
  if (!next.ok) return next;
  const tickers = symbols === undefined ? undefined : await checkSymbols(ctx, symbols);
  if (tickers && !tickers.ok) return tickers;
  // One reaction cannot mean both: compare with what the other one will be after this change.
  if ((agreeEmoji ?? ctx.server.agreeEmoji) === (fadeEmoji ?? ctx.server.fadeEmoji))
    return fail("agreeEmoji and fadeEmoji must differ: one reaction cannot both agree and fade");

  const changes: Partial<ServerSettings> = {
    ...(channelId !== undefined && { channelId }),
    ...(schedule !== undefined && { schedule }),
    ...(timezone !== undefined && { timezone }),
    ...(tickers && { symbols: tickers.symbols }),
    ...(moderatorRoleId !== undefined && { moderatorRoleId }),
    ...(agreeEmoji !== undefined && { agreeEmoji }),
    ...(fadeEmoji !== undefined && { fadeEmoji }),
    ...(verdictInThread !== undefined && { verdictInThread }),
  };
  const changed = Object.keys(changes) as (keyof ServerSettings)[];
  const server = changed.length
    ? await updateServerSettings(ctx.db.prisma, ctx.server.id, changes)
    : ctx.server;
  return ok({
    channelId: server.channelId,
    schedule: server.schedule,
    timezone: server.timezone,
    symbols: server.symbols,
    moderatorRoleId: server.moderatorRoleId,
    agreeEmoji: server.agreeEmoji,
    fadeEmoji: server.fadeEmoji,
    verdictInThread: server.verdictInThread,
    nextCycles: next.runs.map((d) => d.toISOString()),
    changed,
  });
}

/**
 * Validates with cron-parser, the parser node-schedule itself uses, so an accepted expression is one
 * the scheduler reads the same way. node-schedule alone would not do: it reads an invalid cron
 * string as a one-off date when it can.
 */
export function nextRuns(
  expression: string,
  timezone: string,
  now: Date,
): { ok: true; runs: Date[] } | { ok: false; error: string } {
  const bad = (why: string) => fail(`schedule: "${expression}" ${why}; for example ${SCHEDULE_EXAMPLE}`);
  if (expression.split(/\s+/).length !== 5) {
    return bad("needs five fields: minute hour day-of-month month day-of-week");
  }
  let runs: Date[];
  try {
    const cron = cronParser.parseExpression(expression, { currentDate: now, tz: timezone });
    runs = [cron.next(), cron.next(), cron.next()].map((d) => d.toDate());
  } catch (error) {
    return bad(`is not a valid cron expression (${(error as Error).message})`);
  }
  const gaps = runs.slice(1).map((run, i) => run.getTime() - (runs[i] as Date).getTime());
  if (Math.min(...gaps) < MIN_CYCLE_GAP_MINUTES * 60_000) {
    return bad(`runs more often than every ${MIN_CYCLE_GAP_MINUTES} minutes`);
  }
  return { ok: true, runs };
}

/**
 * Tickers must be well formed and known to the market source; a symbol without data would give the
 * desk nothing to read and members nothing to score against. Only newly added symbols are looked up.
 */
async function checkSymbols(
  ctx: CommandContext,
  input: string | string[],
): Promise<{ ok: true; symbols: string[] } | { ok: false; error: string }> {
  const words = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const symbols: string[] = [];
  for (const word of words) {
    const symbol = symbolSchema.safeParse(word);
    if (!symbol.success) return fail(`symbols: "${word}" is not a ticker such as SPY, BRK.B or BTC-USD`);
    const ticker = ALIASES[symbol.data] ?? symbol.data;
    if (!symbols.includes(ticker)) symbols.push(ticker);
  }
  if (symbols.length === 0) return fail("symbols: give at least one ticker, e.g. SPY, QQQ, BTC-USD");
  if (symbols.length > MAX_SYMBOLS)
    return fail(`symbols: at most ${MAX_SYMBOLS} tickers, got ${symbols.length}`);
  const added = symbols.filter((s) => !ctx.server.symbols.includes(s));
  const now = ctx.now();
  const lookups = await Promise.allSettled(added.map((s) => ctx.quotes.latestQuote(s, now)));
  const unknown = added.filter((_, i) => lookups[i]?.status === "rejected");
  if (unknown.length > 0) {
    return fail(
      `symbols: no market data for ${unknown.join(", ")} from ${ctx.quotes.name}; check the ticker`,
    );
  }
  return { ok: true, symbols };
}
