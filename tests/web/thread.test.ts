import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { serveWebView, type WebView, type WebViewOptions } from "../../src/bot/web/serve.ts";
import { answerFor } from "../../src/cli/answers.ts";
import { metricsRegistry } from "../../src/scheduler/metrics.ts";
import type { Database } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";
import { capturedLogger } from "../support/captured-log.ts";
import { testDatabases } from "../support/databases.ts";
import { PATIENT, until } from "../support/process.ts";

/** Requests the app on the bots' thread has timed for `route` (the front's cache hits never reach it). */
async function appRequests(route: string): Promise<number> {
  const text = await metricsRegistry.metrics();
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`tapereader_command_duration_seconds_count{surface="web",command="${route}"}`));
  return line ? Number(line.split(" ")[1]) : 0;
}

describe.each(testDatabases())("the web view's front thread ($label)", (target) => {
  let db: Database;
  let web: WebView;
  const health = { scheduler: true, surfaces: { discord: true } };
  const { log, entries } = capturedLogger();
  const options = (): WebViewOptions => ({
    db,
    port: 0,
    hostname: "127.0.0.1",
    log,
    clock: { now: () => new Date(), speed: 1 },
    health: () => health,
    // Long enough that a cached page never needs this thread within one test.
    versionMaxAgeMs: 60_000,
  });
  beforeAll(async () => {
    db = await target.open();
    await migrate(db);
    await ensureLocalServer(db, ["QQQ", "SPY"]);
    web = await serveWebView(options());
  });
  afterAll(async () => {
    await web?.close();
    await db?.close();
    await target.dispose();
  });
  const base = () => `http://127.0.0.1:${web.port}`;

  it("answers a cached page while the bots' thread is blocked", async () => {
    expect((await fetch(`${base()}/`)).status).toBe(200);
    // A third thread asks again; this one blocks on a shared cell until the answer's status lands.
    const status = new Int32Array(new SharedArrayBuffer(4));
    const asker = new Worker(
      `const { workerData } = require("node:worker_threads");
       fetch(workerData.url).then((r) => r.status, () => -1).then((code) => {
         Atomics.store(workerData.status, 0, code);
         Atomics.notify(workerData.status, 0);
       });`,
      { eval: true, workerData: { url: `${base()}/`, status } },
    );
    // Nothing on this thread's event loop runs until the wait ends: a page served here never answers.
    Atomics.wait(status, 0, 0, PATIENT.timeout);
    await asker.terminate();
    expect(status[0]).toBe(200);
  });

  it("hands the app only what its cache lacks: a chart asked 40 times is drawn once", async () => {
    const chart = "/charts/score/desk.png";
    const before = await appRequests("/charts/:chart/:file");
    const answers = await Promise.all(Array.from({ length: 40 }, () => fetch(`${base()}${chart}`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));
    expect(answers[0]?.headers.get("content-type")).toBe("image/png");
    expect(answers[39]?.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await appRequests("/charts/:chart/:file")) - before).toBe(1);
  });

  it("passes health, metrics and live pages through to the app every time", async () => {
    const healthy = await fetch(`${base()}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({
      ok: true,
      database: true,
      scheduler: true,
      surfaces: { discord: true },
    });
    health.surfaces.discord = false;
    const down = await fetch(`${base()}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, surfaces: { discord: false } });
    health.surfaces.discord = true;
    expect(await (await fetch(`${base()}/metrics`)).text()).toContain(
      "tapereader_process_resident_memory_bytes",
    );
    expect((await fetch(`${base()}/read/2147483648`)).status).toBe(404);
    // Read-only: a body is not carried, and the app answers the method as it always has.
    const posted = await fetch(`${base()}/`, { method: "POST", body: "x".repeat(100_000) });
    expect(posted.status).toBe(404);
    expect(posted.headers.get("x-frame-options")).toBe("DENY");
  });

  it.skipIf(process.platform !== "linux")(
    "yields the CPU to the bots' thread (Linux: nice per thread)",
    async () => {
      const nice = async (task: string) => {
        const stat = await readFile(`/proc/self/task/${task}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]); // field 19 of proc(5)
      };
      const bots = await nice(String(process.pid));
      const others = await Promise.all((await readdir("/proc/self/task")).map(nice));
      expect(others.filter((value) => value === Math.min(bots + 10, 19))).toHaveLength(1);
    },
  );

  it("starts again on the same port after its thread dies", async () => {
    const first = web.thread();
    await first.terminate();
    await until("the web view back", PATIENT.timeout, async () =>
      web.thread() !== first && (await fetch(`${base()}/healthz`)).ok ? true : null,
    );
    expect(entries.some((entry) => entry.msg.startsWith("the web view's front thread stopped"))).toBe(true);
  });

  it("refuses a port already taken as a server in this thread would, with the user's answer", async () => {
    const taken = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => taken.once("listening", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const error = await serveWebView({ ...options(), port }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: "EADDRINUSE", port });
      expect(answerFor(error)).toContain(`Port ${port} is already in use`);
    } finally {
      taken.close();
    }
  });
});
