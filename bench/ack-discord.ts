import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Events } from "discord.js";
import { createDiscordClient } from "../src/bot/discord/bot.ts";
import { createWebApp } from "../src/bot/web/app.ts";
import { createLogger } from "../src/log.ts";
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

/** The web view in this process, beside the bot, as `npm start` serves it. */
async function startWeb(db: Database) {
  const app = createWebApp({
    db,
    health: () => ({ scheduler: true, surfaces: {} }),
    // As `npm start` sets it: a flood of cached pages costs no version query.
    load: { versionMaxAgeMs: 1000 },
    log: createLogger({ level: "silent", format: "json" }),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `connections` clients on `url` from a process of their own until stopped; resolves with the answers by status. */
async function flood(url: string, connections: number) {
  const child = forkBenchScript("./ack-flood.ts", [url, String(connections)]);
  const [first] = (await once(child, "message")) as [unknown];
  if (first !== "flooding") throw new Error("the flood did not start");
  return async () => {
    child.send("stop");
    const [statuses] = (await once(child, "message")) as [Record<string, number>];
    if (child.exitCode === null) await once(child, "exit");
    return statuses;
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
      const quiet = figures.find((f) => f.name === "ack-discord-200-p99");
      if (quiet) figures.push(await underFlood(db, quiet.value, () => rounds.real(200)));
      const stored = await db.prisma.call.count({
        where: { source: "predict", server: { platform: "discord" } },
      });
      figures[0] = {
        ...(figures[0] as Figure),
        note: `${stored} /predict calls stored by the real bot (150 members, real DB); answers to ${rounds.realSent} commands ${JSON.stringify(await platform.answers("real"))}; fakes and ack clock in their own process`,
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

async function underFlood(db: Database, quiet: number, measure: () => Promise<number[]>): Promise<Figure> {
  const web = await startWeb(db);
  const server = await discordServer(db);
  const stop = await flood(`${web.url}${FLOOD_PATH}?server=${server?.id ?? ""}`, FLOOD_CONNECTIONS);
  let samples: number[];
  let statuses: Record<string, number>;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the flood under way
    samples = await measure();
  } finally {
    statuses = await stop();
    await web.close();
  }
  const value = percentile(samples, 99);
  return figure({
    section: "ack discord",
    name: "ack-discord-200-p99-under-web-flood",
    value,
    unit: "ms",
    baseline: quiet,
    baselineName: "ack-discord-200-p99 without the flood",
    target: "<= 1.5x without the flood and < 1000 ms",
    met: value <= 1.5 * quiet && value < 1000,
    note: `${FLOOD_CONNECTIONS} connections on ${FLOOD_PATH} from another process; answers by status ${JSON.stringify(statuses)}`,
  });
}

function discordServer(db: Database) {
  return db.prisma.server.findUnique({
    where: { platform_externalId: { platform: "discord", externalId: GUILD_ID } },
  });
}
