import { DateTime } from "luxon";
import { z } from "zod";
import { assetClassOf, decidingSession, type Session } from "./bars.ts";

/** Tickers as the market writes them: SPY, BRK.B, BTC-USD, ^VIX. Stored upper-case. */
export const symbolSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\^?[A-Z0-9][A-Z0-9.=-]{0,14}$/, "a ticker such as SPY, BRK.B or BTC-USD");

export const MIN_PROBABILITY = 0.5;
export const MAX_PROBABILITY = 0.99;

export const probabilitySchema = z
  .number()
  .min(MIN_PROBABILITY, "probability must be at least 0.5 (a call below 50% is the opposite call)")
  .max(MAX_PROBABILITY, "probability must be at most 0.99");

/** Any ISO 8601 time in, one canonical UTC form out, so a call reads back exactly as it was stored. */
const isoDateTime = z.iso
  .datetime({ offset: true, message: "an ISO 8601 time such as 2026-03-31T14:00:00Z" })
  .transform((text) => new Date(text).toISOString());

const common = {
  symbol: symbolSchema,
  probability: probabilitySchema,
  madeAt: isoDateTime,
  horizonHours: z
    .number()
    .positive()
    .max(24 * 366)
    .optional(),
  deadline: isoDateTime.optional(),
  flatBandPct: z.number().min(0).max(20).optional(),
  note: z.string().trim().max(280).optional(),
};

const levelFields = {
  comparator: z.enum(["above", "below"]),
  level: z.number().positive(),
};

export const callSpecSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("direction"), direction: z.enum(["up", "down"]), ...common }).strict(),
    z.object({ kind: z.literal("threshold"), ...levelFields, ...common }).strict(),
    z.object({ kind: z.literal("touch"), ...levelFields, ...common }).strict(),
    z.object({ kind: z.literal("hold"), ...levelFields, ...common }).strict(),
    z
      .object({
        kind: z.literal("relative"),
        versus: symbolSchema,
        direction: z.enum(["outperform", "underperform"]),
        ...common,
      })
      .strict(),
    // A volatility question: does the close at the deadline land within ±level% of the entry price?
    z
      .object({
        kind: z.literal("range"),
        direction: z.enum(["inside", "outside"]),
        level: z.number().positive().max(50),
        ...common,
      })
      .strict(),
  ])
  .superRefine((call, ctx) => {
    const hasHorizon = call.horizonHours !== undefined;
    const hasDeadline = call.deadline !== undefined;
    if (hasHorizon === hasDeadline) {
      ctx.addIssue({
        code: "custom",
        message: "give exactly one of horizonHours or deadline",
        path: ["horizonHours"],
      });
      return;
    }
    if (hasDeadline && Date.parse(call.deadline as string) <= Date.parse(call.madeAt)) {
      ctx.addIssue({ code: "custom", message: "deadline must be after madeAt", path: ["deadline"] });
    }
    if (call.kind === "relative" && call.versus === call.symbol) {
      ctx.addIssue({ code: "custom", message: "versus must be a different symbol", path: ["versus"] });
    }
  });

export type CallSpec = z.infer<typeof callSpecSchema>;
export type CallKind = CallSpec["kind"];
/** Every kind of call, from the schema itself. */
export const CALL_KINDS = callSpecSchema.options.map((option) => option.shape.kind.value);
export type LevelCall = Extract<CallSpec, { comparator: "above" | "below" }>;
export type RangeCall = Extract<CallSpec, { kind: "range" }>;

export function madeAtOf(call: CallSpec): Date {
  return new Date(call.madeAt);
}

export function deadlineOf(call: CallSpec): Date {
  if (call.deadline !== undefined) return new Date(call.deadline);
  return new Date(Date.parse(call.madeAt) + (call.horizonHours as number) * 3_600_000);
}

/**
 * The session whose close decides the call: the last close at or before the deadline (for a
 * relative call, the earlier of its two legs'), so the verdict is known from this moment on.
 */
export function decidingSessionOf(call: CallSpec): Session {
  const deadline = deadlineOf(call);
  const sessions = symbolsOf(call).map((symbol) => decidingSession(deadline, assetClassOf(symbol)));
  return sessions.reduce((a, b) => (b.close < a.close ? b : a));
}

