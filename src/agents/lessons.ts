import { type CallSpec, describeCall } from "../domain/call.ts";
import { brier, calibrationBuckets } from "../domain/scoring.ts";
import { mindLabel } from "./debate.ts";
import { statsOf } from "./record.ts";
import { tally } from "./rules.ts";
import {
  type LearnedRule,
  MIND_NAMES,
  type MindName,
  type MindStance,
  REGIMES,
  type RecordRow,
} from "./types.ts";
import { percent } from "./writer/format.ts";

export interface WrongCall {
  spec: CallSpec;
  mind: MindName;
  regime: string;
  thesis: string;
  /** Round-two stances on the call's symbol, as stored with the cycle. */
  stances: readonly MindStance[];
  evidence: string;
  movePct: number;
}

export interface PostMortem {
  title: string;
  body: string;
  counterfactual: string;
}

/** What the inputs said, what happened, and the cheapest different decision that would have scored better. */
export function postMortem(call: WrongCall): PostMortem {
  const p = call.spec.probability;
  const predictedUp =
    "direction" in call.spec
      ? call.spec.direction === "up" || call.spec.direction === "outperform"
      : call.spec.comparator === "above";
  const said = call.stances.map((s) =>
    s.abstained
      ? `${mindLabel(s.mind)} abstained (${s.reason.replace(/\.$/, "")})`
      : `${mindLabel(s.mind)} ${s.direction} at ${percent(s.probability)}`,
  );
  const dissent = call.stances.find((s) => !s.abstained && (s.direction === "up") !== predictedUp);
  const body = [
    `I called ${describeCall(call.spec)} at ${percent(p)} in a ${call.regime} regime, led by ${mindLabel(call.mind)}.`,
    `What the inputs said: ${said.length ? said.join("; ") : "no stances were stored"}. Thesis: ${call.thesis}`,
    `What happened: ${call.evidence}.`,
    dissent
      ? `The dissent I overruled was right: ${mindLabel(dissent.mind)} argued the other side.`
      : "Every mind that spoke agreed, and they were wrong together: agreement built on the same inputs is one signal, not several.",
    `Brier ${brier(p, 0).toFixed(3)} against 0.250 for a coin flip.`,
  ].join(" ");
  const counterfactual = dissent
    ? `COUNTERFACTUAL: had I sided with ${mindLabel(dissent.mind)}, this call would have been right.`
    : p > 0.55
      ? `COUNTERFACTUAL: sized at 52% instead of ${percent(p)}, the miss would have cost Brier ${brier(0.52, 0).toFixed(3)} instead of ${brier(p, 0).toFixed(3)}.`
      : "COUNTERFACTUAL: passing on the call would have kept a coin-flip read off the record.";
  return { title: `Wrong: ${describeCall(call.spec)} (${percent(p)})`, body, counterfactual };
}

export const REFLECTION_EVERY = 10;

export function isReflectionCycle(cycleNumber: number, every = REFLECTION_EVERY): boolean {
  return cycleNumber > 0 && cycleNumber % every === 0;
}

/** The periodic look back: per-mind and per-regime record, calibration, rules in force, lessons written. */
export function reflection(args: {
  cycleNumber: number;
  record: readonly RecordRow[];
  rules: readonly LearnedRule[];
  lessons: readonly string[];
}): { title: string; body: string } {
  const overall = statsOf(args.record);
  const lines = [
    `Cycle ${args.cycleNumber}. ${overall.n === 0 ? "No resolved calls yet, so there is nothing to grade myself on." : `Overall ${tally(overall)}.`}`,
    `By lead mind: ${MIND_NAMES.map((m) => `${mindLabel(m)} ${tally(statsOf(args.record.filter((r) => r.mind === m)))}`).join("; ")}.`,
    `By regime: ${REGIMES.map((g) => `${g} ${tally(statsOf(args.record.filter((r) => r.regime === g)))}`).join("; ")}.`,
  ];
  const buckets = calibrationBuckets(
    args.record.map((r) => ({ p: r.probability, outcome: r.outcome })),
  ).filter((b) => b.count > 0);
  if (buckets.length) {
    lines.push(
      `Calibration: ${buckets.map((b) => `${percent(b.from)}–${percent(b.to)} said ${percent(b.meanP as number)}, came in ${percent(b.hitRate as number)} (${b.count})`).join("; ")}.`,
    );
  }
  lines.push(
    args.rules.length
      ? `Rules in force: ${args.rules.map((r) => r.reason).join("; ")}.`
      : "No rules in force.",
  );
  if (args.lessons.length)
    lines.push(`Lessons since the last look: ${args.lessons.length}. The latest: "${args.lessons[0]}"`);
  return { title: `Reflection at cycle ${args.cycleNumber}`, body: lines.join("\n") };
}
