import { REST, ShardingManager } from "discord.js";
import type { Server } from "../../domain/server.ts";
import type { Clock } from "../../scheduler/clock.ts";
import type { Surface } from "../../scheduler/outbox.ts";
import type { DispatchPosts } from "../../scheduler/posts.ts";
import { createDiscordBot, type DiscordBot, type DiscordBotOptions } from "./bot.ts";
import type { DiscordDeps } from "./context.ts";
import { discordSurface } from "./surface.ts";

export interface DiscordOutboxOptions {
  apiUrl: string;
  token: string;
  posts: DispatchPosts;
  publicUrl: string;
  /** The desk's clock: call locks are in its time. */
  clock: Clock;
}

/** The outbox side needs only REST, so it also runs where no gateway connection is (the manager). */
export function discordOutbox(options: DiscordOutboxOptions): Surface {
  const { apiUrl, token, ...surface } = options;
  return discordSurface({ rest: new REST({ api: apiUrl }).setToken(token), ...surface });
}

/** The gateway under discord.js's ShardingManager: one forked process per shard. */
export interface DiscordSharding {
  shards: number | "auto";
  /** The shard process's entry file: it opens its own database and builds its own core. */
  entry: string;
  /** This process keeps the only scheduler: a shard's changed server is rescheduled here. */
  reschedule(server: Server): void;
}

export type DiscordConnectOptions = DiscordDeps & DiscordBotOptions & { sharding?: DiscordSharding };

export interface DiscordConnection {
  stop(): Promise<void>;
  /** Every gateway session is ready (false while discord.js reconnects or resumes). */
  connected(): boolean;
}

/**
 * Connects to the gateway. Without `sharding` (the default) the bot runs in this process on the
 * given core. With it, ShardingManager forks one process per shard for the gateway while this
 * process keeps the only scheduler, sweep and outbox; shards ask it to reschedule a server.
 */
export async function connectDiscord(options: DiscordConnectOptions): Promise<DiscordConnection> {
  const { core, publicUrl, log, token, apiUrl, sharding } = options;
  if (!sharding) {
    const bot = createDiscordBot({ core, publicUrl, log }, { token, apiUrl });
    await bot.start();
    return bot;
  }
  const manager = new ShardingManager(sharding.entry, {
    token,
    totalShards: sharding.shards,
    // A TypeScript entry (run from source under tsx) needs tsx in the shards too; compiled needs nothing.
    execArgv: sharding.entry.endsWith(".ts") ? ["--import", "tsx"] : [],
  });
  manager.on("shardCreate", (shard) => {
    log.info({ shard: shard.id }, "Discord shard started");
    shard.on("message", (message: unknown) => {
      if (!isServerChanged(message)) return;
      void core.servers.byId(message.serverId).then(
        (server) => server && sharding.reschedule(server),
        (error: unknown) => log.error({ err: error }, "could not reschedule a server"),
      );
    });
  });
  await manager.spawn({ timeout: 60_000 });
  return {
    async stop() {
      for (const shard of manager.shards.values()) shard.kill();
    },
    connected: () => manager.shards.size > 0 && manager.shards.every((shard) => shard.ready),
  };
}

/** What a shard process tells the manager: re-read this server's schedule. */
export interface ServerChanged {
  type: "tapereader:server-changed";
  serverId: string;
}

export const isServerChanged = (message: unknown): message is ServerChanged =>
  typeof message === "object" &&
  message !== null &&
  (message as ServerChanged).type === "tapereader:server-changed" &&
  typeof (message as ServerChanged).serverId === "string";

/** In a shard process, rescheduling is the manager's: the shard only tells it which server changed. */
export function tellManager(bot: DiscordBot, server: Server): void {
  const message: ServerChanged = { type: "tapereader:server-changed", serverId: server.id };
  void bot.client.shard?.send(message);
}
