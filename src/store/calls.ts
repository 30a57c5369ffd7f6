import { type CallSpec, deadlineOf } from "../domain/call.ts";
import { type CallSource, seasonOf } from "../domain/call-record.ts";
import { questionOf } from "../domain/question.ts";
import { appendRecords, callContentOf } from "./chain.ts";
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
  // The call's number is part of what its record commits to, so it is drawn before the insert.
  const [next] = await tx.$queryRaw<
    { id: number }[]
  >`SELECT nextval(pg_get_serial_sequence('"Call"', 'id'))::int AS id`;
  if (!next) throw new Error("no call id drawn");
  const row = { id: next.id, ...rowOf(input) };
  let call: CallRow | undefined;
  await appendRecords(
    tx,
    input.serverId,
    [{ kind: "call", callId: row.id, content: callContentOf(row) }],
    async ([link]) => {
      if (!link) throw new Error("no chain link for the call");
      call = await tx.call.create({
        data: { ...row, chainSeq: link.seq, prevHash: link.prevHash, hash: link.hash },
      });
    },
  );
  return call as CallRow;
}

function rowOf(input: NewCall) {
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
    ...questionOf(spec),
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
  };
}
