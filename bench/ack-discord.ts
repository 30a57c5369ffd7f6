import { once } from "node:events";
import { Events } from "discord.js";
import { createDiscordClient } from "../src/bot/discord/bot.ts";
import type { Database } from "../src/store/database.ts";
import { opt, slash } from "../tests/discord/events.ts";
import { ADA, BOB, MOD, startDiscord } from "../tests/discord/harness.ts";
import { FakeDiscord } from "../tests/support/fake-discord.ts";
import { ackFigures, type Figure } from "./report.ts";

type Send = (event: { id: string }) => void;

/** Times from gateway dispatch to the first interaction callback (reply or deferral) the fake receives. */
function ackClock(fake: FakeDiscord) {
  const sentAt = new Map<string, number>();
  const waiters = new Map<string, (ms: number) => void>();
  const outcome = { public: 0, private: 0, sample: "" };
  const push = fake.requests.push.bind(fake.requests);
  fake.requests.push = (...items) => {
    for (const item of items) {
      const id = /^\/interactions\/(\d+)\//.exec(item.path)?.[1];
      const start = id ? sentAt.get(id) : undefined;
      if (id && start !== undefined) {
        sentAt.delete(id);
        const data = (item.body as { data?: { flags?: number; content?: string } } | undefined)?.data;
        if (((data?.flags ?? 0) & 64) !== 0) {
          outcome.private += 1;
          outcome.sample ||= String(data?.content ?? "").slice(0, 80);
        } else outcome.public += 1;
        waiters.get(id)?.(performance.now() - start);
      }
    }
    return push(...items);
  };
  const time = (send: Send, event: { id: string }) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${event.id}`)), 30_000);
      waiters.set(event.id, (ms) => {
        clearTimeout(timer);
        resolve(ms);
      });
      sentAt.set(event.id, performance.now());
      send(event);
    });
  return Object.assign(time, { outcome });
}

const CLAIMS = ["up", "down"];
/** Enough members that none reaches the 20-open-calls cap over the whole run (~700 commands). */
const MEMBERS = Array.from({ length: 60 }, (_, i) => ({
  ...ADA,
  id: String(900000000000002000n + BigInt(i)),
  username: `m${i}`,
}));
const predict = (i: number) =>
  slash(MEMBERS[i % MEMBERS.length] as typeof ADA, "predict", [
    opt("symbol", ["SPY", "QQQ", "IWM"][i % 3] as string),
    opt("claim", CLAIMS[i % 2] as string),
    opt("probability", 55 + (i % 40)),
    opt("horizon", 24 + (i % 5) * 24),
  ]);

async function latencies(
  timeAck: (send: Send, e: { id: string }) => Promise<number>,
  send: Send,
  concurrency: number,
) {
  const samples: number[] = [];
  const rounds = concurrency === 1 ? 40 : concurrency === 50 ? 4 : 2;
  let n = 0;
  for (let r = 0; r < rounds; r += 1) {
    const burst = Array.from({ length: concurrency }, () => predict(n++));
    samples.push(...(await Promise.all(burst.map((e) => timeAck(send, e)))));
  }
  return samples;
}

/** A bare discord.js client on its own fake whose handler only replies "ok": the transport's floor. */
async function noopDiscord() {
  const fake = await new FakeDiscord([MOD, ADA, BOB]).start();
  const client = createDiscordClient({ apiUrl: fake.apiUrl });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isRepliable()) void interaction.reply({ content: "ok" });
  });
  const ready = once(client, Events.ClientReady);
  await client.login("test-token");
  await ready;
  return {
    fake,
    close: async () => {
      await client.destroy();
      await fake.stop();
    },
  };
}

export async function benchDiscordAck(db: Database, levels: number[]): Promise<Figure[]> {
  const h = await startDiscord(db);
  const base = await noopDiscord();
  const figures: Figure[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 500)); // guild arrival creates the server row
    const real = ackClock(h.fake);
    const noop = ackClock(base.fake);
    const sendReal: Send = (e) => h.fake.dispatch("INTERACTION_CREATE", e);
    const sendNoop: Send = (e) => base.fake.dispatch("INTERACTION_CREATE", e);
    await latencies(real, sendReal, 1); // warm-up
    figures.push(
      ...(await ackFigures("ack discord", levels, async (c) => ({
        measured: await latencies(real, sendReal, c),
        floor: await latencies(noop, sendNoop, c),
      }))),
    );
    await new Promise((resolve) => setTimeout(resolve, 5000)); // deferred work finishes after the ack
    const stored = await db.prisma.call.count({ where: { source: "predict" } });
    figures[0] = {
      ...(figures[0] as Figure),
      note: `${stored} /predict calls stored by the real adapter (60 members, real DB); first callbacks: ${real.outcome.public} public, ${real.outcome.private} private (e.g. "${real.outcome.sample}")`,
    };
  } finally {
    await base.close();
    await h.close();
  }
  return figures;
}
