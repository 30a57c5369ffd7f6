import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { findServerCall } from "../../../store/member-calls.ts";
import { type SlackIdentity, workspaceServer } from "../context.ts";
import type { SlackDeps } from "../deps.ts";
import { ACTIONS } from "../render/dispatch.ts";
import { predictModal } from "../render/modal.ts";
import { usage } from "../render/replies.ts";
import { answer } from "./answer.ts";
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
export function register(app: App, deps: SlackDeps): void {
  for (const stance of ["agree", "fade"] as const) {
    app.action<Click>(ACTIONS[stance], async ({ ack, body, action, respond, client }) => {
      await ack();
      const callId = callIdSchema.safeParse(action.value);
      await answer(deps, respond, async () =>
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
    const parsed = callIdSchema.safeParse(action.value);
    if (!parsed.success) return answer(deps, respond, async () => usage(NOT_OURS));
    const callId = parsed.data;
    const server = await workspaceServer(deps, identityOf(body).teamId, body.team?.domain);
    const desk = await findServerCall(deps.db.prisma, server.id, callId);
    const origin = { channelId: body.channel?.id ?? "", counterTo: callId };
    const view = predictModal(server.symbols, origin, desk ? { symbol: desk.symbol } : undefined);
    await client.views
      .open({ trigger_id: body.trigger_id, view })
      .catch((error: unknown) => deps.log.warn({ err: error }, "Slack views.open failed"));
  });
}
