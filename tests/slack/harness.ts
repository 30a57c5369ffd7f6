import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino, { type Logger } from "pino";
import { defaultServerSettings } from "../../src/agents/cycle/local-server.ts";
import { createSlackBot, type SlackBot } from "../../src/bot/slack/app.ts";
import { inboxStore } from "../../src/cli/wiring.ts";
import type { CyclePort, RunNowResult } from "../../src/commands/context.ts";
import { type CommandCore, commandCore } from "../../src/commands/core.ts";
import type { SlackConfig } from "../../src/config/index.ts";
import type { Server as DeskServer } from "../../src/domain/server.ts";
import type { QuotePort } from "../../src/market/ports.ts";
import { dispatchPosts } from "../../src/scheduler/posts.ts";
import type { Database } from "../../src/store/database.ts";
import { enqueueDelivery } from "../../src/store/outbox.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { deskCall, PointInTimeQuotes, SETTINGS, walk } from "../commands/harness.ts";
import { FakeSlack } from "../support/fake-slack.ts";

export const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const TEAM = "T1";
export const DESK_CHANNEL = "CDESK";
export const PUBLIC_URL = "https://desk.example.com";

const SERIES = {
  QQQ: walk("2026-02-02", "2026-05-29", 560, 7),
  SPY: walk("2026-02-02", "2026-05-29", 650, 11),
  IWM: walk("2026-02-02", "2026-05-29", 240, 13),
};

/** The app's configuration in tests: HTTP mode with the test signing secret unless overridden. */
export function testSlackConfig(apiUrl: string, overrides: Partial<SlackConfig> = {}): SlackConfig {
  return {
    botToken: "xoxb-test",
    mode: "http",
    appToken: undefined,
    signingSecret: SECRET,
    port: 0,
    path: "/slack/events",
    apiUrl,
    moderatorGroup: undefined,
    ...overrides,
  };
}

/** A desk that records the runs and reschedules it is asked for instead of running cycles. */
export function recordingDesk(run: RunNowResult = { status: "started", dispatchNumber: 7 }): {
  cycles: CyclePort;
  runs: DeskServer[];
  scheduled: DeskServer[];
} {
  const runs: DeskServer[] = [];
  const scheduled: DeskServer[] = [];
  const cycles: CyclePort = {
    runNow: async (server) => {
      runs.push(server);
      return run;
    },
    reschedule: (server) => {
      scheduled.push(server);
    },
  };
  return { cycles, runs, scheduled };
}

/** The command core over the test database, as the composition root builds it, on the given desk. */
export function testCore(
  db: Database,
  options: { quotes: QuotePort; now: () => Date; cycles: CyclePort },
): CommandCore {
  return commandCore({
    db,
    ...options,
    settings: SETTINGS,
    serverDefaults: defaultServerSettings(["QQQ", "SPY", "IWM"]),
  });
}

/** Slack's request signing: v0= hex HMAC-SHA256 of "v0:{timestamp}:{raw body}" with the signing secret. */
export function signature(body: string, timestamp: number, secret = SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  retryNum?: number;
  timestamp?: number;
  secret?: string;
}

/** The headers of one delivery, signed as Slack signs it; a retry also says which attempt it is. */
export function slackHeaders(
  body: string,
  contentType: string,
  options: SendOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature(body, timestamp, options.secret),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  return headers;
}

/** A slash command's form body, as Slack posts it to the request URL. */
export function slashCommandBody(c: {
  command: string;
  text: string;
  user: string;
  responseUrl: string;
  triggerId: string;
}): string {
  return new URLSearchParams({
    token: "verification-token",
    team_id: TEAM,
    team_domain: "acme",
    channel_id: "CGENERAL",
    channel_name: "general",
    user_id: c.user,
    user_name: c.user.toLowerCase(),
    command: c.command,
    text: c.text,
    api_app_id: "A1",
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  }).toString();
}

/** A filled-in predict modal: SPY above 600 within 5 days, 70%. */
export const SPY_ABOVE_600 = {
  symbol: { type: "static_select", selected_option: { value: "SPY" } },
  claim: { type: "static_select", selected_option: { value: "above" } },
  level: { type: "number_input", value: "600" },
  horizon: { type: "plain_text_input", value: "5d" },
  probability: { type: "number_input", value: "70" },
  note: { type: "plain_text_input", value: null },
};

