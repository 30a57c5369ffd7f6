import { createServer } from "node:net";
import pino from "pino";
import { afterAll, describe, expect, it, vi } from "vitest";
import { slackPlatform } from "../../src/bot/slack/platform.ts";
import { inboxStore } from "../../src/cli/wiring.ts";
import { loadConfig } from "../../src/config/index.ts";
import { systemClock } from "../../src/scheduler/clock.ts";
import { dispatchPosts } from "../../src/scheduler/posts.ts";
import { findServer } from "../../src/store/servers.ts";
import { PointInTimeQuotes } from "../commands/harness.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { PATIENT } from "../support/process.ts";
import { recordingDesk, SECRET, signature, testCore } from "./harness.ts";

const target = testDatabases()[0];
if (!target) throw new Error("no test database");

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe("npm start's Slack wiring from configuration (HTTP mode)", () => {
  const fake = new FakeSlack();
  afterAll(() => fake.stop());

  it("registers the workspace from auth.test, schedules its desk and serves signed requests on SLACK_PORT", async () => {
    await fake.start();
    const db = await openMigrated(target);
    const port = await freePort();
    const config = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_MODE: "http",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_PORT: String(port),
      SLACK_API_URL: fake.apiUrl.replace(/\/$/, ""),
    });
    expect(config.slack).toMatchObject({ mode: "http", apiUrl: fake.apiUrl, path: "/slack/events" });
    const bot = slackPlatform.open({
      config,
      posts: dispatchPosts(db),
      inbox: inboxStore(db),
      clock: systemClock,
      log: pino({ level: "silent" }),
    });
    if (!bot) throw new Error("Slack is configured");
    const { cycles, scheduled } = recordingDesk({ status: "already_running" });
    const core = testCore(db, { quotes: new PointInTimeQuotes({}), now: () => systemClock.now(), cycles });
    await bot.start(core);
    const [server] = await core.servers.on("slack");
    if (!server) throw new Error("the workspace was not registered");
    try {
      expect(server).toMatchObject({ platform: "slack", externalId: "T1", name: "Acme" });
      expect(scheduled.map((s) => s.id)).toEqual([server.id]);
      const body = new URLSearchParams({
        team_id: "T1",
        user_id: "UX",
        command: "/cycle",
        text: "soon",
        response_url: fake.responseUrl("boot"),
        trigger_id: "t.boot",
        channel_id: "C1",
      }).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": signature(body, timestamp),
        },
        body,
      });
      expect(res.status).toBe(200);
      await vi.waitFor(() => expect(fake.responses.filter((r) => r.id === "boot")).toHaveLength(1), PATIENT);
      expect(await findServer(db.prisma, "slack", "T1")).not.toBeNull();
    } finally {
      await bot.stop();
      await db.close();
      await target.dispose();
    }
  });
});
