import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config/index.ts";
import { csvFileFor } from "../market/csv-bars.ts";
import { type MarketSource, marketSource } from "../market/index.ts";
import { Mistake, UsageError } from "./command.ts";

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

/**
 * The configured market, overridden by flags; and the moment to observe (default: now). A replay
 * without any of the symbols' files is refused here: it would otherwise publish an empty dispatch.
 */
export async function marketFromArgs(
  values: MarketArgs,
  config: Config,
): Promise<{ market: MarketSource; at: Date }> {
  const source = values.source ?? config.market.source;
  if (source !== "live" && source !== "replay" && source !== "simulated") {
    throw new UsageError(`--source must be live, replay or simulated, not "${source}".`);
  }
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at "${values.at}" is not an ISO time.`);
  const seed = values.seed === undefined ? config.market.simulationSeed : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError("--seed must be a non-negative integer.");
  const dataDir = values.data ?? config.market.dataDir;
  if (source === "replay") await requireReplayData(dataDir, config.market.symbols);
  const market = marketSource({
    ...config.market,
    source,
    dataDir,
    simulationSeed: seed,
  });
  return { market, at };
}

/** Refuses a replay folder that is missing or holds none of `symbols`' SYMBOL.csv files (any, when unset). */
export async function requireReplayData(dir: string, symbols: readonly string[] | undefined): Promise<void> {
  const files = await readdir(dir).catch(() => undefined);
  const wanted = symbols?.map(csvFileFor);
  if (files?.some((file) => (wanted ? wanted.includes(file) : file.endsWith(".csv")))) return;
  const where = path.resolve(dir);
  const problem =
    files === undefined ? `There is no data folder ${where}` : `${where} holds no SYMBOL.csv file`;
  throw new Mistake(
    `${problem} for a replay: download daily bars with \`npm run cli -- history --symbols ${symbols?.slice(0, 3).join(",") || "SPY,QQQ"} --from 2024-01-01 --out ${dir}\`, or pass --data <dir> naming a folder of SYMBOL.csv files (or use --source simulated).`,
  );
}
