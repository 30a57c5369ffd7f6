import { callSkill } from "../domain/skill.ts";
import { appendVerdicts } from "./chain.ts";
import type { CallRow, Db } from "./client.ts";
import { Prisma, type PrismaClient } from "./generated/client.ts";
import { emptySums, type ScoreSums } from "./leaderboard.ts";

/** Open calls whose deadline has passed and whose next attempt (after a retry) is due. Index-backed. */
export function findDueCalls(db: Db, now: Date, limit: number): Promise<CallRow[]> {
  return db.call.findMany({
    where: {
      status: "open",
      deadline: { lte: now },
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
    },
    orderBy: [{ deadline: "asc" }, { id: "asc" }],
    take: limit,
  });
}

export interface Verdict {
  callId: number;
  status: "right" | "wrong" | "void";
  exitPrice: number | null;
  exitAt: Date | null;
  movePct: number | null;
  evidence: string;
  voidReason: string | null;
  outcome: 0 | 1 | null;
  brier: number | null;
  baselineScore: number | null;
  peerScore: number | null;
  /** The receipt's canonical JSON: data source, bars used, their hash (domain/receipt.ts). */
  receipt: string | null;
}

export interface AppliedVerdict extends Verdict {
  serverId: string;
  season: string;
  authorKey: string;
}

/** Rows per statement: large enough to amortise round trips, small enough for PostgreSQL's parameter limit. */
const CHUNK = 2000;

/**
 * Writes verdicts with one conditional update per chunk: a call still open gets its verdict, a call
 * already resolved (by a concurrent sweep) is left alone. Everything that follows from a verdict is
 * written in the same transaction, for the rows this update actually changed: a verdict record in
 * each server's hash chain, the score totals (so a
 * call is scored exactly once), the verdict posts in the outbox for each of `verdictTargets` the
 * call's dispatch was posted to, and a learn marker per desk verdict. A crash after the commit
 * therefore loses no post and no post-mortem: the outbox and the next sweep's learning pick them up.
 */
export async function applyVerdicts(
  prisma: PrismaClient,
  verdicts: Verdict[],
  resolvedAt: Date,
  verdictTargets: readonly string[] = [],
): Promise<AppliedVerdict[]> {
  const applied: AppliedVerdict[] = [];
  for (let start = 0; start < verdicts.length; start += CHUNK) {
    const chunk = verdicts.slice(start, start + CHUNK);
    applied.push(...(await prisma.$transaction((tx) => applyChunk(tx, chunk, resolvedAt, verdictTargets))));
  }
  return applied;
}

async function applyChunk(
  tx: Db,
  chunk: Verdict[],
  resolvedAt: Date,
  verdictTargets: readonly string[],
): Promise<AppliedVerdict[]> {
  const col = <T>(pick: (v: Verdict) => T) => chunk.map(pick);
  const rows = await tx.$queryRaw<{ id: number; serverId: string; season: string; authorKey: string }[]>`
    UPDATE "Call" AS c SET
      status = v.status, "resolvedAt" = ${resolvedAt}, "exitPrice" = v.exit_price, "exitAt" = v.exit_at,
      "movePct" = v.move_pct, evidence = v.evidence, "voidReason" = v.void_reason, outcome = v.outcome,
      brier = v.brier, "baselineScore" = v.baseline, "peerScore" = v.peer, receipt = v.receipt,
      "nextAttemptAt" = NULL
    FROM unnest(
      ${col((v) => v.callId)}::int[], ${col((v) => v.status)}::text[], ${col((v) => v.exitPrice)}::float8[],
      ${col((v) => v.exitAt)}::timestamp[], ${col((v) => v.movePct)}::float8[], ${col((v) => v.evidence)}::text[],
      ${col((v) => v.voidReason)}::text[], ${col((v) => v.outcome)}::int[], ${col((v) => v.brier)}::float8[],
      ${col((v) => v.baselineScore)}::float8[], ${col((v) => v.peerScore)}::float8[], ${col((v) => v.receipt)}::text[]
    ) AS v(id, status, exit_price, exit_at, move_pct, evidence, void_reason, outcome, brier, baseline, peer, receipt)
    WHERE c.id = v.id AND c.status = 'open'
    RETURNING c.id, c."serverId", c.season, COALESCE(c."memberId", 'desk') AS "authorKey"`;
  const byId = new Map(chunk.map((v) => [v.callId, v]));
  const applied = rows.map((row) => ({
    ...(byId.get(row.id) as Verdict),
    serverId: row.serverId,
    season: row.season,
    authorKey: row.authorKey,
  }));
  // Hashed as read back, the way verification reads them: a float's text round trip can differ in the last digit.
  await appendVerdicts(tx, await tx.call.findMany({ where: { id: { in: rows.map((r) => r.id) } } }));
  await addToTotals(tx, applied);
  const desk = applied.filter((v) => v.authorKey === "desk");
  await queueVerdictPosts(tx, desk, verdictTargets);
  await markToLearn(tx, desk);
  return applied;
}

/**
 * A verdict post for every desk call whose dispatch went out to one of `targets`: the post updates
 * and a short reply follows, in the channel the dispatch was posted to. Keyed by call and target,
 * so nothing is queued twice. Due on the wall clock, which is what the outbox runs on (a demo's
 * sweep clock may run ahead of it).
 */
