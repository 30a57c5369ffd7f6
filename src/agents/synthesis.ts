import { assetClassOf, barCloseTime, decidingSession } from "../domain/bars.ts";
import { type CallSpec, describeCall, lockAtOf } from "../domain/call.ts";
import { fadeOf } from "../domain/claims.ts";
import { heldQuestion, questionOf } from "../domain/question.ts";
import { type Calibrated, calibrate } from "./calibration.ts";
import { type DebateSummary, pct, summarizeDebate } from "./debate.ts";
import type { MarketFeatures } from "./features.ts";
import { clamp, round2 } from "./minds/common.ts";
import { type Candidate, candidateQuestions } from "./questions/candidates.ts";
import { SHIPPED_QUESTION_MODEL } from "./questions/default-model.ts";
import { type Priced, priceQuestion, type QuestionKind, type QuestionModel } from "./questions/model.ts";
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
  /** Every question the desk priced this cycle, called or not: the backtest scores its choice against them. */
  questions: PricedCandidate[];
}

/** A question the desk could have asked, priced: its positive side's probability and where it came from. */
export interface PricedCandidate {
  candidate: Candidate;
  priced: Priced;
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

/** A call the Claude engine's Synthesis proposes; code still gates, prices and builds it. */
export interface Proposal {
  symbol: string;
  direction: Direction;
  probability: number;
  lead?: MindName;
  thesis?: string;
}

/** The stance a kind of question answers to when no mind argued a side of it. */
const VOL_LEAD: MindName = "flow";
const VIX_LEAD: MindName = "contrarian";

/**
 * Chooses the cycle's questions and prices them. Every candidate (direction, relative to SPY, a
 * range from the symbol's own volatility, VIX against today's level) starts at its base rate from
 * the fitted question model and moves by that kind's bounded, fitted slope on its signal (the minds'
 * weighted debate for sided questions). The side is whichever the price favours. Then one call per
 * correlated cluster, the largest expected gain over a coin flip first, at most MAX_CALLS. Learned
 * rules, lead minds and calibration still gate; with Claude's proposals, the proposals stand in for
 * the debate's signal, so the model can move a price only as far as the fitted slope allows.
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
  const summaries = input.symbols.map((symbol) => summarizeDebate(round2, symbol, weights));
  const model = (input.questions as QuestionModel | undefined) ?? SHIPPED_QUESTION_MODEL;
  const questions = pricedCandidates(input, features, regime, signalsFrom(summaries, proposals), model);
  const calibration = new Map<string, Calibrated>();
  const held: HeldNote[] = [];
  const open = (input.held ?? []).map((h) => ({
    ...h,
    question: questionOf(h.spec),
    window: { madeAt: new Date(h.spec.madeAt), deadline: new Date(h.deadline) },
  }));
  const reasons = new Map<string, string>();
  const decline = (symbol: string, reason: string) => {
    if (!reasons.has(symbol)) reasons.set(symbol, reason);
  };
  const taken = new Map<string, { call: DeskCall; gain: number }>();
  // Strongest first, so each cluster keeps its best question and a symbol's reason is its best one's.
  const ranked = [...questions].sort((a, b) => gainOf(b.priced) - gainOf(a.priced));
  for (const { candidate, priced } of ranked) {
    const symbol = candidate.key.symbol;
    const side = priced.p >= 0.5 ? candidate.spec : fadeOf(candidate.spec);
    const probability = Math.max(priced.p, 1 - priced.p);
    // A kind whose signal earned no slope before the split is only its base rate: anyone can quote that.
    if (!model.kinds[candidate.key.kind].edge) {
      decline(
        symbol,
        `no measured edge on its ${KIND_WORDS[candidate.key.kind]}: the fit found none before the split`,
      );
      continue;
    }
    if (mute) {
      decline(symbol, mute);
      continue;
    }
    if (probability < MIN_CALL_PROBABILITY) {
      decline(symbol, `edge too thin: ${describeCall(side)} prices at ${pct(probability)}`);
      continue;
    }
    const sameBet = taken.get(candidate.cluster);
    if (sameBet) {
      decline(symbol, `the same bet as ${describeCall(sameBet.call.spec)}`);
      continue;
    }
    const horizonHours = candidate.key.horizonHours;
    const rule =
      blockingRule(input.rules, symbol, horizonHours, regime.label) ??
      blockingRule(input.rules, symbol, horizonFor(symbol), regime.label);
    if (rule) {
      decline(symbol, `learned rule: ${rule.reason}`);
      continue;
    }
    const made = makeCall(input, candidate, side, probability, priced, round2, weights, proposals);
    if ("reason" in made) {
      decline(symbol, made.reason);
      continue;
    }
    const holding = heldQuestion(open, made.call.spec);
    if (holding) {
      const text = heldText(holding);
      decline(symbol, `still holding ${text}`);
      held.push({ symbol, callId: holding.callId, text });
      continue;
    }
    calibration.set(symbol, made.calibrated);
    taken.set(candidate.cluster, { call: made.call, gain: gainOf(priced) });
  }
  const calls = [...taken.values()].sort((a, b) => b.gain - a.gain).map((t) => t.call);
  for (const extra of calls.splice(MAX_CALLS)) {
    reasons.set(extra.spec.symbol, `weaker than the ${MAX_CALLS} calls I made`);
    calibration.delete(extra.spec.symbol);
  }
  const called = new Set(calls.map((c) => c.spec.symbol));
  const suppressed: Suppressed[] = input.symbols
    .filter((symbol) => !called.has(symbol))
    .map((symbol) => ({
      symbol,
      reason:
        features.symbols.get(symbol)?.last == null
          ? "no price in the snapshot"
          : (reasons.get(symbol) ?? "no question I could price"),
    }));
  return { calls, suppressed, summaries, weights, benched, calibration, held, questions };
}

const KIND_WORDS: Record<QuestionKind, string> = {
  direction: "direction",
  relative: "move against its benchmark",
  range: "size of move",
  vix: "level",
};

/**
 * What a call adds: the expected Brier gain of its price over the question's own base rate, which
 * anyone could quote. A 74% range call at a 74% base rate adds nothing however safe it is; a VIX call
 * moved ten points by a spike adds the most. The gain over a coin flip (a hair's weight) only breaks ties.
 */
function gainOf(priced: Priced): number {
  return (priced.p - priced.base) ** 2 + 1e-6 * (priced.p - 0.5) ** 2;
}

/** The debate's net per symbol, or, with proposals, the model's own lean where it proposed one. */
function signalsFrom(
  summaries: readonly DebateSummary[],
  proposals: readonly Proposal[] | undefined,
): DebateSummary[] {
  if (!proposals) return [...summaries];
  return summaries.map((s) => {
    const proposal = proposals.find((p) => p.symbol === s.symbol);
    const net = proposal ? (proposal.direction === "up" ? 1 : -1) * (proposal.probability - 0.5) : 0;
    return { ...s, net };
  });
}

/** The candidate questions of a cycle, priced by the model. */
function pricedCandidates(
  input: DeskInput,
  features: MarketFeatures,
  regime: RegimeReading,
  summaries: readonly DebateSummary[],
  model: QuestionModel,
): PricedCandidate[] {
  return cycleCandidates(input, features, regime, summaries).flatMap((candidate) => {
    const priced = priceQuestion(model, candidate.key, candidate.signal);
    return priced ? [{ candidate, priced }] : [];
  });
}

/** Every question the desk could ask this cycle. The backtest's fit reads the same list. */
export function cycleCandidates(
  input: DeskInput,
  features: MarketFeatures,
  regime: RegimeReading,
  summaries: readonly DebateSummary[],
): Candidate[] {
  return candidateQuestions({
    features,
    regime: regime.label,
    symbols: input.symbols,
    summaries,
    closes: (symbol) => closesOf(input, symbol),
    horizonHours: (symbol) => deskHorizonHours(symbol, features.at),
    flatBand: flatBandFor,
  });
}

/** Closes the symbol had made by the snapshot's moment: never a bar that closed after it. */
function closesOf(input: DeskInput, symbol: string): number[] {
  const assetClass = assetClassOf(symbol);
  const at = input.snapshot.at;
  return (input.snapshot.history[symbol] ?? [])
    .filter((bar) => barCloseTime(bar.date, assetClass) <= at)
    .map((bar) => bar.close);
}

type Made = { call: DeskCall; calibrated: Calibrated } | { reason: string };

/**
 * The call for a priced side. A sided question (direction, relative) needs a counted mind that
 * argued that side, and answers to calibration on its lead's record, which can only lower it.
 */
function makeCall(
  input: DeskInput,
  candidate: Candidate,
  spec: CallSpec,
  probability: number,
  priced: Priced,
  round2: readonly MindStance[],
  weights: Record<MindName, number>,
  proposals: readonly Proposal[] | undefined,
): Made {
  const symbol = candidate.key.symbol;
  let mind: MindName = candidate.key.kind === "vix" ? VIX_LEAD : VOL_LEAD;
  let calibrated: Calibrated = { probability, basis: basisOf(candidate, priced) };
  if (spec.kind === "direction" || spec.kind === "relative") {
    const direction: Direction = spec.direction === "up" || spec.direction === "outperform" ? "up" : "down";
    const preferred = proposals?.find((p) => p.symbol === symbol)?.lead;
    const lead = leadMind(round2, symbol, direction, weights, preferred);
    // Symbol-free, so the dispatch's one line of non-calls can group every symbol it applies to.
    if (!lead) return { reason: "no counted mind argued the side its price favours" };
    mind = lead.mind;
    if (spec.kind === "direction") {
      const cal = calibrate(probability, input.record, { direction, mind, at: input.snapshot.at });
      if (cal.probability < MIN_CALL_PROBABILITY)
        return {
          reason: `edge too thin: ${pct(probability)} priced, ${pct(cal.probability)} after calibration`,
        };
      calibrated = cal;
    }
  }
  const thesis =
    proposals?.find((p) => p.symbol === symbol)?.thesis ?? thesisFor(spec, candidate, priced, calibrated);
  const stated = {
    ...spec,
    probability: calibrated.probability,
    note: thesis.slice(0, 280),
  } as CallSpec;
  return {
    calibrated,
    call: {
      spec: stated,
      mind,
      thesis,
      lockAt: lockAtOf(stated, input.lockShare).toISOString(),
      entryPrice: candidate.entryPrice,
      flatBandPct: stated.flatBandPct ?? 0,
      ...(candidate.versusEntryPrice !== undefined && { versusEntryPrice: candidate.versusEntryPrice }),
    },
  };
}

/** "range questions on SPY in risk_on came true 71% of the time (n=412)" */
function basisOf(candidate: Candidate, priced: Priced): string {
  return `${candidate.key.kind} questions like this (${priced.baseKey.replaceAll("|", " ")}) came true ${pct(priced.base)} of the time before the split (n=${priced.baseN})`;
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

function thesisFor(spec: CallSpec, candidate: Candidate, priced: Priced, calibrated: Calibrated): string {
  const base = `base rate ${pct(priced.base)} (${priced.baseKey.replaceAll("|", " ")}, n=${priced.baseN})`;
  const moved =
    Math.abs(priced.adjustment) >= 0.005
      ? `, moved ${priced.adjustment > 0 ? "+" : "−"}${Math.abs(priced.adjustment * 100).toFixed(1)} pts by its ${candidate.key.kind === "range" || candidate.key.kind === "vix" ? "volatility" : "debate"} signal`
      : "";
  return `${describeCall(spec)}: ${base}${moved}; sized at ${pct(calibrated.probability)}.`.slice(0, 500);
}
