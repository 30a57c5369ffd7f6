import type { App, SlashCommand } from "@slack/bolt";
import { configure } from "../../../commands/config.ts";
import { cycleNow } from "../../../commands/cycle.ts";
import { leaderboard } from "../../../commands/leaderboard.ts";
import { predict } from "../../../commands/predict.ts";
import { trail } from "../../../commands/trail.ts";
import { findServer } from "../../../store/servers.ts";
import { commandContext, type SlackIdentity, workspaceServer } from "../context.ts";
import type { SlackClient, SlackDeps } from "../deps.ts";
import { predictModal } from "../render/modal.ts";
import {
  configReply,
  cycleReply,
  leaderboardReply,
  predictReply,
  replyOf,
  trailReply,
  usage,
} from "../render/replies.ts";
import {
  CONFIG_USAGE,
  CYCLE_USAGE,
  configOptionsOf,
  leaderboardOptionsOf,
  trailOptionsOf,
} from "../slash-text.ts";
import { answer } from "./answer.ts";

const identityOf = (c: SlashCommand): SlackIdentity => ({
  teamId: c.team_id,
  teamName: c.team_domain,
  userId: c.user_id,
  userName: c.user_name,
});

/** Slash commands: ack() at once (Slack gives three seconds), then answer through response_url. */
export function register(app: App, deps: SlackDeps): void {
  app.command("/predict", async ({ command, ack, respond, client }) => {
    await ack();
    if (!command.text.trim()) {
      await openPredictModal(deps, client, command);
      return;
    }
    await answer(deps, respond, async () => {
      // trigger_id is unique per invocation and the same on a redelivery: one call per command.
      const ctx = await commandContext(
        deps,
        client,
        identityOf(command),
        `slack:command:${command.trigger_id}`,
      );
      return replyOf(await predict(ctx, { text: command.text }), (v) => predictReply(v, deps.publicUrl));
    });
  });

  app.command("/trail", async ({ command, ack, respond, client }) => {
    await ack();
    await answer(deps, respond, async () => {
      const ctx = await commandContext(deps, client, identityOf(command));
      return replyOf(await trail(ctx, trailOptionsOf(command.text)), (v) => trailReply(v, deps.publicUrl));
    });
  });

  app.command("/leaderboard", async ({ command, ack, respond, client }) => {
    await ack();
    await answer(deps, respond, async () => {
      const ctx = await commandContext(deps, client, identityOf(command));
      return replyOf(await leaderboard(ctx, leaderboardOptionsOf(command.text)), leaderboardReply);
    });
  });

  app.command("/cycle", async ({ command, ack, respond, client }) => {
    await ack();
    await answer(deps, respond, async () => {
      if (command.text.trim().toLowerCase() !== "now") return usage(CYCLE_USAGE);
      const ctx = await commandContext(deps, client, identityOf(command));
      return replyOf(await cycleNow(ctx), (v) => cycleReply(v, deps.publicUrl));
    });
  });

  app.command("/config", async ({ command, ack, respond, client }) => {
    await ack();
    await answer(deps, respond, async () => {
      const parsed = configOptionsOf(command.text, command.channel_id);
      if (!parsed.ok) return usage(CONFIG_USAGE);
      const ctx = await commandContext(deps, client, identityOf(command));
      const result = await configure(ctx, parsed.options);
      if (result.ok && result.view.changed.some((key) => key === "schedule" || key === "timezone")) {
        const server = await findServer(deps.db.prisma, "slack", command.team_id);
        if (server) deps.desk.schedule(server);
      }
      return replyOf(result, configReply);
    });
  });
}

/** `/predict` alone: the same fields as Discord's options, in a modal opened on the command's trigger. */
async function openPredictModal(deps: SlackDeps, client: SlackClient, command: SlashCommand): Promise<void> {
  const server = await workspaceServer(deps, command.team_id, command.team_domain);
  await client.views
    .open({
      trigger_id: command.trigger_id,
      view: predictModal(server.symbols, { channelId: command.channel_id }),
    })
    .catch((error: unknown) => deps.log.warn({ err: error }, "Slack views.open failed"));
}
