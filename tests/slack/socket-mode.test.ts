import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSlackBot, type SlackBot } from "../../src/bot/slack/app.ts";
import { inboxStore } from "../../src/cli/wiring.ts";
import { dispatchPosts } from "../../src/scheduler/posts.ts";
import type { Database } from "../../src/store/database.ts";
import { PointInTimeQuotes, walk } from "../commands/harness.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { FakeSlackSocket } from "../support/fake-slack-socket.ts";
import { PATIENT } from "../support/process.ts";
import { recordingDesk, TEAM, testCore, testSlackConfig } from "./harness.ts";

const target = testDatabases()[0];
if (!target) throw new Error("no test database");

/** A /predict as Slack sends it over Socket Mode: the slash command's fields as a JSON payload. */
function predictCommand(text: string, user: string, triggerId: string, responseUrl: string) {
  return {
    type: "slash_commands" as const,
    payload: {
      team_id: TEAM,
      team_domain: "acme",
      channel_id: "CGENERAL",
      user_id: user,
      user_name: user.toLowerCase(),
      command: "/predict",
      text,
      api_app_id: "A1",
      response_url: responseUrl,
      trigger_id: triggerId,
    },
  };
}

describe("Slack in Socket Mode against a local Socket Mode endpoint", () => {
  const fake = new FakeSlack();
  const socket = new FakeSlackSocket();
  let db: Database;
  let bot: SlackBot;

  beforeAll(async () => {
    await Promise.all([fake.start(), socket.start()]);
    fake.socketUrl = socket.url;
    fake.users = { UBO: { name: "Bo" } };
    db = await openMigrated(target);
    const now = () => new Date("2026-04-01T21:00:00Z");
    bot = createSlackBot(
      testSlackConfig(fake.apiUrl, { mode: "socket", appToken: "xapp-test", signingSecret: undefined }),
      {
        inbox: inboxStore(db),
        posts: dispatchPosts(db),
        publicUrl: "http://localhost:3000",
        log: pino({ level: "silent" }),
        now,
      },
    );
    expect(bot.connected()).toBe(false);
    const quotes = new PointInTimeQuotes({ QQQ: walk("2026-03-02", "2026-04-01", 560, 7) });
    const { cycles } = recordingDesk({ status: "already_running" });
    await bot.start(testCore(db, { quotes, now, cycles }));
  });
  afterAll(async () => {
    await bot?.stop();
    await Promise.all([socket.stop(), fake.stop()]);
    await db?.close();
    await target.dispose();
  });

  it("opens the connection through apps.connections.open with the app token, and reports it connected", async () => {
    expect(fake.called("apps.connections.open")).toHaveLength(1);
    await vi.waitFor(() => expect(bot.connected()).toBe(true), PATIENT);
  });

  /** Delivers a /predict, waits for the envelope's ack, and returns what the member was told. */
  async function predictOverSocket(text: string, id: string): Promise<string> {
    await socket.deliver(predictCommand(text, "UBO", `trigger.${id}`, fake.responseUrl(id)));
    await vi.waitFor(() => expect(fake.responses.some((r) => r.id === id)).toBe(true), PATIENT);
    return JSON.stringify(fake.responses.filter((r) => r.id === id).at(-1)?.body);
  }

  it("acknowledges /predict on the socket and tells the member the stored call; a redelivery stores nothing new", async () => {
    expect(await predictOverSocket("QQQ down 48h 65%", "sock1")).toMatch(/QQQ lower in 48h/);
    expect(await predictOverSocket("QQQ down 48h 65%", "sock1")).toMatch(/QQQ lower in 48h/);
    expect(await db.prisma.call.count({ where: { symbol: "QQQ", authorType: "member" } })).toBe(1);
  });

  it("reports the drop while Slack refuses a new connection, then reconnects by itself and serves commands", async () => {
    const before = socket.connections.length;
    fake.failing["apps.connections.open"] = "internal_error";
    socket.dropAll();
    await vi.waitFor(() => expect(bot.connected()).toBe(false), PATIENT);
    // The client waits 5 s before its first reconnect attempt, and longer after each failure.
    const slow = { timeout: 60_000, interval: 100 };
    await vi.waitFor(
      () => expect(fake.called("apps.connections.open").length).toBeGreaterThanOrEqual(2),
      slow,
    );
    expect(bot.connected()).toBe(false);
    delete fake.failing["apps.connections.open"];
    await vi.waitFor(() => expect(bot.connected()).toBe(true), slow);
    expect(socket.connections.length).toBe(before + 1);
    expect(await predictOverSocket("QQQ up 24h 60%", "sock2")).toMatch(/QQQ higher in 24h/);
  });
});
