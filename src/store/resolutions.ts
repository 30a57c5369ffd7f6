import { callSkill } from "../domain/skill.ts";
import { appendVerdicts, type VerdictFields } from "./chain.ts";
import type { Database, SqlSession } from "./database.ts";
import { emptySums, type ScoreSums } from "./leaderboard.ts";

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

/** Where an updated call belongs: what the chain and the totals need besides the verdict. */
interface StoredRow {
  id: number;
  serverId: string;
  season: string;
  authorKey: string;
}

/**
 * Verdicts per transaction, and transactions at once. Two at a time keep the database busy on two
 * connections: one chunk updates its calls while another appends to the chain (appends take turns
 * under the chain head's lock), which small chunks interleave best. PGlite has one connection, so
 * there they simply take turns.
 */
const CHUNK = 2_500;
const WRITERS = 2;

/**
 * Writes a batch of verdicts in transactions of up to CHUNK verdicts, every statement set-based: one
 * conditional update (a call still open gets its verdict, a call already resolved by a concurrent sweep is left alone),
 * then, for the rows it actually changed, a verdict record in each server's hash chain, the score
 * totals (so a call is scored exactly once), the verdict posts in the outbox for each of
 * `verdictTargets` the call's dispatch was posted to, and a learn marker per desk verdict, all in the
 * verdict's own transaction. A crash after a commit therefore loses no post and no post-mortem: the
 * outbox and the next sweep's learning pick them up; a failed chunk leaves its calls open for the next
 * sweep, and the first failure is thrown once the chunks under way have ended. The chunks travel as
 * JSON parameters through the driver's own transaction (Database.transaction), so they have no
 * parameter limit and no per-element escaping.
 */
export function applyVerdicts(
  db: Database,
  verdicts: Verdict[],
  resolvedAt: Date,
  verdictTargets: readonly string[] = [],
): Promise<AppliedVerdict[]> {
  return writeVerdictChunks(db, verdictChunks(verdicts), resolvedAt, verdictTargets);
}

/** Verdicts in transactions' worth, in order. */
export function verdictChunks(verdicts: Verdict[]): Verdict[][] {
  const chunks: Verdict[][] = [];
  for (let i = 0; i < verdicts.length; i += CHUNK) chunks.push(verdicts.slice(i, i + CHUNK));
  return chunks;
}

/**
 * applyVerdicts over chunks that may still be coming (a sweep decides its next page meanwhile): each
 * writer takes the next chunk as soon as it is free, so no writer waits for another's last chunk.
 * Returns the applied verdicts in chunk order. On a failure no further chunk is taken; the first
 * failure is thrown once the chunks under way have ended, and the source is closed (`return`).
 */
