import { GENESIS_HASH, type RecordKind, recordLabel } from "../domain/chain.ts";
import { problemOf, readRecords } from "./chain.ts";
import type { Db } from "./client.ts";
import type { PrismaClient } from "./generated/client.ts";

export type ChainCheck =
  | {
      serverId: string;
      ok: true;
      /** Records in the chain; the head is the newest one's hash. */
      length: number;
      head: string;
      /** Records re-hashed by this check: the ones after the checkpoint and any row changed since. */
      hashed: number;
      /** The checkpoint this check started from (0: from genesis). */
      from: number;
    }
  | {
      serverId: string;
      ok: false;
      /** The first broken record's seq. */
      seq: number;
      /** e.g. "record 41 (verdict of call #17)". */
      record: string;
      problem: string;
      hashed: number;
    };

export interface ChainCheckOptions {
  /** Re-hash every record from genesis instead of starting at the last checkpoint. */
  full?: boolean;
}

const PAGE = 2000;

/**
 * Checks one server's chain: every record's link and sequence, its content against what the rows hold
 * now, the head against the newest record, and that every call and every verdict has its record. A
 * clean check writes a checkpoint, and the next check starts after it.
 *
 * Why starting at a checkpoint is still safe: a record before it is trusted only while neither its row
 * nor its call's row has been written since that checkpoint's check began. PostgreSQL stamps every row
 * version with the transaction that wrote it (xmin), which no SQL statement can set, so an edit made
 * behind the application's back, however old the record, is a newer row version and is re-read. A
 * deleted record is caught by the count (seqs 1..head must all be there), a deleted checkpointed
 * record by the checkpoint's own hash. Honest limits: someone who writes the heap files directly, or
 * restores a dump (every row then looks new: all are re-read, which is safe but slow), and a chain
 * re-hashed end to end with its head and checkpoints rewritten: that is what the anchors catch.
 * `full` ignores checkpoints and re-hashes every record from genesis.
 */
export async function checkChain(
  prisma: PrismaClient,
  serverId: string,
  options: ChainCheckOptions = {},
): Promise<ChainCheck> {
  const checkpoint = options.full
    ? null
    : await prisma.chainCheckpoint.findFirst({
        where: { serverId },
        orderBy: [{ seq: "desc" }, { id: "desc" }],
      });
  const state = await stateOf(prisma, serverId, checkpoint);
  let hashed = 0;
  const broken = (seq: number, record: string, problem: string): ChainCheck => ({
    serverId,
    ok: false,
    seq,
    record,
    problem,
    hashed,
  });

  let last = { seq: 0, hash: GENESIS_HASH };
  if (checkpoint) {
    const [signed] = await readRecords(prisma, serverId, { seqs: [checkpoint.seq] });
    if (signed?.hash !== checkpoint.hash)
      return broken(
        checkpoint.seq,
        signed ? recordLabel(signed) : `record ${checkpoint.seq}`,
        `differs from the checkpoint signed off at ${checkpoint.at.toISOString()}: rewritten or removed`,
      );
    last = { seq: checkpoint.seq, hash: checkpoint.hash };
    // Rows changed since the checkpoint's check began: re-read their records, in chain order.
    const changed = await changedSeqs(prisma, serverId, checkpoint.seq, state);
    const records = await readRecords(prisma, serverId, { seqs: changed });
    const before = await readRecords(prisma, serverId, {
      seqs: changed.map((seq) => seq - 1).filter((seq) => seq > 0),
    });
    const hashBefore = new Map(before.map((r) => [r.seq + 1, r.hash]));
    for (const record of records) {
      hashed += 1;
      const problem = problemOf(record, record.seq, hashBefore.get(record.seq) ?? GENESIS_HASH);
      if (problem) return broken(record.seq, recordLabel(record), problem);
    }
  }

  // Up to the head as it stood when the counts were taken: later appends are the next check's.
  while (last.seq < state.headSeq) {
    const page = await readRecords(prisma, serverId, { afterSeq: last.seq, take: PAGE });
    for (const record of page) {
      if (record.seq > state.headSeq) break;
      hashed += 1;
      const problem = problemOf(record, last.seq + 1, last.hash);
      if (problem) return broken(Math.min(record.seq, last.seq + 1), recordLabel(record), problem);
      last = { seq: record.seq, hash: record.hash };
    }
    if (page.length < PAGE) break;
  }

  if (state.headSeq !== last.seq || state.headHash !== last.hash)
    return broken(
      Math.max(state.headSeq, last.seq),
      `head of the chain`,
      state.headSeq > last.seq
        ? `the head names record ${state.headSeq} but the chain ends at ${last.seq}: the newest record was removed`
        : `the head (record ${state.headSeq}) is not the newest record (${last.seq}, ${last.hash.slice(0, 12)}…)`,
    );
  const coverage = await coverageProblem(prisma, serverId, state);
  if (coverage) return broken(coverage.seq, coverage.record, coverage.problem);
  if (hashed > 0 || !checkpoint) {
    await prisma.chainCheckpoint.create({
      data: { serverId, seq: last.seq, hash: last.hash, xact: state.xact },
    });
  }
  return { serverId, ok: true, length: last.seq, head: last.hash, hashed, from: checkpoint?.seq ?? 0 };
}

/** The server's chain as one statement sees it: one snapshot, one pass over each table. */
interface ChainState {
  /** Every transaction unfinished at this snapshot has an id at or above this: its writes count as changed next time. */
  xact: bigint;
  headSeq: number;
  headHash: string;
  records: number;
  calls: number;
  decided: number;
  /** Seqs (up to the checkpoint) of record rows written since the checkpoint's check began. */
  changedRecords: number[];
  /** Ids of call rows written since then. */
  changedCalls: number[];
}

