import { assetClassOf, decidingSession } from "../domain/bars.ts";
import { type CallSpec, callSpecSchema, describeCall, lockAtOf } from "../domain/call.ts";
import { heldQuestion, questionOf } from "../domain/question.ts";
import { type Calibrated, calibrate } from "./calibration.ts";
import { type DebateSummary, mindLabel, pct, summarizeDebate } from "./debate.ts";
import { isVolatilitySymbol, type MarketFeatures, type SymbolFeatures } from "./features.ts";
import { clamp, round2 } from "./minds/common.ts";
import { mindWeights } from "./record.ts";
import { benchedMinds, everyMindBenched, ruleApplies } from "./rules.ts";
import type {
  DeskCall,
  DeskInput,
  Direction,
  HeldCall,
  LearnedRule,
  MindName,
  MindStance,
  RegimeReading,
  Suppressed,
  TakenStance,
} from "./types.ts";
import { utc } from "./writer/format.ts";

/** Below this calibrated probability a call says nothing a coin flip does not. */
export const MIN_CALL_PROBABILITY = 0.54;
export const MAX_CALLS = 3;

export interface SynthesisResult {
  calls: DeskCall[];
  suppressed: Suppressed[];
  summaries: DebateSummary[];
  weights: Record<MindName, number>;
  /** Minds whose stances did not count this cycle because a learned rule benched them. */
  benched: { mind: MindName; reason: string }[];
  calibration: Map<string, Calibrated>;
  /** Calls the desk would have made on a question it already holds open: said as held, never made again. */
  held: HeldNote[];
}

export interface HeldNote {
  symbol: string;
  callId: number;
  /** "QQQ lower in 48h from #12, locks Jun 10 21:00 UTC" */
  text: string;
}

/** One bet is one record: what stands in for a call the desk already holds. */
export function heldText(held: HeldCall): string {
  return `${describeCall(held.spec)} from #${held.callId}, locks ${utc(held.lockAt)}`;
}

export function blockingRule(
  rules: readonly LearnedRule[],
  symbol: string,
  horizonHours: number,
  regime: RegimeReading["label"],
): LearnedRule | undefined {
  return rules.find(
    (r) =>
      r.scope === "symbol_horizon" &&
      ruleApplies(r, regime) &&
      r.symbol?.toUpperCase() === symbol &&
      (r.horizonHours === undefined || r.horizonHours === horizonHours),
  );
}

/** Crypto trades every day and moves fast, so 24h; equities need two sessions to say anything. */
export function horizonFor(symbol: string): number {
  return assetClassOf(symbol) === "crypto" ? 24 : 48;
}

/**
 * The horizon the desk actually calls at `at`: the nominal one, grown by whole days until the
 * session that decides it opens after the call, so every call spans at least one full session
 * after its entry. A 48h call at Friday 15:05 New York would be decided by Friday's close 55
 * minutes later; it becomes 96h, decided by Monday's close. Crypto from the 13:05 cycle: 48h.
 */
export function deskHorizonHours(symbol: string, at: Date): number {
  const assetClass = assetClassOf(symbol);
  const hours = horizonFor(symbol);
  // Two weeks covers any run of closures NYSE has had since 2001; past that, keep the nominal.
  for (let extra = 0; extra <= 14; extra++) {
    const deadline = new Date(at.getTime() + (hours + 24 * extra) * 3_600_000);
    if (decidingSession(deadline, assetClass).open >= at) return hours + 24 * extra;
  }
  return hours;
}

/** The flat band is a quarter of the expected move over the horizon: smaller than that is noise, not a verdict. */
export function flatBandFor(volPct: number | null, horizonHours: number): number {
  return round2(clamp(0.25 * (volPct ?? 0.4) * Math.sqrt(horizonHours / 24), 0.05, 1));
}

/** A call the Claude engine's Synthesis proposes; code still gates, calibrates and builds it. */
export interface Proposal {
  symbol: string;
  direction: Direction;
  probability: number;
  lead?: MindName;
  thesis?: string;
}

/**
 * Weighs round-two stances by each mind's record in this regime, obeys learned rules, calibrates
 * against the desk's own history, and returns at most MAX_CALLS calls, strongest first. Without
 * proposals the direction and raw probability come from the weighted debate; with them (the
 * model's Synthesis) every gate below still applies, so the model can only ever call less.
 */
