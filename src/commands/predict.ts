import { z } from "zod";
import { type CallSpec, callSpecSchema, symbolSchema, symbolsOf } from "../domain/call.ts";
import type { Quote } from "../market/ports.ts";
import { appendMemberCall } from "../store/member-calls.ts";
import { type CallView, callView } from "./call-view.ts";
import {
  type CommandContext,
  type CommandResult,
  fail,
  memberProbabilitySchema,
  ok,
  parseOptions,
} from "./context.ts";
import { parseCallText } from "./grammar.ts";
import { isDeadlineToken, parseDeadline } from "./grammar-time.ts";
import { ALIASES, GrammarError } from "./grammar-words.ts";
import { memberCallBase, refusal } from "./member-call.ts";

const questionFields = {
  symbol: symbolSchema.optional(),
  kind: z.enum(["direction", "threshold", "touch", "hold", "relative"]).optional(),
  direction: z.enum(["up", "down", "outperform", "underperform"]).optional(),
  comparator: z.enum(["above", "below"]).optional(),
  level: z.number().positive("a positive price level").optional(),
  versus: symbolSchema.optional(),
  horizonHours: z
    .number()
    .positive("a positive number of hours")
    .max(24 * 366, "at most a year")
    .optional(),
  /** An ISO time, a date (that day's New York close) or eod/tomorrow/friday. */
  deadline: z.string().trim().min(1).max(40, "a deadline such as eod, friday or 2026-12-31").optional(),
  probability: memberProbabilitySchema.optional(),
  flatBandPct: z.number().min(0).max(20, "a flat band of at most 20%").optional(),
  note: z.string().trim().max(280, "a note of at most 280 characters").optional(),
};

/** Either the call's fields (Discord options, the counter-call modal) or one line of text (Slack). */
export const predictOptionsSchema = z
  .object({
    text: z.string().trim().min(1, "write the call, e.g. QQQ down 48h 65%").max(400).optional(),
    ...questionFields,
    source: z.enum(["predict", "modal"]).default("predict"),
  })
  .strict();

export type PredictOptions = z.input<typeof predictOptionsSchema>;
type Parsed = z.output<typeof predictOptionsSchema>;

export interface PredictView {
  call: CallView;
  /** Who quoted the entry price (the call itself carries the price and its time). */
  priceSource: string;
  /** True when this interaction had already stored the call: nothing new was written. */
  replayed: boolean;
}

/** `/predict`: a member's own call, entered at their own price and time. */
export async function predict(
  ctx: CommandContext,
  options: PredictOptions,
): Promise<CommandResult<PredictView>> {
  const parsed = parseOptions(predictOptionsSchema, options);
  if (!parsed.ok) return parsed;
  const now = ctx.now();
  const quote = memoizedQuotes(ctx, now);
  const spec =
    parsed.value.text !== undefined
      ? await specFromText(ctx, parsed.value, quote)
      : specFromFields(ctx, parsed.value);
  if (!spec.ok) return spec;

  const untracked = symbolsOf(spec.call).filter((s) => !ctx.server.symbols.includes(s));
  if (untracked.length > 0) {
    const verb = untracked.length > 1 ? "are" : "is";
    return fail(
      `${untracked.join(" and ")} ${verb} not tracked on this server: pick one of ${ctx.server.symbols.join(", ")}.`,
    );
  }
  const prices = await entryPrices(spec.call, quote);
  if (!prices.ok) return prices;
  const { entry, versus } = prices;
  const stored = await appendMemberCall(ctx.db.prisma, {
    ...memberCallBase(ctx, parsed.value.source),
    spec: spec.call,
    lockAt: now,
    entryPrice: entry.price,
    entryAt: entry.time,
    ...(versus && { versusEntry: versus.price }),
  });
  if (stored.status === "over_cap" || stored.status === "rate_limited") return refusal(ctx, stored);
  return ok({
    call: callView(stored.call, ctx.actor),
    priceSource: entry.source,
    replayed: stored.status === "replayed",
  });
}

/** The member's own entry: without a price now the call cannot be scored fairly, so it is not stored. */
async function entryPrices(
  call: CallSpec,
  quote: (symbol: string) => Promise<Quote>,
): Promise<{ ok: true; entry: Quote; versus?: Quote } | { ok: false; error: string }> {
  try {
    const entry = await quote(call.symbol);
    return call.kind === "relative"
      ? { ok: true, entry, versus: await quote(call.versus) }
      : { ok: true, entry };
  } catch (error) {
    return fail(
      `No price for ${symbolsOf(call).join("/")} right now (${(error as Error).message}), so the call was not saved. Try again shortly.`,
    );
  }
}

type SpecResult = { ok: true; call: CallSpec } | { ok: false; error: string };

/**
 * A bare "touches 700" needs today's price to know its side, so the price of the leading ticker is
 * fetched only when the first reading fails, and the text read again with it.
 */
