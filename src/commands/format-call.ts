import { type CallSpec, formatHours } from "../domain/call.ts";

/** The canonical text of a call; parsing it back (at the call's madeAt) gives the same call. */
export function formatCallText(call: CallSpec): string {
  const horizon = call.deadline !== undefined ? `by ${call.deadline}` : formatHours(call.horizonHours ?? 0);
  const band = call.flatBandPct !== undefined ? ` flat ${call.flatBandPct}%` : "";
  const note = call.note ? ` -- ${call.note}` : "";
  return `${call.symbol} ${claimText(call)} ${horizon} ${call.probability}${band}${note}`;
}

function claimText(call: CallSpec): string {
  switch (call.kind) {
    case "direction":
      return call.direction;
    case "threshold":
      return `${call.comparator} ${call.level}`;
    case "touch":
      return `touches ${call.comparator} ${call.level}`;
    case "hold":
      return `holds ${call.comparator} ${call.level}`;
    case "relative":
      return `${call.direction}s ${call.versus}`;
  }
}
