import type { SideBySide } from "../resolution/side-by-side.ts";

export type { SideBySide } from "../resolution/side-by-side.ts";

const pct = (p: number) => `${Math.round(p * 100)}%`;
const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(Math.round(x))}`;

/**
 * "Desk 62% (baseline +31) · crowd 55% from 12 members (baseline +14, vs desk −17) · base rate 48%
 * of 25 similar, 2–4 days (baseline −6, vs desk −23)": probabilities are on the call being right.
 */
export function sideBySideText(s: SideBySide): string {
  const crowd = s.crowd
    ? `crowd ${pct(s.crowd.p)} from ${s.crowd.members} member${s.crowd.members === 1 ? "" : "s"} (baseline ${signed(s.crowd.baseline)}, vs desk ${signed(s.crowd.peer)})`
    : "crowd: no member answered";
  const base = s.baseRate
    ? `base rate ${pct(s.baseRate.p)} of ${s.baseRate.n} similar, ${s.baseRate.bucket} (baseline ${signed(s.baseRate.baseline)}, vs desk ${signed(s.baseRate.peer)})`
    : "no base rate yet";
  return `Desk ${pct(s.desk.p)} (baseline ${signed(s.desk.baseline)}) · ${crowd} · ${base}`;
}
