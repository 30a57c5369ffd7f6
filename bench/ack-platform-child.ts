import { request } from "node:http";
import { opt, slash } from "../tests/discord/events.ts";
import { ADA } from "../tests/discord/harness.ts";
import { slackHeaders, slashCommandBody } from "../tests/slack/harness.ts";
import { FakeDiscord, type FakeUser, type Recorded } from "../tests/support/fake-discord.ts";
import { FakeSlack } from "../tests/support/fake-slack.ts";
import type { Burst, BurstResult, PlatformRequest } from "./ack-platform.ts";

/**
 * The ack bench's chat platforms, in a process of their own (forked by ack-platform.ts): the fake
 * Discord (REST and gateway) and the fake Slack (Web API, response_url, and the sender of signed slash
 * commands). Each ack is timed here, from sending the event to the platform receiving the ack, so
 * neither the fakes' CPU nor the clock shares the bot's event loop.
 */

type Answers = { public: number; private: number; sample: string };
const discords = new Map<
  string,
  { fake: FakeDiscord; acked: Map<string, (ms: number) => void>; answers: Answers }
>();
const slacks = new Map<string, FakeSlack>();

/** Enough members that none reaches the 20-open-calls cap over the whole run (about 3,500 commands). */
const MEMBERS: FakeUser[] = Array.from({ length: 300 }, (_, i) => ({
  ...ADA,
  id: String(900000000000002000n + BigInt(i)),
  username: `m${i}`,
}));
const SLACK_USERS = Array.from({ length: 120 }, (_, i) => `UB${i}`);

const predictEvent = (i: number) =>
  slash(MEMBERS[i % MEMBERS.length] as FakeUser, "predict", [
    opt("symbol", ["SPY", "QQQ", "IWM"][i % 3] as string),
    opt("claim", ["up", "down"][i % 2] as string),
    opt("probability", 55 + (i % 40)),
    opt("horizon", 24 + (i % 5) * 24),
  ]);
const predictText = (i: number) =>
  `${["QQQ", "SPY", "IWM"][i % 3]} ${i % 2 ? "up" : "down"} ${24 + (i % 5) * 24}h ${55 + (i % 40)}%`;

type Message = { flags?: number; content?: unknown };

/** The answer a request carries: a reply as the ack, the edit after a deferral, or a follow-up. */
function answerIn(item: Recorded): Message | null {
  const body = item.body as ({ type?: number; data?: Message } & Message) | null;
  if (/^\/interactions\/\d+\//.test(item.path)) return body?.type === 4 ? (body.data ?? {}) : null;
  const webhook = /^\/webhooks\/\d+\/[^/]+(\/messages\/@original)?$/.exec(item.path);
  if (!webhook) return null;
  return (item.method === "PATCH" && webhook[1]) || (item.method === "POST" && !webhook[1])
    ? (body ?? {})
    : null;
}

async function startDiscord(name: string): Promise<string> {
  const fake = await new FakeDiscord(MEMBERS).start();
  const acked = new Map<string, (ms: number) => void>();
  /** Answers the bot gave over the whole run: public (a call stored) or private (a refusal). */
  const answers: Answers = { public: 0, private: 0, sample: "" };
  // The first interaction callback (a reply or a deferral) is the ack.
  const push = fake.requests.push.bind(fake.requests);
  fake.requests.push = (...items) => {
    for (const item of items) {
      const id = /^\/interactions\/(\d+)\//.exec(item.path)?.[1];
      if (id) acked.get(id)?.(performance.now());
      const answer = answerIn(item);
      if (!answer) continue;
      if (((answer.flags ?? 0) & 64) !== 0) {
        answers.private += 1;
        answers.sample ||= String(answer.content ?? "").slice(0, 100);
      } else answers.public += 1;
    }
    // Recorded requests would grow for the whole run: only the counts matter here.
    return push();
  };
  discords.set(name, { fake, acked, answers });
  return fake.apiUrl;
}

function discordAck(name: string, i: number): Promise<number> {
  const platform = discords.get(name);
  if (!platform) throw new Error(`no Discord named ${name}`);
  const event = predictEvent(i);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for interaction ${event.id}`)), 30_000);
    const sentAt = performance.now();
    platform.acked.set(event.id, (at) => {
      clearTimeout(timer);
      platform.acked.delete(event.id);
      resolve(at - sentAt);
    });
    platform.fake.dispatch("INTERACTION_CREATE", event);
  });
}

async function startSlack(name: string): Promise<string> {
  const fake = new FakeSlack();
  await fake.start();
  for (const user of SLACK_USERS) fake.users[user] = { name: user };
  slacks.set(name, fake);
  return fake.apiUrl;
}

/** A signed /predict to the bot's HTTP receiver: Slack's ack is the 200 answering it. */
async function slackAck(name: string, port: number, i: number): Promise<number> {
  const fake = slacks.get(name);
  if (!fake) throw new Error(`no Slack named ${name}`);
  const body = slashCommandBody({
    command: "/predict",
    text: predictText(i),
    user: SLACK_USERS[i % SLACK_USERS.length] as string,
    responseUrl: fake.responseUrl(`b${i}`),
    triggerId: `trigger.bench${i}`,
  });
  const headers = slackHeaders(body, "application/x-www-form-urlencoded");
  const sentAt = performance.now();
  // node:http rather than fetch: the sender's own cost per request is a fraction of fetch's. A new
  // connection per request (no agent), as each of Slack's deliveries is timed from its own connect,
  // whatever the pause since the last burst.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/slack/events", method: "POST", headers, agent: false },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
  if (status !== 200) throw new Error(`slack receiver answered ${status}`);
  return performance.now() - sentAt;
}

/** `concurrency` acks sent at once, timed each from its sending to its ack. */
async function burst(b: Burst): Promise<BurstResult> {
  const events = Array.from({ length: b.concurrency }, (_, k) => b.from + k);
  const samples = await Promise.all(
    events.map((i) => (b.platform === "discord" ? discordAck(b.name, i) : slackAck(b.name, b.port ?? 0, i))),
  );
  return { samples };
}

/** Waits (up to two minutes) until the bot has answered `expected` commands in all: its work is done. */
async function drain(platform: "discord" | "slack", name: string, expected: number): Promise<number> {
  const count = () => {
    if (platform === "slack") return slacks.get(name)?.responses.length ?? 0;
    const answers = discords.get(name)?.answers;
    return answers ? answers.public + answers.private : 0;
  };
  for (let waited = 0; count() < expected && waited < 120_000; waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return count();
}

async function handle(request: PlatformRequest): Promise<unknown> {
  switch (request.op) {
    case "discord":
      return startDiscord(request.name);
    case "slack":
      return startSlack(request.name);
    case "burst":
      return burst(request.burst);
    case "answers":
      return discords.get(request.name)?.answers;
    case "drain":
      return drain(request.platform, request.name, request.answers);
    case "stop":
      for (const { fake } of discords.values()) await fake.stop();
      for (const fake of slacks.values()) await fake.stop();
      return null;
  }
}

process.on("message", (message: { id: number; request: PlatformRequest }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.send?.({ id: 0, result: "ready" });