async function queueVerdictPosts(tx: Db, desk: AppliedVerdict[], targets: readonly string[]): Promise<void> {
  if (desk.length === 0 || targets.length === 0) return;
  const queuedAt = new Date();
  await tx.$executeRaw`
    INSERT INTO "Delivery" (id, "serverId", "dispatchId", "callId", kind, target, "channelId", "dedupeKey", payload, "nextAttemptAt", "createdAt")
    SELECT gen_random_uuid()::text, c."serverId", c."dispatchId", c.id, 'verdict', post.target, post."channelId",
      'verdict:' || c.id || ':' || post.target, jsonb_build_object('dispatchNumber', d.number, 'callId', c.id),
      ${queuedAt}, ${queuedAt}
    FROM "Call" AS c
    JOIN "Dispatch" AS d ON d.id = c."dispatchId"
    JOIN "Delivery" AS post ON post."dispatchId" = c."dispatchId" AND post.kind = 'dispatch'
      AND post.target = ANY(${[...targets]}::text[])
    WHERE c.id = ANY(${desk.map((v) => v.callId)}::int[]) AND c."authorType" = 'desk'
    ORDER BY c.id, post."createdAt"
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}

/** The desk learns from each of its verdicts once: see learnPending in agents/cycle/learn.ts. */
async function markToLearn(tx: Db, desk: AppliedVerdict[]): Promise<void> {
  if (desk.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LearnMarker" ("callId", "serverId")
    SELECT * FROM unnest(${desk.map((v) => v.callId)}::int[], ${desk.map((v) => v.serverId)}::text[])
    ON CONFLICT ("callId") DO NOTHING`;
}

interface Totals extends ScoreSums {
  serverId: string;
  season: string;
  authorKey: string;
}

async function addToTotals(tx: Db, applied: AppliedVerdict[]): Promise<void> {
  const totals = new Map<string, Totals>();
  for (const verdict of applied) {
    for (const season of [verdict.season, "all"]) {
      const key = `${verdict.serverId}|${season}|${verdict.authorKey}`;
      const total = totals.get(key) ?? {
        serverId: verdict.serverId,
        season,
        authorKey: verdict.authorKey,
        ...emptySums(),
      };
      if (verdict.status === "void") total.voids += 1;
      else {
        total.resolved += 1;
        total.rightCount += verdict.outcome ?? 0;
        total.brierSum += verdict.brier ?? 0;
        const baseline = verdict.baselineScore ?? 0;
        const skill = callSkill(baseline, verdict.peerScore);
        total.baselineSum += baseline;
        total.baselineSqSum += baseline * baseline;
        total.skillSum += skill;
        total.skillSqSum += skill * skill;
      }
      if (verdict.peerScore !== null) {
        total.peerSum += verdict.peerScore;
        total.peerSqSum += verdict.peerScore * verdict.peerScore;
        total.peerCount += 1;
      }
      totals.set(key, total);
    }
  }
  if (totals.size === 0) return;
  const values = [...totals.values()].map(
    (t) =>
      Prisma.sql`(${t.serverId}, ${t.season}, ${t.authorKey}, ${t.resolved}, ${t.rightCount}, ${t.voids}, ${t.brierSum}, ${t.baselineSum}, ${t.peerSum}, ${t.peerCount}, ${t.baselineSqSum}, ${t.peerSqSum}, ${t.skillSum}, ${t.skillSqSum})`,
  );
  await tx.$executeRaw`
    INSERT INTO "ScoreTotal" ("serverId", season, "authorKey", resolved, "rightCount", voids, "brierSum", "baselineSum", "peerSum", "peerCount",
      "baselineSqSum", "peerSqSum", "skillSum", "skillSqSum")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("serverId", season, "authorKey") DO UPDATE SET
      resolved = "ScoreTotal".resolved + EXCLUDED.resolved,
      "rightCount" = "ScoreTotal"."rightCount" + EXCLUDED."rightCount",
      voids = "ScoreTotal".voids + EXCLUDED.voids,
      "brierSum" = "ScoreTotal"."brierSum" + EXCLUDED."brierSum",
      "baselineSum" = "ScoreTotal"."baselineSum" + EXCLUDED."baselineSum",
      "peerSum" = "ScoreTotal"."peerSum" + EXCLUDED."peerSum",
      "peerCount" = "ScoreTotal"."peerCount" + EXCLUDED."peerCount",
      "baselineSqSum" = "ScoreTotal"."baselineSqSum" + EXCLUDED."baselineSqSum",
      "peerSqSum" = "ScoreTotal"."peerSqSum" + EXCLUDED."peerSqSum",
      "skillSum" = "ScoreTotal"."skillSum" + EXCLUDED."skillSum",
      "skillSqSum" = "ScoreTotal"."skillSqSum" + EXCLUDED."skillSqSum"`;
}

/** Data not there yet: try again later. Only an open call is touched. */
export async function postponeCall(
  db: Db,
  callId: number,
  attempts: number,
  nextAttemptAt: Date,
): Promise<void> {
  await db.call.updateMany({ where: { id: callId, status: "open" }, data: { attempts, nextAttemptAt } });
}

/** Resolved parents of member calls (agree/fade), for peer scores against the desk. */
export function findCallsByIds(db: Db, ids: number[]): Promise<CallRow[]> {
  return ids.length === 0 ? Promise.resolve([]) : db.call.findMany({ where: { id: { in: ids } } });
}
