import cronParser from "cron-parser";
import { IANAZone } from "luxon";
import { z } from "zod";
import { symbolSchema } from "../domain/call.ts";
import type { ServerSettings } from "../domain/server.ts";
import { updateServerSettings } from "../store/servers.ts";
import { type CommandContext, type CommandResult, fail, ok, type Refusal } from "./context.ts";
import { declareCommand, invoke, optionValue } from "./declaration.ts";
import { ALIASES } from "./grammar-words.ts";

/** Discord autocomplete offers at most 25 choices; more symbols could not all be picked in /predict. */
const MAX_SYMBOLS = 25;
/** A cycle costs data and model calls; a schedule tighter than this is a typo, not a plan. */
const MIN_CYCLE_GAP_MINUTES = 15;
/** Room for MAX_SYMBOLS tickers with separators; longer text is not a list of tickers. */
const SYMBOLS_TEXT_CHARS = 400;
export const CONFIG_USAGE = [
  "Usage: `/config` shows the settings; change one at a time:",
  "`/config channel here` (or `#channel`) · `/config schedule 0 15 * * 1-5` · `/config timezone America/New_York`",
  "`/config symbols SPY, QQQ, BTC` · `/config moderators @group` (or `none`)",
].join("\n");

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

/** The server's settings as saved, after this command. */
export interface ConfigView extends Required<ServerSettings> {
  /** The next cycle times under the saved schedule, so a moderator sees what the cron means. */
  nextCycles: string[];
  /** Which settings this command changed; empty when it only showed them. */
  changed: (keyof ServerSettings)[];
}

/** `/config`: every value is validated before anything is saved, so a bad one changes nothing. */
export const configCommand = declareCommand({
  name: "config",
  schema: configOptionsSchema,
  access: "moderator",
  answers: "private",
  defer: "when_slow",
  run: configure_,
  text: (view: ConfigView) =>
    [
      view.changed.length ? `Saved ${view.changed.join(", ")}.` : "",
      `Channel: ${view.channelId ?? "not set"}`,
      `Schedule: ${view.schedule} (${view.timezone}), next ${view.nextCycles.join(", ")}`,
      `Symbols: ${view.symbols.join(", ")}`,
      `Moderators: ${view.moderatorRoleId ?? "platform admins only"}`,
    ]
      .filter(Boolean)
      .join("\n"),
  slash: {
    description: "Show or change the desk's settings on this server (moderators)",
    options: [
      { name: "channel", type: "channel", description: "Where dispatches are posted" },
      { name: "schedule", type: "string", description: 'Cron, e.g. "5 10,13,15 * * 1-5"' },
      { name: "timezone", type: "string", description: "IANA timezone, e.g. America/New_York" },
      { name: "symbols", type: "string", description: "Tickers, e.g. SPY, QQQ, BTC" },
      { name: "moderator_role", type: "role", description: "The role that may run /cycle and /config" },
      { name: "clear_moderator_role", type: "boolean", description: "Only Manage Server may moderate again" },
      { name: "agree_emoji", type: "string", description: "The reaction that agrees, e.g. 👍" },
      { name: "fade_emoji", type: "string", description: "The reaction that fades, e.g. 👎" },
      {
        name: "verdict_in_thread",
        type: "boolean",
        description: "Post verdicts in a thread on the dispatch",
      },
    ],
    fromOptions: (values) => {
      const text = (name: string) => optionValue.string(values, name);
      return {
        channelId: text("channel"),
        schedule: text("schedule"),
        timezone: text("timezone"),
        symbols: text("symbols"),
        moderatorRoleId: optionValue.boolean(values, "clear_moderator_role") ? null : text("moderator_role"),
        agreeEmoji: text("agree_emoji"),
        fadeEmoji: text("fade_emoji"),
        verdictInThread: optionValue.boolean(values, "verdict_in_thread"),
      };
    },
    fromText: configOptionsOf,
    usage: CONFIG_USAGE,
  },
});

export function configure(
  ctx: CommandContext,
  options: ConfigOptions = {},
): Promise<CommandResult<ConfigView>> {
  return invoke(configCommand, ctx, options);
}

async function configure_(
  ctx: CommandContext,
  options: z.output<typeof configOptionsSchema>,
): Promise<CommandResult<ConfigView>> {
  const { channelId, schedule, timezone, symbols, moderatorRoleId, agreeEmoji, fadeEmoji, verdictInThread } =
    options;

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
  // A changed schedule or timezone takes effect at once, wherever the scheduler runs.
  if (changed.includes("schedule") || changed.includes("timezone")) ctx.cycles.reschedule(server);
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
): { ok: true; runs: Date[] } | Refusal {
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
): Promise<{ ok: true; symbols: string[] } | Refusal> {
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

/** Slack's escaped forms: <#C123|name>, <!subteam^S123|@group>; plain ids are accepted too. */
const CHANNEL = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{6,})$/;
const GROUP = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$|^(S[A-Z0-9]{6,})$/;

/** `/config` as one line of text: a setting's name, then its value; "here" is the channel it was typed in. */
function configOptionsOf(text: string, where: { channelId: string }): ConfigOptions | Refusal {
  const [key = "", ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const value = rest.join(" ").replace(/^["'“]|["'”]$/g, "");
  const missing = fail(CONFIG_USAGE);
  switch (key.toLowerCase()) {
    case "":
      return {};
    case "channel": {
      if (value.toLowerCase() === "here") return { channelId: where.channelId };
      const match = CHANNEL.exec(value);
      return match ? { channelId: (match[1] ?? match[2]) as string } : missing;
    }
    case "schedule":
      return value ? { schedule: value } : missing;
    case "timezone":
      return value ? { timezone: value } : missing;
    case "symbols":
      return value ? { symbols: value } : missing;
    case "moderators": {
      if (value.toLowerCase() === "none") return { moderatorRoleId: null };
      const match = GROUP.exec(value);
      return match ? { moderatorRoleId: (match[1] ?? match[2]) as string } : missing;
    }
    default:
      return missing;
  }
}