export interface Sent {
  status: number;
  body: string;
}

/** The real Bolt app in HTTP mode, served by a local server, its WebClient pointed at a fake Slack. */
export class SlackHarness {
  readonly fake = new FakeSlack();
  readonly quotes = new PointInTimeQuotes(SERIES);
  /** What the bot drives: records runs and reschedules instead of running a desk. */
  private readonly desk = recordingDesk();
  readonly runs = this.desk.runs;
  readonly scheduled = this.desk.scheduled;
  now = new Date("2026-04-01T21:00:00Z");
  readonly core: CommandCore;
  bot!: SlackBot;
  private http: Server | null = null;
  /** Where the bot's HTTP receiver listens, on 127.0.0.1. */
  port = 0;
  private ownFake = true;
  private seq = 0;

  constructor(
    private readonly db: Database,
    private readonly log: Logger = pino({ level: "silent" }),
  ) {
    this.core = testCore(db, { quotes: this.quotes, now: () => this.now, cycles: this.desk.cycles });
  }

  /** With `apiUrl`, the bot talks to a Slack served elsewhere (the ack bench's own process) instead of `fake`. */
  async start(apiUrl?: string): Promise<void> {
    this.ownFake = !apiUrl;
    if (this.ownFake) await this.fake.start();
    this.fake.users = {
      UADMIN: { name: "Ana Admin", is_admin: true },
      UMOD: { name: "Mo Group" },
      UBO: { name: "Bo" },
      UCY: { name: "Cy" },
    };
    this.fake.groups = { SMODS: ["UMOD"] };
    this.bot = createSlackBot(testSlackConfig(apiUrl ?? this.fake.apiUrl), {
      inbox: inboxStore(this.db),
      posts: dispatchPosts(this.db),
      publicUrl: PUBLIC_URL,
      log: this.log,
      now: () => this.now,
    });
    this.bot.register(this.core);
    // What start() does before Bolt listens: its token check (deferred out of Bolt's constructor).
    await this.bot.app.init();
    const receiver = this.bot.receiver;
    if (!receiver) throw new Error("the harness runs Bolt in HTTP mode");
    this.http = createServer(receiver.requestListener);
    await new Promise<void>((resolve) => this.http?.listen(0, "127.0.0.1", resolve));
    this.port = (this.http.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.http?.close(() => resolve()));
    if (this.ownFake) await this.fake.stop();
  }

  /** The workspace as /config would have left it: a desk channel and three symbols. */
  workspace(): Promise<DeskServer> {
    return ensureServer(
      this.db.prisma,
      { platform: "slack", externalId: TEAM, name: "acme" },
      {
        schedule: "0 15 * * 1-5",
        timezone: "America/New_York",
        symbols: ["QQQ", "SPY", "IWM"],
        channelId: DESK_CHANNEL,
      },
    );
  }

  async send(body: string, contentType: string, options: SendOptions = {}): Promise<Sent> {
    const headers = slackHeaders(body, contentType, options);
    const res = await fetch(`http://127.0.0.1:${this.port}/slack/events`, { method: "POST", headers, body });
    return { status: res.status, body: await res.text() };
  }

  /** A slash command, form-encoded as Slack sends it; its response_url leads to the fake. */
  command(command: string, text: string, user = "UBO", extra: { triggerId?: string } & SendOptions = {}) {
    const id = `cmd${++this.seq}`;
    const form = slashCommandBody({
      command,
      text,
      user,
      responseUrl: this.fake.responseUrl(id),
      triggerId: extra.triggerId ?? `trigger.${id}`,
    });
    return { id, sent: this.send(form, "application/x-www-form-urlencoded", extra) };
  }

  /** Interactivity (block actions, view submissions): form-encoded with one `payload` JSON field. */
  interaction(payload: object, options: SendOptions = {}): Promise<Sent> {
    const form = new URLSearchParams({ payload: JSON.stringify(payload) });
    return this.send(form.toString(), "application/x-www-form-urlencoded", options);
  }

