import { round2 } from "./minds/common.ts";
import { type Direction, MIND_NAMES, type MindName, type MindStance, type TakenStance } from "./types.ts";

/** Below this, a conceding mind has no case left and abstains rather than keep a token lean. */
const STAND_DOWN_BELOW = 0.53;
const AGREEMENT_NUDGE = 0.02;
const AGREEMENT_CAP = 0.75;

const LABEL: Record<MindName, string> = { macro: "Macro", flow: "Flow", contrarian: "Contrarian" };
export function mindLabel(mind: MindName): string {
  return LABEL[mind];
}

function taken(stances: readonly MindStance[]): TakenStance[] {
  return stances.filter((s): s is TakenStance => !s.abstained);
}

/**
 * The one bounded rebuttal round. Each mind sees the others' opening stance on the same symbol:
 * outnumbered and outweighed, it concedes half its edge (or stands down); joined and unopposed,
 * it firms slightly. Contrarian does not concede to a unanimous pair: that pair is its subject.
 */
export function rebuttalRound(round1: readonly MindStance[]): MindStance[] {
  return round1.map((stance): MindStance => {
    if (stance.abstained) return { ...stance, round: 2 };
    const others = taken(round1).filter((o) => o.symbol === stance.symbol && o.mind !== stance.mind);
    const against = others.filter((o) => o.direction !== stance.direction);
    const with_ = others.filter((o) => o.direction === stance.direction);
    const outweighed =
      against.length > 0 &&
      with_.length === 0 &&
      Math.max(...against.map((o) => o.probability)) >= stance.probability;
    const holdsAsContrarian = stance.mind === "contrarian" && against.length === 2;
    const names = against
      .map((o) => `${mindLabel(o.mind)} (${pct(o.probability)} ${o.direction})`)
      .join(" and ");
    if (outweighed && !holdsAsContrarian) {
      const probability = round2(0.5 + (stance.probability - 0.5) / 2);
      if (probability < STAND_DOWN_BELOW) {
        return {
          abstained: true,
          mind: stance.mind,
          round: 2,
          symbol: stance.symbol,
          observationIds: stance.observationIds,
          reason: `Stood down after rebuttal: ${names} outweigh my ${pct(stance.probability)} ${stance.direction}.`,
        };
      }
      return {
        ...stance,
        round: 2,
        probability,
        reason: `${stance.reason} Cut from ${pct(stance.probability)} after ${names} argued the other side.`,
      };
    }
    if (with_.length > 0 && against.length === 0) {
      const probability = round2(
        Math.min(AGREEMENT_CAP, Math.max(stance.probability, stance.probability + AGREEMENT_NUDGE)),
      );
      return { ...stance, round: 2, probability };
    }
    if (holdsAsContrarian) {
      return { ...stance, round: 2, reason: `${stance.reason} Held against a unanimous pair.` };
    }
    return { ...stance, round: 2 };
  });
}

export type DebateLabel =
  | "aligned_bullish"
  | "aligned_bearish"
  | "lean_bullish"
  | "lean_bearish"
  | "split"
  | "abstain";

export interface DebateSummary {
  symbol: string;
  label: DebateLabel;
  /** Weighted net edge of the desk: positive leans up. Divided by every mind's weight, so abstentions dilute it. */
  net: number;
  direction: Direction | null;
  /** 0..1: how much of the desk's possible edge points the same way. */
  conviction: number;
  /** Each mind's probability for the desk's direction (so a dissenter shows below 50%); null when abstaining. */
  perMind: Record<MindName, number | null>;
}

export function summarizeDebate(
  stances: readonly MindStance[],
  symbol: string,
  weights: Record<MindName, number>,
): DebateSummary {
  const onSymbol = taken(stances).filter((s) => s.symbol === symbol);
  const totalWeight = MIND_NAMES.reduce((sum, m) => sum + weights[m], 0);
  const edge = onSymbol.reduce(
    (sum, s) => sum + weights[s.mind] * (s.direction === "up" ? 1 : -1) * (s.probability - 0.5),
    0,
  );
  const net = totalWeight > 0 ? edge / totalWeight : 0;
  const direction: Direction | null = onSymbol.length === 0 ? null : net < 0 ? "down" : "up";
  const perMind = Object.fromEntries(
    MIND_NAMES.map((mind) => {
      const s = onSymbol.find((x) => x.mind === mind);
      return [mind, s ? (s.direction === direction ? s.probability : 1 - s.probability) : null];
    }),
  ) as Record<MindName, number | null>;
  return {
    symbol,
    label: labelOf(onSymbol),
    net,
    direction,
    conviction: Math.min(1, Math.abs(net) / 0.49),
    perMind,
  };
}

function labelOf(onSymbol: readonly TakenStance[]): DebateLabel {
  if (onSymbol.length === 0) return "abstain";
  const ups = onSymbol.filter((s) => s.direction === "up").length;
  const downs = onSymbol.length - ups;
  if (ups > 0 && downs > 0) return "split";
  const side = ups > 0 ? "bullish" : "bearish";
  return onSymbol.length >= 2 ? `aligned_${side}` : `lean_${side}`;
}

/** `Debate: aligned_bearish | Conviction 43% | Macro 35% | Flow 58% | Contrarian 40%`; an abstaining mind shows `—`. */
export function debateLine(summary: DebateSummary): string {
  const minds = MIND_NAMES.map((m) => {
    const p = summary.perMind[m];
    return `${LABEL[m]} ${p === null ? "—" : pct(p)}`;
  });
  return [`Debate: ${summary.label}`, `Conviction ${pct(summary.conviction)}`, ...minds].join(" | ");
}

export function pct(p: number): string {
  return `${Math.round(p * 100)}%`;
}
