import {
  type ChainContent,
  GENESIS_HASH,
  preparedEntry,
  type RecordKind,
  recordProblem,
  type StoredRecord,
} from "../domain/chain.ts";
import { receiptProblem } from "../domain/receipt.ts";
import type { CallRow, Db } from "./client.ts";
import type { SqlSession } from "./database.ts";
import type { PrismaClient } from "./generated/client.ts";

type LegacyFields = Pick<
  CallRow,
  | "serverId"
  | "authorType"
  | "mind"
  | "memberId"
  | "source"
  | "stance"
  | "parentCallId"
  | "kind"
  | "symbol"
  | "versus"
  | "direction"
  | "comparator"
  | "level"
  | "horizonHours"
  | "flatBandPct"
  | "probability"
  | "madeAt"
  | "lockAt"
  | "deadline"
  | "entryPrice"
  | "entryAt"
>;

export type CallFields = LegacyFields &
  Pick<CallRow, "id" | "note" | "versusEntry" | "regime" | "cycleId" | "dispatchId">;

export type VerdictFields = Pick<
  CallRow,
  | "id"
  | "status"
  | "resolvedAt"
  | "exitPrice"
  | "exitAt"
  | "movePct"
  | "evidence"
  | "voidReason"
  | "outcome"
  | "brier"
  | "baselineScore"
  | "peerScore"
  | "receipt"
>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** What calls chained before verdicts were commit to: the question, its author, its times and entry. */
function legacyCallContent(row: LegacyFields): ChainContent {
  return {
    serverId: row.serverId,
    authorType: row.authorType,
    mind: row.mind,
    memberId: row.memberId,
    source: row.source,
    stance: row.stance,
    parentCallId: row.parentCallId,
    kind: row.kind,
    symbol: row.symbol,
    versus: row.versus,
    direction: row.direction,
    comparator: row.comparator,
    level: row.level,
    horizonHours: row.horizonHours,
    flatBandPct: row.flatBandPct,
    probability: row.probability,
    madeAt: row.madeAt.toISOString(),
    lockAt: row.lockAt.toISOString(),
    deadline: row.deadline.toISOString(),
    entryPrice: row.entryPrice,
    entryAt: iso(row.entryAt),
  };
}

/** A call record: everything a page shows about the call as made, its number and note included. */
export function callContentOf(row: CallFields): ChainContent {
  return {
    ...legacyCallContent(row),
    record: "call",
    callId: row.id,
    note: row.note,
    versusEntry: row.versusEntry,
    regime: row.regime,
    cycleId: row.cycleId,
    dispatchId: row.dispatchId,
  };
}

/** A verdict record: the status, exit, evidence, scores, void reason and receipt as pages show them. */
export function verdictContentOf(row: VerdictFields): ChainContent {
  return {
    record: "verdict",
    callId: row.id,
    status: row.status,
    resolvedAt: iso(row.resolvedAt),
    exitPrice: row.exitPrice,
    exitAt: iso(row.exitAt),
    movePct: row.movePct,
    evidence: row.evidence,
    voidReason: row.voidReason,
    outcome: row.outcome,
    brier: row.brier,
    baselineScore: row.baselineScore,
    peerScore: row.peerScore,
    receipt: row.receipt,
  };
}

export interface NewRecord {
  kind: RecordKind;
  callId: number;
  content: ChainContent;
}

