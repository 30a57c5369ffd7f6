import type { Db } from "./client.ts";

/**
 * The member's live answer to a desk call, or null. A click's idempotency key includes it, so a
 * double click (both clicks see the same state) stores one call, while a later change of mind, made
 * after that answer, stores another.
 */
export async function liveResponseId(
  db: Db,
  serverId: string,
  externalId: string,
  deskCallId: number,
): Promise<number | null> {
  const row = await db.call.findFirst({
    where: { serverId, parentCallId: deskCallId, status: { not: "superseded" }, member: { externalId } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return row?.id ?? null;
}
