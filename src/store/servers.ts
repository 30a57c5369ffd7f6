import type { MemberRecord } from "../domain/call-record.ts";
import type { Platform, Server, ServerSettings } from "../domain/server.ts";
import { type Db, isUniqueViolation } from "./client.ts";

/**
 * Finds the server or creates it with the given settings; an existing server keeps its own settings.
 * Prisma runs this upsert as a read then an insert, so two first sightings at once (a guild arriving
 * while its first command does) race on PostgreSQL: the loser finds the winner's row.
 */
export async function ensureServer(
  db: Db,
  identity: { platform: Platform; externalId: string; name: string },
  defaults: ServerSettings,
): Promise<Server> {
  const where = { platform_externalId: { platform: identity.platform, externalId: identity.externalId } };
  try {
    return await db.server.upsert({ where, create: { ...identity, ...defaults }, update: {} });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.server.findUniqueOrThrow({ where });
  }
}

export function updateServerSettings(
  db: Db,
  serverId: string,
  settings: Partial<ServerSettings>,
): Promise<Server> {
  return db.server.update({ where: { id: serverId }, data: settings });
}

/**
 * Makes `channelId` the server's dispatch channel if it has none yet (a conditional write, so a
 * channel a moderator chose is never replaced); returns the server as it now stands.
 */
export async function adoptChannel(db: Db, serverId: string, channelId: string): Promise<Server> {
  await db.server.updateMany({ where: { id: serverId, channelId: null }, data: { channelId } });
  return db.server.findUniqueOrThrow({ where: { id: serverId } });
}

export function findServer(db: Db, platform: Platform, externalId: string): Promise<Server | null> {
  return db.server.findUnique({ where: { platform_externalId: { platform, externalId } } });
}

/** Finds the member or creates them; a changed display name is kept up to date. */
export function ensureMember(
  db: Db,
  serverId: string,
  externalId: string,
  displayName: string,
): Promise<MemberRecord> {
  // Platforms allow names PostgreSQL cannot store (U+0000) or a page should not print at length.
  const name =
    displayName
      .replace(/\p{Cc}/gu, "")
      .trim()
      .slice(0, 100) || externalId;
  return db.member.upsert({
    where: { serverId_externalId: { serverId, externalId } },
    create: { serverId, externalId, displayName: name },
    update: { displayName: name },
  });
}
