import { agree, fade, type Stance } from "../../../commands/stance.ts";
import { enqueuePostUpdate } from "../../../store/dispatch-posts.ts";
import { liveResponse } from "../../../store/live-responses.ts";
import { commandContext, type SlackIdentity } from "../context.ts";
import type { SlackClient, SlackDeps } from "../deps.ts";
import { type Reply, replyOf, stanceReply } from "../render/replies.ts";

/**
 * An agree or fade from a button or a reaction. A stored answer re-renders the post's counts through
 * the outbox (one update per stored answer); a replayed one changes nothing.
 */
export async function answerDeskCall(
  deps: SlackDeps,
  client: SlackClient,
  who: SlackIdentity,
  answer: { deskCallId: number; stance: Stance; source: "button" | "reaction"; eventKey?: string },
): Promise<Reply> {
  const ctx = await commandContext(deps, client, who);
  const interactionId = await answerKey(deps, ctx.server.id, who.userId, answer);
  const respond = answer.stance === "agree" ? agree : fade;
  const result = await respond(
    { ...ctx, interactionId },
    { callId: answer.deskCallId, source: answer.source },
  );
  if (result.ok && !result.view.replayed) {
    await enqueuePostUpdate(deps.db.prisma, "slack", answer.deskCallId, interactionId);
  }
  return replyOf(result, (v) => stanceReply(v, deps.publicUrl));
}

/**
 * The idempotency key of an answer. Slack gives every click its own action_ts, so a double click
 * would otherwise be two answers. When the member's live answer already has this stance, its own key
 * is reused and the handler replays it: a second click (or a retried event) stores nothing. Otherwise
 * a click is keyed by the state it answers from, so two clicks racing on one state share a key, and an
 * event keeps its event_id, which Slack repeats on every retry.
 */
async function answerKey(
  deps: SlackDeps,
  serverId: string,
  userId: string,
  answer: { deskCallId: number; stance: Stance; eventKey?: string },
): Promise<string> {
  const live = await liveResponse(deps.db.prisma, serverId, userId, answer.deskCallId);
  if (live?.stance === answer.stance && live.interactionId) return live.interactionId;
  const state = live?.id ?? "none";
  return (
    answer.eventKey ??
    `slack:click:${serverId}:${userId}:${answer.deskCallId}:${answer.stance}:after:${state}`
  );
}
