import type { ResponseCounts } from "../domain/dispatch.ts";
import type { Platform, Server } from "../domain/server.ts";
import type { Db } from "./client.ts";
import { enqueueDelivery } from "./outbox.ts";

/**
 * Where a dispatch was posted on a chat platform: the outbox row that delivered it keeps the
 * platform's message id, which is how a reaction on that message finds the dispatch's calls.
 */
export function findDispatchPost(db: Db, target: string, dispatchId: string) {
  return db.delivery.findFirst({
    where: { target, dispatchId, kind: "dispatch" },
    select: { platformMessageId: true, channelId: true, status: true },
  });
}

/** The dispatch behind a posted message, with its desk calls, or null for any other message. */
export async function findDispatchByPost(db: Db, target: string, platformMessageId: string) {
  const post = await db.delivery.findFirst({
    where: { target, platformMessageId, kind: "dispatch" },
    select: { dispatchId: true },
  });
  if (!post?.dispatchId) return null;
  return db.dispatch.findUnique({
    where: { id: post.dispatchId },
    select: {
      id: true,
      number: true,
      serverId: true,
      calls: { where: { authorType: "desk" }, orderBy: { id: "asc" }, select: { id: true, lockAt: true } },
    },
  });
}

/** Members' live agree/fade responses per desk call (superseded ones no longer count). */
export async function responseCounts(db: Db, deskCallIds: number[]): Promise<Map<number, ResponseCounts>> {
  const rows = await db.call.groupBy({
    by: ["parentCallId", "stance", "status"],
    where: { parentCallId: { in: deskCallIds }, status: { not: "superseded" } },
    _count: { _all: true },
  });
  const counts = new Map(deskCallIds.map((id) => [id, { agree: 0, fade: 0, agreeRight: 0, fadeRight: 0 }]));
  for (const row of rows) {
    const entry = row.parentCallId === null ? undefined : counts.get(row.parentCallId);
    if (!entry || (row.stance !== "agree" && row.stance !== "fade")) continue;
    entry[row.stance] += row._count._all;
    if (row.status === "right") entry[row.stance === "agree" ? "agreeRight" : "fadeRight"] += row._count._all;
  }
  return counts;
}

/**
 * Re-renders the post that carries a desk call: after a member answers it (one row per answering
 * event, its key, so a redelivered event adds no second edit), or at its lock (`at`) to close the
 * buttons. The surface renders the state as it is when it delivers, so a late row is never stale.
 */
export async function enqueuePostUpdate(db: Db, target: string, deskCallId: number, key: string, at?: Date) {
  const call = await db.call.findUnique({ where: { id: deskCallId }, select: { dispatchId: true } });
  if (!call?.dispatchId) return;
  const post = await findDispatchPost(db, target, call.dispatchId);
  if (!post) return;
  const dispatch = await db.dispatch.findUniqueOrThrow({
    where: { id: call.dispatchId },
    select: { number: true, serverId: true },
  });
  await enqueueDelivery(db, {
    serverId: dispatch.serverId,
    dispatchId: call.dispatchId,
    kind: "update",
    target,
    channelId: post.channelId,
    dedupeKey: `update:${target}:${key}`,
    payload: { dispatchNumber: dispatch.number },
    ...(at && { nextAttemptAt: at }),
  });
}

export function serversOn(db: Db, platform: Platform): Promise<Server[]> {
  return db.server.findMany({ where: { platform } });
}

export function findServerById(db: Db, id: string): Promise<Server | null> {
  return db.server.findUnique({ where: { id } });
}