export function synthesize(
  input: DeskInput,
  features: MarketFeatures,
  regime: RegimeReading,
  round2: readonly MindStance[],
  proposals?: readonly Proposal[],
): SynthesisResult {
  const weights = mindWeights(input.record, regime.label, features.at);
  const benched = benchedMinds(input.rules, regime.label);
  for (const b of benched) weights[b.mind] = 0;
  const mute = everyMindBenched(benched);
  const calls: DeskCall[] = [];
  const suppressed: Suppressed[] = [];
  const summaries: DebateSummary[] = [];
  const calibration = new Map<string, Calibrated>();
  const held: HeldNote[] = [];
  const open = (input.held ?? []).map((h) => ({
    ...h,
    question: questionOf(h.spec),
    window: { madeAt: new Date(h.spec.madeAt), deadline: new Date(h.deadline) },
  }));
  for (const symbol of input.symbols) {
    const summary = summarizeDebate(round2, symbol, weights);
    summaries.push(summary);
    const f = features.symbols.get(symbol);
    const decline = (reason: string) => suppressed.push({ symbol, reason });
    if (!f || f.last === null) {
      decline("no price in the snapshot");
      continue;
    }
    if (mute) {
      decline(mute);
      continue;
    }
    const proposal = proposals
      ? proposals.find((p) => p.symbol === symbol)
      : summary.direction && {
          symbol,
          direction: summary.direction,
          probability: 0.5 + Math.abs(summary.net),
        };
    if (!proposal) {
      decline(summary.direction ? "Synthesis passed" : "every mind abstained");
      continue;
    }
    const horizonHours = deskHorizonHours(symbol, features.at);
    // A rule learned on the nominal horizon still binds when a weekend stretched this call's.
    const rule =
      blockingRule(input.rules, symbol, horizonHours, regime.label) ??
      blockingRule(input.rules, symbol, horizonFor(symbol), regime.label);
    if (rule) {
      decline(`learned rule: ${rule.reason}`);
      continue;
    }
    const lead = leadMind(round2, symbol, proposal.direction, weights, proposal.lead);
    if (!lead) {
      decline(`no counted mind argued ${proposal.direction}`);
      continue;
    }
    const cal = calibrate(proposal.probability, input.record, {
      direction: proposal.direction,
      mind: lead.mind,
      at: features.at,
    });
    if (cal.probability < MIN_CALL_PROBABILITY) {
      decline(
        `edge too thin: ${pct(proposal.probability)} before calibration, ${pct(cal.probability)} after`,
      );
      continue;
    }
    const thesis = proposal.thesis ?? thesisFor(summary, proposal.direction, lead, cal.probability);
    const spec = specFor(f, proposal.direction, cal.probability, horizonHours, features.at, thesis);
    const holding = heldQuestion(open, spec);
    if (holding) {
      const text = heldText(holding);
      decline(`still holding ${text}`);
      held.push({ symbol, callId: holding.callId, text });
      continue;
    }
    calibration.set(symbol, cal);
    calls.push({
      spec,
      mind: lead.mind,
      thesis,
      lockAt: lockAtOf(spec, input.lockShare).toISOString(),
      entryPrice: f.last,
      flatBandPct: spec.flatBandPct ?? 0,
    });
  }
  calls.sort((a, b) => b.spec.probability - a.spec.probability);
  for (const extra of calls.splice(MAX_CALLS)) {
    suppressed.push({ symbol: extra.spec.symbol, reason: `weaker than the ${MAX_CALLS} calls I made` });
  }
  return { calls, suppressed, summaries, weights, benched, calibration, held };
}

/**
 * The counted mind that argued this side: the preferred one if it did, else the one contributing
 * the most weighted edge. No counted mind on that side means no call: Synthesis cannot invent one.
 */
function leadMind(
  round2: readonly MindStance[],
  symbol: string,
  direction: Direction,
  weights: Record<MindName, number>,
  preferred?: MindName,
): TakenStance | undefined {
  const backers = round2
    .filter((s): s is TakenStance => !s.abstained && s.symbol === symbol && s.direction === direction)
    .filter((s) => weights[s.mind] > 0)
    .sort((a, b) => weights[b.mind] * (b.probability - 0.5) - weights[a.mind] * (a.probability - 0.5));
  return backers.find((s) => s.mind === preferred) ?? backers[0];
}

function thesisFor(
  summary: DebateSummary,
  direction: Direction,
  lead: TakenStance,
  probability: number,
): string {
  const word = direction === "up" ? "higher" : "lower";
  return `${summary.symbol} ${word}: ${mindLabel(lead.mind)} leads (${lead.reason.replace(/\.$/, "")}); desk ${summary.label.replace("_", " ")}, sized at ${pct(probability)}.`.slice(
    0,
    500,
  );
}

/**
 * A direction call for tradables. For a volatility index the question is whether it holds one
 * daily sigma from here, which is what "VIX stays elevated" actually means to a desk.
 */
function specFor(
  f: SymbolFeatures,
  direction: Direction,
  probability: number,
  horizonHours: number,
  at: Date,
  thesis: string,
): CallSpec {
  const common = {
    symbol: f.symbol,
    probability,
    madeAt: at.toISOString(),
    horizonHours,
    note: thesis.slice(0, 280),
  };
  const sigma = (f.volPct ?? 5) / 100;
  if (isVolatilitySymbol(f.symbol) && f.last !== null) {
    const level = round2(direction === "up" ? f.last * (1 - sigma) : f.last * (1 + sigma));
    return callSpecSchema.parse({
      kind: "hold",
      comparator: direction === "up" ? "above" : "below",
      level,
      ...common,
    });
  }
  const flatBandPct = flatBandFor(f.volPct, horizonHours);
  return callSpecSchema.parse({ kind: "direction", direction, flatBandPct, ...common });
}
