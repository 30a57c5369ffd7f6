import type { CallRow, Db } from "./client.ts";

/** Members' live answers to one desk call; `right` counts those already resolved right. */
export interface ResponseTally {
  agree: number;
  fade: number;
  agreeRight: number;
  fadeRight: number;
}

/** Live (not superseded) agree/fade answers per desk call, for the counts on a posted dispatch. */
export async function responseTallies(db: Db, deskCallIds: number[]): Promise<Map<number, ResponseTally>> {
  const tallies = new Map<number, ResponseTally>(
    deskCallIds.map((id) => [id, { agree: 0, fade: 0, agreeRight: 0, fadeRight: 0 }]),
  );
  if (deskCallIds.length === 0) return tallies;
  const groups = await db.call.groupBy({
    by: ["parentCallId", "stance", "status"],
    where: { parentCallId: { in: deskCallIds }, status: { not: "superseded" } },
    _count: true,
  });
  for (const g of groups) {
    const tally = g.parentCallId === null ? undefined : tallies.get(g.parentCallId);
    if (!tally || (g.stance !== "agree" && g.stance !== "fade")) continue;
    tally[g.stance] += g._count;
    if (g.status === "right") tally[g.stance === "agree" ? "agreeRight" : "fadeRight"] += g._count;
  }
  return tallies;
}

/**
 * The desk calls of the dispatch posted as this message, in call order; empty when the message is
 * not a dispatch. A message id is unique only within its channel, so the channel is part of the key.
 */
export async function deskCallsOnMessage(
  db: Db,
  target: string,
  channelId: string,
  messageId: string,
): Promise<CallRow[]> {
  const posted = await db.delivery.findFirst({
    where: { target, channelId, platformMessageId: messageId, kind: "dispatch", status: "sent" },
    select: { dispatchId: true },
  });
  if (!posted?.dispatchId) return [];
  return db.call.findMany({
    where: { dispatchId: posted.dispatchId, authorType: "desk" },
    orderBy: { id: "asc" },
  });
}

/** Where a dispatch was posted on a target, once its delivery has been sent. */
export async function postedDispatch(
  db: Db,
  dispatchId: string,
  target: string,
): Promise<{ channelId: string; messageId: string } | null> {
  const row = await db.delivery.findFirst({
    where: { dispatchId, target, kind: "dispatch", status: "sent", platformMessageId: { not: null } },
    select: { channelId: true, platformMessageId: true },
  });
  return row?.channelId && row.platformMessageId
    ? { channelId: row.channelId, messageId: row.platformMessageId }
    : null;
}

/**
 * The member's live answer to a desk call, or null. A click's idempotency key includes it, so a
 * double click (both see the same state) stores one call while a later change of mind stores another.
 */
export async function liveResponseId(
  db: Db,
  serverId: string,
  externalId: string,
  deskCallId: number,
): Promise<number | null> {
  const row = await db.call.findFirst({
    where: {
      serverId,
      parentCallId: deskCallId,
      status: { not: "superseded" },
      member: { externalId },
    },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return row?.id ?? null;
}

/**
 * One "verdict" delivery per resolved desk call and chat target its dispatch was posted to, so each
 * platform edits its message and replies with the verdict. Idempotent: the dedupe key is per call and target.
 */
export async function enqueueVerdictDeliveries(db: Db, callIds: number[]): Promise<number> {
  if (callIds.length === 0) return 0;
  const calls = await db.call.findMany({
    where: { id: { in: callIds }, authorType: "desk", dispatchId: { not: null } },
    select: { id: true, serverId: true, dispatchId: true, dispatch: { select: { number: true } } },
  });
  const dispatchIds = [...new Set(calls.map((c) => c.dispatchId as string))];
  const posted = await db.delivery.findMany({
    where: {
      dispatchId: { in: dispatchIds },
      kind: "dispatch",
      status: "sent",
      target: { not: "web" },
      platformMessageId: { not: null },
    },
    select: { dispatchId: true, target: true, channelId: true },
  });
  const data = calls.flatMap((call) =>
    posted
      .filter((p) => p.dispatchId === call.dispatchId)
      .map((p) => ({
        serverId: call.serverId,
        dispatchId: call.dispatchId as string,
        callId: call.id,
        kind: "verdict",
        target: p.target,
        channelId: p.channelId,
        dedupeKey: `verdict:${call.id}:${p.target}`,
        payload: { callId: call.id, dispatchNumber: call.dispatch?.number ?? null },
      })),
  );
  if (data.length === 0) return 0;
  const { count } = await db.delivery.createMany({ data, skipDuplicates: true });
  return count;
}
