import { createHash } from "node:crypto";
import { canonicalJson } from "./chain.ts";
import type { Observation, QualityFlag } from "./observation.ts";

/**
 * Flags that say when the cycle looked, not what it saw: the same close read at 09:35 and at 15:55
 * is stale or closed-market at one and not the other. They do not make the inputs differ.
 */
const CLOCK_FLAGS: readonly QualityFlag[] = ["stale_quote", "stale_series", "market_closed", "holiday"];

/** Free-text errors carry the moment of the fetch ("…after 2026-06-10T15:00:00Z"): only their presence counts. */
const ERROR_FIELDS = ["error", "historyError"];

/**
 * What of one observation counts as input: its identity, source and trust, its value, its payload
 * (prices, dates, titles, accession numbers), the data's own time (bar close, release, publication)
 * and its data-quality flags. Left out: the clock flags above, error wording, and for a failed input
 * its asOf, which is the fetch moment rather than a time in the data.
 */
function inputOf(o: Observation) {
  const failed = ERROR_FIELDS.some((key) => key in o.payload);
  const payload = Object.fromEntries(
    Object.entries(o.payload).map(([key, value]) => [key, ERROR_FIELDS.includes(key) ? true : value]),
  );
  return {
    id: o.id,
    source: o.source,
    kind: o.kind,
    symbol: o.symbol,
    value: o.value,
    // A JSON round trip gives the payload as the jsonb column stores it (dates as ISO text).
    payload: JSON.parse(JSON.stringify(payload)),
    asOf: failed ? null : o.asOf.toISOString(),
    trust: o.trust,
    flags: o.flags.filter((f) => !CLOCK_FLAGS.includes(f)).sort(),
  };
}

/**
 * The fingerprint of a cycle's inputs: sha256 over the canonical JSON of the symbols the server
 * calls on and the observations it read, in a fixed order. Equal fingerprints mean the desk would read
 * the same market; a cycle on one publishes nothing new.
 */
export function inputsFingerprint(observations: readonly Observation[], symbols: readonly string[]): string {
  // Sorted by their own canonical text: order-free even if two observations shared an id.
  const inputs = observations.map((o) => canonicalJson(inputOf(o))).sort();
  return createHash("sha256")
    .update(canonicalJson({ symbols: [...symbols].sort(), observations: inputs }))
    .digest("hex");
}