export interface Link {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Where the chain's statements run: a Prisma transaction, or a driver transaction for bulk writes. */
export type ChainTx = Db | SqlSession;

function query<Row>(tx: ChainTx, sql: string, params: unknown[]): Promise<Row[]> {
  return "$queryRawUnsafe" in tx ? tx.$queryRawUnsafe<Row[]>(sql, ...params) : tx.query<Row>(sql, params);
}

/**
 * Locks the server's chain head row until the transaction ends (creating it at genesis if absent).
 * Every record a server gets is appended under this lock, so whoever holds it sees every record
 * committed before it and none can be added beside it.
 */
export async function lockChainHead(tx: ChainTx, serverId: string): Promise<{ seq: number; hash: string }> {
  await query(
    tx,
    `INSERT INTO "ChainHead" ("serverId", seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`,
    [serverId, GENESIS_HASH],
  );
  const [head] = await query<{ seq: number; hash: string }>(
    tx,
    `SELECT seq, hash FROM "ChainHead" WHERE "serverId" = $1 FOR UPDATE`,
    [serverId],
  );
  if (!head) throw new Error(`chain head for server ${serverId} vanished`);
  return head;
}

/**
 * Appends records to a server's chain inside the caller's transaction. The head row is locked, so
 * concurrent appends on one server get consecutive seqs; `beforeInsert` runs once the links are known
 * and before the records are written (a new call's row carries its own link and must exist first).
 */
export async function appendRecords(
  tx: ChainTx,
  serverId: string,
  records: readonly NewRecord[],
  beforeInsert?: (links: Link[]) => Promise<void>,
): Promise<Link[]> {
  if (records.length === 0) return [];
  const entries = records.map((record) => preparedEntry(record.content));
  const head = await lockChainHead(tx, serverId);
  let prevHash = head.hash;
  const texts = entries.map((entry) => entry.text);
  const links = entries.map((entry, i) => {
    const hash = entry.hashWith(prevHash);
    const link = { seq: head.seq + i + 1, prevHash, hash };
    prevHash = hash;
    return link;
  });
  await beforeInsert?.(links);
  // One round trip however many records (a sweep appends thousands). The contents travel as one text,
  // a line each (canonical JSON has no raw newline), so neither the driver nor the server escapes or
  // parses them element by element: as a text array or inside JSON, that was most of the insert.
  if (texts.some((text) => text.includes("\n"))) throw new Error("a chain record's content spans lines");
  const last = links.at(-1) as Link;
  await query(
    tx,
    `WITH appended AS (
       INSERT INTO "ChainRecord" ("serverId", seq, kind, "callId", "prevHash", hash, content)
       SELECT $1, $2::int + r.n, r.kind, r.call_id, r.prev, r.hash, r.content
       FROM unnest($3::int[], string_to_array($4, ','), string_to_array($5, ','), string_to_array($6, ','),
         string_to_array($7, E'\n')) WITH ORDINALITY AS r(call_id, kind, prev, hash, content, n))
     UPDATE "ChainHead" SET seq = $8::int, hash = $9 WHERE "serverId" = $1`,
    [
      serverId,
      head.seq,
      records.map((r) => r.callId),
      records.map((r) => r.kind).join(","),
      links.map((l) => l.prevHash).join(","),
      links.map((l) => l.hash).join(","),
      texts.join("\n"),
      last.seq,
      last.hash,
    ],
  );
  return links;
}

/** Appends a verdict record for each call, grouped per server in a fixed order (no lock cycles). */
export async function appendVerdicts(
  tx: ChainTx,
  verdicts: readonly (VerdictFields & { serverId: string })[],
) {
  const byServer = new Map<string, NewRecord[]>();
  for (const verdict of [...verdicts].sort((a, b) => a.id - b.id)) {
    const list = byServer.get(verdict.serverId) ?? [];
    list.push({ kind: "verdict", callId: verdict.id, content: verdictContentOf(verdict) });
    byServer.set(verdict.serverId, list);
  }
  for (const serverId of [...byServer.keys()].sort())
    await appendRecords(tx, serverId, byServer.get(serverId) ?? []);
}

/**
 * Appends a verdict record for every decided call that has none: the verdicts a desk reached before
 * verdicts were chained. Run once, by the migration that starts chaining them. Returns how many.
 */
export async function chainEarlierVerdicts(db: PrismaClient): Promise<number> {
  const unchained = await db.call.findMany({
    where: { status: { not: "open" }, chainRecords: { none: { kind: "verdict" } } },
  });
  if (unchained.length > 0)
    await db.$transaction((tx) => appendVerdicts(tx, unchained), { timeout: 600_000 });
  return unchained.length;
}

/** The hash of a server's record at `seq` (the genesis hash at 0), or null when there is none. */
export async function chainHashAt(db: Db, serverId: string, seq: number): Promise<string | null> {
  if (seq === 0) return GENESIS_HASH;
  const record = await db.chainRecord.findUnique({
    where: { serverId_seq: { serverId, seq } },
    select: { hash: true },
  });
  return record?.hash ?? null;
}

type RecordWithCall = StoredRecord & { call: CallRow | null };

/** Why a stored record does not match the chain or the rows it commits to, or null. */
export function problemOf(record: RecordWithCall, expectedSeq: number, expectedPrev: string): string | null {
  const { call } = record;
  const legacy = record.kind === "call" && record.content === null && call ? legacyCallContent(call) : null;
  const content = call ? (record.kind === "call" ? callContentOf(call) : verdictContentOf(call)) : null;
  const problem = recordProblem(record, expectedSeq, expectedPrev, { content, legacy });
  if (problem || !call) return problem;
  if (
    record.kind === "call" &&
    (call.chainSeq !== record.seq || call.hash !== record.hash || call.prevHash !== record.prevHash)
  )
    return `call #${call.id} shows a different chain position or hash than its record`;
  return record.kind === "verdict" ? receiptProblem(call.receipt) : null;
}

export async function readRecords(
  db: Db,
  serverId: string,
  where: { afterSeq: number; take: number } | { seqs: number[] },
): Promise<RecordWithCall[]> {
  const rows = await db.chainRecord.findMany({
    where: { serverId, seq: "seqs" in where ? { in: where.seqs } : { gt: where.afterSeq } },
    orderBy: { seq: "asc" },
    ...("take" in where ? { take: where.take } : {}),
  });
  // Calls read apart, not included: a record outlives a deleted call, and Prisma refuses a required
  // relation that comes back empty instead of letting verification name the call that is gone.
  const calls = await db.call.findMany({
    where: { id: { in: [...new Set(rows.map((row) => row.callId))] } },
  });
  const byId = new Map(calls.map((call) => [call.id, call]));
  return rows.map((row) => ({ ...row, kind: row.kind as RecordKind, call: byId.get(row.callId) ?? null }));
}
