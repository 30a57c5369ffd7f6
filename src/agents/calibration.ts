import { mindLabel } from "./debate.ts";
import { latestVerdict, PRIOR_CALLS, type Recency, recentWeighted } from "./record.ts";
import type { Direction, MindName, RecordRow } from "./types.ts";

/** With less recent evidence than this many calls, the desk has not earned more than MODEST_CAP. */
export const MIN_HISTORY = 20;
/**
 * A new desk claims barely more than the market's own drift: backtests showed unproven minds
 * right about half the time, so 60% on day one was a promise the record never kept. It is also
 * where a scope returns once its old verdicts have aged out: an unproven side, not a condemned one.
 */
export const MODEST_CAP = 0.56;

export interface Calibrated {
  probability: number;
  /** One sentence on what limited the number, for the essay. */
  basis: string;
}

/** Whose record a call answers to: its side and, once known, the mind that leads it. */
export interface CalibrationScope {
  direction?: Direction;
  mind?: MindName;
  /** The moment of the call; without it, the newest verdict in the record stands for "now". */
  at?: Date;
}

/**
 * The probability the desk may state: never above the raw synthesis number, never above the hit
 * rate this kind of call has earned lately, and with little recent evidence never above MODEST_CAP.
 *
 * One scale: the record is read only through its outcomes (how often calls of this scope were
 * right), which is the scale of the number stated. The old table was fitted on stated
 * probabilities and looked up with raw ones, two scales that drift apart as calibration bites.
 *
 * Recent only: verdicts count with a weight that halves every HALF_LIFE_DAYS and vanishes after
 * WINDOW_DAYS, and the earned rate is shrunk toward MODEST_CAP. A side or mind that stops being
 * called (because calibration declined it) therefore drifts back to an unproven one within the
 * window instead of being declined forever on a record it can no longer change.
 */
export function calibrate(
  raw: number,
  allRecord: readonly RecordRow[],
  scope: CalibrationScope = {},
): Calibrated {
  const now = scope.at ?? latestVerdict(allRecord);
  const record = allRecord.filter(
    (r) =>
      (scope.direction === undefined || r.direction === scope.direction) &&
      (scope.mind === undefined || r.mind === scope.mind),
  );
  const kind = [scope.mind && `${mindLabel(scope.mind)}-led`, scope.direction].filter(Boolean).join(" ");
  const calls = kind ? `${kind} calls` : "calls";
  const recent = recentWeighted(record, now);
  const earned = (recent.hits + MODEST_CAP * PRIOR_CALLS) / (recent.weight + PRIOR_CALLS);
  const thin = recent.weight < MIN_HISTORY;
  const ceiling = thin ? Math.min(earned, MODEST_CAP) : earned;
  const probability = Math.max(0.5, Math.min(raw, ceiling));
  return { probability: round3(probability), basis: basisOf(recent, calls, ceiling, thin) };
}

function basisOf(recent: Recency, calls: string, ceiling: number, thin: boolean): string {
  const claim = `so I can claim at most ${Math.round(ceiling * 100)}%`;
  if (recent.count === 0) {
    return `I have no ${calls} resolved in the last ${Math.round(recent.windowDays / 30)} months, too few to trust anything above ${Math.round(MODEST_CAP * 100)}%`;
  }
  const tally = `my ${recent.count} recent ${recent.count === 1 ? calls.replace(/s$/, "") : calls} came in ${recent.rawHits} of ${recent.count}`;
  return thin ? `${tally}, too few to trust much, ${claim}` : `${tally}, newest weighing most, ${claim}`;
}

/** Rounds down: a rounded-up probability could exceed what the record supports. */
function round3(value: number): number {
  return Math.floor(value * 1000 + 1e-9) / 1000;
}
