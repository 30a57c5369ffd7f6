import { type CallSpec, decidedByText, describeCall } from "../../domain/call.ts";
import { fadeOf } from "../../domain/claims.ts";
import { isVolatilitySymbol } from "../../domain/debate.ts";
import { stretchFromMean } from "../questions/volatility.ts";
import type { PricedCandidate } from "../synthesis.ts";
import type { DeskCall } from "../types.ts";
import type { EssayContext } from "./essay.ts";
import { displaySymbol, fill, percent, price, signedPct, turn } from "./format.ts";

/**
 * The words for calls that have no simple up or down (a range, VIX against a level, one name against
 * another): the claim as a clause a sentence can carry, a title for it, and why the desk believes it.
 * Sentences here never put a mind's name and a percentage in one clause, since the consistency
 * check reads such a pair as that mind's number.
 */

type Ctx = Pick<EssayContext, "input" | "features" | "synthesis" | "regime">;

/** A reader's name for a symbol in a title: Bitcoin, not BTC-USD; VIX, not ^VIX. */
function titleName(symbol: string): string {
  return symbol === "BTC-USD" ? "Bitcoin" : symbol === "ETH-USD" ? "Ether" : displaySymbol(symbol);
}

/** "at Wednesday's close", from the session that decides the call. */
export function byWhen(spec: CallSpec): string {
  const text = decidedByText(spec);
  if (!text.startsWith("decided by ")) return `within ${spec.horizonHours ?? 48} hours`;
  return `at ${text.replace(/^decided by /, "").replace(/\s*\(.*\)$/, "")}`;
}

/**
 * The claim as a clause: "VIX closes below 82.69 at Wednesday's close" (finite), or "VIX to close
 * below 82.69 at Wednesday's close" (after "expects"). Entry prices stand in for "of entry".
 */
export function claimClause(call: Pick<DeskCall, "spec" | "entryPrice">, form: "finite" | "to"): string {
  const spec = call.spec;
  const sym = displaySymbol(spec.symbol);
  const verb = (finite: string, base: string) => (form === "finite" ? finite : `to ${base}`);
  const by = byWhen(spec);
  switch (spec.kind) {
    case "threshold":
      return `${sym} ${verb("closes", "close")} ${spec.comparator} ${spec.level} ${by}`;
    case "range": {
      const where = spec.direction === "inside" ? "within" : "beyond";
      return `${sym} ${verb("closes", "close")} ${where} ±${spec.level}% of ${price(call.entryPrice)} ${by}`;
    }
    case "relative": {
      const does = spec.direction === "outperform" ? ["outperforms", "outperform"] : ["lags", "lag"];
      return `${sym} ${verb(does[0] as string, does[1] as string)} ${displaySymbol(spec.versus)} from here to ${by.replace(/^at /, "")}`;
    }
    default:
      return describeCall(spec).replace(spec.symbol, sym);
  }
}

/** The fade of a call as a clause, for "I am wrong if …"; null when the kind has no fade. */
export function fadeClause(call: DeskCall): string | null {
  try {
    return claimClause({ ...call, spec: fadeOf(call.spec) }, "finite");
  } catch {
    return null;
  }
}

/** A short Title Case clause for the claim, with no up or down word: "VIX Cools Off". */
export function titleClaim(call: DeskCall, ctx: Pick<EssayContext, "input">): string {
  const spec = call.spec;
  const name = titleName(spec.symbol);
  let pool: string[];
  if (spec.kind === "threshold" && isVolatilitySymbol(spec.symbol))
    pool =
      spec.comparator === "below"
        ? [`${name} Cools Off`, "Fear Subsides", `${name} Settles`]
        : [`${name} Stays Elevated`, "Fear Holds On", `No Relief From ${name}`];
  else if (spec.kind === "threshold")
    pool = [`${name} ${spec.comparator === "above" ? "Above" : "Below"} ${spec.level}`];
  else if (spec.kind === "range")
    pool =
      spec.direction === "inside"
        ? // Forward-looking: the call is about the next closes, and today's move may have been anything but calm.
          [`${name} Stays in Its Range`, `${name} Keeps Inside Its Band`, `A Bounded Stretch for ${name}`]
        : [`${name} Breaks Its Range`, `${name} Breaks Loose`];
  else if (spec.kind === "relative") {
    const vs = titleName(spec.versus);
    pool =
      spec.direction === "outperform"
        ? [`${name} Beats ${vs}`, `${name} Outruns ${vs}`]
        : [`${name} Lags ${vs}`, `${name} Trails ${vs}`];
  } else pool = [displaySymbol(describeCall(spec))];
  return turn(pool, ctx, "title-claim");
}

