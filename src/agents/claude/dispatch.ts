import { debateLine } from "../debate.ts";
import type { Prepared } from "../pipeline.ts";
import { cleanModelText } from "../sanitize.ts";
import type { SynthesisResult } from "../synthesis.ts";
import type { DeskFlag, DispatchDraft } from "../types.ts";
import { checkText, measuredOf } from "../writer/consistency.ts";
import { callLine, headlineOf, heldLine, plainEssay, plainTitle } from "../writer/index.ts";
import { SIMULATED_NOTICE } from "../writer/phrases.ts";
import type { SynthesisAnswer } from "./answers.ts";

export const MAX_TITLE_CHARS = 120;
export const MAX_ESSAY_CHARS = 3500;

/**
 * The model writes the title and essay; code writes everything a reader must be able to trust:
 * the simulated-market notice, the call list with its exact numbers, what rules withheld, and the
 * debate line. The model's words pass the same consistency check as the offline writer's; a title
 * or essay that contradicts the snapshot is replaced by the plain wording, flagged text_fallback.
 */
export function modelDispatch(
  p: Prepared,
  synthesis: SynthesisResult,
  answer: SynthesisAnswer,
  flags: readonly DeskFlag[],
): DispatchDraft {
  const headline = headlineOf({ synthesis });
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
  const modelTitle = cleanModelText(answer.title, MAX_TITLE_CHARS) || "Dispatch";
  const essay = cleanModelText(answer.essay, MAX_ESSAY_CHARS);
  const problems = checkText({
    title: modelTitle,
    body: essay,
    debateLine: line,
    headline: synthesis.calls[0]?.spec,
    measured: measuredOf(p.features, p.input.snapshot),
  });
  const plain = { features: p.features, synthesis, headline, input: p.input };
  const body = [
    p.features.source === "simulated" ? SIMULATED_NOTICE : null,
    problems.length ? plainEssay(plain, problems) : essay,
    dropped.length ? `The desk's checks withheld: ${dropped.join("; ")}.` : null,
    calls,
    heldLine(synthesis),
    line,
  ]
    .filter((part): part is string => part !== null)
    .join("\n\n");
  return {
    title: problems.length ? plainTitle(plain) : modelTitle,
    body,
    thesis: synthesis.calls[0]?.thesis ?? "No call.",
    debateLine: line,
    flags: problems.length ? [...flags, "text_fallback"] : [...flags],
  };
}
