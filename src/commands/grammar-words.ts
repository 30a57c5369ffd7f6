/** The vocabulary of the call grammar (see grammar.ts), kept apart so the parser reads as rules. */

/** A rejection of the member's text; the grammar appends a valid example before showing it. */
export class GrammarError extends Error {}

/** Crypto is quoted against the dollar; members type the coin. */
export const ALIASES: Record<string, string> = { BTC: "BTC-USD", ETH: "ETH-USD" };

export const DIRECTIONS: Record<string, "up" | "down"> = {
  up: "up",
  higher: "up",
  rises: "up",
  down: "down",
  lower: "down",
  falls: "down",
};
export const RELATIVES: Record<string, "outperform" | "underperform"> = {
  outperforms: "outperform",
  outperform: "outperform",
  beats: "outperform",
  underperforms: "underperform",
  underperform: "underperform",
  lags: "underperform",
};
export const COMPARATORS = ["above", "below"] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const HOLD_WORDS = ["holds", "stays"];
export const TOUCH_WORDS = ["touches", "hits", "reaches"];
export const HORIZON_WORDS = ["in", "within", "over", "for"];
export const KEYWORDS = new Set([
  ...Object.keys(DIRECTIONS),
  ...Object.keys(RELATIVES),
  ...COMPARATORS,
  ...HOLD_WORDS,
  ...TOUCH_WORDS,
  ...HORIZON_WORDS,
  "closes",
  "by",
  "flat",
]);

export function isComparator(word: string): word is Comparator {
  return (COMPARATORS as readonly string[]).includes(word);
}
