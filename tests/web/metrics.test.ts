import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import { createWebApp } from "../../src/bot/web/app.ts";
import { createLogger } from "../../src/log.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { metricsRegistry } from "../../src/scheduler/metrics.ts";
import { DeskRuntime } from "../../src/scheduler/runtime.ts";
import { type Database, openDatabase } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";

/** The value of one sample line, e.g. `tapereader_cycles_total{outcome="published"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/metrics", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("counts cycles, calls, resolutions, delivery failures and page latency in Prometheus text format", async () => {
    metricsRegistry.resetMetrics();
    let now = new Date("2026-06-01T15:00:00Z");
    const runtime = new DeskRuntime({
      db,
      market: new SimulatedMarket(11).source(),
      engine: new OfflineEngine(),
      engineName: "offline",
      clock: { now: () => now, speed: 1 },
      lockShare: 0.25,
      graceHours: 72,
      surfaces: [{ target: "web", deliver: () => Promise.reject(new Error("feed down")) }],
      log: createLogger({ level: "silent", format: "json" }),
    });
    const server = await ensureLocalServer(db, ["QQQ", "SPY"]);
    expect(await runtime.runNow(server)).toMatchObject({ status: "started" });
    const calls = await db.prisma.call.count();
    now = new Date("2026-06-10T22:00:00Z");
    const report = await runtime.sweep();
    await runtime.stop();
    const deliveries = await db.prisma.delivery.count();

    const app = createWebApp({ db, health: () => ({ scheduler: true, surfaces: {} }) });
    await app.request("/verify");
    const res = await app.request("/metrics");
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain("# TYPE tapereader_cycles_started_total counter");
    expect(text).toContain("# HELP tapereader_command_duration_seconds");
    expect(text).toContain("# TYPE tapereader_command_duration_seconds histogram");
    expect(sample(text, "tapereader_cycles_started_total")).toBe(1);
    const outcome = calls ? "published" : "no_call";
    expect(sample(text, `tapereader_cycles_total{outcome="${outcome}"}`)).toBe(1);
    expect(sample(text, 'tapereader_calls_total{author="desk"}')).toBe(calls);
    const byStatus = (status: string) => report.resolved.filter((v) => v.status === status).length;
    for (const status of ["right", "wrong", "void"])
      expect(sample(text, `tapereader_resolutions_total{status="${status}"}`)).toBe(byStatus(status));
    expect(deliveries).toBeGreaterThan(0);
    expect(sample(text, 'tapereader_delivery_failures_total{target="web",final="false"}')).toBe(deliveries);
    expect(sample(text, 'tapereader_command_duration_seconds_count{surface="web",command="/verify"}')).toBe(
      1,
    );
    expect(text).toMatch(
      /tapereader_command_duration_seconds_bucket\{le="\+Inf",surface="web",command="\/verify"\} 1/,
    );
    expect(text).toContain("tapereader_process_cpu_seconds_total");
  });
});
