import { defaultServerSettings } from "../../agents/cycle/local-server.ts";
import type { Actor, CommandContext } from "../../commands/context.ts";
import type { ServerRow } from "../../store/client.ts";
import { ensureServer } from "../../store/servers.ts";
import type { SlackClient, SlackDeps } from "./deps.ts";

/** Who acted, as every Slack payload carries it. */
export interface SlackIdentity {
  teamId: string;
  teamName?: string | undefined;
  userId: string;
  /** The payload's user name: the display name when users.info is unavailable. */
  userName?: string | undefined;
}

/** The workspace's server row, created with the defaults the first time the workspace is seen. */
export function workspaceServer(deps: SlackDeps, teamId: string, teamName?: string): Promise<ServerRow> {
  return ensureServer(
    deps.db.prisma,
    { platform: "slack", externalId: teamId, name: teamName ?? teamId },
    { ...defaultServerSettings(deps.symbols), moderatorRoleId: deps.moderatorGroup ?? null },
  );
}

/**
 * A command context for one Slack interaction. Moderator rights are read from Slack every time
 * (admins and owners via users.info, the configured user group via usergroups.users.list), so a
 * demoted admin loses them at once. `interactionId` keys the stored call, so a retry stores nothing new.
 */
export async function commandContext(
  deps: SlackDeps,
  client: SlackClient,
  who: SlackIdentity,
  interactionId?: string,
): Promise<CommandContext> {
  const server = await workspaceServer(deps, who.teamId, who.teamName);
  return {
    db: deps.db,
    quotes: deps.quotes,
    now: deps.now ?? (() => new Date()),
    settings: deps.settings,
    server,
    actor: await actorOf(client, server, who),
    ...(interactionId !== undefined && { interactionId }),
    cycles: { runNow: () => deps.desk.runCycleNow(server) },
  };
}

async function actorOf(client: SlackClient, server: ServerRow, who: SlackIdentity): Promise<Actor> {
  // A failed lookup leaves the member a member: moderator rights are never assumed.
  const info = await client.users.info({ user: who.userId }).catch(() => null);
  const user = info?.user;
  const displayName = user?.profile?.display_name || user?.real_name || who.userName || who.userId;
  let isModerator = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
  if (!isModerator && server.moderatorRoleId) {
    const group = await client.usergroups.users.list({ usergroup: server.moderatorRoleId }).catch(() => null);
    isModerator = group?.users?.includes(who.userId) ?? false;
  }
  return { externalId: who.userId, displayName, isModerator };
}
