import { computeFeatures, type MarketFeatures } from "./features.ts";
import { BLOCKING_FLAGS, type MindContext } from "./minds/index.ts";
import { classifyRegime } from "./regime.ts";
import type { SynthesisResult } from "./synthesis.ts";
import {
  type DeskFlag,
  type DeskInput,
  type DeskOutput,
  deskInputSchema,
  type MindStance,
  NO_USAGE,
  type RegimeReading,
  type Usage,
} from "./types.ts";
import { writeDispatch } from "./writer/index.ts";

/** What both engines compute in code before any mind speaks. */
export interface Prepared {
  input: DeskInput;
  features: MarketFeatures;
  regime: RegimeReading;
  mindContext: MindContext;
}

export function prepare(raw: DeskInput): Prepared {
  const input = deskInputSchema.parse(raw);
  const features = computeFeatures(input.snapshot);
  const regime = classifyRegime(features);
  return {
    input,
    features,
    regime,
    mindContext: { features, regime, symbols: input.symbols, crowd: input.crowd },
  };
}

export interface Outcome {
  round1: MindStance[];
  round2: MindStance[];
  synthesis: SynthesisResult;
  engine: DeskOutput["engine"];
  extraFlags?: DeskFlag[];
  usage?: Usage;
  fallbackReason?: string;
  /** The Claude engine supplies its own title and essay; the offline writer fills in otherwise. */
  writer?: (flags: DeskFlag[]) => DeskOutput["dispatch"];
}

function deskFlags(p: Prepared, o: Outcome): DeskFlag[] {
  const flags = new Set<DeskFlag>(o.extraFlags ?? []);
  if (p.features.source === "simulated") flags.add("simulated_market");
  const symbolFlagged = p.input.symbols.some((s) =>
    p.features.symbols.get(s)?.flags.some((f) => BLOCKING_FLAGS.includes(f)),
  );
  // A closed market or a simulated one is a fact about the session, not a defect in the data.
  const snapshotDefect = p.features.snapshotFlags.some(
    (f) => !["simulated", "market_closed", "holiday"].includes(f),
  );
  if (symbolFlagged || snapshotDefect) flags.add("quality_flags");
  if (o.synthesis.benched.length || o.synthesis.suppressed.some((s) => s.reason.startsWith("learned rule")))
    flags.add("rules_applied");
  if (o.synthesis.calls.length === 0) flags.add("no_call");
  return [...flags];
}

export function assemble(p: Prepared, o: Outcome): DeskOutput {
  const flags = deskFlags(p, o);
  const dispatch = o.writer
    ? o.writer(flags)
    : writeDispatch({
        input: p.input,
        features: p.features,
        regime: p.regime,
        round1: o.round1,
        round2: o.round2,
        synthesis: o.synthesis,
        flags,
        fallbackReason: o.fallbackReason,
      });
  return {
    regime: p.regime,
    stances: { round1: o.round1, round2: o.round2 },
    calls: o.synthesis.calls,
    suppressed: o.synthesis.suppressed,
    dispatch,
    engine: o.engine,
    // The writer adds what only it can know (text_fallback: its draft failed the consistency check).
    flags: [...new Set([...flags, ...dispatch.flags])],
    usage: o.usage ?? NO_USAGE,
  };
}
