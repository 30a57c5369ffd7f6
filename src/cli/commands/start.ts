import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { ensureLocalServer } from "../../agents/cycle/local-server.ts";
import { createDeskEngine } from "../../agents/index.ts";
import { connectDiscord, discordOutbox, discordServers } from "../../bot/discord/launch.ts";
import { slackFromConfig } from "../../bot/slack/launch.ts";
import { createWebApp } from "../../bot/web/app.ts";
import { webFeedSurface } from "../../bot/web/feed-surface.ts";
import { commandSettings } from "../../commands/settings.ts";
import { type Config, loadConfig } from "../../config/index.ts";
import { createLogger } from "../../log.ts";
import { marketSource } from "../../market/index.ts";
import { demoClock, systemClock } from "../../scheduler/clock.ts";
import { DeskRuntime } from "../../scheduler/runtime.ts";
import { openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import { type CliCommand, UsageError } from "../command.ts";

export const startCommand: CliCommand = {
  name: "start",
  summary: "Run the desk: migrate, web view, scheduler, and every configured chat surface",
  usage: "start [--shards auto|<n>]",
  async run(args) {
    const config = loadConfig();
    const shards = shardsOption(args, config);
    const log = createLogger({ level: config.logLevel, format: config.logFormat });
    const db = await openDatabase(config.database);
    const migrations = await migrate(db);
    const server = await ensureLocalServer(db, config.market.symbols);
    const clock = config.demoSpeed > 1 ? demoClock(config.demoSpeed) : systemClock;
    const market = marketSource(config.market);
    const { discord } = config;
    const wiring = discord && { config: { ...config, discord }, db, quotes: market.quotes, clock, log };
    const { slack: slackConfig } = config;
    const slack =
      slackConfig &&
      slackFromConfig({ ...config, slack: slackConfig }, { db, quotes: market.quotes, clock, log });
    const runtime = new DeskRuntime({
      db,
      market,
      engine: createDeskEngine(config),
      engineName: config.desk.engine,
      clock,
      lockShare: config.lockShare,
      graceHours: config.resolutionGraceHours,
      surfaces: [
        webFeedSurface,
        ...(wiring ? [discordOutbox(wiring)] : []),
        ...(slack ? [slack.surface] : []),
      ],
      log,
      sweepEveryMs: config.demoSpeed > 1 ? 5_000 : 60_000,
    });
    // Set once the gateway is up; until then /healthz reports Discord as not connected.
    let gateway: Awaited<ReturnType<typeof connectDiscord>> | undefined;
    const app = createWebApp({
      db,
      publicUrl: config.publicUrl,
      settings: commandSettings(config),
      health: () => ({
        scheduler: runtime.running,
        surfaces: {
          web: true,
          ...(wiring && { discord: gateway?.connected() ?? false }),
          ...(slack && { slack: slack.connected() }),
        },
      }),
    });
    const web = serve({ fetch: app.fetch, port: config.port });
    await runtime.start([server, ...(wiring ? await discordServers(db) : [])], server);
    gateway = wiring ? await connectDiscord(wiring, runtime, shards) : undefined;
    // Registers the workspace and schedules its desk; Socket Mode connects out, HTTP listens on SLACK_PORT.
    await slack?.start(runtime);

    const where =
      config.database.kind === "postgres"
        ? "PostgreSQL (DATABASE_URL)"
        : `PGlite at ${config.database.dataDir}`;
    log.info(
      {
        database: where,
        migrationsApplied: migrations.applied.length,
        market: config.market.source,
        engine: config.desk.engine,
        surfaces: [
          "web",
          ...(wiring ? [shards ? `discord (${shards} shards)` : "discord"] : []),
          ...(slackConfig ? [`slack (${slackConfig.mode})`] : []),
        ],
        schedule: `${server.schedule} (${server.timezone})`,
        clock: clock.speed === 1 ? "wall clock" : `demo, ${clock.speed}x`,
      },
      `Tapereader desk running: web view on ${config.publicUrl}, ${config.market.source} market, ${config.desk.engine} engine`,
    );

    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        log.info({ signal }, "shutting down: finishing the running cycle and flushing the outbox");
        resolve();
      };
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      process.once("SIGINT", () => shutdown("SIGINT"));
    });
    await gateway?.stop();
    await slack?.stop();
    await runtime.stop();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await db.close();
    log.info("stopped cleanly");
    return 0;
  },
};

/**
 * `--shards auto|<n>` runs the Discord gateway under ShardingManager. Shards are separate processes
 * sharing the database, so the embedded PGlite (one process only) cannot serve them.
 */
function shardsOption(args: string[], config: Config): number | "auto" | undefined {
  const { values } = parseArgs({ args, options: { shards: { type: "string" } } });
  if (values.shards === undefined) return undefined;
  const shards = values.shards === "auto" ? "auto" : Number(values.shards);
  if (shards !== "auto" && !(Number.isInteger(shards) && shards >= 1))
    throw new UsageError(`--shards takes auto or a whole number of shards, got "${values.shards}".`);
  if (!config.discord) throw new UsageError("--shards needs DISCORD_TOKEN: it shards the Discord gateway.");
  if (config.database.kind !== "postgres")
    throw new UsageError("--shards needs PostgreSQL (DATABASE_URL): shards are separate processes.");
  return shards;
}
