import { once } from "node:events";
import { Events } from "discord.js";
import { OfflineEngine } from "../../src/agents/offline.ts";
import { createDiscordBot, type DiscordBot } from "../../src/bot/discord/bot.ts";
import { discordPlatform } from "../../src/bot/discord/platform.ts";
import { commandCoreFrom, inboxStore } from "../../src/cli/wiring.ts";
import { loadConfig } from "../../src/config/index.ts";
import type { Server } from "../../src/domain/server.ts";
import { createLogger } from "../../src/log.ts";
import type { QuotePort } from "../../src/market/ports.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import type { Surface } from "../../src/scheduler/outbox.ts";
import { dispatchPosts } from "../../src/scheduler/posts.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import type { Database } from "../../src/store/database.ts";
import {
  FakeDiscord,
  type FakeUser,
  MEMBER_PERMISSIONS,
  MODERATOR_PERMISSIONS,
} from "../support/fake-discord.ts";

export const MOD: FakeUser = {
  id: "900000000000001001",
  username: "mod",
  permissions: MODERATOR_PERMISSIONS,
  roles: [],
};
export const ADA: FakeUser = {
  id: "900000000000001002",
  username: "ada",
  permissions: MEMBER_PERMISSIONS,
  roles: [],
};
export const BOB: FakeUser = {
  id: "900000000000001003",
  username: "bob",
  permissions: MEMBER_PERMISSIONS,
  roles: [],
};

/** A trading Wednesday, mid-session; tests move it forward to pass locks. */
export const START = new Date("2026-04-01T15:00:00Z");

/** The real bot, runtime and outbox over a real database, on a Discord at some API address. */
export interface DiscordBotHarness {
  bot: DiscordBot;
  runtime: DeskRuntime;
  /** Servers the core asked to reschedule (a new guild, a changed schedule); nothing is scheduled in tests. */
  rescheduled: Server[];
  surface: Surface;
  clock: { now(): Date; speed: number; set(at: Date): void };
  /**
   * How member-facing quote lookups behave: slower than Discord's window, or failing after the wait;
   * `onQuote` sees each lookup as it starts (the work's first market access).
   */
  quoteControl: { delayMs: number; failing: boolean; onQuote: (() => void) | null };
  close(): Promise<void>;
}

export interface DiscordHarness extends DiscordBotHarness {
  fake: FakeDiscord;
  /** Sends an event through the fake gateway and returns it, so a test can await its answer. */
  send<Event extends object>(type: string, event: Event): Event;
}

/** The real bot, runtime and outbox over a real database, connected to a local fake Discord. */
export async function startDiscord(db: Database): Promise<DiscordHarness> {
  const fake = await new FakeDiscord([MOD, ADA, BOB]).start();
  const started = await startDiscordBot(db, fake.apiUrl);
  return {
    ...started,
    fake,
    send(type, event) {
      fake.dispatch(type, event);
      return event;
    },
    async close() {
      await started.close();
      await fake.stop();
    },
  };
}

/** The same, on a Discord served elsewhere (the ack bench runs its fake in a process of its own). */
export async function startDiscordBot(db: Database, apiUrl: string): Promise<DiscordBotHarness> {
  let now = START;
  const clock = {
    now: () => now,
    speed: 1,
    set(at: Date) {
      now = at;
    },
  };
  const log = createLogger({ level: "silent", format: "json" });
  const market = new SimulatedMarket(42).source();
  const quoteControl: DiscordBotHarness["quoteControl"] = { delayMs: 0, failing: false, onQuote: null };
  const quotes: QuotePort = {
    ...market.quotes,
    latestQuote: async (symbol, asOf) => {
      quoteControl.onQuote?.();
      await new Promise((resolve) => setTimeout(resolve, quoteControl.delayMs));
      if (quoteControl.failing) throw new Error("quote source timed out");
      return market.quotes.latestQuote(symbol, asOf);
    },
  };
  // The production wiring, from configuration as `npm start` reads it (but from this object, not the environment).
  const config = loadConfig({
    DISCORD_TOKEN: "test-token",
    DISCORD_API_URL: apiUrl,
    PUBLIC_URL: "https://desk.example.com",
    LEADERBOARD_MIN_RESOLVED: "0",
  });
  const kit = { config, posts: dispatchPosts(db), inbox: inboxStore(db), clock, log };
  const surface = discordPlatform.open(kit)?.surface;
  if (!surface) throw new Error("Discord is configured");
  const runtime = new DeskRuntime({
    db,
    market,
    engine: new OfflineEngine(),
    engineName: "offline",
    clock,
    lockShare: config.lockShare,
    graceHours: config.resolutionGraceHours,
    surfaces: [surface],
    log,
  });
  const rescheduled: Server[] = [];
  const core = commandCoreFrom(config, {
    db,
    quotes,
    clock,
    // Cycles run when a test asks; wall-clock cron jobs would fire into tests at their own times.
    cycles: {
      runNow: (server) => runtime.runNow(server),
      reschedule: (server) => rescheduled.push(server),
    },
  });
  const bot = createDiscordBot(
    { core, publicUrl: config.publicUrl, log },
    { token: "test-token", apiUrl: apiUrl },
  );
  const ready = once(bot.client, Events.ClientReady);
  await bot.start();
  await ready;
  return {
    bot,
    runtime,
    rescheduled,
    surface,
    clock,
    quoteControl,
    async close() {
      await runtime.stop();
      await bot.stop();
    },
  };
}
