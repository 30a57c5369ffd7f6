import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createDeskEngine } from "../../agents/index.ts";
import { type QuestionModel, questionModelSchema } from "../../agents/questions/model.ts";
import { formatReport } from "../../backtest/format.ts";
import { BacktestRefused, DEFAULT_SEED, DEFAULT_SPLIT, runBacktest } from "../../backtest/run.ts";
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
    "backtest --data <dir> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--split <YYYY-MM-DD>] [--fit-from <YYYY-MM-DD>] [--fit-out <model.json> | --model <model.json>] [--engine offline|claude] [--sample N] [--seed N] [--cadence daily|weekly] [--json] [--chart <file.png>]",
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
        split: { type: "string", default: DEFAULT_SPLIT },
        "fit-from": { type: "string" },
        "fit-out": { type: "string" },
        model: { type: "string" },
        sample: { type: "string" },
        seed: { type: "string", default: String(DEFAULT_SEED) },
      },
    });
    const { from, to, engine, cadence, split } = values;
    const fitFrom = values["fit-from"] ?? from;
    if (!from || !to || !DATE.test(from) || !DATE.test(to) || from > to) {
      throw new UsageError("--from and --to must be dates (YYYY-MM-DD), --from not after --to.");
    }
    if (!DATE.test(split) || !fitFrom || !DATE.test(fitFrom) || (!values.model && fitFrom >= split)) {
      throw new UsageError("--split and --fit-from must be dates (YYYY-MM-DD), --fit-from before --split.");
    }
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError("--seed must be an integer.");
    const sample = values.sample === undefined ? undefined : Number(values.sample);
    if (sample !== undefined && !(Number.isInteger(sample) && sample > 0)) {
      throw new UsageError("--sample must be a positive number of days.");
    }
    if (sample !== undefined && engine !== "claude") {
      throw new UsageError("--sample runs the Claude engine on sampled days: give it with --engine claude.");
    }
    if (engine !== "offline" && engine !== "claude")
      throw new UsageError("--engine must be offline or claude.");
    if (cadence !== "daily" && cadence !== "weekly")
      throw new UsageError("--cadence must be daily or weekly.");
    const model = values.model ? await readModel(values.model, split) : undefined;
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
        // With --sample the walk is the offline desk's, and Claude answers only on the sampled days.
        engine: await createDeskEngine({ desk: { ...config.desk, engine: sample ? "offline" : engine } }),
        engineName: sample ? "offline" : engine,
        ...(sample && {
          sample: {
            engine: await createDeskEngine({ desk: { ...config.desk, engine } }),
            name: engine,
            days: sample,
          },
        }),
        split,
        fitFrom,
        seed,
        ...(model && { model }),
        onModel: async (model) => {
          const out = values["fit-out"];
          if (out) await writeFile(out, `${JSON.stringify(model, null, 1)}\n`);
        },
        onFit: (done, total) => {
          if (done % 250 === 0 || done === total) process.stderr.write(`fit ${done}/${total} days\n`);
        },
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

/** A model saved by `--fit-out`: refused unless it was fitted for this very split. */
async function readModel(file: string, split: string): Promise<QuestionModel> {
  const parsed = questionModelSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success)
    throw new UsageError(`--model ${file} is not a question model: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.split !== split) {
    throw new UsageError(
      `--model ${file} was fitted before ${parsed.data.split}, not before --split ${split}.`,
    );
  }
  return parsed.data;
}
