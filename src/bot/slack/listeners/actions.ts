import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { counterCommand } from "../../../commands/stance.ts";
import { ACTIONS } from "../render/dispatch.ts";
import { predictModal } from "../render/modal.ts";
import { refusalReply, usage } from "../render/replies.ts";
import { type SlackIdentity, workspaceOf } from "./invocation.ts";
import type { ListenerDeps } from "./listener-deps.ts";
import { respondAfterAck } from "./reply-delivery.ts";
import { answerDeskCall } from "./stance.ts";

type Click = BlockAction<ButtonAction>;

/** A button's value is the desk call's number as the post wrote it (call ids are PostgreSQL integers). */
const callIdSchema = z.coerce.number().int().positive().max(2_147_483_647);
const NOT_OURS = ":warning: This button is no longer supported.";

const identityOf = (body: Click): SlackIdentity => ({
  teamId: body.team?.id ?? body.user.team_id ?? "",
  teamName: body.team?.domain,
  userId: body.user.id,
  userName: body.user.name ?? body.user.username,
});

/** The buttons under each desk call: Agree, Fade, Counter-call (a modal). */
export function register(app: App, deps: ListenerDeps): void {
  for (const stance of ["agree", "fade"] as const) {
    app.action<Click>(ACTIONS[stance], async ({ ack, body, action, respond, client }) => {
      await ack();
      const callId = callIdSchema.safeParse(action.value);
      await respondAfterAck(deps.log, respond, async () =>
        callId.success
          ? answerDeskCall(deps, client, identityOf(body), {
              deskCallId: callId.data,
              stance,
              source: "button",
            })
          : usage(NOT_OURS),
      );
    });
  }

  app.action<Click>(ACTIONS.counter, async ({ ack, body, action, respond, client }) => {
    await ack();
    const callId = callIdSchema.safeParse(action.value);
    await respondAfterAck(deps.log, respond, async () => {
      if (!callId.success) return usage(NOT_OURS);
      const who = identityOf(body);
      const server = await workspaceOf(deps, who.teamId, who.teamName);
      // The form must open within the click's trigger window and stores nothing, so the payload's
      // name stands in for users.info: a counter-call needs no rights.
      const actor = { externalId: who.userId, displayName: who.userName ?? who.userId, isModerator: false };
      const counter = await deps.core.run(
        counterCommand,
        { server, actor, surface: "slack" },
        { callId: callId.data },
      );
      if (!counter.ok) return refusalReply(counter);
      const origin = { channelId: body.channel?.id ?? "", counterTo: counter.view.deskCallId };
      const view = predictModal(server.symbols, origin, { symbol: counter.view.symbol });
      await client.views
        .open({ trigger_id: body.trigger_id, view })
        .catch((error: unknown) => deps.log.warn({ err: error }, "Slack views.open failed"));
      return null;
    });
  });
}
