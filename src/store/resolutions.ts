import { callSkill } from "../domain/skill.ts";
import { appendVerdicts, type VerdictFields } from "./chain.ts";
import type { CallRow, Db } from "./client.ts";
import { heldCallFields } from "./desk-memory.ts";
import { Prisma, type PrismaClient } from "./generated/client.ts";
import { emptySums, type ScoreSums } from "./leaderboard.ts";

/** What deciding a due call reads: its question (as the desk's memory reads it), entry, author and retries. */
const DUE_FIELDS = {
  ...heldCallFields,
  parentCallId: true,
  stance: true,
  entryPrice: true,
  versusEntry: true,
  attempts: true,
} as const satisfies Partial<Record<keyof CallRow, true>>;

export type DueCall = Pick<CallRow, keyof typeof DUE_FIELDS>;

/** Open calls whose deadline has passed and whose next attempt (after a retry) is due. Index-backed. */
export function findDueCalls(db: Db, now: Date, limit: number): Promise<DueCall[]> {
  return db.call.findMany({
    where: {
      status: "open",
      deadline: { lte: now },
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
    },
    select: DUE_FIELDS,
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

/** A batch's verdicts commit together; a loaded database may need more than Prisma's default 5 s for 10k. */
const BATCH_TIMEOUT_MS = 120_000;

/** The verdict's numbers and times as the update stored them, with what the chain and the totals need. */
type StoredVerdict = Omit<VerdictFields, "status" | "evidence" | "voidReason" | "receipt"> & {
  serverId: string;
  season: string;
  authorKey: string;
};

/**
 * Writes a batch of verdicts in one transaction, every statement set-based: one conditional update
 * (a call still open gets its verdict, a call already resolved by a concurrent sweep is left alone),
 * then, for the rows it actually changed, a verdict record in each server's hash chain, the score
 * totals (so a call is scored exactly once), the verdict posts in the outbox for each of
 * `verdictTargets` the call's dispatch was posted to, and a learn marker per desk verdict. A crash
 * after the commit therefore loses no post and no post-mortem: the outbox and the next sweep's
 * learning pick them up. Arrays travel as one parameter each, so a batch has no parameter limit.
 */
export async function applyVerdicts(
  prisma: PrismaClient,
  verdicts: Verdict[],
  resolvedAt: Date,
  verdictTargets: readonly string[] = [],
): Promise<AppliedVerdict[]> {
  if (verdicts.length === 0) return [];
  return prisma.$transaction((tx) => applyBatch(tx, verdicts, resolvedAt, verdictTargets), {
    timeout: BATCH_TIMEOUT_MS,
  });
}

async function applyBatch(
  tx: Db,
  batch: Verdict[],
  resolvedAt: Date,
  verdictTargets: readonly string[],
): Promise<AppliedVerdict[]> {
  const col = <T>(pick: (v: Verdict) => T) => batch.map(pick);
  // The calls of one symbol and deadline share their receipt and often their evidence: each distinct
  // text travels once, and each call names it by position.
  const receipts = distinct(col((v) => v.receipt));
  const evidence = distinct(col((v) => v.evidence));
  // RETURNING gives the numbers and times as stored, which is what verification re-hashes (a float's
  // text round trip can differ from the computed one in the last digit); texts come back unchanged.
  const rows = await tx.$queryRaw<StoredVerdict[]>`
    UPDATE "Call" AS c SET
      status = v.status, "resolvedAt" = ${resolvedAt}, "exitPrice" = v.exit_price, "exitAt" = v.exit_at,
      "movePct" = v.move_pct, evidence = (${evidence.values}::text[])[v.evidence], "voidReason" = v.void_reason,
      outcome = v.outcome, brier = v.brier, "baselineScore" = v.baseline, "peerScore" = v.peer,
      receipt = (${receipts.values}::text[])[v.receipt], "nextAttemptAt" = NULL
    FROM unnest(
      ${col((v) => v.callId)}::int[], ${col((v) => v.status)}::text[], ${col((v) => v.exitPrice)}::float8[],
      ${col((v) => v.exitAt)}::timestamp[], ${col((v) => v.movePct)}::float8[], ${evidence.positions}::int[],
      ${col((v) => v.voidReason)}::text[], ${col((v) => v.outcome)}::int[], ${col((v) => v.brier)}::float8[],
      ${col((v) => v.baselineScore)}::float8[], ${col((v) => v.peerScore)}::float8[], ${receipts.positions}::int[]
    ) AS v(id, status, exit_price, exit_at, move_pct, evidence, void_reason, outcome, brier, baseline, peer, receipt)
    WHERE c.id = v.id AND c.status = 'open'
    RETURNING c.id, c."serverId", c.season, COALESCE(c."memberId", 'desk') AS "authorKey", c."resolvedAt",
      c."exitPrice", c."exitAt", c."movePct", c.outcome, c.brier, c."baselineScore", c."peerScore"`;
  const byId = new Map(batch.map((v) => [v.callId, v]));
  const stored = rows.map((row) => {
    const { status, evidence, voidReason, receipt } = byId.get(row.id) as Verdict;
    return { ...row, status, evidence, voidReason, receipt };
  });
  const applied = rows.map((row) => ({
    ...(byId.get(row.id) as Verdict),
    serverId: row.serverId,
    season: row.season,
    authorKey: row.authorKey,
  }));
  await appendVerdicts(tx, stored);
  await addToTotals(tx, applied);
  const desk = applied.filter((v) => v.authorKey === "desk");
  await queueVerdictPosts(tx, desk, verdictTargets);
  await markToLearn(tx, desk);
  return applied;
}

/** The distinct values and, per item, the 1-based position of its value (null stays null). */
function distinct(items: readonly (string | null)[]): { values: string[]; positions: (number | null)[] } {
  const at = new Map<string, number>();
  const positions = items.map((item) => {
    if (item === null) return null;
    let position = at.get(item);
    if (position === undefined) {
      position = at.size + 1;
      at.set(item, position);
    }
    return position;
  });
  return { values: [...at.keys()], positions };
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

/** A call whose data is not there yet, tried again at `nextAttemptAt`. */
export interface Postponed {
  callId: number;
  attempts: number;
  nextAttemptAt: Date;
}

/** Data not there yet: try again later. One statement for all; only a call still open is touched. */
export async function postponeCalls(db: Db, postponed: readonly Postponed[]): Promise<void> {
  if (postponed.length === 0) return;
  await db.$executeRaw`
    UPDATE "Call" AS c SET attempts = p.attempts, "nextAttemptAt" = p.next_at
    FROM unnest(${postponed.map((p) => p.callId)}::int[], ${postponed.map((p) => p.attempts)}::int[],
      ${postponed.map((p) => p.nextAttemptAt)}::timestamp[]) AS p(id, attempts, next_at)
    WHERE c.id = p.id AND c.status = 'open'`;
}

/** Resolved parents of member calls (agree/fade), for peer scores against the desk. */
export function findCallsByIds(db: Db, ids: number[]): Promise<CallRow[]> {
  return ids.length === 0 ? Promise.resolve([]) : db.call.findMany({ where: { id: { in: ids } } });
}
