import type { Db } from "./client.ts";

/** The member's live (not superseded) answer to a desk call, or null when they have none. */
export function liveResponse(
  db: Db,
  serverId: string,
  externalId: string,
  deskCallId: number,
): Promise<{ id: number; stance: string | null; interactionId: string | null } | null> {
  return db.call.findFirst({
    where: { serverId, parentCallId: deskCallId, status: { not: "superseded" }, member: { externalId } },
    orderBy: { id: "desc" },
    select: { id: true, stance: true, interactionId: true },
  });
}
