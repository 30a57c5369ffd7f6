import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../support/fake-discord.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { FakeSlackSocket } from "../support/fake-slack-socket.ts";
import { DESK_STARTUP_MS, type StartedDesk, startDesk, until } from "../support/process.ts";

interface Health {
  ok: boolean;
  database: boolean;
  scheduler: boolean;
  surfaces: Record<string, boolean>;
}

/** What a container's HEALTHCHECK sees: the status code and the parts behind it. */
async function health(base: string): Promise<{ status: number; body: Health }> {
  // A stuck answer is "not yet" for `until`, not a hung test.
  const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as Health };
}

/** Slack's client notices the dropped socket, or reconnects after its backoff: seconds, more under load. */
const SLACK_MS = 90_000;
const TEST_MS = DESK_STARTUP_MS + 2 * SLACK_MS + 60_000;

describe("/healthz of the real process with Discord and Slack (Socket Mode) connected", {
  timeout: TEST_MS,
}, () => {
  const discord = new FakeDiscord([]);
  const slack = new FakeSlack();
  const socket = new FakeSlackSocket();
  let desk: StartedDesk | undefined;
  let dataDir = "";
  afterAll(async () => {
    if (desk && desk.child.exitCode === null) desk.child.kill("SIGKILL");
    await Promise.all([discord.stop(), socket.stop(), slack.stop()]);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("reports every chat connection, and fails while Slack's socket is down and cannot reconnect", async () => {
    await Promise.all([discord.start(), slack.start(), socket.start()]);
    slack.socketUrl = socket.url;
    dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-health-"));
    desk = await startDesk(dataDir, {
      DISCORD_TOKEN: "discord-bot-token",
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: "xoxb-health",
      SLACK_APP_TOKEN: "xapp-health",
      SLACK_MODE: "socket",
      SLACK_API_URL: slack.apiUrl,
    });
    const base = desk.base;
    const up = await until(
      "every surface connected",
      DESK_STARTUP_MS,
      async () => {
        const seen = await health(base);
        return seen.status === 200 && seen.body.surfaces.discord && seen.body.surfaces.slack ? seen : null;
      },
      desk,
    );
    expect(up.body).toEqual({
      ok: true,
      database: true,
      scheduler: true,
      surfaces: { web: true, discord: true, slack: true },
    });

    // Slack refuses new connections, then the socket drops: the check must fail until it is back.
    slack.failing["apps.connections.open"] = "internal_error";
    socket.dropAll();
    const down = await until("the Slack drop to show", SLACK_MS, async () => {
      const seen = await health(base);
      return seen.status === 503 ? seen : null;
    });
    expect(down.body).toMatchObject({ ok: false, database: true, surfaces: { discord: true, slack: false } });

    delete slack.failing["apps.connections.open"];
    const back = await until("Slack to reconnect", SLACK_MS, async () => {
      const seen = await health(base);
      return seen.status === 200 ? seen : null;
    });
    expect(back.body.surfaces).toEqual({ web: true, discord: true, slack: true });

    desk.child.kill("SIGTERM");
    expect(await desk.exited).toBe(0);
  });
});
