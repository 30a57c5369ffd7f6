import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DESK_STARTUP_MS, startDesk, until } from "../support/process.ts";

/** Coming up, then the first dispatch, then a clean stop. */
const E2E_MS = 2 * DESK_STARTUP_MS + 60_000;

describe("npm start, end to end", { timeout: E2E_MS }, () => {
  let child: ChildProcess | undefined;
  let dataDir = "";
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("starts with an empty data folder and no credentials, publishes a dispatch, and stops cleanly on SIGTERM", async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-start-"));
    const desk = await startDesk(dataDir);
    child = desk.child;
    const { base, exited } = desk;

    const health = await until(
      "/healthz",
      DESK_STARTUP_MS,
      async () => {
        const res = await fetch(`${base}/healthz`);
        return res.ok ? ((await res.json()) as { ok: boolean; database: boolean }) : null;
      },
      desk,
    );
    expect(health).toMatchObject({ ok: true, database: true });

    const dispatch = await until(
      "a dispatch on /",
      DESK_STARTUP_MS,
      async () => {
        const match = /href="\/read\/(\d+)"/.exec(await (await fetch(`${base}/`)).text());
        return match ? Number(match[1]) : null;
      },
      desk,
    );
    const read = await fetch(`${base}/read/${dispatch}`);
    expect(read.status).toBe(200);
    const article = await read.text();
    expect(article).toContain(`Dispatch #${dispatch}`);
    expect(article).toContain("simulated market");

    // A dispatch may legitimately make no call; then the trail comes from the API's call list.
    const calls = (await (await fetch(`${base}/api/dispatches/${dispatch}`)).json()) as {
      calls: { id: number }[];
    };
    const callId = /href="\/trail\/(\d+)"/.exec(article)?.[1] ?? calls.calls[0]?.id;
    if (callId === undefined) {
      console.warn("the first dispatch made no call: /trail is checked for a 404 instead");
      expect((await fetch(`${base}/trail/999999`)).status).toBe(404);
    } else {
      const trail = await fetch(`${base}/trail/${callId}`);
      expect(trail.status).toBe(200);
      expect(await trail.text()).toMatch(/Chain #\d+ · hash <code>[0-9a-f]{64}<\/code>/);
    }

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(desk.output()).toContain("stopped cleanly");
  });
});
