import { debateLine } from "../debate.ts";
import type { Prepared } from "../pipeline.ts";
import { cleanModelText } from "../sanitize.ts";
import type { SynthesisResult } from "../synthesis.ts";
import type { DeskFlag, DispatchDraft } from "../types.ts";
import { callLine, headlineOf, heldLine } from "../writer/index.ts";
import { SIMULATED_NOTICE } from "../writer/phrases.ts";
import type { SynthesisAnswer } from "./answers.ts";

export const MAX_TITLE_CHARS = 120;
export const MAX_ESSAY_CHARS = 3500;

/**
 * The model writes the title and essay; code writes everything a reader must be able to trust:
 * the simulated-market notice, the call list with its exact numbers, what rules withheld, and the
 * debate line.
 */
export function modelDispatch(
  p: Prepared,
  synthesis: SynthesisResult,
  answer: SynthesisAnswer,
  flags: readonly DeskFlag[],
): DispatchDraft {
  const headline = headlineOf({ ...p, round1: [], round2: [], synthesis });
  const line = debateLine(headline);
  const dropped = answer.calls
    .map((c) => c.symbol.toUpperCase())
    .filter((symbol) => !synthesis.calls.some((call) => call.spec.symbol === symbol))
    // A question the desk already holds is said below as held, not as withheld.
    .filter((symbol) => !synthesis.held.some((h) => h.symbol === symbol))
    .map(
      (symbol) =>
        `${symbol} (${synthesis.suppressed.find((s) => s.symbol === symbol)?.reason ?? "not in this cycle's symbols"})`,
    );
  const calls = synthesis.calls.length ? synthesis.calls.map(callLine).join("\n") : "No call this cycle.";
  const body = [
    p.features.source === "simulated" ? SIMULATED_NOTICE : null,
    cleanModelText(answer.essay, MAX_ESSAY_CHARS),
    dropped.length ? `The desk's checks withheld: ${dropped.join("; ")}.` : null,
    calls,
    heldLine(synthesis),
    line,
  ]
    .filter((part): part is string => part !== null)
    .join("\n\n");
  return {
    title: cleanModelText(answer.title, MAX_TITLE_CHARS) || "Dispatch",
    body,
    thesis: synthesis.calls[0]?.thesis ?? "No call.",
    debateLine: line,
    flags: [...flags],
  };
}
