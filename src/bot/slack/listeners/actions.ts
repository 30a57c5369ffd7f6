import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { agree, fade, type Stance } from "../../../commands/stance.ts";
import { enqueuePostUpdate } from "../../../store/dispatch-posts.ts";
import { liveResponseId } from "../../../store/live-responses.ts";
import { findServerCall } from "../../../store/member-calls.ts";
import { commandContext, type SlackIdentity, workspaceServer } from "../context.ts";
import type { SlackDeps } from "../deps.ts";
import { ACTIONS } from "../render/dispatch.ts";
import { predictModal } from "../render/modal.ts";
import { replyOf, stanceReply } from "../render/replies.ts";
import { answer } from "./answer.ts";

type Click = BlockAction<ButtonAction>;

const identityOf = (body: Click): SlackIdentity => ({
  teamId: body.team?.id ?? body.user.team_id ?? "",
  teamName: body.team?.domain,
  userId: body.user.id,
  userName: body.user.name ?? body.user.username,
});

/** The buttons under each desk call: Agree, Fade, Counter-call (a modal). */
export function register(app: App, deps: SlackDeps): void {
  for (const stance of ["agree", "fade"] as const) {
    app.action<Click>(ACTIONS[stance], async ({ ack, body, action, respond, client }) => {
      await ack();
      await answer(deps, respond, async () => {
        const callId = Number(action.value);
        const ctx = await commandContext(deps, client, identityOf(body));
        const interactionId = await clickKey(deps, ctx.server.id, body.user.id, callId, stance);
        const respondTo = stance === "agree" ? agree : fade;
        const result = await respondTo({ ...ctx, interactionId }, { callId, source: "button" });
        // The post re-renders its counts through the outbox; one update per stored answer.
        if (result.ok && !result.view.replayed)
          await enqueuePostUpdate(deps.db.prisma, "slack", callId, interactionId);
        return replyOf(result, (v) => stanceReply(v, deps.publicUrl));
      });
    });
  }

  app.action<Click>(ACTIONS.counter, async ({ ack, body, action, client }) => {
    await ack();
    const callId = Number(action.value);
    const server = await workspaceServer(deps, identityOf(body).teamId, body.team?.domain);
    const desk = Number.isInteger(callId) ? await findServerCall(deps.db.prisma, server.id, callId) : null;
    const origin = { channelId: body.channel?.id ?? "", counterTo: callId };
    const view = predictModal(server.symbols, origin, desk ? { symbol: desk.symbol } : undefined);
    await client.views
      .open({ trigger_id: body.trigger_id, view })
      .catch((error: unknown) => deps.log.warn({ err: error }, "Slack views.open failed"));
  });
}

/**
 * Slack gives every click its own action_ts, so a double click would be two answers. The key is
 * instead what the member is answering from: their live answer to this call (or none). Two clicks
 * on the same state share a key and store one call; a change of mind starts from a new state.
 */
async function clickKey(deps: SlackDeps, serverId: string, userId: string, callId: number, stance: Stance) {
  const live = await liveResponseId(deps.db.prisma, serverId, userId, callId);
  return `slack:click:${serverId}:${userId}:${callId}:${stance}:after:${live ?? "none"}`;
}
