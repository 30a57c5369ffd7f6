import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.ts";
import { DESK_STARTUP_MS, freePort, startDesk } from "../support/process.ts";

const ANTHROPIC_KEY = "sk-ant-test-SECRET-7f3a9c";
const SLACK_TOKEN = "xoxb-test-SECRET-51d2e8";
const SLACK_SECRET = "signing-SECRET-0b6e4d";

describe("secrets never reach the logs", { timeout: 2 * DESK_STARTUP_MS }, () => {
  let child: ChildProcess | undefined;
  let dataDir = "";
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("a desk whose model and Slack calls fail logs the failures at debug level without a single secret, then stops cleanly", async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-secrets-"));
    const [slackPort, deadPort] = await Promise.all([freePort(), freePort()]);
    const desk = await startDesk(dataDir, {
      LOG_LEVEL: "trace",
      // Every remote answers "connection refused": the engine falls back, Slack calls fail and are logged.
      DESK_ENGINE: "claude",
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${deadPort}`,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_MODE: "http",
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_PORT: String(slackPort),
      SLACK_API_URL: `http://127.0.0.1:${deadPort}/api/`,
    });
    child = desk.child;
    // Slack's API cannot be reached, so the desk stops once its first cycle is done, saying why in one line.
    expect(await desk.exited).toBe(1);
    expect(desk.output()).toContain("Could not reach 127.0.0.1");
    // The model was unreachable too: the dispatch records the fallback, so its failures went through the logs.
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "db") });
    try {
      const dispatch = await db.prisma.dispatch.findFirstOrThrow();
      expect(dispatch.flags).toContain("model_fallback");
    } finally {
      await db.close();
    }
    // Slack's client logged its failing calls, headers included, at trace level.
    expect(desk.output()).toContain("http request headers");
    expect(desk.output()).toContain("http request failed");
    for (const secret of [ANTHROPIC_KEY, SLACK_TOKEN, SLACK_SECRET]) {
      expect(desk.output()).not.toContain(secret);
      expect(desk.output()).not.toContain(secret.slice(-12));
    }
  });
});
