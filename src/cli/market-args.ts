import type { Config } from "../config/index.ts";
import { type MarketSource, marketSource } from "../market/index.ts";
import { UsageError } from "./command.ts";

/** The market flags several commands share: --source, --data, --at, --seed. */
export const marketOptions = {
  source: { type: "string" },
  data: { type: "string" },
  at: { type: "string" },
  seed: { type: "string" },
} as const;

export interface MarketArgs {
  source?: string;
  data?: string;
  at?: string;
  seed?: string;
}

/** The configured market, overridden by flags; and the moment to observe (default: now). */
export function marketFromArgs(values: MarketArgs, config: Config): { market: MarketSource; at: Date } {
  const source = values.source ?? config.market.source;
  if (source !== "live" && source !== "replay" && source !== "simulated") {
    throw new UsageError(`--source must be live, replay or simulated, not "${source}".`);
  }
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at "${values.at}" is not an ISO time.`);
  const seed = values.seed === undefined ? config.market.simulationSeed : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError("--seed must be a non-negative integer.");
  const market = marketSource({
    ...config.market,
    source,
    dataDir: values.data ?? config.market.dataDir,
    simulationSeed: seed,
  });
  return { market, at };
}