/**
 * Agree/fade is accepted until a share of the span from the call to its deciding close has passed,
 * never after that close: the nominal deadline can lie days past the bar that settles the call.
 * A call with no close inside its window takes no answers at all.
 */
export function lockAtOf(call: CallSpec, lockShare: number): Date {
  const start = Date.parse(call.madeAt);
  const close = decidingSessionOf(call).close.getTime();
  return new Date(start + Math.max(0, close - start) * lockShare);
}

/**
 * "decided by Friday's close (16:00 New York)": the weekday alone within the coming week, with its
 * date beyond that; crypto days close at midnight UTC.
 */
export function decidedByText(call: CallSpec): string {
  const session = decidingSessionOf(call);
  const madeAt = madeAtOf(call);
  if (session.close <= madeAt) return "no close falls inside this window: it will be void";
  const day = DateTime.fromISO(session.date, { zone: "utc" });
  const within = session.close.getTime() - madeAt.getTime() < 6 * 86_400_000;
  const name = within
    ? `${day.toFormat("cccc")}'s close`
    : `the close of ${day.toFormat("cccc")} ${session.date}`;
  const crypto = symbolsOf(call).every((s) => assetClassOf(s) === "crypto");
  const time = crypto
    ? "midnight UTC"
    : `${DateTime.fromJSDate(session.close, { zone: "America/New_York" }).toFormat("HH:mm")} New York`;
  return `decided by ${name} (${time})`;
}

/**
 * A touch of a level the price already stands at or beyond is decided before it is made: refused,
 * with the reason, at whatever surface offers it.
 */
export function touchAlreadyReached(call: CallSpec, price: number): string | undefined {
  if (call.kind !== "touch") return undefined;
  const reached = call.comparator === "above" ? price >= call.level : price <= call.level;
  if (!reached) return undefined;
  return `${call.symbol} is already at ${price}, ${call.comparator === "above" ? "at or above" : "at or below"} ${call.level}: a touch of a level already reached says nothing. Pick a level beyond today's price, or a threshold call.`;
}

/** The symbols whose prices decide the call. */
export function symbolsOf(call: CallSpec): string[] {
  return call.kind === "relative" ? [call.symbol, call.versus] : [call.symbol];
}

/** Human wording of the question, e.g. "QQQ lower in 48h" or "SPY holds above 650 by Jun 11 15:00 UTC". */
export function describeCall(call: CallSpec): string {
  // A horizon reads with the kind's own preposition; a fixed deadline always reads "by <when>".
  const span = (preposition: string) =>
    call.horizonHours !== undefined
      ? `${preposition} ${formatHours(call.horizonHours)}`
      : `by ${formatDeadline(new Date(call.deadline as string))}`;
  switch (call.kind) {
    case "direction":
      return `${call.symbol} ${call.direction === "up" ? "higher" : "lower"} ${span("in")}`;
    case "threshold":
      return `${call.symbol} closes ${call.comparator} ${call.level} ${span("in")}`;
    case "touch":
      return `${call.symbol} trades ${call.comparator === "above" ? "at or above" : "at or below"} ${call.level} ${span("within")}`;
    case "hold":
      return `${call.symbol} holds ${call.comparator} ${call.level} ${span("for")}`;
    case "relative":
      return `${call.symbol} ${call.direction}s ${call.versus} ${span("over")}`;
    case "range":
      return `${call.symbol} closes ${call.direction === "inside" ? "within" : "beyond"} ±${call.level}% of entry ${span("in")}`;
  }
}

/** "Thu 11 Jun 2026 15:00 UTC": a deadline read at a glance, in the one zone the desk shows. */
function formatDeadline(deadline: Date): string {
  return DateTime.fromJSDate(deadline, { zone: "utc" }).toFormat("ccc d LLL yyyy HH:mm 'UTC'");
}

export function formatHours(hours: number): string {
  return hours % 24 === 0 && hours >= 72 ? `${hours / 24}d` : `${hours}h`;
}
