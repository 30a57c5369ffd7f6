import { baselineScore } from "../domain/scoring.ts";
import {
  alwaysUpOnDeskSide,
  coversZero,
  type Interval,
  isUpSide,
  momentsOf,
  peerOnDeskSide,
  type ScoreMoments,
  type SkillStats,
  skillStats,
} from "../domain/skill.ts";
import type { Database } from "../store/database.ts";
import {
  type DeskQuestion,
  emptySums,
  leaderboardTotals,
  resolvedDeskQuestions,
  type TotalsRow,
} from "../store/leaderboard.ts";

export type BoardRowKind = "member" | "desk" | "crowd" | "always_up";

/** A mean score with its 95% t interval over the per-call scores (null under two calls). */
export interface MeanWithInterval {
  n: number;
  mean: number | null;
  interval: Interval | null;
}

export interface BoardRow {
  /** 1-based among members; null for the desk, the crowd and "always up", which never take a rank. */
  rank: number | null;
  kind: BoardRowKind;
  /** True for the three benchmark rows (desk, crowd, always up). */
  isDesk: boolean;
  name: string;
  externalId: string | null;
  resolved: number;
  right: number;
  hitRate: number | null;
  meanBrier: number | null;
  baselineSum: number;
  peerSum: number;
  peerCount: number;
  peerMean: number | null;
  voids: number;
  /**
   * What the board ranks by: mean per-call skill shrunk toward zero, with its interval. A call's skill
   * is its peer score against the desk on a desk question, and 100·ln(p/0.5) on a member's own.
   */
  skill: SkillStats;
  /** What the skill column measures this row against. */
  against: "desk" | "coin flip" | "desk and coin flip";
  /** Head to head: mean peer score against the desk on the same questions; null without any. */
  vsDesk: MeanWithInterval | null;
  /** Mean baseline score (against a coin flip) over every scored call. */
  vsCoinFlip: MeanWithInterval;
  /** Plain words: "cannot be told apart from the desk", "indistinguishable from a coin flip", … */
  verdict: string;
  /** Members only: head to head, the whole 95% interval against the desk is above zero. */
  beatsDesk: boolean | null;
}

export interface Board {
  season: string;
  rows: BoardRow[];
  desk: BoardRow;
  belowFloor: number;
}

/**
 * The season's board: members by shrunk skill from the running totals, with the desk (the reference,
 * skill 0 by definition), the server's crowd and "always up" placed where their own shrunk skill
 * against the desk puts them.
 */
export async function seasonBoard(
  db: Database,
  query: { serverId: string; season: string; minResolved: number; limit: number },
): Promise<Board> {
  const [totals, questions] = await Promise.all([
    leaderboardTotals(db.prisma, query),
    resolvedDeskQuestions(db.prisma, query.serverId, query.season),
  ]);
  const desk = deskRow(totals.desk ?? { authorKey: "desk", member: null, ...emptySums() });
  const members = totals.members.map((t, i) => memberRow(t, i + 1));
  const benchmarks = [desk, ...benchmarkRows(questions)];
  const rows = [...members];
  for (const b of benchmarks) {
    const at = rows.findIndex((r) => r.skill.shrunk < b.skill.shrunk);
    rows.splice(at === -1 ? rows.length : at, 0, b);
  }
  return { season: query.season, rows, desk, belowFloor: totals.belowFloor };
}

function moments(n: number, sum: number, sumSq: number): ScoreMoments {
  return { n, sum, sumSq };
}

function meanWith(m: ScoreMoments): MeanWithInterval {
  const s = skillStats(m);
  return { n: s.n, mean: s.mean, interval: s.interval };
}

function common(t: TotalsRow) {
  return {
    externalId: t.member?.externalId ?? null,
    resolved: t.resolved,
    right: t.rightCount,
    hitRate: t.resolved ? t.rightCount / t.resolved : null,
    meanBrier: t.resolved ? t.brierSum / t.resolved : null,
    baselineSum: t.baselineSum,
    peerSum: t.peerSum,
    peerCount: t.peerCount,
    peerMean: t.peerCount ? t.peerSum / t.peerCount : null,
    voids: t.voids,
  };
}