/** The priced question behind a call: its base rate and the signal that moved it. */
export function pricedFor(ctx: Pick<EssayContext, "synthesis">, call: DeskCall): PricedCandidate | undefined {
  const kind = call.spec.kind === "threshold" ? "vix" : call.spec.kind;
  return ctx.synthesis.questions.find(
    (q) => q.candidate.key.symbol === call.spec.symbol && q.candidate.key.kind === kind,
  );
}

/** Why the desk believes a call with no simple side: the symbol's own numbers, in plain words. */
export function whySentence(ctx: Ctx, call: DeskCall): string | null {
  const spec = call.spec;
  const sym = displaySymbol(spec.symbol);
  const f = ctx.features.symbols.get(spec.symbol);
  if (spec.kind === "range" && f?.volPct) {
    const values = {
      sym,
      band: `±${spec.level}%`,
      entry: price(call.entryPrice),
      vol: `${f.volPct.toFixed(1)}%`,
      k: (spec.level / f.volPct).toFixed(1),
    };
    const pool =
      spec.direction === "inside"
        ? [
            "I am not calling a side on {sym}, only the size of its move. A typical day moves it {vol}, and the {band} band around {entry} is about {k} of those days.",
            "This rests on {sym}'s own swings, not on a side: its ordinary day is {vol}, so {band} around {entry} leaves room for roughly {k} of them.",
            "The case is arithmetic about {sym}'s size of move. Its usual daily swing is {vol}; the band is {band} around {entry}, about {k} such days wide.",
          ]
        : [
            "I expect {sym} to move more than its recent days suggest: its ordinary day is {vol}, and I think it travels past {band} of {entry}, about {k} such days.",
            "This is a bet on size, not side: {sym} usually moves {vol} a day, and I expect it to end beyond {band} of {entry}.",
          ];
    return fill(turn(pool, ctx, "why-range"), values);
  }
  if (spec.kind === "threshold" && isVolatilitySymbol(spec.symbol)) {
    const stretch = stretchFromMean((ctx.input.snapshot.history[spec.symbol] ?? []).map((b) => b.close));
    if (stretch === null) return null;
    const values = { sym, level: String(spec.level), gap: `${Math.abs(stretch * 100).toFixed(0)}%` };
    // Within 5% of its average, VIX has no spike to unwind and no hole to climb out of.
    const near = [
      "{sym} at {level} is within {gap} of its twenty-session average, so there is no spike to lean on; the case is how often the gauge has ended on my side of its level of the moment in tapes like this.",
      "No stretch to speak of: {sym} sits {gap} from its twenty-session average. I am leaning on the regime's habit, not on a spike.",
    ];
    const pool =
      Math.abs(stretch) < 0.05
        ? near
        : spec.comparator === "below"
          ? stretch > 0
            ? [
                "Spikes in {sym} tend to unwind: at {level} it stands {gap} above its twenty-session average, and fear that stretched rarely holds its peak for long.",
                "My reason is how {sym} behaves after a spike. It sits {gap} over its twenty-session average, and readings like that have usually given ground within days.",
                "{sym} is a mean-reverting gauge, and at {level} it is {gap} above where it averaged over twenty sessions; I expect part of that premium to bleed out.",
              ]
            : [
                "{sym} sits {gap} under its twenty-session average and has been settling; I expect it to stay under {level}.",
                "The gauge has been easing toward its lows, {gap} below its twenty-session average, and I see nothing that reverses that by the deadline.",
              ]
          : [
              "{sym} at {level} is {gap} away from its twenty-session average, and quiet this deep rarely lasts: I expect it to hold at or above today's level.",
              "Fear is cheap at {level}; the gauge tends to drift back toward its twenty-session average, {gap} away, rather than sink further.",
            ];
    return fill(turn(pool, ctx, "why-vix"), values);
  }
  if (spec.kind === "relative") {
    const b = ctx.features.symbols.get(spec.versus);
    if (f?.change5dPct == null || b?.change5dPct == null) return null;
    const gap = f.change5dPct - b.change5dPct;
    const values = {
      sym,
      vs: displaySymbol(spec.versus),
      own: signedPct(f.change5dPct, 1),
      other: signedPct(b.change5dPct, 1),
      gap: `${Math.abs(gap).toFixed(1)} points`,
      ahead: gap >= 0 ? "ahead of" : "behind",
      verb: spec.direction === "outperform" ? "to beat" : "to trail",
    };
    const pool = [
      "The bet is the spread, not the market: {sym} is {own} over five sessions against {other} for {vs}, {gap} {ahead} it, and I expect {sym} {verb} {vs} whichever way both go.",
      "I don't need the market's direction here, only the gap between two names. {sym} has done {own} over five sessions and {vs} {other} over the same five sessions; I expect {sym} {verb} it again.",
      "Think of it as long one name and short the other: {sym} stands {gap} {ahead} {vs} over five sessions, and I expect {sym} {verb} {vs} from here.",
    ];
    return fill(turn(pool, ctx, "why-relative"), values);
  }
  return null;
}

