import { z } from "zod";
import {
  CALL_KINDS,
  type CallKind,
  type CallSpec,
  callSpecSchema,
  symbolSchema,
  symbolsOf,
  touchAlreadyReached,
} from "../domain/call.ts";
import { CLAIM_NAMES, CLAIMS, questionFields as claimFields, isClaimName } from "../domain/claims.ts";
import { formatPrice } from "../domain/price.ts";
import type { Quote } from "../market/ports.ts";
import { appendMemberCall } from "../store/member-calls.ts";
import { type CallView, callView } from "./call-view.ts";
import {
  type CommandContext,
  type CommandResult,
  fail,
  memberProbabilitySchema,
  ok,
  type Refusal,
} from "./context.ts";
import { declareCommand, invoke, optionValue } from "./declaration.ts";
import { parseCallText } from "./grammar.ts";
import { isDeadlineToken, parseDeadline } from "./grammar-time.ts";
import { ALIASES, GrammarError } from "./grammar-words.ts";
import { memberCallBase, refusal } from "./member-call.ts";
import { stripBidi } from "./plain-text.ts";

const questionFields = {
  symbol: symbolSchema.optional(),
  kind: z.enum(CALL_KINDS as [CallKind, ...CallKind[]]).optional(),
  direction: z.enum(["up", "down", "outperform", "underperform", "inside", "outside"]).optional(),
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
  note: z.string().trim().max(280, "a note of at most 280 characters").transform(stripBidi).optional(),
};

/** Either the call's fields (Discord options, the counter-call modal) or one line of text (Slack). */
export const predictOptionsSchema = z
  .object({
    // The text carries the note after "--" (Slack's way of writing one).
    text: z
      .string()
      .trim()
      .min(1, "write the call, e.g. QQQ down 48h 65%")
      .max(400)
      .transform(stripBidi)
      .optional(),
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

/** " · entry 96.03 (yahoo)", quoted as the desk quotes prices; empty without an entry yet. */
export function entryText(
  view: PredictView,
  escapeSource: (text: string) => string = (text) => text,
): string {
  const price = view.call.entryPrice;
  return price === null ? "" : ` · entry ${formatPrice(price)} (${escapeSource(view.priceSource)})`;
}

/** Hours; /predict's `deadline` option covers anything else (eod, friday, a date). */
const HORIZONS = [
  { name: "4 hours", value: 4 },
  { name: "1 day (24h)", value: 24 },
  { name: "2 days (48h)", value: 48 },
  { name: "3 days (72h)", value: 72 },
  { name: "1 week", value: 168 },
  { name: "2 weeks", value: 336 },
  { name: "1 month (30 days)", value: 720 },
];

/** `/predict`: a member's own call, entered at their own price and time. */
export const predictCommand = declareCommand({
  name: "predict",
  schema: predictOptionsSchema,
  access: "member",
  answers: "public",
  // Acknowledged before any work: nothing about a call must be durable before the ack (respond.ts).
  defer: "at_once",
  run: predict_,
  text: (view: PredictView) => {
    const who = view.call.author.type === "member" ? view.call.author.displayName : "The desk";
    const entry = entryText(view);
    return `${view.replayed ? "Already saved: " : `${who} calls `}#${view.call.id} ${view.call.text} · ${Math.round(view.call.probability * 100)}%${entry} · ${view.call.decidedBy}`;
  },
  slash: {
    description: "Make your own call: scored at its deadline from market data",
    options: [
      {
        name: "symbol",
        type: "string",
        description: "A symbol this server tracks",
        required: true,
        autocomplete: "symbols",
      },
      {
        name: "claim",
        type: "string",
        description: "What you say happens",
        required: true,
        choices: CLAIM_NAMES.map((value) => ({ name: CLAIMS[value].label, value })),
      },
      {
        name: "probability",
        type: "integer",
        description: "How sure you are, in percent (50-99)",
        required: true,
        min: 50,
        max: 99,
      },
      { name: "horizon", type: "integer", description: "How long until it is judged", choices: HORIZONS },
      {
        name: "deadline",
        type: "string",
        description: "Instead of a horizon: eod, tomorrow, friday, 2026-12-31",
        maxLength: 40,
      },
      { name: "level", type: "number", description: "The price level (above/below/touches/holds)", min: 0 },
      {
        name: "versus",
        type: "string",
        description: "The symbol compared with (outperforms/underperforms)",
        autocomplete: "symbols",
      },
      { name: "note", type: "string", description: "Why, in a line", maxLength: 280 },
    ],
    fromOptions: (values): PredictOptions | Refusal => {
      const claim = optionValue.string(values, "claim") ?? "";
      if (!isClaimName(claim)) return fail("claim: pick one of the listed choices");
      const text = (name: string) => optionValue.string(values, name);
      const given = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
      return {
        symbol: text("symbol")?.toUpperCase(),
        ...CLAIMS[claim].fields,
        probability: optionValue.number(values, "probability"),
        ...given("horizonHours", optionValue.number(values, "horizon")),
        ...given("deadline", text("deadline")),
        ...given("level", optionValue.number(values, "level")),
        ...given("versus", text("versus")?.toUpperCase()),
        ...given("note", text("note")),
      };
    },
    fromText: (text) => ({ text }),
    usage: "Usage: `/predict QQQ down 48h 65%`: a symbol, a claim, a horizon and how sure you are.",
  },
});

export function predict(ctx: CommandContext, options: PredictOptions): Promise<CommandResult<PredictView>> {
  return invoke(predictCommand, ctx, options);
}

async function predict_(ctx: CommandContext, options: Parsed): Promise<CommandResult<PredictView>> {
  const now = ctx.now();
  const quote = memoizedQuotes(ctx, now);
  const spec =
    options.text !== undefined ? await specFromText(ctx, options, quote) : specFromFields(ctx, options);
  if (!spec.ok) return fail(spec.error);

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
  const reached = touchAlreadyReached(spec.call, entry.price);
  if (reached) return fail(reached);
  const stored = await appendMemberCall(ctx.db.prisma, {
    ...memberCallBase(ctx, options.source),
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
): Promise<{ ok: true; entry: Quote; versus?: Quote } | Refusal> {
  try {
    const entry = await quote(call.symbol);
    return call.kind === "relative"
      ? { ok: true, entry, versus: await quote(call.versus) }
      : { ok: true, entry };
  } catch (error) {
    return fail(
      `No price for ${symbolsOf(call).join("/")} right now (${(error as Error).message}), so the call was not saved. Try again shortly.`,
      "unavailable",
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
  const question = claimFields(kind, { direction, comparator, level, versus });
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

/** The grammar's reading of a deadline, so `/predict` and Slack's text accept the same words and times. */
function deadlineMoment(text: string, now: Date, timezone: string): { ok: true; at: Date } | Refusal {
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
