import type { CycleServiceOptions } from "../../src/agents/cycle/service.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import type { MarketSource } from "../../src/market/ports.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import type { Database } from "../../src/store/database.ts";

/** The cycle service as the embedded desk runs it: offline engine, default lock share, a seeded simulation. */
export function offlineDesk(
  db: Database,
  market: MarketSource = new SimulatedMarket(3).source(),
): CycleServiceOptions {
  return { db, market, engine: new OfflineEngine(), engineName: "offline", lockShare: 0.25 };
}
