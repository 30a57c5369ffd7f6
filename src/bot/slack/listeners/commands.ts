import type { App, SlashCommand } from "@slack/bolt";
import { type AnyCommand, isRefusal } from "../../../commands/declaration.ts";
import { predictCommand } from "../../../commands/predict.ts";
import { SLASH_COMMANDS } from "../../../commands/registry.ts";
import { predictModal } from "../render/modal.ts";
import { commandReply, type Reply, replyOf, usage } from "../render/replies.ts";
import type { SlackClient } from "../web-api.ts";
import { invocationOf, type SlackIdentity, workspaceOf } from "./invocation.ts";
import type { ListenerDeps } from "./listener-deps.ts";
import { respondAfterAck } from "./reply-delivery.ts";

const identityOf = (c: SlashCommand): SlackIdentity => ({
  teamId: c.team_id,
  teamName: c.team_domain,
  userId: c.user_id,
  userName: c.user_name,
});

/**
 * One slash command per command with a slash form: ack() at once (Slack gives three seconds), then
 * answer through response_url.
 */
export function register(app: App, deps: ListenerDeps): void {
  for (const command of SLASH_COMMANDS) {
    // Every one has a slash form: that is what puts it in SLASH_COMMANDS.
    const form = command.slash;
    if (!form) continue;
    app.command(`/${command.name}`, async ({ command: slash, ack, respond, client }) => {
      await ack();
      if (command === predictCommand && !slash.text.trim()) {
        await openPredictModal(deps, client, slash);
        return;
      }
      await respondAfterAck(deps.log, respond, () => runSlash(deps, client, command, form, slash));
    });
  }
}

/** The command's text read by its own grammar, run through the core, answered in Slack's words. */
async function runSlash(
  deps: ListenerDeps,
  client: SlackClient,
  command: AnyCommand,
  form: NonNullable<AnyCommand["slash"]>,
  slash: SlashCommand,
): Promise<Reply> {
  const options = form.fromText(slash.text, { channelId: slash.channel_id });
  // Text the command cannot read is answered with how to write it.
  if (isRefusal(options)) return usage(form.usage);
  // trigger_id is unique per invocation and the same on a redelivery: /predict stores one call per command.
  const who = await invocationOf(deps, client, identityOf(slash), {
    interactionId: `slack:command:${slash.trigger_id}`,
  });
  const result = await deps.core.run(command, who, options);
  return replyOf(result, (view) => commandReply(command, view, deps.publicUrl));
}

/** `/predict` alone: the same fields as Discord's options, in a modal opened on the command's trigger. */
async function openPredictModal(
  deps: ListenerDeps,
  client: SlackClient,
  command: SlashCommand,
): Promise<void> {
  const server = await workspaceOf(deps, command.team_id, command.team_domain);
  await client.views
    .open({
      trigger_id: command.trigger_id,
      view: predictModal(server.symbols, { channelId: command.channel_id }),
    })
    .catch((error: unknown) => deps.log.warn({ err: error }, "Slack views.open failed"));
}
