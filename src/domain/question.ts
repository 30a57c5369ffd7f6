import { type CallSpec, deadlineOf } from "./call.ts";
import type { CallRecord } from "./call-record.ts";

/**
 * What a call asks, apart from how sure it is and who asks: symbol, kind and side (direction,
 * comparator, versus) and, for level kinds, the level. Two calls on the same question with
 * overlapping windows are one bet, so the desk holds at most one of them open.
 */
export type Question = Pick<CallRecord, "kind" | "symbol" | "versus" | "direction" | "comparator" | "level">;

/** Levels this close (relative) are the same level: a desk re-deriving "VIX holds above 18.2" from a 0.1 tick is not a new bet. */
export const LEVEL_TOLERANCE = 0.02;

export function questionOf(spec: CallSpec): Question {
  return {
    kind: spec.kind,
    symbol: spec.symbol,
    versus: "versus" in spec ? spec.versus : null,
    direction: "direction" in spec ? spec.direction : null,
    comparator: "comparator" in spec ? spec.comparator : null,
    level: "level" in spec ? spec.level : null,
  };
}

export function sameQuestion(a: Question, b: Question): boolean {
  if (a.kind !== b.kind || a.symbol !== b.symbol || a.versus !== b.versus) return false;
  if (a.direction !== b.direction || a.comparator !== b.comparator) return false;
  if (a.level === null || b.level === null) return a.level === b.level;
  return Math.abs(a.level - b.level) <= LEVEL_TOLERANCE * Math.max(a.level, b.level);
}

/** A call's window: from when it was made to its deadline. */
export interface Window {
  madeAt: Date;
  deadline: Date;
}

export function windowOf(spec: CallSpec): Window {
  return { madeAt: new Date(spec.madeAt), deadline: deadlineOf(spec) };
}

export function windowsOverlap(a: Window, b: Window): boolean {
  return a.madeAt < b.deadline && b.madeAt < a.deadline;
}

/** The first open call that already asks this question over an overlapping window. */
export function heldQuestion<T extends { question: Question; window: Window }>(
  open: readonly T[],
  spec: CallSpec,
): T | undefined {
  const question = questionOf(spec);
  const window = windowOf(spec);
  return open.find((held) => sameQuestion(held.question, question) && windowsOverlap(held.window, window));
}