/**
 * Head, counts and changed rows in one statement. A row was written since `since` when age(xmin),
 * counted back from this statement's own transaction, is at most the distance back to `since`: this
 * works across xmin's 32-bit wraparound and errs toward re-reading a row, never past one.
 */
async function stateOf(db: Db, serverId: string, checkpoint: { seq: number; xact: bigint } | null) {
  const since = String(checkpoint?.xact ?? 0n);
  const upTo = checkpoint?.seq ?? 0;
  const [row] = await db.$queryRaw<
    (Omit<ChainState, "xact" | "headSeq" | "headHash"> & {
      xact: string;
      headSeq: number | null;
      headHash: string | null;
    })[]
  >`
    WITH w AS (
      SELECT CASE WHEN ${checkpoint !== null}::boolean THEN LEAST(txid_current() - ${since}::bigint, 2000000000) ELSE -1 END AS back)
    SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xact,
      (SELECT seq FROM "ChainHead" WHERE "serverId" = ${serverId}) AS "headSeq",
      (SELECT hash FROM "ChainHead" WHERE "serverId" = ${serverId}) AS "headHash",
      r.records, r.changed AS "changedRecords", c.calls, c.decided, c.changed AS "changedCalls"
    FROM w,
      LATERAL (SELECT count(*)::int AS records,
          COALESCE(array_agg(seq) FILTER (WHERE seq <= ${upTo} AND age(xmin) <= w.back), '{}') AS changed
        FROM "ChainRecord" WHERE "serverId" = ${serverId}) AS r,
      LATERAL (SELECT count(*)::int AS calls, (count(*) FILTER (WHERE status <> 'open'))::int AS decided,
          COALESCE(array_agg(id) FILTER (WHERE age(xmin) <= w.back), '{}') AS changed
        FROM "Call" WHERE "serverId" = ${serverId}) AS c`;
  if (!row) throw new Error("the chain state query returned nothing");
  return {
    ...row,
    xact: BigInt(row.xact),
    headSeq: row.headSeq ?? 0,
    headHash: row.headHash ?? GENESIS_HASH,
  };
}

/** The seqs to re-read before the checkpoint: changed records, and the records of changed calls. */
async function changedSeqs(db: Db, serverId: string, upTo: number, state: ChainState): Promise<number[]> {
  const ofCalls =
    state.changedCalls.length === 0
      ? []
      : await db.chainRecord.findMany({
          where: { serverId, callId: { in: state.changedCalls }, seq: { lte: upTo } },
          select: { seq: true },
        });
  return [...new Set([...state.changedRecords, ...ofCalls.map((r) => r.seq)])].sort((a, b) => a - b);
}

/**
 * Counts that catch what a walk from a checkpoint cannot see: a record removed before it (the seqs
 * 1..head are all present only if there are head-many of them), and a call or a verdict written
 * straight into the table with no record (each call has one call record, each decided call one
 * verdict record).
 */
async function coverageProblem(
  db: Db,
  serverId: string,
  state: ChainState,
): Promise<{ seq: number; record: string; problem: string } | null> {
  const lastSeq = state.headSeq;
  if (state.records < lastSeq) {
    const [gap] = await db.$queryRaw<{ seq: number }[]>`
      SELECT s.seq FROM generate_series(1, ${lastSeq}) AS s(seq)
      WHERE NOT EXISTS (SELECT 1 FROM "ChainRecord" r WHERE r."serverId" = ${serverId} AND r.seq = s.seq)
      ORDER BY s.seq LIMIT 1`;
    const seq = gap?.seq ?? lastSeq;
    return { seq, record: `record ${seq}`, problem: "missing: a record was removed" };
  }
  if (state.records > lastSeq)
    return {
      seq: lastSeq + 1,
      record: `record ${lastSeq + 1}`,
      problem: "lies beyond the head of the chain",
    };
  if (state.records === state.calls + state.decided) return null;
  const [unchained] = await db.$queryRaw<{ id: number; status: string; kind: string }[]>`
    SELECT c.id, c.status, k.kind FROM "Call" c
    CROSS JOIN (VALUES ('call'), ('verdict')) AS k(kind)
    WHERE c."serverId" = ${serverId} AND (k.kind = 'call' OR c.status <> 'open')
      AND NOT EXISTS (SELECT 1 FROM "ChainRecord" r WHERE r."callId" = c.id AND r.kind = k.kind)
    ORDER BY c.id LIMIT 1`;
  if (!unchained) return orphanProblem(db, serverId, lastSeq);
  return unchained.kind === "call"
    ? { seq: lastSeq, record: `call #${unchained.id}`, problem: "shown on pages but not in the chain" }
    : {
        seq: lastSeq,
        record: `verdict of call #${unchained.id}`,
        problem: `the call shows "${unchained.status}" but no verdict of it is in the chain`,
      };
}

/** More records than calls and verdicts: the first record whose call was deleted from under it. */
async function orphanProblem(
  db: Db,
  serverId: string,
  lastSeq: number,
): Promise<{ seq: number; record: string; problem: string }> {
  const [orphan] = await db.$queryRaw<{ seq: number; callId: number; kind: RecordKind }[]>`
    SELECT r.seq, r."callId", r.kind FROM "ChainRecord" r
    WHERE r."serverId" = ${serverId} AND NOT EXISTS (SELECT 1 FROM "Call" c WHERE c.id = r."callId")
    ORDER BY r.seq LIMIT 1`;
  if (!orphan) return { seq: lastSeq, record: "the chain", problem: "more records than calls and verdicts" };
  return {
    seq: orphan.seq,
    record: recordLabel(orphan),
    problem: `its call #${orphan.callId} is gone`,
  };
}
