import { parseArgs } from "node:util";
import { createDeskEngine } from "../../agents/index.ts";
import { formatReport } from "../../backtest/format.ts";
import { BacktestRefused, runBacktest } from "../../backtest/run.ts";
import { loadConfig } from "../../config/index.ts";
import { ReplayMarket } from "../../market/replay.ts";
import { openDatabase } from "../../store/database.ts";
import { type CliCommand, UsageError } from "../command.ts";
import { requireReplayData } from "../market-args.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const backtestCommand: CliCommand = {
  name: "backtest",
  summary:
    "Walk the desk forward through replayed history and report its record, per mind, regime and horizon",
  usage:
    "backtest --data <dir> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--engine offline|claude] [--cadence daily|weekly] [--json] [--chart <file.png>]",
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        engine: { type: "string", default: "offline" },
        cadence: { type: "string", default: "daily" },
        json: { type: "boolean", default: false },
        chart: { type: "string" },
      },
    });
    const { from, to, engine, cadence } = values;
    if (!from || !to || !DATE.test(from) || !DATE.test(to) || from > to) {
      throw new UsageError("--from and --to must be dates (YYYY-MM-DD), --from not after --to.");
    }
    if (engine !== "offline" && engine !== "claude")
      throw new UsageError("--engine must be offline or claude.");
    if (cadence !== "daily" && cadence !== "weekly")
      throw new UsageError("--cadence must be daily or weekly.");
    const config = loadConfig();
    const dataDir = values.data ?? config.market.dataDir;
    await requireReplayData(dataDir, config.market.symbols);
    // In memory unless DATABASE_URL names a (scratch) PostgreSQL: a walk's thousands of cycles are not the desk's history.
    const db = await openDatabase(
      config.database.kind === "postgres" ? config.database : { kind: "pglite", dataDir: "memory://" },
    );
    try {
      const report = await runBacktest({
        db,
        market: new ReplayMarket(dataDir).source(),
        engine: createDeskEngine({ desk: { ...config.desk, engine } }),
        engineName: engine,
        from,
        to,
        cadence,
        lockShare: config.lockShare,
        graceHours: config.resolutionGraceHours,
        symbols: config.market.symbols,
        chartPath: values.chart,
        onCycle: ({ done, total, at }) => {
          if (done % 100 === 0 || done === total)
            process.stderr.write(`cycle ${done}/${total} · ${at.toISOString()}\n`);
        },
      });
      process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof BacktestRefused) {
        process.stderr.write(`Backtest refused: ${error.message}.\n`);
        return 1;
      }
      throw error;
    } finally {
      await db.close();
    }
  },
};
