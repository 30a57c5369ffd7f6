import { GENESIS_HASH, recordLabel } from "../domain/chain.ts";
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
 * Why starting at a checkpoint is still safe: a record before it is re-read when its row (the call or
 * the record) was written after that checkpoint's check began. PostgreSQL stamps every row version
 * with the transaction that wrote it (xmin), which no SQL statement can set, so an edit made behind
 * the application's back always shows up as a newer row version. Deletions show up in the counts.
 * What this cannot see is an edit by someone who also writes the heap files directly, or one made
 * before the checkpoint was taken yet missed by that check (impossible: the check read every row).
 * `full` re-hashes everything anyway; a forged chain re-hashed end to end is the anchors' job.
 */
export async function checkChain(
  prisma: PrismaClient,
  serverId: string,
  options: ChainCheckOptions = {},
): Promise<ChainCheck> {
  const [now] = await prisma.$queryRaw<{ xact: string }[]>`SELECT txid_current()::text AS xact`;
  const xact = BigInt(now?.xact ?? "0");
  const checkpoint = options.full
    ? null
    : await prisma.chainCheckpoint.findFirst({
        where: { serverId },
        orderBy: [{ seq: "desc" }, { id: "desc" }],
      });
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
    const changed = await changedSeqs(prisma, serverId, checkpoint.seq, xact - checkpoint.xact);
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

  for (;;) {
    const page = await readRecords(prisma, serverId, { afterSeq: last.seq, take: PAGE });
    for (const record of page) {
      hashed += 1;
      const problem = problemOf(record, last.seq + 1, last.hash);
      if (problem) return broken(Math.min(record.seq, last.seq + 1), recordLabel(record), problem);
      last = { seq: record.seq, hash: record.hash };
    }
    if (page.length < PAGE) break;
  }

  const head = (await prisma.chainHead.findUnique({ where: { serverId } })) ?? { seq: 0, hash: GENESIS_HASH };
  if (head.seq !== last.seq || head.hash !== last.hash)
    return broken(
      Math.max(head.seq, last.seq),
      `head of the chain`,
      head.seq > last.seq
        ? `the head names record ${head.seq} but the chain ends at ${last.seq}: the newest record was removed`
        : `the head (record ${head.seq}) is not the newest record (${last.seq}, ${last.hash.slice(0, 12)}…)`,
    );
  const coverage = await coverageProblem(prisma, serverId, last.seq);
  if (coverage) return broken(coverage.seq, coverage.record, coverage.problem);
  if (hashed > 0 || !checkpoint) {
    await prisma.chainCheckpoint.create({ data: { serverId, seq: last.seq, hash: last.hash, xact } });
  }
  return { serverId, ok: true, length: last.seq, head: last.hash, hashed, from: checkpoint?.seq ?? 0 };
}

/**
 * Seqs up to `upTo` whose record row or call row was written fewer than `sinceXacts` transactions ago
 * (age(xmin) counts transactions back from now; a frozen old row reads as very old).
 */
async function changedSeqs(db: Db, serverId: string, upTo: number, sinceXacts: bigint): Promise<number[]> {
  const window = Number(sinceXacts < 2_000_000_000n ? sinceXacts : 2_000_000_000n);
  const rows = await db.$queryRaw<{ seq: number }[]>`
    SELECT r.seq FROM "ChainRecord" r
    WHERE r."serverId" = ${serverId} AND r.seq <= ${upTo} AND age(r.xmin) <= ${window}
    UNION
    SELECT r.seq FROM "Call" c JOIN "ChainRecord" r ON r."callId" = c.id
    WHERE c."serverId" = ${serverId} AND r.seq <= ${upTo} AND age(c.xmin) <= ${window}
    ORDER BY seq`;
  return rows.map((row) => row.seq);
}

/**
 * Counts that catch what a walk from a checkpoint cannot see: a record removed before it (the seqs
 * 1..last are all present only if there are `last` of them), and a call or a verdict written straight
 * into the table with no record (each call has one call record, each decided call one verdict record).
 */
async function coverageProblem(
  db: Db,
  serverId: string,
  lastSeq: number,
): Promise<{ seq: number; record: string; problem: string } | null> {
  const [counts] = await db.$queryRaw<{ records: number; calls: number; decided: number }[]>`
    SELECT (SELECT count(*)::int FROM "ChainRecord" WHERE "serverId" = ${serverId}) AS records,
      (SELECT count(*)::int FROM "Call" WHERE "serverId" = ${serverId}) AS calls,
      (SELECT count(*)::int FROM "Call" WHERE "serverId" = ${serverId} AND status <> 'open') AS decided`;
  if (!counts) return null;
  if (counts.records < lastSeq) {
    const [gap] = await db.$queryRaw<{ seq: number }[]>`
      SELECT s.seq FROM generate_series(1, ${lastSeq}) AS s(seq)
      WHERE NOT EXISTS (SELECT 1 FROM "ChainRecord" r WHERE r."serverId" = ${serverId} AND r.seq = s.seq)
      ORDER BY s.seq LIMIT 1`;
    const seq = gap?.seq ?? lastSeq;
    return { seq, record: `record ${seq}`, problem: "missing: a record was removed" };
  }
  if (counts.records === counts.calls + counts.decided) return null;
  const [unchained] = await db.$queryRaw<{ id: number; status: string; kind: string }[]>`
    SELECT c.id, c.status, k.kind FROM "Call" c
    CROSS JOIN (VALUES ('call'), ('verdict')) AS k(kind)
    WHERE c."serverId" = ${serverId} AND (k.kind = 'call' OR c.status <> 'open')
      AND NOT EXISTS (SELECT 1 FROM "ChainRecord" r WHERE r."callId" = c.id AND r.kind = k.kind)
    ORDER BY c.id LIMIT 1`;
  if (!unchained)
    return { seq: lastSeq, record: "the chain", problem: "more records than calls and verdicts" };
  return unchained.kind === "call"
    ? { seq: lastSeq, record: `call #${unchained.id}`, problem: "shown on pages but not in the chain" }
    : {
        seq: lastSeq,
        record: `verdict of call #${unchained.id}`,
        problem: `the call shows "${unchained.status}" but no verdict of it is in the chain`,
      };
}
