import type { Server } from "../../domain/server.ts";
import type { Database } from "../../store/database.ts";
import { findMemberships, listServers } from "../../store/public-pages.ts";

/** What a page may say about a server: never its channel, schedule or moderator role. */
export function publicServer(server: Server) {
  return { id: server.id, platform: server.platform, name: server.name };
}

/**
 * `?server=` names a server by id or platform id; without it the first server is shown (the only
 * one in the embedded mode). Undefined when a named server does not exist, null when there is none.
 */
export async function serverFor(
  db: Database,
  requested: string | undefined,
): Promise<Server | null | undefined> {
  const servers = await listServers(db.prisma);
  if (!requested) return servers[0] ?? null;
  return servers.find((s) => s.id === requested || s.externalId === requested);
}

/** A platform user's record on one server: `?server=` picks among several, else their first. */
export async function membershipFor(db: Database, platform: string, externalId: string, requested?: string) {
  const memberships = await findMemberships(db.prisma, platform, externalId);
  const chosen = requested
    ? memberships.find((m) => m.server.id === requested || m.server.externalId === requested)
    : memberships[0];
  return chosen ? { member: chosen, others: memberships.filter((m) => m !== chosen) } : null;
}

/** `?server=<id>` to carry into chart and page links; empty for the default server. */
export const serverQuery = (requested: string | undefined, extra: Record<string, string> = {}) => {
  const params = new URLSearchParams({ ...(requested ? { server: requested } : {}), ...extra });
  const text = params.toString();
  return text ? `?${text}` : "";
};