async function specFromText(
  ctx: CommandContext,
  options: Parsed,
  quote: (symbol: string) => Promise<Quote>,
): Promise<SpecResult> {
  const fieldGiven = Object.keys(questionFields).find(
    (key) => options[key as keyof typeof questionFields] !== undefined,
  );
  if (fieldGiven)
    return fail(`give either the call as text or its fields, not both (found text and ${fieldGiven})`);
  const text = options.text as string;
  const grammar = {
    now: ctx.now(),
    defaultProbability: ctx.settings.defaultProbability,
    timezone: ctx.server.timezone,
  };
  const first = parseCallText(text, grammar);
  const lead = leadingTicker(text);
  if (first.ok || lead === undefined || !ctx.server.symbols.includes(lead)) return first;
  const price = await quote(lead).then(
    (q) => q.price,
    () => undefined,
  );
  return price === undefined ? first : parseCallText(text, { ...grammar, referencePrice: price });
}

function leadingTicker(text: string): string | undefined {
  const symbol = symbolSchema.safeParse(text.trim().split(/\s+/)[0]);
  return symbol.success ? (ALIASES[symbol.data] ?? symbol.data) : undefined;
}

function specFromFields(ctx: CommandContext, options: Parsed): SpecResult {
  const { symbol, kind, direction, comparator, level, versus, horizonHours, deadline } = options;
  if (symbol === undefined || kind === undefined)
    return fail("give the call as text, or at least its symbol and kind");
  if ((horizonHours === undefined) === (deadline === undefined))
    return fail("give exactly one of horizonHours or deadline");
  const question = questionOf(kind, { direction, comparator, level, versus });
  if (!question.ok) return question;
  const now = ctx.now();
  let due: string | undefined;
  if (deadline !== undefined) {
    const moment = deadlineMoment(deadline, now, ctx.server.timezone);
    if (!moment.ok) return moment;
    due = moment.at.toISOString();
  }
  const spec = callSpecSchema.safeParse({
    ...question.fields,
    symbol,
    probability: options.probability ?? ctx.settings.defaultProbability,
    madeAt: now.toISOString(),
    ...(horizonHours !== undefined ? { horizonHours } : { deadline: due }),
    ...(options.flatBandPct !== undefined && { flatBandPct: options.flatBandPct }),
    ...(options.note ? { note: options.note } : {}),
  });
  if (spec.success) return { ok: true, call: spec.data };
  const issue = spec.error.issues[0];
  return fail(`${issue?.path.join(".") || "call"}: ${issue?.message ?? "invalid"}`);
}

type QuestionFields = Pick<Parsed, "direction" | "comparator" | "level" | "versus">;

/** The kind decides which fields the question needs; say exactly which one is missing. */
function questionOf(
  kind: NonNullable<Parsed["kind"]>,
  f: QuestionFields,
): { ok: true; fields: Record<string, unknown> } | { ok: false; error: string } {
  if (kind === "direction") {
    if (f.direction !== "up" && f.direction !== "down")
      return fail("a direction call needs direction up or down");
    return { ok: true, fields: { kind, direction: f.direction } };
  }
  if (kind === "relative") {
    if (f.direction !== "outperform" && f.direction !== "underperform") {
      return fail("a relative call needs direction outperform or underperform");
    }
    if (f.versus === undefined) return fail("a relative call needs versus: the ticker it is compared with");
    return { ok: true, fields: { kind, direction: f.direction, versus: f.versus } };
  }
  if (f.comparator === undefined || f.level === undefined) {
    return fail(`a ${kind} call needs comparator (above or below) and level`);
  }
  return { ok: true, fields: { kind, comparator: f.comparator, level: f.level } };
}

/** The grammar's reading of a deadline, so `/predict` and Slack's text accept the same words and times. */
function deadlineMoment(
  text: string,
  now: Date,
  timezone: string,
): { ok: true; at: Date } | { ok: false; error: string } {
  const token = text.toLowerCase();
  if (!isDeadlineToken(token)) {
    return fail(
      `deadline: "${text}" is not a deadline: write eod, tomorrow, friday, 2026-12-31 or 2026-12-31T21:00Z`,
    );
  }
  try {
    return { ok: true, at: parseDeadline(token, now, timezone) };
  } catch (error) {
    if (!(error instanceof GrammarError)) throw error;
    return fail(`deadline: ${error.message}`);
  }
}

/** One lookup per symbol per command: the grammar's reference price doubles as the entry price. */
function memoizedQuotes(ctx: CommandContext, now: Date): (symbol: string) => Promise<Quote> {
  const cache = new Map<string, Promise<Quote>>();
  return (symbol) => {
    let quote = cache.get(symbol);
    if (!quote) {
      quote = ctx.quotes.latestQuote(symbol, now);
      cache.set(symbol, quote);
    }
    return quote;
  };
}
