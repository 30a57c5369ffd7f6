/**
 * One shard process under ShardingManager (see connectDiscord): the gateway connection for its
 * share of guilds and their interactions. It schedules nothing; `/cycle now` runs here under the
 * database cycle lock, and schedule changes go to the manager, the one process that schedules
 * cycles. discord.js reads the shard id and count the manager put in this process's environment.
 */

import { createDeskEngine } from "../agents/index.ts";
import { createDiscordBot } from "../bot/discord/bot.ts";
import { discordOutbox, tellManager } from "../bot/discord/launch.ts";
import { webFeedSurface } from "../bot/web/feed-surface.ts";
import { loadConfig } from "../config/index.ts";
import { createLogger } from "../log.ts";
import { marketSource } from "../market/index.ts";
import { systemClock } from "../scheduler/clock.ts";
import { dispatchPosts } from "../scheduler/posts.ts";
import { DeskRuntime } from "../scheduler/runtime.ts";
import { openDatabase } from "../store/database.ts";
import { commandCoreFrom } from "./wiring.ts";

const config = loadConfig();
const { discord } = config;
if (!discord) throw new Error("a Discord shard needs DISCORD_TOKEN");
const log = createLogger({ level: config.logLevel, format: config.logFormat });
const db = await openDatabase(config.database);
const market = marketSource(config.market);
// Never started: no schedule, sweep or outbox timer here, only cycles a moderator asks for.
const runtime = new DeskRuntime({
  db,
  market,
  engine: await createDeskEngine(config),
  engineName: config.desk.engine,
  clock: systemClock,
  lockShare: config.lockShare,
  graceHours: config.resolutionGraceHours,
  surfaces: [
    webFeedSurface,
    discordOutbox({ ...discord, posts: dispatchPosts(db), publicUrl: config.publicUrl, clock: systemClock }),
  ],
  log,
});
const core = commandCoreFrom(config, {
  db,
  quotes: market.quotes,
  clock: systemClock,
  cycles: {
    runNow: (server) => runtime.runNow(server),
    // Only called once the bot below handles events, so `bot` is set by then.
    reschedule: (server) => tellManager(bot, server),
  },
});
const bot = createDiscordBot(
  { core, publicUrl: config.publicUrl, log },
  { token: discord.token, apiUrl: discord.apiUrl },
);
await bot.start();

process.once("SIGTERM", () => {
  void runtime
    .stop()
    .then(() => bot.stop())
    .then(() => db.close())
    .finally(() => process.exit(0));
});
