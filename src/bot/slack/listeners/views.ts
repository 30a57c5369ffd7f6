import type { App } from "@slack/bolt";
import { z } from "zod";
import { predictCommand } from "../../../commands/predict.ts";
import { type ModalOrigin, modalOptions, PREDICT_VIEW } from "../render/modal.ts";
import { predictReply, replyOf, unexpected } from "../render/replies.ts";
import { invocationOf } from "./invocation.ts";
import type { ListenerDeps } from "./listener-deps.ts";
import { sendReply } from "./reply-delivery.ts";

/** The /predict and counter-call modal. */
export function register(app: App, deps: ListenerDeps): void {
  app.view(PREDICT_VIEW, async ({ ack, body, view, client }) => {
    // A field the form itself shows as wrong is answered in the ack, under that field; the modal stays open.
    const parsed = modalOptions(view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    await ack();
    const where = { channel: originOf(view.private_metadata)?.channelId ?? body.user.id, user: body.user.id };
    try {
      const who = await invocationOf(
        deps,
        client,
        { teamId: body.team?.id ?? body.user.team_id ?? "", userId: body.user.id, userName: body.user.name },
        // One submission of one modal is one call, however often Slack delivers it.
        { interactionId: `slack:view:${view.id}` },
      );
      const result = await deps.core.run(predictCommand, who, parsed.options);
      await sendReply(
        deps.log,
        client,
        where,
        replyOf(result, (v) => predictReply(v, deps.publicUrl)),
      );
    } catch (error) {
      deps.log.error({ err: error }, "Slack modal submission failed");
      await sendReply(deps.log, client, where, unexpected());
    }
  });
}

const originSchema = z.object({ channelId: z.string().min(1), counterTo: z.number().optional() });

/** The modal's own metadata, echoed by Slack; unreadable metadata sends the answer to the member directly. */
function originOf(metadata: string | undefined): ModalOrigin | undefined {
  try {
    const origin = originSchema.safeParse(JSON.parse(metadata || "{}"));
    return origin.success ? origin.data : undefined;
  } catch {
    return undefined;
  }
}