  click(actionId: string, callId: number, messageTs: string, user = "UBO") {
    const id = `act${++this.seq}`;
    return {
      id,
      sent: this.interaction({
        type: "block_actions",
        team: { id: TEAM, domain: "acme" },
        user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
        api_app_id: "A1",
        token: "verification-token",
        container: { type: "message", message_ts: messageTs, channel_id: DESK_CHANNEL, is_ephemeral: false },
        trigger_id: `trigger.${id}`,
        channel: { id: DESK_CHANNEL, name: "desk" },
        message: { type: "message", ts: messageTs, text: "dispatch" },
        response_url: this.fake.responseUrl(id),
        actions: [
          {
            type: "button",
            action_id: actionId,
            block_id: `call-${callId}`,
            value: String(callId),
            text: { type: "plain_text", text: actionId },
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      }),
    };
  }

  submitModal(
    values: Record<string, object>,
    viewId: string,
    user = "UBO",
    privateMetadata = `{"channelId":"CGENERAL"}`,
  ) {
    const state: Record<string, Record<string, object>> = {};
    for (const [id, value] of Object.entries(values)) state[id] = { [id]: value };
    return this.interaction({
      type: "view_submission",
      team: { id: TEAM, domain: "acme" },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
      api_app_id: "A1",
      token: "verification-token",
      trigger_id: `trigger.${viewId}`,
      view: {
        id: viewId,
        team_id: TEAM,
        type: "modal",
        callback_id: "tapereader_predict",
        private_metadata: privateMetadata,
        state: { values: state },
        hash: "1.abc",
        title: { type: "plain_text", text: "Make a call" },
        blocks: [],
      },
    });
  }

  /** An Events API delivery (JSON), with the envelope Slack wraps every event in. */
  event(event: object, eventId: string, options: SendOptions = {}): Promise<Sent> {
    const body = JSON.stringify({
      token: "verification-token",
      team_id: TEAM,
      api_app_id: "A1",
      event,
      type: "event_callback",
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
    });
    return this.send(body, "application/json", options);
  }

  /** Response_url bodies for one command or click. */
  answers(id: string) {
    return this.fake.responses
      .filter((r) => r.id === id)
      .map((r) => r.body as { text: string; response_type: string });
  }
}

/** A published dispatch with two desk calls and its pending Slack delivery, as a cycle leaves them. */
export async function seedDispatch(
  db: Database,
  server: DeskServer,
  title = "Breadth Is Lying About This Bounce",
) {
  const count = await db.prisma.cycle.count({ where: { serverId: server.id } });
  const cycle = await db.prisma.cycle.create({
    data: {
      serverId: server.id,
      number: count + 1,
      status: "published",
      regime: "choppy",
      engine: "offline",
      engineFlags: [],
      marketSource: "simulated",
      asOf: new Date("2026-04-01T20:55:00Z"),
    },
  });
  const dispatch = await db.prisma.dispatch.create({
    data: {
      cycleId: cycle.id,
      serverId: server.id,
      title,
      body: "The bounce is carried by five names. <!channel> <@U024BE7LH> & friends: @here look.",
      thesis: "Breadth is weak.",
      debateLine: "Debate: aligned_bearish | Conviction 41%",
      flags: ["simulated_market"],
    },
  });
  const link = { cycleId: cycle.id, dispatchId: dispatch.id, regime: "choppy" };
  const first = await deskCall(db, server.id, { madeAt: "2026-04-01T20:55:00Z" }, link);
  const second = await deskCall(
    db,
    server.id,
    { symbol: "SPY", direction: "up", horizonHours: 24, madeAt: "2026-04-01T20:55:00Z" },
    link,
  );
  await enqueueDelivery(db.prisma, {
    serverId: server.id,
    dispatchId: dispatch.id,
    kind: "dispatch",
    target: "slack",
    channelId: DESK_CHANNEL,
    dedupeKey: `dispatch:${dispatch.id}:slack`,
    payload: { dispatchNumber: dispatch.number },
  });
  return { dispatch, calls: [first, second] };
}
