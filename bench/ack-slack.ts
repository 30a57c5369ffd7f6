import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createSlackBot } from "../src/bot/slack/app.ts";
import { inboxStore } from "../src/cli/wiring.ts";
import { dispatchPosts } from "../src/scheduler/posts.ts";
import type { Database } from "../src/store/database.ts";
import { SlackHarness, slackHeaders, slashCommandBody, testSlackConfig } from "../tests/slack/harness.ts";
import { FakeSlack } from "../tests/support/fake-slack.ts";
import { ackFigures, type Figure } from "./report.ts";
import { timed } from "./stats.ts";

/** Enough members that none reaches the 20-open-calls cap over the whole run. */
const USERS = Array.from({ length: 60 }, (_, i) => `UB${i}`);
const text = (i: number) =>
  `${["QQQ", "SPY", "IWM"][i % 3]} ${i % 2 ? "up" : "down"} ${24 + (i % 5) * 24}h ${55 + (i % 40)}%`;

function form(i: number, responseUrl: string): string {
  const user = USERS[i % USERS.length] as string;
  return slashCommandBody({
    command: "/predict",
    text: text(i),
    user,
    responseUrl,
    triggerId: `trigger.bench${i}`,
  });
}

async function post(port: number, body: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: "POST",
    headers: slackHeaders(body, "application/x-www-form-urlencoded"),
    body,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`slack receiver answered ${res.status}`);
  return res.status;
}

/** The same Bolt HTTP receiver and fake Slack, with a /predict listener that only acks. */
async function noopSlack(db: Database) {
  const fake = new FakeSlack();
  await fake.start();
  const bot = createSlackBot(testSlackConfig(fake.apiUrl), {
    inbox: inboxStore(db),
    posts: dispatchPosts(db),
    publicUrl: "https://desk.example.com",
    log: pino({ level: "silent" }),
    now: () => new Date(),
  });
  bot.app.command("/predict", async ({ ack }) => {
    await ack();
  });
  const receiver = bot.receiver;
  if (!receiver) throw new Error("HTTP mode expected");
  const http: Server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    fake,
    port: (http.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await fake.stop();
    },
  };
}

async function latencies(
  port: number,
  responseUrl: (i: number) => string,
  concurrency: number,
  from: number,
) {
  const samples: number[] = [];
  const rounds = concurrency === 1 ? 40 : concurrency === 50 ? 4 : 2;
  let n = from;
  for (let r = 0; r < rounds; r += 1) {
    const burst = Array.from({ length: concurrency }, () => n++);
    samples.push(
      ...(await Promise.all(
        burst.map(async (i) => (await timed(() => post(port, form(i, responseUrl(i))))).ms),
      )),
    );
  }
  return samples;
}

export async function benchSlackAck(db: Database, levels: number[]): Promise<Figure[]> {
  const h = new SlackHarness(db);
  await h.start();
  await h.workspace();
  for (const user of USERS) h.fake.users[user] = { name: user };
  const base = await noopSlack(db);
  const port = (h as unknown as { port: number }).port;
  const figures: Figure[] = [];
  try {
    let n = 100_000;
    await latencies(port, (i) => h.fake.responseUrl(`b${i}`), 1, n); // warm-up
    figures.push(
      ...(await ackFigures("ack slack", levels, async (c) => {
        n += 1000;
        return {
          measured: await latencies(port, (i) => h.fake.responseUrl(`b${i}`), c, n),
          floor: await latencies(base.port, (i) => base.fake.responseUrl(`b${i}`), c, n),
        };
      })),
    );
    await new Promise((resolve) => setTimeout(resolve, 5000)); // deferred work finishes after the ack
    const stored = await db.prisma.call.count({
      where: { source: "predict", server: { platform: "slack" } },
    });
    figures[0] = {
      ...(figures[0] as Figure),
      note: `${stored} /predict calls stored by the real Slack handlers (60 members)`,
    };
  } finally {
    await base.close();
    await h.stop();
  }
  return figures;
}
