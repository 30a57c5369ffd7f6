import { type Guild, type Interaction, PermissionFlagsBits, type PermissionsBitField } from "discord.js";
import type { Actor } from "../../commands/context.ts";
import type { CommandCore, Invocation } from "../../commands/core.ts";
import type { Server } from "../../domain/server.ts";
import type { Logger } from "../../log.ts";

/** Everything the Discord adapter needs from the rest of Tapereader, wired by hand at start-up. */
export interface DiscordDeps {
  core: CommandCore;
  /** Where "full dispatch" and trail links point (the web view). */
  publicUrl: string;
  log: Logger;
}

/**
 * The guild's server, created on first sight (and scheduled) with the desk's defaults and the
 * guild's system channel as the dispatch channel; moderators move it with /config channel. A raw
 * interaction from an uncached guild has no guild object: then the id stands in for its name.
 */
export function serverOf(
  deps: DiscordDeps,
  guildId: string,
  guild: Pick<Guild, "name" | "systemChannelId"> | null,
): Promise<Server> {
  return deps.core.servers.ensure("discord", guildId, guild?.name ?? guildId, {
    channelId: guild?.systemChannelId ?? null,
  });
}

/**
 * With a moderator role configured, that role (or Administrator) moderates; without one, Manage
 * Server does, matching the commands' default_member_permissions. Discord hides moderator commands
 * from others by default, but server admins can change that, so the core checks again.
 */
export function isModerator(
  permissions: Readonly<PermissionsBitField> | null,
  hasRole: (roleId: string) => boolean,
  moderatorRoleId: string | null,
): boolean {
  if (permissions?.has(PermissionFlagsBits.Administrator)) return true;
  if (moderatorRoleId) return hasRole(moderatorRoleId);
  return permissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

function actorOf(interaction: Interaction<"cached" | "raw">, server: Server): Actor {
  const { member, user } = interaction;
  const roles = member?.roles;
  const hasRole = (id: string) =>
    roles === undefined ? false : Array.isArray(roles) ? roles.includes(id) : roles.cache.has(id);
  const nick = member && "displayName" in member ? member.displayName : member?.nick;
  return {
    externalId: user.id,
    displayName: nick ?? user.globalName ?? user.username,
    isModerator: isModerator(interaction.memberPermissions, hasRole, server.moderatorRoleId),
  };
}

/** Who runs a command from this interaction; its id makes a redelivered interaction store nothing new. */
export async function invocationOf(
  deps: DiscordDeps,
  interaction: Interaction<"cached" | "raw">,
): Promise<Invocation> {
  const server = await serverOf(deps, interaction.guildId, interaction.guild);
  return { server, actor: actorOf(interaction, server), interactionId: interaction.id, surface: "discord" };
}
