import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { findServerCall } from "../../../store/member-calls.ts";
import { type SlackIdentity, workspaceServer } from "../context.ts";
import type { SlackDeps } from "../deps.ts";
import { ACTIONS } from "../render/dispatch.ts";
import { predictModal } from "../render/modal.ts";
import { answer } from "./answer.ts";
import { answerDeskCall } from "./stance.ts";

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
      await answer(deps, respond, () =>
        answerDeskCall(deps, client, identityOf(body), {
          deskCallId: Number(action.value),
          stance,
          source: "button",
        }),
      );
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
