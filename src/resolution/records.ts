import type { CallRecord } from "../domain/call-record.ts";
import {
  brierSkillVsAlwaysUp,
  brierSkillVsCoinFlip,
  type CalibrationBucket,
  calibrationBuckets,
  meanBrier,
  type Outcome,
  type SidedForecast,
} from "../domain/scoring.ts";
import type { Database } from "../store/database.ts";
import { findMemberCalls, findResolvedDeskCalls, findResolvedMemberCalls } from "../store/records.ts";

export interface RecordSummary {
  resolved: number;
  right: number;
  voids: number;
  hitRate: number | null;
  meanBrier: number | null;
  baselineSum: number;
  peerSum: number;
  peerCount: number;
  brierSkillVsCoinFlip: number | null;
  /** Against a forecaster who always says "up" at the base rate of up moves in the same sample. */
  brierSkillVsAlwaysUp: number | null;
  calibration: CalibrationBucket[];
}

/** Record of any set of calls; open and superseded calls are ignored, voids counted but never scored. */
export function summarizeCalls(rows: readonly CallRecord[]): RecordSummary {
  const scored = rows.filter((r) => r.outcome === 0 || r.outcome === 1);
  const forecasts: SidedForecast[] = scored.map((r) => ({
    p: r.probability,
    outcome: r.outcome as Outcome,
    up: r.kind === "direction" ? r.direction === "up" : null,
  }));
  const right = forecasts.filter((f) => f.outcome === 1).length;
  const peers = scored.filter((r) => r.peerScore !== null);
  return {
    resolved: scored.length,
    right,
    voids: rows.filter((r) => r.status === "void").length,
    hitRate: scored.length ? right / scored.length : null,
    meanBrier: meanBrier(forecasts),
    baselineSum: scored.reduce((sum, r) => sum + (r.baselineScore ?? 0), 0),
    peerSum: peers.reduce((sum, r) => sum + (r.peerScore ?? 0), 0),
    peerCount: peers.length,
    brierSkillVsCoinFlip: brierSkillVsCoinFlip(forecasts),
    brierSkillVsAlwaysUp: brierSkillVsAlwaysUp(forecasts),
    calibration: calibrationBuckets(forecasts),
  };
}

export async function memberRecord(db: Database, memberId: string, recentLimit = 10) {
  const [recent, resolved] = await Promise.all([
    findMemberCalls(db.prisma, memberId, recentLimit),
    findResolvedMemberCalls(db.prisma, memberId),
  ]);
  return { summary: summarizeCalls(resolved), recent };
}

export type Breakdown = Record<string, RecordSummary>;

export interface DeskRecord {
  overall: RecordSummary;
  byMind: Breakdown;
  byRegime: Breakdown;
  bySymbol: Breakdown;
  byHorizon: Breakdown;
}

/** The desk's record on a server, cut by lead mind, regime, asset and horizon. */
export async function deskRecord(db: Database, serverId: string): Promise<DeskRecord> {
  return deskRecordOf(await findResolvedDeskCalls(db.prisma, serverId));
}

/** The desk's record from its resolved calls: one pass per cut, linear in the number of calls. */
export function deskRecordOf(rows: readonly CallRecord[]): DeskRecord {
  const by = (key: (r: CallRecord) => string): Breakdown => {
    // Appends in place: copying the group per row made a 50k-call group take minutes on the event loop.
    const groups = new Map<string, CallRecord[]>();
    for (const row of rows) {
      const k = key(row);
      const group = groups.get(k);
      if (group) group.push(row);
      else groups.set(k, [row]);
    }
    return Object.fromEntries([...groups].map(([k, g]) => [k, summarizeCalls(g)]));
  };
  return {
    overall: summarizeCalls(rows),
    byMind: by((r) => r.mind ?? "desk"),
    byRegime: by((r) => r.regime ?? "unknown"),
    bySymbol: by((r) => r.symbol),
    byHorizon: by((r) => (r.horizonHours !== null ? `${r.horizonHours}h` : "by deadline")),
  };
}