export async function writeVerdictChunks(
  db: Database,
  chunks: Iterable<Verdict[]> | AsyncIterable<Verdict[]>,
  resolvedAt: Date,
  verdictTargets: readonly string[] = [],
): Promise<AppliedVerdict[]> {
  const source = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();
  const applied: AppliedVerdict[][] = [];
  let failure: unknown;
  let taken = 0;
  const writer = async () => {
    while (failure === undefined) {
      let next: IteratorResult<Verdict[]>;
      try {
        next = await source.next();
      } catch (error) {
        failure ??= error;
        return;
      }
      if (next.done) return;
      const at = taken++;
      try {
        applied[at] = await db.transaction((session) =>
          applyBatch(session, next.value, resolvedAt, verdictTargets),
        );
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  if (failure !== undefined) {
    await source.return?.();
    throw failure;
  }
  return applied.flat();
}

async function applyBatch(
  session: SqlSession,
  batch: Verdict[],
  resolvedAt: Date,
  verdictTargets: readonly string[],
): Promise<AppliedVerdict[]> {
  // The calls of one symbol and deadline share their receipt: each distinct text travels once, and
  // each call names it by position.
  const receipts = new Map<string, number>();
  const rows = batch.map((v) => {
    let receipt: number | null = null;
    if (v.receipt !== null) {
      receipt = receipts.get(v.receipt) ?? receipts.size + 1;
      receipts.set(v.receipt, receipt);
    }
    return {
      id: v.callId,
      status: v.status,
      exit_price: v.exitPrice,
      // As text: JSON.stringify calls a Date's toJSON through a slow path.
      exit_at: v.exitAt?.toISOString() ?? null,
      move_pct: v.movePct,
      evidence: v.evidence,
      void_reason: v.voidReason,
      outcome: v.outcome,
      brier: v.brier,
      baseline: v.baselineScore,
      peer: v.peerScore,
      receipt,
    };
  });
  // The chain hashes the numbers as sent: each goes in as its shortest JSON text, which float8 reads
  // back to the same double, so they are the numbers verification re-reads (not returned: 100k rows of
  // six floats was a good part of a sweep's parsing). Times go in as ISO text (millisecond precision,
  // kept exactly) and are hashed as given.
  const stored = await session.query<StoredRow>(
    `UPDATE "Call" AS c SET
       status = v.status, "resolvedAt" = $1::timestamp, "exitPrice" = v.exit_price, "exitAt" = v.exit_at,
       "movePct" = v.move_pct, evidence = v.evidence, "voidReason" = v.void_reason, outcome = v.outcome,
       brier = v.brier, "baselineScore" = v.baseline, "peerScore" = v.peer, receipt = r.text,
       "nextAttemptAt" = NULL
     FROM json_to_recordset($2::json) AS v(id int, status text, exit_price float8, exit_at timestamp,
         move_pct float8, evidence text, void_reason text, outcome int, brier float8, baseline float8,
         peer float8, receipt int)
       LEFT JOIN json_array_elements_text($3::json) WITH ORDINALITY AS r(text, n) ON r.n = v.receipt
     WHERE c.id = v.id AND c.status = 'open'
     RETURNING c.id, c."serverId", c.season, COALESCE(c."memberId", 'desk') AS "authorKey"`,
    [resolvedAt.toISOString(), JSON.stringify(rows), JSON.stringify([...receipts.keys()])],
  );
  const byId = new Map(batch.map((v) => [v.callId, v]));
  const chained: (VerdictFields & { serverId: string })[] = [];
  const applied: AppliedVerdict[] = [];
  for (const row of stored) {
    const verdict = byId.get(row.id) as Verdict;
    chained.push({
      id: row.id,
      serverId: row.serverId,
      status: verdict.status,
      resolvedAt,
      exitPrice: verdict.exitPrice,
      exitAt: verdict.exitAt,
      movePct: verdict.movePct,
      evidence: verdict.evidence,
      voidReason: verdict.voidReason,
      outcome: verdict.outcome,
      brier: verdict.brier,
      baselineScore: verdict.baselineScore,
      peerScore: verdict.peerScore,
      receipt: verdict.receipt,
    });
    applied.push(appliedOf(verdict, row));
  }
  await appendVerdicts(session, chained);
  await addToTotals(session, applied);
  const desk = applied.filter((v) => v.authorKey === "desk");
  await queueVerdictPosts(session, desk, verdictTargets);
  await markToLearn(session, desk);
  return applied;
}

/**
 * Every member named, not spread: spreading a verdict into a new object took V8's slow path, about
 * 4 µs a verdict (0.4 s of a 100k sweep); a literal of the same members takes a fraction of that.
 */
function appliedOf(v: Verdict, row: StoredRow): AppliedVerdict {
  return {
    callId: v.callId,
    status: v.status,
    exitPrice: v.exitPrice,
    exitAt: v.exitAt,
    movePct: v.movePct,
    evidence: v.evidence,
    voidReason: v.voidReason,
    outcome: v.outcome,
    brier: v.brier,
    baselineScore: v.baselineScore,
    peerScore: v.peerScore,
    receipt: v.receipt,
    serverId: row.serverId,
    season: row.season,
    authorKey: row.authorKey,
  };
}

/**
 * A verdict post for every desk call whose dispatch went out to one of `targets`: the post updates
 * and a short reply follows, in the channel the dispatch was posted to. Keyed by call and target,
 * so nothing is queued twice. Due on the wall clock, which is what the outbox runs on (a demo's
 * sweep clock may run ahead of it).
 */
async function queueVerdictPosts(
  session: SqlSession,
  desk: AppliedVerdict[],
  targets: readonly string[],
): Promise<void> {
  if (desk.length === 0 || targets.length === 0) return;
  await session.query(
    `INSERT INTO "Delivery" (id, "serverId", "dispatchId", "callId", kind, target, "channelId", "dedupeKey", payload, "nextAttemptAt", "createdAt")
     SELECT gen_random_uuid()::text, c."serverId", c."dispatchId", c.id, 'verdict', post.target, post."channelId",
       'verdict:' || c.id || ':' || post.target, jsonb_build_object('dispatchNumber', d.number, 'callId', c.id),
       $1::timestamp, $1::timestamp
     FROM "Call" AS c
     JOIN "Dispatch" AS d ON d.id = c."dispatchId"
     JOIN "Delivery" AS post ON post."dispatchId" = c."dispatchId" AND post.kind = 'dispatch'
       AND post.target IN (SELECT json_array_elements_text($2::json))
     WHERE c.id IN (SELECT json_array_elements_text($3::json)::int) AND c."authorType" = 'desk'
     ORDER BY c.id, post."createdAt"
     ON CONFLICT ("dedupeKey") DO NOTHING`,
    [new Date().toISOString(), JSON.stringify(targets), JSON.stringify(desk.map((v) => v.callId))],
  );
}

/** The desk learns from each of its verdicts once: see learnPending in agents/cycle/learn.ts. */
async function markToLearn(session: SqlSession, desk: AppliedVerdict[]): Promise<void> {
  if (desk.length === 0) return;
  await session.query(
    `INSERT INTO "LearnMarker" ("callId", "serverId")
     SELECT m.call_id, m.server_id FROM json_to_recordset($1::json) AS m(call_id int, server_id text)
     ON CONFLICT ("callId") DO NOTHING`,
    [JSON.stringify(desk.map((v) => ({ call_id: v.callId, server_id: v.serverId })))],
  );
}

interface Totals extends ScoreSums {
  serverId: string;
  season: string;
  authorKey: string;
}

async function addToTotals(session: SqlSession, applied: AppliedVerdict[]): Promise<void> {
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
  await session.query(
    `INSERT INTO "ScoreTotal" ("serverId", season, "authorKey", resolved, "rightCount", voids, "brierSum", "baselineSum", "peerSum", "peerCount",
       "baselineSqSum", "peerSqSum", "skillSum", "skillSqSum")
     SELECT "serverId", season, "authorKey", resolved, "rightCount", voids, "brierSum", "baselineSum", "peerSum", "peerCount",
       "baselineSqSum", "peerSqSum", "skillSum", "skillSqSum"
     FROM json_to_recordset($1::json) AS t("serverId" text, season text, "authorKey" text, resolved int, "rightCount" int,
       voids int, "brierSum" float8, "baselineSum" float8, "peerSum" float8, "peerCount" int, "baselineSqSum" float8,
       "peerSqSum" float8, "skillSum" float8, "skillSqSum" float8)
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
       "skillSqSum" = "ScoreTotal"."skillSqSum" + EXCLUDED."skillSqSum"`,
    [JSON.stringify([...totals.values()])],
  );
}
