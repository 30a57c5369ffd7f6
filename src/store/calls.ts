import { type CallSpec, deadlineOf } from "../domain/call.ts";
import { type CallSource, seasonOf } from "../domain/call-record.ts";
import {
  type ChainContent,
  type ChainVerdict,
  chainHash,
  GENESIS_HASH,
  verifyChain,
} from "../domain/chain.ts";
import { type CallRow, type Db, isUniqueViolation } from "./client.ts";
import type { PrismaClient } from "./generated/client.ts";

export interface NewCall {
  serverId: string;
  spec: CallSpec;
  authorType: "desk" | "member";
  mind?: string;
  memberId?: string;
  source: CallSource;
  stance?: "agree" | "fade";
  parentCallId?: number;
  cycleId?: string;
  dispatchId?: string;
  regime?: string;
  lockAt: Date;
  entryPrice?: number;
  entryAt?: Date;
  versusEntry?: number;
  /** Platform interaction id: the same event delivered twice stores one call. */
  interactionId?: string;
}

export interface AppendResult {
  call: CallRow;
  created: boolean;
}

type ChainedFields = Pick<
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

/** What a call's hash commits to: the question, its author and source, when it was made, and its entry. */
export function chainContentOf(row: ChainedFields): ChainContent {
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
    entryAt: row.entryAt?.toISOString() ?? null,
  };
}

/**
 * Stores a call and appends it to its server's hash chain in one transaction. The chain head row is
 * locked for the append, so concurrent calls on one server get consecutive sequence numbers.
 */
export async function appendCall(prisma: PrismaClient, input: NewCall): Promise<AppendResult> {
  try {
    return await prisma.$transaction(async (tx) => {
      if (input.interactionId) {
        const existing = await tx.call.findUnique({ where: { interactionId: input.interactionId } });
        if (existing) return { call: existing, created: false };
      }
      return { call: await appendInTransaction(tx, input), created: true };
    });
  } catch (error) {
    // Two deliveries of one interaction raced past the lookup: the loser returns the winner's call.
    if (input.interactionId && isUniqueViolation(error)) {
      const existing = await prisma.call.findUnique({ where: { interactionId: input.interactionId } });
      if (existing) return { call: existing, created: false };
    }
    throw error;
  }
}

/** For callers already inside a transaction (the cycle writes its calls with its dispatch). */
export async function appendInTransaction(tx: Db, input: NewCall): Promise<CallRow> {
  const head = await lockChainHead(tx, input.serverId);
  const seq = head.seq + 1;
  const row = rowOf(input, seq, head.hash);
  const hash = chainHash(chainContentOf(row), head.hash);
  const call = await tx.call.create({ data: { ...row, hash } });
  await tx.chainHead.update({ where: { serverId: input.serverId }, data: { seq, hash } });
  return call;
}

/**
 * Locks the server's chain head row until the transaction ends (creating it at genesis if absent).
 * Every call a server gets is appended under this lock, so whoever holds it sees every call
 * committed before it and none can be added beside it.
 */
export async function lockChainHead(tx: Db, serverId: string): Promise<{ seq: number; hash: string }> {
  await tx.$executeRaw`INSERT INTO "ChainHead" ("serverId", seq, hash) VALUES (${serverId}, 0, ${GENESIS_HASH}) ON CONFLICT DO NOTHING`;
  const [head] = await tx.$queryRaw<{ seq: number; hash: string }[]>`
    SELECT seq, hash FROM "ChainHead" WHERE "serverId" = ${serverId} FOR UPDATE`;
  if (!head) throw new Error(`chain head for server ${serverId} vanished`);
  return head;
}

function rowOf(input: NewCall, chainSeq: number, prevHash: string) {
  const { spec } = input;
  const madeAt = new Date(spec.madeAt);
  return {
    serverId: input.serverId,
    cycleId: input.cycleId ?? null,
    dispatchId: input.dispatchId ?? null,
    parentCallId: input.parentCallId ?? null,
    authorType: input.authorType,
    mind: input.mind ?? null,
    memberId: input.memberId ?? null,
    source: input.source,
    stance: input.stance ?? null,
    kind: spec.kind,
    symbol: spec.symbol,
    versus: "versus" in spec ? spec.versus : null,
    direction: "direction" in spec ? spec.direction : null,
    comparator: "comparator" in spec ? spec.comparator : null,
    level: "level" in spec ? spec.level : null,
    horizonHours: spec.horizonHours ?? null,
    flatBandPct: spec.flatBandPct ?? 0,
    probability: spec.probability,
    note: spec.note ?? null,
    regime: input.regime ?? null,
    madeAt,
    lockAt: input.lockAt,
    deadline: deadlineOf(spec),
    season: seasonOf(madeAt),
    entryPrice: input.entryPrice ?? null,
    entryAt: input.entryAt ?? null,
    versusEntry: input.versusEntry ?? null,
    interactionId: input.interactionId ?? null,
    chainSeq,
    prevHash,
  };
}

export async function verifyServerChain(db: Db, serverId: string): Promise<ChainVerdict> {
  const rows = await db.call.findMany({ where: { serverId }, orderBy: { chainSeq: "asc" } });
  return verifyChain(
    rows.map((row) => ({
      seq: row.chainSeq,
      content: chainContentOf(row),
      hash: row.hash,
      prevHash: row.prevHash,
    })),
  );
}
