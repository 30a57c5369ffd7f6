import { rebuttalRound } from "./debate.ts";
import { openingStances } from "./minds/index.ts";
import { assemble, prepare } from "./pipeline.ts";
import { synthesize } from "./synthesis.ts";
import type { DeskEngine, DeskFlag, DeskInput, DeskOutput, Usage } from "./types.ts";

/** Carried into a fallback run so the dispatch shows what failed and what it cost. */
export interface FallbackNote {
  reason: string;
  flags: DeskFlag[];
  usage: Usage;
}

/**
 * The deterministic desk: every step is a pure function of the input (no clock, no randomness),
 * so the same snapshot always yields the same stances, calls and essay.
 */
export class OfflineEngine implements DeskEngine {
  async run(input: DeskInput): Promise<DeskOutput> {
    return runOffline(input);
  }
}

export function runOffline(raw: DeskInput, fallback?: FallbackNote): DeskOutput {
  const p = prepare(raw);
  const round1 = openingStances(p.mindContext);
  const round2 = rebuttalRound(round1);
  const synthesis = synthesize(p.input, p.features, p.regime, round2);
  return assemble(p, {
    round1,
    round2,
    synthesis,
    engine: "offline",
    extraFlags: fallback?.flags,
    usage: fallback?.usage,
    fallbackReason: fallback?.reason,
  });
}
