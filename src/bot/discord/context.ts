import { type Guild, type Interaction, PermissionFlagsBits, type PermissionsBitField } from "discord.js";
import type { Actor, CommandContext, CommandSettings, RunNowResult } from "../../commands/context.ts";
import type { Logger } from "../../log.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { Clock } from "../../scheduler/clock.ts";
import type { ServerRow } from "../../store/client.ts";
import type { Database } from "../../store/database.ts";
import { ensureServer, findServer, type ServerSettings } from "../../store/servers.ts";

/** Everything the Discord adapter needs from the rest of Tapereader, wired by hand in start-up. */
export interface DiscordDeps {
  db: Database;
  quotes: QuotePort;
  clock: Clock;
  settings: CommandSettings;
  /** Where "full dispatch" links point (the web view). */
  publicUrl: string;
  /** What a guild starts with the first time the desk sees it. */
  serverDefaults: ServerSettings;
  runCycle(server: ServerRow): Promise<RunNowResult>;
  /** A server was created or its schedule changed: the one place that schedules cycles re-reads it. */
  onServerChanged(server: ServerRow): void;
  log: Logger;
}

/**
 * The guild's server row, created on first sight with the defaults and the guild's system channel
 * as the dispatch channel (moderators move it with /config channel).
 */
export async function serverForGuild(
  deps: DiscordDeps,
  guildId: string,
  guild: Pick<Guild, "name" | "systemChannelId"> | null,
): Promise<ServerRow> {
  const known = await findServer(deps.db.prisma, "discord", guildId);
  if (known) return known;
  const server = await ensureServer(
    deps.db.prisma,
    { platform: "discord", externalId: guildId, name: guild?.name ?? guildId },
    { ...deps.serverDefaults, channelId: guild?.systemChannelId ?? null },
  );
  deps.onServerChanged(server);
  return server;
}

/**
 * With a moderator role configured, that role (or Administrator) moderates; without one, Manage
 * Server does, matching the commands' default_member_permissions. Discord hides moderator commands
 * from others by default, but server admins can change that, so the handlers check again.
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

export function actorOf(interaction: Interaction<"cached" | "raw">, server: ServerRow): Actor {
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

/** One command context per event; `eventId` is what makes a redelivered event store nothing new. */
export function commandContext(
  deps: DiscordDeps,
  server: ServerRow,
  actor: Actor,
  eventId: string,
): CommandContext {
  return {
    db: deps.db,
    quotes: deps.quotes,
    now: () => deps.clock.now(),
    settings: deps.settings,
    server,
    actor,
    interactionId: eventId,
    cycles: { runNow: () => deps.runCycle(server) },
  };
}
