import type { Bar } from "./bars.ts";

/** How much the desk may lean on an input. Simulated data is always labelled as such. */
export type Trust = "primary" | "secondary" | "simulated" | "untrusted";

export type ObservationKind = "quote" | "macro" | "filing" | "headline" | "crypto";

/** Named data-quality flags. They travel with an observation into the cycle, the essay and the trail. */
export const QUALITY_FLAGS = [
  "stale_quote", // last bar older than the last trading session
  "stale_series", // a macro series whose last value is older than its frequency allows
  "zero_volume", // zero volume where activity is expected
  "missing_volume",
  "out_of_range", // value outside a plausible range for its kind
  "missing_value", // the source answered without the number
  "source_down", // the source failed after retries
  "market_closed", // observed outside the session, or on a holiday
  "holiday",
  "unparsed_filing",
  "untrusted_source",
  "simulated",
] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

export interface Observation {
  /** Stable inside one snapshot, e.g. "quote:SPY", "macro:DGS10", "headline:bbc:3". */
  id: string;
  source: string;
  kind: ObservationKind;
  symbol: string | null;
  /** Null when the input is missing; a flag says why. Never an invented number. */
  value: number | null;
  payload: Record<string, unknown>;
  asOf: Date;
  trust: Trust;
  flags: QualityFlag[];
}

export type MarketSourceKind = "live" | "replay" | "simulated";

/** Everything a cycle may look at, as of one moment. Nothing in it is newer than `at`. */
export interface Snapshot {
  at: Date;
  source: MarketSourceKind;
  observations: Observation[];
  /** Daily bars per symbol up to `at` (about a year), for trend and volatility. */
  history: Record<string, Bar[]>;
  /** Snapshot-wide flags, e.g. market_closed on a holiday. */
  flags: QualityFlag[];
}
