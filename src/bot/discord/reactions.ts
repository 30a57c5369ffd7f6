import {
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  Routes,
  type User,
} from "discord.js";
import { agreeCommand, fadeCommand } from "../../commands/stance.ts";
import { type DiscordDeps, serverOf } from "./context.ts";

/** Discord sends "⬆️" with or without the emoji variation selector; settings may hold either. */
const bare = (emoji: string) => emoji.replace(/\uFE0F/g, "");

/**
 * A reaction on a dispatch post does what the buttons do, for every call the dispatch makes (a
 * reaction is on the whole post). A reaction has no private reply and a DM is not allowed, so a
 * refused one is removed (the count stays truthful), and after the lock the desk replies once per
 * post in the channel, naming no one, that reactions after the lock do not count.
 */
export function reactionHandler(deps: DiscordDeps) {
  const noticed = new Set<string>();
  return async (
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
  ): Promise<void> => {
    const { message } = reaction;
    if (user.bot || user.id === reaction.client.user.id || !message.guildId || !reaction.emoji.name) return;
    const dispatch = await deps.core.postedDispatch("discord", message.id);
    if (!dispatch) return;
    const guild = message.guild;
    const server = await serverOf(deps, message.guildId, guild);
    const emoji = bare(reaction.emoji.name);
    const command =
      emoji === bare(server.agreeEmoji)
        ? agreeCommand
        : emoji === bare(server.fadeEmoji)
          ? fadeCommand
          : null;
    if (!command || dispatch.serverId !== server.id) return;

    const actor = {
      externalId: user.id,
      displayName:
        guild?.members.cache.get(user.id)?.displayName ?? user.globalName ?? user.username ?? user.id,
      isModerator: false,
    };
    let counted = 0;
    let locked = 0;
    for (const call of dispatch.calls) {
      // No event id exists for a reaction: message, member, emoji and call identify it, so a
      // gateway replay (or a re-added reaction) stores nothing new.
      const interactionId = `reaction:${message.id}:${user.id}:${emoji}:${call.id}`;
      const result = await deps.core.run(
        command,
        { server, actor, interactionId, surface: "discord" },
        { callId: call.id, source: "reaction" },
      );
      if (result.ok) counted++;
      else if (result.code === "locked") locked++;
      else deps.log.info({ call: call.id, member: user.id, reason: result.error }, "reaction refused");
    }
    if (counted > 0) return;
    await reaction.users.remove(user.id).catch((error: unknown) => {
      deps.log.warn({ err: error, message: message.id }, "could not remove a refused reaction");
    });
    if (locked > 0 && !noticed.has(message.id)) {
      noticed.add(message.id);
      await reaction.client.rest.post(Routes.channelMessages(message.channelId), {
        body: {
          content: `Agree/fade on dispatch #${dispatch.number} closed at its lock, so nobody scores with hindsight: reactions added now are not counted. /predict makes your own call at today's price.`,
          message_reference: { message_id: message.id, fail_if_not_exists: false },
          allowed_mentions: { parse: [] },
        },
      });
    }
  };
}
