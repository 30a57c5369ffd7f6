import type { RepliableInteraction } from "discord.js";
import type { z } from "zod";
import type { CommandResult } from "../../commands/context.ts";
import type { AnyCommand, CommandDeclaration } from "../../commands/declaration.ts";
import type { Command, CommandName } from "../../commands/registry.ts";
import type { Server } from "../../domain/server.ts";
import { type DiscordDeps, invocationOf } from "./context.ts";
import {
  configReply,
  cycleReply,
  errorReply,
  leaderboardReply,
  predictReply,
  type Reply,
  stanceReply,
  trailReply,
} from "./replies.ts";
import { respond } from "./respond.ts";

/**
 * Runs a command for an interaction through the core and answers it, within Discord's window and as
 * publicly as the command declares. The server lookup is part of the timed work, so a slow database
 * defers rather than losing the interaction.
 */
export function answerCommand(
  deps: DiscordDeps,
  interaction: RepliableInteraction<"cached" | "raw">,
  command: AnyCommand,
  options: unknown,
): Promise<void> {
  return respond(interaction, command, async () => {
    const who = await invocationOf(deps, interaction);
    const result = await deps.core.run(command, who, options);
    return replyTo(command, result, { publicUrl: deps.publicUrl, server: who.server });
  });
}

/** What a rendering may need besides the view: the web's address for links, the server asked. */
export interface ReplyContext {
  publicUrl: string;
  server: Server;
}

type ViewOf<C> = C extends CommandDeclaration<string, z.ZodType, infer View> ? View : never;

/** Discord's own rendering of a command's answer (embeds, charts), typed on that command's view. */
type Renderers = {
  [C in Command as C["name"]]?: (view: ViewOf<C>, where: ReplyContext) => Reply | Promise<Reply>;
};

const RENDERERS: Renderers = {
  predict: predictReply,
  trail: (view, where) => trailReply(view, where.publicUrl),
  leaderboard: (view, where) => leaderboardReply(view, where.publicUrl),
  cycle: (view, where) => cycleReply(view, where.server.channelId),
  config: configReply,
  agree: stanceReply,
  fade: stanceReply,
};

/**
 * A command's result as a Discord reply: a refusal privately, an answer by the command's Discord
 * rendering or else its plain text, seen by everyone when the command answers publicly.
 */
async function replyTo(
  command: AnyCommand,
  result: CommandResult<unknown>,
  where: ReplyContext,
): Promise<Reply> {
  if (!result.ok) return errorReply(result.error);
  // The registry pairs each name with its declaration, so this command's renderer takes its view.
  const render = RENDERERS[command.name as CommandName] as
    | ((view: unknown, where: ReplyContext) => Reply | Promise<Reply>)
    | undefined;
  if (render) return render(result.view, where);
  return { ephemeral: command.answers === "private", content: command.text(result.view) };
}
