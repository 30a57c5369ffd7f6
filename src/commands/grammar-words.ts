/** The vocabulary of the call grammar (see grammar.ts), kept apart so the parser reads as rules. */

import { CLAIM_VERBS } from "../domain/claims.ts";

/** A rejection of the member's text; the grammar appends a valid example before showing it. */
export class GrammarError extends Error {}

/** Crypto is quoted against the dollar; members type the coin. */
export const ALIASES: Record<string, string> = { BTC: "BTC-USD", ETH: "ETH-USD" };

export const COMPARATORS = ["above", "below"] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const HORIZON_WORDS = ["in", "within", "over", "for"];
/** Deadline words that read naturally without "by": "TSLA lower tomorrow". */
export const BARE_DEADLINES = ["tomorrow"];
/** Direction words "closes" may take: "SPY closes higher" is a direction call judged on the close. */
export const CLOSE_DIRECTIONS: Record<string, "up" | "down"> = {
  higher: "up",
  up: "up",
  lower: "down",
  down: "down",
};
/** Words that mean something in call text, so never a ticker. Each claim's own verbs live with it in the domain. */
export const KEYWORDS = new Set([
  ...CLAIM_VERBS,
  ...COMPARATORS,
  ...HORIZON_WORDS,
  ...BARE_DEADLINES,
  "by",
  "flat",
]);

export function isComparator(word: string): word is Comparator {
  return (COMPARATORS as readonly string[]).includes(word);
}
