import { appendInTransaction, type NewCall } from "./calls.ts";
import { appendVerdicts } from "./chain.ts";
import { type CallRow, type Db, isUniqueViolation, type MemberRow } from "./client.ts";
import type { PrismaClient } from "./generated/client.ts";
import { ensureMember } from "./servers.ts";

/** At most `calls` calls per member in any `windowMs` of real time (a demo's fast clock does not count). */
export interface MemberRateLimit {
  calls: number;
  windowMs: number;
}

export interface MemberCallInput extends Omit<NewCall, "authorType" | "memberId" | "mind"> {
  member: { externalId: string; displayName: string };
  /** The most open calls a member may hold, counting this one. */
  maxOpen: number;
  rateLimit: MemberRateLimit;
}

export type MemberCallResult =
  /** `superseded`: the member's earlier open calls on the same desk call, now replaced by this one. */
  | { status: "created"; call: CallRow; superseded: number[] }
  /** The same interaction arrived again: the call it stored the first time. */
  | { status: "replayed"; call: CallRow }
  | { status: "over_cap"; open: number }
  /** `retryAt`: when the oldest call in the window leaves it and a new one is accepted. */
  | { status: "rate_limited"; recent: number; retryAt: Date };

/** A refusal thrown inside the transaction so that everything it did rolls back. */
class Refused extends Error {
  constructor(readonly result: Extract<MemberCallResult, { status: "over_cap" | "rate_limited" }>) {
    super(result.status);
  }
}

/**
 * Stores a member's call: creates the member on their first call, enforces the rate limit and the
 * open-call cap and, for an agree/fade, marks their earlier open response to the same desk call superseded (a verdict
 * record in the chain). The member's row is locked for the duration, so
 * two clicks at once cannot both pass the cap or both stay open. A refusal rolls everything back.
 */
export async function appendMemberCall(
  prisma: PrismaClient,
  input: MemberCallInput,
): Promise<MemberCallResult> {
  const { member: who, maxOpen, rateLimit, ...call } = input;
  try {
    return await inTurn(input.serverId, () =>
      prisma.$transaction(async (tx): Promise<MemberCallResult> => {
        const replay = await findByInteraction(tx, input.interactionId);
        if (replay) return { status: "replayed", call: replay };
        const member = await ensureMember(tx, input.serverId, who.externalId, who.displayName);
        await tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${member.id} FOR UPDATE`;
        await enforceRateLimit(tx, member.id, rateLimit);
        const replaced =
          input.parentCallId === undefined
            ? []
            : await tx.call.findMany({
                where: { memberId: member.id, parentCallId: input.parentCallId, status: "open" },
                orderBy: { id: "asc" },
              });
        const open = await tx.call.count({ where: { memberId: member.id, status: "open" } });
        if (open - replaced.length >= maxOpen) throw new Refused({ status: "over_cap", open });
        const supersededIds = replaced.map((r) => r.id);
        if (supersededIds.length > 0) {
          await tx.call.updateMany({ where: { id: { in: supersededIds } }, data: { status: "superseded" } });
          // Superseding is a verdict on the old answer: it goes into the chain like any other.
          await appendVerdicts(
            tx,
            replaced.map((r) => ({ ...r, status: "superseded" })),
          );
        }
        const stored = await appendInTransaction(tx, { ...call, authorType: "member", memberId: member.id });
        return { status: "created", call: stored, superseded: supersededIds };
      }),
    );
  } catch (error) {
    if (error instanceof Refused) return error.result;
    // Two deliveries of one interaction raced past the lookup: the loser answers with the winner's call.
    const replay = isUniqueViolation(error) ? await findByInteraction(prisma, input.interactionId) : null;
    if (replay) return { status: "replayed", call: replay };
    throw error;
  }
}

/**
 * Counts every call the member made in the window, superseded ones too: flipping a reaction back
 * and forth is exactly the spam this stops. Real time, read under the member's row lock, so
 * instances sharing the database enforce one limit.
 */
async function enforceRateLimit(tx: Db, memberId: string, limit: MemberRateLimit): Promise<void> {
  const windowStart = new Date(Date.now() - limit.windowMs);
  const where = { memberId, createdAt: { gt: windowStart } };
  const recent = await tx.call.count({ where });
  if (recent < limit.calls) return;
  // A new call fits once enough of the oldest have left the window (more than one if the limit was lowered).
  const leaving = await tx.call.findFirst({
    where,
    orderBy: { createdAt: "asc" },
    skip: recent - limit.calls,
    select: { createdAt: true },
  });
  const retryAt = new Date((leaving?.createdAt.getTime() ?? Date.now()) + limit.windowMs);
  throw new Refused({ status: "rate_limited", recent, retryAt });
}

const turns = new Map<string, Promise<unknown>>();

/**
 * One server's calls take turns in this process. Their transactions queue on the chain head's row
 * lock anyway; queued here instead, a burst holds one pooled connection rather than all of them, so
 * acknowledgements and pages still get theirs. Other instances still serialise on the row lock.
 */
function inTurn<T>(serverId: string, work: () => Promise<T>): Promise<T> {
  const run = (turns.get(serverId) ?? Promise.resolve()).then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  turns.set(serverId, settled);
  void settled.then(() => {
    if (turns.get(serverId) === settled) turns.delete(serverId);
  });
  return run;
}

function findByInteraction(db: Db, interactionId: string | undefined): Promise<CallRow | null> {
  return interactionId ? db.call.findUnique({ where: { interactionId } }) : Promise.resolve(null);
}

/** A call on this server; another server's call id reads as unknown, never as someone else's call. */
export function findServerCall(db: Db, serverId: string, callId: number): Promise<CallRow | null> {
  return db.call.findFirst({ where: { id: callId, serverId } });
}

export function findMember(db: Db, serverId: string, externalId: string): Promise<MemberRow | null> {
  return db.member.findUnique({ where: { serverId_externalId: { serverId, externalId } } });
}
