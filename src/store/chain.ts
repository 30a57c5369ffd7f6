import {
  type ChainContent,
  chainEntry,
  GENESIS_HASH,
  type RecordKind,
  recordProblem,
  type StoredRecord,
} from "../domain/chain.ts";
import { receiptProblem } from "../domain/receipt.ts";
import type { CallRow, Db } from "./client.ts";
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

/**
 * Locks the server's chain head row until the transaction ends (creating it at genesis if absent).
 * Every record a server gets is appended under this lock, so whoever holds it sees every record
 * committed before it and none can be added beside it.
 */
export async function lockChainHead(tx: Db, serverId: string): Promise<{ seq: number; hash: string }> {
  await tx.$executeRaw`INSERT INTO "ChainHead" ("serverId", seq, hash) VALUES (${serverId}, 0, ${GENESIS_HASH}) ON CONFLICT DO NOTHING`;
  const [head] = await tx.$queryRaw<{ seq: number; hash: string }[]>`
    SELECT seq, hash FROM "ChainHead" WHERE "serverId" = ${serverId} FOR UPDATE`;
  if (!head) throw new Error(`chain head for server ${serverId} vanished`);
  return head;
}

/**
 * Appends records to a server's chain inside the caller's transaction. The head row is locked, so
 * concurrent appends on one server get consecutive seqs; `beforeInsert` runs once the links are known
 * and before the records are written (a new call's row carries its own link and must exist first).
 */
export async function appendRecords(
  tx: Db,
  serverId: string,
  records: readonly NewRecord[],
  beforeInsert?: (links: Link[]) => Promise<void>,
): Promise<Link[]> {
  if (records.length === 0) return [];
  const head = await lockChainHead(tx, serverId);
  let prevHash = head.hash;
  const texts: string[] = [];
  const links = records.map((record, i) => {
    const { text, hash } = chainEntry(record.content, prevHash);
    texts.push(text);
    const link = { seq: head.seq + i + 1, prevHash, hash };
    prevHash = hash;
    return link;
  });
  await beforeInsert?.(links);
  // One round trip however many records (a sweep appends thousands): each column is one array parameter.
  const col = <T>(pick: (record: NewRecord, link: Link) => T) =>
    records.map((record, i) => pick(record, links[i] as Link));
  const last = links.at(-1) as Link;
  await tx.$executeRaw`
    WITH appended AS (
      INSERT INTO "ChainRecord" ("serverId", seq, kind, "callId", "prevHash", hash, content)
      SELECT ${serverId}, r.seq, r.kind, r.call_id, r.prev_hash, r.hash, r.content
      FROM unnest(${col((_, l) => l.seq)}::int[], ${col((r) => r.kind)}::text[], ${col((r) => r.callId)}::int[],
        ${col((_, l) => l.prevHash)}::text[], ${col((_, l) => l.hash)}::text[],
        ${texts}::text[]) AS r(seq, kind, call_id, prev_hash, hash, content))
    UPDATE "ChainHead" SET seq = ${last.seq}, hash = ${last.hash} WHERE "serverId" = ${serverId}`;
  return links;
}

/** Appends a verdict record for each call, grouped per server in a fixed order (no lock cycles). */
export async function appendVerdicts(tx: Db, verdicts: readonly (VerdictFields & { serverId: string })[]) {
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
    include: { call: true },
    ...("take" in where ? { take: where.take } : {}),
  });
  return rows.map((row) => ({ ...row, kind: row.kind as RecordKind }));
}
