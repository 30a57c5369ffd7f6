import type { z } from "zod";
import type { DispatchRecord } from "../domain/dispatch.ts";
import type { Platform, Server, ServerSettings } from "../domain/server.ts";
import type { QuotePort } from "../market/ports.ts";
import { timeCommand } from "../scheduler/metrics.ts";
import type { Database } from "../store/database.ts";
import { enqueuePostUpdate, findDispatchByPost, findServerById, serversOn } from "../store/dispatch-posts.ts";
import { adoptChannel, ensureServer, findServer } from "../store/servers.ts";
import type { Actor, CommandContext, CommandResult, CommandSettings, CyclePort } from "./context.ts";
import { type CommandDeclaration, invoke } from "./declaration.ts";
import { stripBidi } from "./plain-text.ts";

/** Who invokes a command, where, and under which platform event. */
export interface Invocation {
  server: Server;
  actor: Actor;
  /** The platform's id for the event; a redelivery of it stores nothing new. */
  interactionId?: string;
  /** See CommandContext.sameAnswerReplays. */
  sameAnswerReplays?: boolean;
  /** For the latency histogram: discord, slack, cli. */
  surface: string;
}

/** The communities the desk serves, as adapters look them up. */
export interface ServerDirectory {
  /**
   * The community's server, created the first time it is seen with the desk's defaults and
   * `firstSeen` (Discord's system channel, Slack's moderator group) and scheduled at once.
   */
  ensure(
    platform: Platform,
    externalId: string,
    name: string,
    firstSeen?: Partial<ServerSettings>,
  ): Promise<Server>;
  byId(id: string): Promise<Server | null>;
  on(platform: Platform): Promise<Server[]>;
  /**
   * The bot was added to `channelId`: it becomes the community's dispatch channel unless one is set
   * (a moderator's choice stays). Returns the server as it now stands.
   */
  adoptChannel(server: Server, channelId: string): Promise<Server>;
}

/** A chat message that is a dispatch: what a reaction on it answers. */
export type PostedDispatch = Pick<DispatchRecord, "id" | "number" | "serverId"> & {
  calls: { id: number; lockAt: Date }[];
};

/**
 * Everything a chat adapter needs from the desk, and nothing of how it is stored: run a command,
 * find a community, find the dispatch behind a post. Adapters translate platform events into these.
 */
export interface CommandCore {
  readonly settings: CommandSettings;
  /** The scheduler, for a platform whose other processes change schedules (Discord shards). */
  readonly cycles: CyclePort;
  now(): Date;
  run<View>(
    command: CommandDeclaration<string, z.ZodType, View>,
    who: Invocation,
    options: unknown,
  ): Promise<CommandResult<View>>;
  servers: ServerDirectory;
  postedDispatch(platform: Platform, messageId: string): Promise<PostedDispatch | null>;
}

export interface CoreOptions {
  db: Database;
  quotes: QuotePort;
  /** The desk's clock: the demo's runs faster than the wall. */
  now(): Date;
  settings: CommandSettings;
  cycles: CyclePort;
  /** What a new server starts with. */
  serverDefaults: ServerSettings;
}

export function commandCore(options: CoreOptions): CommandCore {
  const { db } = options;
  const contextOf = (who: Invocation): CommandContext => ({
    db,
    quotes: options.quotes,
    now: options.now,
    settings: options.settings,
    server: who.server,
    // The one door every platform's actor comes through: its name is cleaned here, once.
    actor: { ...who.actor, displayName: stripBidi(who.actor.displayName) },
    ...(who.interactionId !== undefined && { interactionId: who.interactionId }),
    ...(who.sameAnswerReplays && { sameAnswerReplays: true }),
    cycles: options.cycles,
    posts: {
      // A server lives on one platform, and its dispatches are posted there.
      refresh: (deskCallId, key) => enqueuePostUpdate(db.prisma, who.server.platform, deskCallId, key),
    },
  });
  return {
    settings: options.settings,
    cycles: options.cycles,
    now: options.now,
    run: (command, who, input) =>
      timeCommand(command.name, who.surface, () => invoke(command, contextOf(who), input)),
    servers: {
      async ensure(platform, externalId, name, firstSeen = {}) {
        const known = await findServer(db.prisma, platform, externalId);
        if (known) return known;
        const server = await ensureServer(
          db.prisma,
          { platform, externalId, name },
          { ...options.serverDefaults, ...firstSeen },
        );
        options.cycles.reschedule(server);
        return server;
      },
      byId: (id) => findServerById(db.prisma, id),
      on: (platform) => serversOn(db.prisma, platform),
      adoptChannel: (server, channelId) => adoptChannel(db.prisma, server.id, channelId),
    },
    postedDispatch: (platform, messageId) => findDispatchByPost(db.prisma, platform, messageId),
  };
}
