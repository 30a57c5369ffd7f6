import { existsSync } from "node:fs";
import path from "node:path";
import { ensureLocalServer } from "../src/agents/cycle/local-server.ts";
import { dispatched, runCycle } from "../src/agents/cycle/service.ts";
import { OfflineEngine } from "../src/agents/offline.ts";
import { buildSnapshot, DEFAULT_SYMBOLS, type MarketSource } from "../src/market/index.ts";
import { ReplayMarket } from "../src/market/replay.ts";
import { SimulatedMarket } from "../src/market/simulated/market.ts";
import { type Database, openDatabase } from "../src/store/database.ts";
import { migrate } from "../src/store/migrator.ts";
import { type Figure, figure } from "./report.ts";
import { mb, timed } from "./stats.ts";

const SHARED_DATA = path.resolve(import.meta.dirname, "../../shared/data");

/**
 * One offline cycle (observe → debate → dispatch persisted) on its own fresh PGlite, run first in the process
 * so RSS reflects the bot, not the bench's bulk tables. Idle = modules loaded, database open and migrated.
 */
export async function benchCycle(log: (line: string) => void): Promise<Figure[]> {
  const replay = existsSync(path.join(SHARED_DATA, "SPY.csv"));
  const market: MarketSource = replay
    ? new ReplayMarket(SHARED_DATA).source()
    : new SimulatedMarket(7).source();
  const db: Database = await openDatabase({ kind: "pglite", dataDir: "memory://" });
  try {
    await migrate(db);
    const server = await ensureLocalServer(db);
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const options = { db, market, engine: new OfflineEngine(), engineName: "offline", lockShare: 0.25 };
    const cold = await timed(() =>
      runCycle(options, server, new Date("2026-04-01T14:00:00Z")).then(dispatched),
    );
    const warm = await timed(() =>
      runCycle(options, server, new Date("2026-04-02T14:00:00Z")).then(dispatched),
    );
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const observed = [...new Set([...DEFAULT_SYMBOLS, ...server.symbols])];
    const observe = await timed(() =>
      buildSnapshot(market, new Date("2026-04-03T14:00:00Z"), { symbols: observed }),
    );
    const source = replay ? `ReplayMarket over ${SHARED_DATA}` : "SimulatedMarket (no ../shared/data)";
    log(`  cycle on ${source}: ${cold.value.calls.length} calls, status ${cold.value.cycle.status}`);
    return [
      figure({
        section: "cycle",
        name: "offline cycle, first (cold)",
        value: cold.ms,
        unit: "ms",
        baseline: observe.ms,
        baselineName: "observe-only snapshot",
        target: "< 2000 ms",
        met: cold.ms < 2000,
        note: `${source}; ${cold.value.calls.length} calls persisted; observe-only baseline is a warm buildSnapshot`,
      }),
      figure({
        section: "cycle",
        name: "offline cycle, next day (warm)",
        value: warm.ms,
        unit: "ms",
        baseline: observe.ms,
        baselineName: "observe-only snapshot",
        target: "< 2000 ms",
        met: warm.ms < 2000,
      }),
      figure({
        section: "memory",
        name: "RSS idle (db open, modules loaded)",
        value: mb(idle),
        unit: "MB",
        baseline: null,
        baselineName: null,
        target: "< 250 MB",
        met: mb(idle) < 250,
      }),
      figure({
        section: "memory",
        name: "peak RSS during cycles",
        value: mb(peak),
        unit: "MB",
        baseline: mb(idle),
        baselineName: "idle RSS",
        target: null,
        met: null,
        note: `process maxRSS (resourceUsage) so far: ${mb(maxRss)} MB`,
      }),
    ];
  } finally {
    await db.close();
  }
}
