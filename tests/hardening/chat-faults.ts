import { discordOutbox } from "../../src/bot/discord/launch.ts";
import type { Server as DeskServer } from "../../src/domain/server.ts";
import type { Surface } from "../../src/scheduler/outbox.ts";
import { dispatchPosts } from "../../src/scheduler/posts.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { SlackHarness } from "../slack/harness.ts";
import { CHANNEL_ID, FakeDiscord, GUILD_ID } from "../support/fake-discord.ts";
import type { Fault, FaultPlan } from "../support/faults.ts";

/**
 * One chat platform's outbox side, wired as `npm start` wires it, against its local fake. Every
 * fault test runs the same way on Discord and Slack through this.
 */
export interface ChatPlatform {
  surface: Surface;
  server: DeskServer;
  faults: FaultPlan;
  /** The fake's request key for posting a message to the desk channel. */
  postRoute: string;
  /** Post requests the fake has received so far, and how many of them created a message. */
  postRequests(): number;
  posted(): number;
  /** Moves the desk's clock (the Discord surface translates call locks through it). */
  setDeskTime(at: Date): void;
  stop(): Promise<void>;
}

export interface PlatformCase {
  name: "discord" | "slack";
  start(db: Database): Promise<ChatPlatform>;
  /** A 429 as the platform sends it, asking for a one-second wait. */
  rateLimited: Fault;
  /** An outage the client library retries on its own... */
  outage: Fault;
  /** ...this many requests in all, before it gives up. */
  requestsPerOutage: number;
  /** A refusal no retry can fix, and the error the outbox row keeps. */
  permanent: Fault;
  permanentError: RegExp;
}

const PUBLIC_URL = "https://desk.example.com";

async function startDiscordSide(db: Database): Promise<ChatPlatform> {
  const fake = await new FakeDiscord([]).start();
  let deskTime = new Date();
  const server = await ensureServer(
    db.prisma,
    { platform: "discord", externalId: GUILD_ID, name: "Test Guild" },
    {
      schedule: "5 10 * * 1-5",
      timezone: "America/New_York",
      symbols: ["QQQ", "SPY", "IWM"],
      channelId: CHANNEL_ID,
    },
  );
  const postRoute = `POST /channels/${CHANNEL_ID}/messages`;
  const posts = () => fake.requests.filter((r) => `${r.method} ${r.path}` === postRoute);
  return {
    surface: discordOutbox({
      apiUrl: fake.apiUrl,
      token: "test-token",
      posts: dispatchPosts(db),
      publicUrl: PUBLIC_URL,
      clock: { now: () => deskTime, speed: 1 },
    }),
    server,
    faults: fake.faults,
    postRoute,
    postRequests: () => posts().length,
    posted: () => posts().filter((r) => r.status === 200).length,
    setDeskTime: (at) => {
      deskTime = at;
    },
    stop: () => fake.stop(),
  };
}

async function startSlackSide(db: Database): Promise<ChatPlatform> {
  const h = new SlackHarness(db);
  await h.start();
  const server = await h.workspace();
  return {
    surface: h.bot.surface,
    server,
    faults: h.fake.faults,
    postRoute: "chat.postMessage",
    postRequests: () => h.fake.called("chat.postMessage").length,
    posted: () => h.fake.messages.length,
    setDeskTime: (at) => {
      h.now = at;
    },
    stop: () => h.stop(),
  };
}

export const PLATFORMS: PlatformCase[] = [
  {
    name: "discord",
    start: startDiscordSide,
    // Discord's shape: Retry-After in seconds, the bucket headers, and the JSON body with retry_after.
    rateLimited: {
      status: 429,
      headers: {
        "retry-after": "1",
        "x-ratelimit-limit": "5",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset-after": "1",
        "x-ratelimit-bucket": "fault-bucket",
        "x-ratelimit-scope": "user",
      },
      body: { message: "You are being rate limited.", retry_after: 1, global: false },
    },
    outage: { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" },
    // discord.js retries a 5xx three times, at once.
    requestsPerOutage: 4,
    permanent: { status: 403, body: { message: "Missing Access", code: 50001 } },
    permanentError: /^50001: Missing Access$/,
  },
  {
    name: "slack",
    start: startSlackSide,
    rateLimited: {
      status: 429,
      headers: { "retry-after": "1" },
      body: { ok: false, error: "ratelimited" },
    },
    outage: { status: 503, body: "<html><body>503 Service Unavailable</body></html>" },
    // The bot's WebClient retries twice (src/bot/slack/app.ts), not for half an hour.
    requestsPerOutage: 3,
    // Slack answers a missing channel with HTTP 200 and ok: false.
    permanent: { status: 200, body: { ok: false, error: "channel_not_found" } },
    permanentError: /^Slack: channel_not_found$/,
  },
];
