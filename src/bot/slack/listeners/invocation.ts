import type { Actor } from "../../../commands/context.ts";
import type { Invocation } from "../../../commands/core.ts";
import type { Server } from "../../../domain/server.ts";
import type { SlackClient } from "../web-api.ts";
import type { ListenerDeps } from "./listener-deps.ts";

/** Who acted, as every Slack payload carries it. */
export interface SlackIdentity {
  teamId: string;
  teamName?: string | undefined;
  userId: string;
  /** The payload's user name: the display name when users.info is unavailable. */
  userName?: string | undefined;
}

/** The workspace's server, created with the desk's defaults (and the configured moderator group) when first seen. */
export function workspaceOf(deps: ListenerDeps, teamId: string, teamName?: string): Promise<Server> {
  return deps.core.servers.ensure("slack", teamId, teamName ?? teamId, {
    moderatorRoleId: deps.moderatorGroup ?? null,
  });
}

/**
 * One Slack interaction as a command invocation. Moderator rights are read from Slack every time
 * (admins and owners via users.info, the configured user group via usergroups.users.list), so a
 * demoted admin loses them at once.
 */
export async function invocationOf(
  deps: ListenerDeps,
  client: SlackClient,
  who: SlackIdentity,
  event: Pick<Invocation, "interactionId" | "sameAnswerReplays"> = {},
): Promise<Invocation> {
  const server = await workspaceOf(deps, who.teamId, who.teamName);
  return { server, actor: await actorOf(client, server, who), surface: "slack", ...event };
}

async function actorOf(client: SlackClient, server: Server, who: SlackIdentity): Promise<Actor> {
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
