import { fileURLToPath } from "node:url";
import { REST, ShardingManager } from "discord.js";
import { defaultServerSettings } from "../../agents/cycle/local-server.ts";
import { commandSettings } from "../../commands/settings.ts";
import type { Config } from "../../config/index.ts";
import type { Logger } from "../../log.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { Clock } from "../../scheduler/clock.ts";
import type { Surface } from "../../scheduler/outbox.ts";
import type { DeskRuntime } from "../../scheduler/runtime.ts";
import type { ServerRow } from "../../store/client.ts";
import type { Database } from "../../store/database.ts";
import { findServerById, serversOn } from "../../store/dispatch-posts.ts";
import { createDiscordBot } from "./bot.ts";
import type { DiscordDeps } from "./context.ts";
import { discordSurface } from "./surface.ts";

export type DiscordConfig = NonNullable<Config["discord"]>;

/** The rules every chat surface applies to members' calls, from configuration. */
export interface DiscordWiring {
  config: Config & { discord: DiscordConfig };
  db: Database;
  quotes: QuotePort;
  clock: Clock;
  log: Logger;
}

export function discordDeps(
  w: DiscordWiring,
  hooks: Pick<DiscordDeps, "runCycle" | "onServerChanged">,
): DiscordDeps {
  return {
    db: w.db,
    quotes: w.quotes,
    clock: w.clock,
    settings: commandSettings(w.config),
    publicUrl: w.config.publicUrl,
    serverDefaults: defaultServerSettings(w.config.market.symbols),
    log: w.log,
    ...hooks,
  };
}

/** The outbox side needs only REST, so it also runs where no gateway connection is (the manager). */
export function discordOutbox(w: DiscordWiring): Surface {
  const rest = new REST({ api: w.config.discord.apiUrl }).setToken(w.config.discord.token);
  return discordSurface({ rest, db: w.db, publicUrl: w.config.publicUrl, clock: w.clock });
}

export function discordServers(db: Database): Promise<ServerRow[]> {
  return serversOn(db.prisma, "discord");
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

/**
 * Connects to the gateway. In one process (the default) the bot shares this process's runtime. With
 * `shards`, discord.js's ShardingManager forks one process per shard for the gateway while this
 * process keeps the only scheduler, sweep and outbox; shards ask it to reschedule a server.
 */
export async function connectDiscord(
  w: DiscordWiring,
  runtime: DeskRuntime,
  shards: number | "auto" | undefined,
): Promise<{ stop(): Promise<void>; connected(): boolean }> {
  if (shards === undefined) {
    const bot = createDiscordBot(
      discordDeps(w, {
        runCycle: (server) => runtime.runCycleNow(server),
        onServerChanged: (server) => runtime.schedule(server),
      }),
      { token: w.config.discord.token, apiUrl: w.config.discord.apiUrl },
    );
    await bot.start();
    return bot;
  }
  const manager = new ShardingManager(fileURLToPath(new URL("./shard.ts", import.meta.url)), {
    token: w.config.discord.token,
    totalShards: shards,
    // Shards run the TypeScript sources the same way `npm start` does.
    execArgv: ["--import", "tsx"],
  });
  manager.on("shardCreate", (shard) => {
    w.log.info({ shard: shard.id }, "Discord shard started");
    shard.on("message", (message: unknown) => {
      if (!isServerChanged(message)) return;
      void findServerById(w.db.prisma, message.serverId).then(
        (server) => server && runtime.schedule(server),
        (error: unknown) => w.log.error({ err: error }, "could not reschedule a server"),
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
