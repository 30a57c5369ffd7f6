import { agreeCommand, fadeCommand, type Stance } from "../../../commands/stance.ts";
import { type Reply, replyOf, stanceReply } from "../render/replies.ts";
import type { SlackClient } from "../web-api.ts";
import { invocationOf, type SlackIdentity } from "./invocation.ts";
import type { ListenerDeps } from "./listener-deps.ts";

/**
 * An agree or fade from a button or a reaction. A click carries no id that repeats (every click has
 * its own action_ts), so the command keys it by the state it answers; a reaction's event_id repeats
 * on every retry. Either way a repeat of the member's live stance is that answer again, not a new one.
 */
export async function answerDeskCall(
  deps: ListenerDeps,
  client: SlackClient,
  who: SlackIdentity,
  answer: { deskCallId: number; stance: Stance; source: "button" | "reaction"; interactionId?: string },
): Promise<Reply> {
  const invocation = await invocationOf(deps, client, who, {
    ...(answer.interactionId !== undefined && { interactionId: answer.interactionId }),
    sameAnswerReplays: true,
  });
  const command = answer.stance === "agree" ? agreeCommand : fadeCommand;
  const result = await deps.core.run(command, invocation, {
    callId: answer.deskCallId,
    source: answer.source,
  });
  return replyOf(result, (view) => stanceReply(view, deps.publicUrl));
}
