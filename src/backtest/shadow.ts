import { volatilityPct } from "../agents/features.ts";
import { deskHorizonHours, flatBandFor } from "../agents/synthesis.ts";
import { assetClassOf, barCloseTime, countAtOrBefore } from "../domain/bars.ts";
import { callSpecSchema } from "../domain/call.ts";
import { resolveCall } from "../domain/resolution.ts";
import type { CycleWithStances } from "../store/backtest.ts";
import type { BarBook } from "./baselines.ts";
import type { Graded } from "./scorecard.ts";

/** A mind's round-two stance graded as the call it would have been, or its abstention. */
export interface GradedStance extends Graded {
  mind: string;
}

/** Sessions of history before entry (for volatility) and after it (a 48h call spans at most a long weekend). */
const BEFORE = 21;
const AFTER = 8;

/**
 * Scores each mind's taken round-two stances as shadow calls: a direction call at the stance's
 * probability, over the desk's horizon for that symbol, from the price the cycle observed, with the
 * desk's flat band; resolved by the same domain rule as the desk's own calls. Abstentions are kept
 * ungraded so they can be counted.
 */
export function gradeStances(cycles: readonly CycleWithStances[], book: BarBook): GradedStance[] {
  const closes = closeTimesOf(book);
  const graded: GradedStance[] = [];
  for (const cycle of cycles) {
    const regime = cycle.regime ?? "unknown";
    for (const stance of cycle.stances) {
      const horizonHours = deskHorizonHours(stance.symbol, cycle.asOf);
      const base = { mind: stance.mind, regime, horizon: `${horizonHours}h` };
      if (stance.abstained || !stance.direction || stance.probability === null) {
        graded.push({ ...base, status: "abstained", p: null, up: null });
        continue;
      }
      const bars = book.get(stance.symbol) ?? [];
      const entryIndex = countAtOrBefore(closes.get(stance.symbol) ?? [], cycle.asOf.getTime()) - 1;
      const entry = cycle.observations.find((o) => o.symbol === stance.symbol)?.value ?? null;
      const up = stance.direction === "up";
      if (entryIndex < 0 || entry === null) {
        graded.push({ ...base, status: "void", p: stance.probability, up });
        continue;
      }
      const seen = bars.slice(Math.max(0, entryIndex - BEFORE), entryIndex + 1).map((b) => b.close);
      const spec = callSpecSchema.parse({
        kind: "direction",
        symbol: stance.symbol,
        direction: stance.direction,
        probability: stance.probability,
        madeAt: cycle.asOf.toISOString(),
        horizonHours,
        flatBandPct: flatBandFor(volatilityPct(seen), horizonHours),
      });
      const window = bars.slice(Math.max(0, entryIndex - 1), entryIndex + AFTER);
      const last = bars.at(-1);
      const resolution = resolveCall({
        call: spec,
        bars: { [stance.symbol]: window },
        entryPrice: entry,
        dataThrough: last ? barCloseTime(last.date, assetClassOf(stance.symbol)) : new Date(0),
      });
      const status = resolution.status === "pending" ? "open" : resolution.status;
      graded.push({ ...base, status, p: stance.probability, up });
    }
  }
  return graded;
}

function closeTimesOf(book: BarBook): Map<string, number[]> {
  return new Map(
    [...book].map(([symbol, bars]) => [
      symbol,
      bars.map((b) => barCloseTime(b.date, assetClassOf(symbol)).getTime()),
    ]),
  );
}