function memberRow(t: TotalsRow, rank: number): BoardRow {
  const vsDesk = t.peerCount ? meanWith(moments(t.peerCount, t.peerSum, t.peerSqSum)) : null;
  const vsCoinFlip = meanWith(moments(t.resolved, t.baselineSum, t.baselineSqSum));
  const skill = skillStats(moments(t.resolved, t.skillSum, t.skillSqSum));
  return {
    rank,
    kind: "member",
    isDesk: false,
    name: t.member?.displayName ?? "former member",
    ...common(t),
    vsCoinFlip,
    skill,
    against: t.peerCount === 0 ? "coin flip" : t.peerCount >= t.resolved ? "desk" : "desk and coin flip",
    vsDesk,
    verdict: verdictOf(vsDesk, vsCoinFlip),
    beatsDesk: vsDesk?.interval ? vsDesk.interval.low > 0 : false,
  };
}

/** The desk is the reference: its skill against itself is zero on every question. */
function deskRow(t: TotalsRow): BoardRow {
  const vsCoinFlip = meanWith(moments(t.resolved, t.baselineSum, t.baselineSqSum));
  return {
    rank: null,
    kind: "desk",
    isDesk: true,
    name: "Desk",
    ...common(t),
    vsCoinFlip,
    skill: { n: t.resolved, mean: t.resolved ? 0 : null, shrunk: 0, interval: null },
    against: "desk",
    vsDesk: null,
    verdict: `the reference; ${coinWords(vsCoinFlip)}`,
    beatsDesk: null,
  };
}

/**
 * The crowd (the median of members' probabilities on each desk question they answered) and "always
 * up" (ALWAYS_UP_P on the up side of every desk question), scored like members against the desk.
 */
export function benchmarkRows(questions: readonly DeskQuestion[]): BoardRow[] {
  const crowd = questions.flatMap((q) => (q.crowd === null ? [] : [{ q, p: q.crowd }]));
  const up = questions.flatMap((q) => {
    const p = alwaysUpOnDeskSide(isUpSide(q));
    return p === null ? [] : [{ q, p }];
  });
  return [pseudoRow("crowd", "Crowd (median member)", crowd), pseudoRow("always_up", "Always up (55%)", up)];
}

function pseudoRow(kind: BoardRowKind, name: string, answers: { q: DeskQuestion; p: number }[]): BoardRow {
  const peers = answers.map(({ q, p }) => peerOnDeskSide(p, q.probability, q.outcome));
  const baselines = answers.map(({ q, p }) => baselineScore(p, q.outcome));
  const right = answers.filter(({ q, p }) => (p >= 0.5 ? q.outcome === 1 : q.outcome === 0)).length;
  const peer = momentsOf(peers);
  const vsDesk = meanWith(peer);
  const vsCoinFlip = meanWith(momentsOf(baselines));
  const n = answers.length;
  return {
    rank: null,
    kind,
    isDesk: true,
    name,
    externalId: null,
    resolved: n,
    right,
    hitRate: n ? right / n : null,
    meanBrier: n ? answers.reduce((s, { q, p }) => s + (p - q.outcome) ** 2, 0) / n : null,
    baselineSum: vsCoinFlip.mean === null ? 0 : vsCoinFlip.mean * n,
    peerSum: peer.sum,
    peerCount: n,
    peerMean: vsDesk.mean,
    voids: 0,
    skill: skillStats(peer),
    against: "desk",
    vsDesk: n ? vsDesk : null,
    vsCoinFlip,
    verdict: n ? verdictOf(vsDesk, vsCoinFlip) : "no resolved desk question yet",
    beatsDesk: null,
  };
}

function deskWords(vsDesk: MeanWithInterval): string {
  if (vsDesk.interval === null) return "too few desk questions to tell from the desk";
  if (coversZero(vsDesk.interval)) return "cannot be told apart from the desk";
  return vsDesk.interval.low > 0 ? "beats the desk" : "behind the desk";
}

function coinWords(vsCoinFlip: MeanWithInterval): string {
  if (vsCoinFlip.interval === null) return "too few calls to tell from a coin flip";
  if (coversZero(vsCoinFlip.interval)) return "indistinguishable from a coin flip";
  return vsCoinFlip.interval.low > 0 ? "better than a coin flip" : "worse than a coin flip";
}

/** What the intervals allow one to say, in words a member reads at a glance. */
export function verdictOf(vsDesk: MeanWithInterval | null, vsCoinFlip: MeanWithInterval): string {
  return [vsDesk ? deskWords(vsDesk) : null, coinWords(vsCoinFlip)].filter(Boolean).join("; ");
}
