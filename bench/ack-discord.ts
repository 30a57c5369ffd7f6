import { once } from "node:events";
import { Events } from "discord.js";
import { createDiscordClient } from "../src/bot/discord/bot.ts";
import { serveWebView } from "../src/bot/web/serve.ts";
import { createLogger } from "../src/log.ts";
import { systemClock } from "../src/scheduler/clock.ts";
import type { Database } from "../src/store/database.ts";
import { startDiscordBot } from "../tests/discord/harness.ts";
import { GUILD_ID } from "../tests/support/fake-discord.ts";
import { AckRounds, forkBenchScript, Platform } from "./ack-platform.ts";
import { ackFigures, type Figure, figure } from "./report.ts";
import { percentile } from "./stats.ts";

/** The most expensive public page: a chart rendered to PNG. */
const FLOOD_PATH = "/charts/score/desk.png";
const FLOOD_CONNECTIONS = 200;

/** A bare discord.js client whose handler only replies "ok": the platform path without our work. */
async function noopDiscord(apiUrl: string) {
  const client = createDiscordClient({ apiUrl });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isRepliable()) void interaction.reply({ content: "ok" });
  });
  const ready = once(client, Events.ClientReady);
  await client.login("test-token");
  await ready;
  return client;
}

/** The web view as `npm start` serves it: the app beside the bot, its front on a thread of its own. */
function startWeb(db: Database) {
  return serveWebView({
    db,
    port: 0,
    hostname: "127.0.0.1",
    log: createLogger({ level: "silent", format: "json" }),
    clock: systemClock,
    health: () => ({ scheduler: true, surfaces: {} }),
  });
}

/**
 * `connections` clients on `url` from a process of their own, flooding from the start; paused and
 * resumed between rounds, then stopped with the answers by status.
 */
async function flood(url: string, connections: number) {
  const child = forkBenchScript("./ack-flood.ts", [url, String(connections)]);
  const said = async (expected: string) => {
    const [message] = (await once(child, "message")) as [unknown];
    if (message !== expected) throw new Error(`the flood said ${JSON.stringify(message)}, not ${expected}`);
  };
  await said("flooding");
  return {
    pause: () => {
      child.send("pause");
      return said("paused");
    },
    resume: () => {
      child.send("resume");
      return said("flooding");
    },
    stop: async () => {
      child.send("stop");
      const [statuses] = (await once(child, "message")) as [Record<string, number>];
      if (child.exitCode === null) await once(child, "exit");
      return statuses;
    },
  };
}

/**
 * /predict acks through the real bot against a bare client acking at once, both on fakes of their
 * own in the platform process; then the real bot's again while the web view is flooded.
 */
export async function benchDiscordAck(db: Database, levels: number[]): Promise<Figure[]> {
  const platform = await Platform.start();
  const figures: Figure[] = [];
  try {
    const h = await startDiscordBot(db, await platform.discord("real"));
    const noop = await noopDiscord(await platform.discord("noop"));
    try {
      // The guild's arrival creates its server row: the first command must not race it.
      for (let i = 0; i < 100 && !(await discordServer(db)); i += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const rounds = new AckRounds(
        platform,
        "discord",
        { noop: { name: "noop" }, real: { name: "real" } },
        0,
      );
      figures.push(...(await ackFigures("ack discord", "ack-discord", levels, (c) => rounds.level(c))));
      figures.push(await underFlood(db, rounds));
      const stored = await db.prisma.call.count({
        where: { source: "predict", server: { platform: "discord" } },
      });
      figures[0] = {
        ...(figures[0] as Figure),
        note: `${stored} /predict calls stored by the real bot (300 members, real DB); answers to ${rounds.realSent} commands ${JSON.stringify(await platform.answers("real"))}; fakes and ack clock in their own process`,
      };
    } finally {
      await noop.destroy();
      await h.close();
    }
  } finally {
    await platform.stop();
  }
  return figures;
}

/** Pairs of rounds of 200 commands to the real bot: one with the web view idle, one flooded. */
const FLOOD_PAIRS = 8;
/** How long the flood runs before a flooded round starts: every connection busy again. */
const FLOOD_WARM_MS = 500;

/**
 * The real bot's acks while the web view is flooded, against its acks with the web view idle in
 * rounds alternating with the flooded ones, so a change in the machine's load reaches both alike.
 */
async function underFlood(db: Database, rounds: AckRounds): Promise<Figure> {
  const web = await startWeb(db);
  const server = await discordServer(db);
  const clients = await flood(
    `http://127.0.0.1:${web.port}${FLOOD_PATH}?server=${server?.id ?? ""}`,
    FLOOD_CONNECTIONS,
  );
  const quiet: number[] = [];
  const flooded: number[] = [];
  let statuses: Record<string, number>;
  try {
    for (let pair = 0; pair < FLOOD_PAIRS; pair += 1) {
      await clients.pause();
      quiet.push(...(await rounds.round("real", 200)));
      await clients.resume();
      await new Promise((resolve) => setTimeout(resolve, FLOOD_WARM_MS));
      flooded.push(...(await rounds.round("real", 200)));
    }
  } finally {
    statuses = await clients.stop();
    await web.close();
  }
  const value = percentile(flooded, 99);
  const baseline = percentile(quiet, 99);
  return figure({
    section: "ack discord",
    name: "ack-discord-200-p99-under-web-flood",
    value,
    unit: "ms",
    baseline,
    baselineName: "the real bot's ack p99 without the flood, in rounds alternating with the flooded ones",
    target: "<= 1.5x without the flood and < 1000 ms",
    met: value <= 1.5 * baseline && value < 1000,
    note: `cached pages answered by the web view's front thread; ${FLOOD_CONNECTIONS} connections on ${FLOOD_PATH} from another process (lowest CPU priority, standing for visitors elsewhere); ${FLOOD_PAIRS} flooded rounds of 200; answers by status ${JSON.stringify(statuses)}`,
  });
}

function discordServer(db: Database) {
  return db.prisma.server.findUnique({
    where: { platform_externalId: { platform: "discord", externalId: GUILD_ID } },
  });
}
