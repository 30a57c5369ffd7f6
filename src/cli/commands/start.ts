import { parseArgs } from "node:util";
import { ensureLocalServer } from "../../agents/cycle/local-server.ts";
import { createDeskEngine } from "../../agents/index.ts";
import { tsaClient } from "../../anchor/tsa.ts";
import { acksSettled } from "../../bot/after-ack.ts";
import type { ChatPlatformKit } from "../../bot/chat-platform.ts";
import { openChatPlatforms } from "../../bot/platforms.ts";
import { webFeedSurface } from "../../bot/web/feed-surface.ts";
import { serveWebView } from "../../bot/web/serve.ts";
import { commandSettings } from "../../commands/settings.ts";
import { type Config, loadConfig } from "../../config/index.ts";
import { createLogger } from "../../log.ts";
import { marketSource } from "../../market/index.ts";
import { AnchorSchedule } from "../../scheduler/anchoring.ts";
import { demoClock, systemClock } from "../../scheduler/clock.ts";
import { DemoMembers } from "../../scheduler/demo-members.ts";
import { dispatchPosts } from "../../scheduler/posts.ts";
import { DeskRuntime } from "../../scheduler/runtime.ts";
import { openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import { type CliCommand, UsageError } from "../command.ts";
import { commandCoreFrom, DISCORD_SHARD_ENTRY, inboxStore } from "../wiring.ts";

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
    // Before the chat platforms open: Bolt starts checking its token when made, and an await between
    // that and its start would leave the check's failure unhandled, ending the process.
    const engine = await createDeskEngine(config);
    const kit: ChatPlatformKit = {
      config,
      posts: dispatchPosts(db),
      inbox: inboxStore(db),
      clock,
      log,
      ...(shards && { sharding: { shards, entry: DISCORD_SHARD_ENTRY } }),
    };
    // Every chat platform whose settings are present; the web feed is always there.
    const chats = await openChatPlatforms(kit);
    const runtime = new DeskRuntime({
      db,
      market,
      engine,
      engineName: config.desk.engine,
      clock,
      lockShare: config.lockShare,
      graceHours: config.resolutionGraceHours,
      surfaces: [webFeedSurface, ...chats.map((chat) => chat.surface)],
      log,
      sweepEveryMs: config.demoSpeed > 1 ? 5_000 : 60_000,
      beforeEachPass: acksSettled,
    });
    // Chat commands reach the desk through this: /cycle now and /config land on the runtime.
    const core = commandCoreFrom(config, { db, quotes: market.quotes, clock, cycles: runtime });
    const web = await serveWebView({
      db,
      port: config.port,
      log,
      clock,
      // The simulated market answers without a request, so call charts may draw its daily closes.
      ...(market.kind === "simulated" && { market: market.quotes }),
      publicUrl: config.publicUrl,
      settings: commandSettings(config),
      health: () => ({
        scheduler: runtime.running,
        surfaces: {
          web: true,
          ...Object.fromEntries(chats.map((chat) => [chat.platform, chat.connected()])),
        },
      }),
      // A port already taken is the user's to fix (answers.ts says so), not a crash with a stack trace.
    }).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    const known = await Promise.all(chats.map((chat) => core.servers.on(chat.platform)));
    await runtime.start([server, ...known.flat()], server);
    // Demo mode only (demoMembers is 0 otherwise): they play on the demo clock, through the core.
    const demoMembers = new DemoMembers({
      core,
      server,
      db,
      quotes: market.quotes,
      clock,
      seed: config.market.simulationSeed,
      count: config.demoMembers,
      log,
    });
    demoMembers.start();
    // Beside the cycles, never in their way: a TSA that is down is a logged, retried, visible failure.
    const anchoring = config.anchor
      ? new AnchorSchedule({ db, stamper: tsaClient(config.anchor.tsaUrl), log })
      : null;
    await anchoring?.start();
    const stopAll = async () => {
      for (const chat of chats)
        await chat
          .stop()
          .catch((err: unknown) =>
            log.warn({ err, platform: chat.platform }, "chat platform did not stop cleanly"),
          );
      await demoMembers.stop();
      await anchoring?.stop();
      await runtime.stop();
      await web.close();
      await db.close();
    };
    // A community seen for the first time is created and scheduled as it arrives. A platform that
    // cannot start (a refused token, an unreachable API) stops the desk cleanly, its cause in one line.
    try {
      for (const chat of chats) await chat.start(core);
    } catch (error) {
      await stopAll();
      throw error;
    }

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
        anchoring: config.anchor?.tsaUrl ?? "off",
        surfaces: ["web", ...chats.map((chat) => chat.label)],
        schedule: `${server.schedule} (${server.timezone})`,
        clock: clock.speed === 1 ? "wall clock" : `demo, ${clock.speed}x`,
        simulatedMembers: demoMembers.styles.map((style) => style.name),
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
    await stopAll();
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
