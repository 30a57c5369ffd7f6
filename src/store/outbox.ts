import type { Db } from "./client.ts";

export interface ClaimedDelivery {
  id: string;
  serverId: string;
  dispatchId: string | null;
  callId: number | null;
  kind: string;
  target: string;
  channelId: string | null;
  payload: unknown;
  attempts: number;
  /** A previous worker claimed it and vanished (crash): it may already have been posted. */
  reclaimed: boolean;
}

/**
 * Claims due deliveries for a while (a lease): concurrent workers skip each other's rows, and a row
 * whose worker died becomes due again when its lease ends, marked as reclaimed.
 */
export async function claimDeliveries(
  db: Db,
  targets: string[],
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  if (targets.length === 0) return [];
  const leaseEnd = new Date(now.getTime() + leaseMs);
  return db.$queryRaw<ClaimedDelivery[]>`
    WITH due AS (
      SELECT id, status = 'sending' AS reclaimed FROM "Delivery"
      WHERE status IN ('pending', 'sending') AND target = ANY(${targets}::text[]) AND "nextAttemptAt" <= ${now}
      ORDER BY "createdAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "Delivery" AS d SET status = 'sending', attempts = d.attempts + 1, "nextAttemptAt" = ${leaseEnd}
    FROM due WHERE d.id = due.id
    RETURNING d.id, d."serverId", d."dispatchId", d."callId", d.kind, d.target, d."channelId", d.payload, d.attempts, due.reclaimed`;
}

export async function markDelivered(
  db: Db,
  id: string,
  platformMessageId: string | null,
  at: Date,
): Promise<void> {
  await db.delivery.update({
    where: { id },
    data: { status: "sent", platformMessageId, sentAt: at, lastError: null },
  });
}

/** Back to pending for a later attempt, or failed for good when attempts are used up. */
export async function markAttemptFailed(
  db: Db,
  id: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db.delivery.update({
    where: { id },
    data: retryAt
      ? { status: "pending", nextAttemptAt: retryAt, lastError: error.slice(0, 1000) }
      : { status: "failed", lastError: error.slice(0, 1000) },
  });
}

export async function enqueueDelivery(
  db: Db,
  delivery: {
    serverId: string;
    dispatchId?: string;
    callId?: number;
    kind: string;
    target: string;
    channelId: string | null;
    dedupeKey: string;
    payload: object;
    /** Not before this moment (default: now), e.g. a post that re-renders when its call locks. */
    nextAttemptAt?: Date;
  },
): Promise<void> {
  await db.delivery.createMany({ data: [delivery], skipDuplicates: true });
}
