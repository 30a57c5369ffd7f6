/** One scored question: the desk's Brier minus a baseline's, and the week it was asked in. */
export interface Paired {
  week: string;
  diff: number;
}

export interface Interval95 {
  brierDiff: number;
  ci95: [number, number];
  questions: number;
}

/** Small, seedable PRNG (mulberry32): the same seed gives the same interval on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Mean Brier difference and its 95% percentile interval, resampling whole weeks: questions asked in
 * the same week share the market's moves, so they are not independent draws.
 */
export function weeklyBootstrap(items: readonly Paired[], seed = 20230101, draws = 2000): Interval95 {
  const questions = items.length;
  if (questions === 0) return { brierDiff: 0, ci95: [0, 0], questions };
  const weeks = new Map<string, { sum: number; n: number }>();
  for (const { week, diff } of items) {
    const w = weeks.get(week) ?? { sum: 0, n: 0 };
    w.sum += diff;
    w.n += 1;
    weeks.set(week, w);
  }
  const groups = [...weeks.values()];
  const random = mulberry32(seed);
  const means: number[] = [];
  for (let d = 0; d < draws; d++) {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[Math.floor(random() * groups.length)] as { sum: number; n: number };
      sum += g.sum;
      n += g.n;
    }
    means.push(sum / n);
  }
  means.sort((a, b) => a - b);
  const at = (q: number) => means[Math.min(draws - 1, Math.max(0, Math.floor(q * draws)))] as number;
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  const mean = items.reduce((s, i) => s + i.diff, 0) / questions;
  return { brierDiff: round(mean), ci95: [round(at(0.025)), round(at(0.975))], questions };
}