/** What the base rate means, said plainly: how often questions like this one came true before. */
export function baseRateSentence(ctx: Ctx, call: DeskCall): string {
  const sized = percent(call.spec.probability);
  const q = pricedFor(ctx, call);
  if (!q) return `I size this ${call.spec.kind} call at ${sized} from its history, not from my record.`;
  // The base is for the question's positive side; the call may be its fade.
  const positive = q.priced.p >= 0.5;
  const base = percent(positive ? q.priced.base : 1 - q.priced.base);
  const [, keySymbol, keyRegime] = q.priced.baseKey.split("|");
  const where = keyRegime ? ` in ${keyRegime.replace("_", "-")} tapes` : "";
  const on = keySymbol ? displaySymbol(keySymbol) : "a name";
  const hours = `${call.spec.horizonHours ?? 48} hours`;
  const spec = call.spec;
  const happened =
    spec.kind === "range"
      ? `${on} finished ${spec.direction === "inside" ? "inside" : "outside"} a band sized like this one ${hours} later`
      : spec.kind === "threshold"
        ? `${on} was ${spec.comparator} its level of the moment ${hours} later`
        : spec.kind === "relative"
          ? `${on} ${spec.direction === "outperform" ? "beat" : "trailed"} ${displaySymbol(spec.versus)} over the next ${hours}`
          : "the question came true";
  const moved = Math.abs(q.priced.adjustment) >= 0.005;
  const pool = [
    `History sizes this one, not my record: ${where ? `${where.trim()} in the data I fitted` : "in the data I fitted"}, ${happened} ${base} of the time (${q.priced.baseN} cases)${moved ? ", and today's signal moves that" : ""}; I put it at ${sized}.`,
    `Why ${sized}: looking back${where}, ${happened} in ${base} of ${q.priced.baseN} cases before the split${moved ? ", adjusted a little for today's signal" : ""}.`,
    `The number is a base rate in plain terms: ${happened} ${base} of the time${where} (${q.priced.baseN} cases)${moved ? ", nudged by today's signal" : ""}, so ${sized}.`,
  ];
  return turn(pool, ctx, "base-rate");
}
