import { type CallSpec, formatHours } from "../domain/call.ts";
import { claimWords } from "../domain/claims.ts";

/** The canonical text of a call; parsing it back (at the call's madeAt) gives the same call. */
export function formatCallText(call: CallSpec): string {
  const horizon = call.deadline !== undefined ? `by ${call.deadline}` : formatHours(call.horizonHours ?? 0);
  const band = call.flatBandPct !== undefined ? ` flat ${call.flatBandPct}%` : "";
  const note = call.note ? ` -- ${call.note}` : "";
  return `${call.symbol} ${claimWords(call)} ${horizon} ${call.probability}${band}${note}`;
}
