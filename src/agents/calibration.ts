import type { ScoredForecast } from "../domain/scoring.ts";
import { mindLabel } from "./debate.ts";
import { PRIOR_CALLS } from "./record.ts";
import type { Direction, MindName, RecordRow } from "./types.ts";

/** With fewer resolved calls than this, the desk has not earned more than MODEST_CAP. */
export const MIN_HISTORY = 20;
/**
 * A new desk claims barely more than the market's own drift: backtests showed unproven minds
 * right about half the time, so 60% on day one was a promise the record never kept.
 */
export const MODEST_CAP = 0.56;

export interface Calibrated {
  probability: number;
  /** One sentence on what limited the number, for the essay. */
  basis: string;
}

interface Block {
  minP: number;
  maxP: number;
  sum: number;
  count: number;
}

/**
 * Isotonic regression (pool adjacent violators) of outcome on stated probability: the hit rate the
 * desk has actually earned at each confidence level, forced to be non-decreasing in confidence.
 */
export function isotonicFit(forecasts: readonly ScoredForecast[]): Block[] {
  const sorted = [...forecasts].sort((a, b) => a.p - b.p);
  const blocks: Block[] = [];
  for (const f of sorted) {
    blocks.push({ minP: f.p, maxP: f.p, sum: f.outcome, count: 1 });
    while (blocks.length > 1) {
      const last = blocks.at(-1) as Block;
      const prev = blocks.at(-2) as Block;
      if (prev.sum / prev.count <= last.sum / last.count) break;
      blocks.splice(-2, 2, {
        minP: prev.minP,
        maxP: last.maxP,
        sum: prev.sum + last.sum,
        count: prev.count + last.count,
      });
    }
  }
  return blocks;
}

/** Whose record a call answers to: its side and, once known, the mind that leads it. */
export interface CalibrationScope {
  direction?: Direction;
  mind?: MindName;
}

/**
 * The probability the desk may state: never above the raw synthesis number, never above the hit
 * rate its record shows at that confidence (shrunk toward a coin flip by block size), and with a
 * thin record, never above MODEST_CAP. Only calls of the same scope count: in a market that
 * drifts up, "up" and "down" calls earn very different records, and so do the minds leading them;
 * pooling them lets one flatter another with its hits.
 */
export function calibrate(
  raw: number,
  allRecord: readonly RecordRow[],
  scope: CalibrationScope = {},
): Calibrated {
  const record = allRecord.filter(
    (r) =>
      (scope.direction === undefined || r.direction === scope.direction) &&
      (scope.mind === undefined || r.mind === scope.mind),
  );
  const kind = [scope.mind && `${mindLabel(scope.mind)}-led`, scope.direction].filter(Boolean).join(" ");
  const calls = kind ? `${kind} calls` : "calls";
  if (record.length < MIN_HISTORY) {
    const probability = Math.min(raw, MODEST_CAP);
    return {
      probability: round3(probability),
      basis: `I have ${record.length} resolved ${record.length === 1 ? calls.replace(/s$/, "") : calls}, too few to trust anything above ${Math.round(MODEST_CAP * 100)}%`,
    };
  }
  const blocks = isotonicFit(record.map((r) => ({ p: r.probability, outcome: r.outcome })));
  const block = [...blocks].reverse().find((b) => b.minP <= raw) ?? (blocks[0] as Block);
  const earned = (block.sum + 0.5 * PRIOR_CALLS) / (block.count + PRIOR_CALLS);
  const probability = Math.max(0.5, Math.min(raw, earned));
  return {
    probability: round3(probability),
    basis: `my ${span(block)} ${calls} have come in ${block.sum} of ${block.count}, so I can claim at most ${Math.round(earned * 100)}%`,
  };
}

function span(block: Block): string {
  const lo = Math.round(block.minP * 100);
  const hi = Math.round(block.maxP * 100);
  return lo === hi ? `${lo}%` : `${lo}–${hi}%`;
}

/** Rounds down: a rounded-up probability could exceed what the record supports. */
function round3(value: number): number {
  return Math.floor(value * 1000 + 1e-9) / 1000;
}
