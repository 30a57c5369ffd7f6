import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureLocalServer } from "../../agents/cycle/local-server.ts";
import { runCycle } from "../../agents/cycle/service.ts";
import { createDeskEngine } from "../../agents/index.ts";
import { type Config, loadConfig } from "../../config/index.ts";
import { cycleLockFor } from "../../scheduler/cycle-lock.ts";
import { type DatabaseTarget, openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import { type CliCommand, UsageError } from "../command.ts";
import { marketFromArgs, marketOptions } from "../market-args.ts";

export const cycleCommand: CliCommand = {
  name: "cycle",
  summary: "Run one desk cycle on the local server now and print its dispatch",
  usage:
    "cycle --now [--source live|replay|simulated] [--data <dir>] [--at <ISO time>] [--seed <n>] [--save <db folder or postgresql:// url>] [--json]",
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...marketOptions,
        now: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        save: { type: "string" },
      },
    });
    if (!values.now) throw new UsageError("cycle needs --now (scheduled cycles run under `npm start`).");
    const config = loadConfig();
    const { market, at } = await marketFromArgs(values, config);
    const target = await databaseFor(values, config);
    const db = await openDatabase(target.database);
    try {
      await migrate(db);
      const server = await ensureLocalServer(db, config.market.symbols);
      const options = {
        db,
        market,
        engine: await createDeskEngine(config),
        engineName: config.desk.engine,
        lockShare: config.lockShare,
      };
      // The same lock as `npm start`'s scheduler: never two cycles of one server at once.
      const locked = await cycleLockFor(db).run(server.id, () => runCycle(options, server, at));
      if (!locked.ran) {
        process.stderr.write(
          "A cycle is already running for this server (under `npm start`); try again shortly.\n",
        );
        return 1;
      }
      const result = locked.value;
      if (result.skipped) {
        const { cycle, since, reason } = result;
        if (values.json) {
          process.stdout.write(`${JSON.stringify({ skipped: true, reason, since, cycle }, null, 2)}\n`);
          return 0;
        }
        process.stdout.write(
          `Cycle ${cycle.number} skipped · ${market.kind} market at ${at.toISOString()}\n` +
            `Nothing new since dispatch #${since.dispatchNumber} (market at ${since.asOf.toISOString()}): ${reason}. Nothing published.\n`,
        );
        return 0;
      }
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ dispatch: result.dispatch, calls: result.calls, cycle: result.cycle }, null, 2)}\n`,
        );
        return 0;
      }
      const { dispatch, cycle } = result;
      const lines = [
        `Dispatch #${dispatch.number} · cycle ${cycle.number} · ${cycle.regime} · ${market.kind} market at ${at.toISOString()}`,
        ...(target.scratch
          ? [
              "Scratch run: written to a throw-away database, removed now (--save <db folder or url> keeps it); the desk's record is untouched.",
            ]
          : []),
        "",
        dispatch.title,
        "",
        dispatch.body,
        "",
        // The body already lists the calls; what it cannot say is their ids on this desk.
        ...(result.calls.length && !target.scratch
          ? [
              `Call ids ${result.calls.map((c) => `#${c.id}`).join(", ")}: agree or fade with npm run cli -- agree <id> --as NAME (or fade).`,
            ]
          : []),
      ];
      if (result.calls.length === 0) lines.push("No call this cycle.");
      process.stdout.write(`${lines.join("\n")}\n`);
      return 0;
    } finally {
      await db.close();
      await target.cleanUp();
    }
  },
};

/**
 * Where the cycle writes. A replay or a run `--at` another moment is a scratch run: its calls would be
 * judged against the desk's own market at its next start and enter its permanent record, so it gets a
 * throw-away PGlite folder, removed after, unless --save names a database to keep it in.
 */
async function databaseFor(
  values: { source?: string; at?: string; save?: string },
  config: Config,
): Promise<{ database: DatabaseTarget; scratch: boolean; cleanUp(): Promise<void> }> {
  const keep = async () => undefined;
  if (values.save !== undefined) {
    const save = values.save.trim();
    if (save === "") throw new UsageError("--save names a database folder or a postgresql:// URL.");
    const database: DatabaseTarget = /^postgres(ql)?:\/\//.test(save)
      ? { kind: "postgres", url: save }
      : { kind: "pglite", dataDir: path.resolve(save) };
    return { database, scratch: false, cleanUp: keep };
  }
  const source = values.source ?? config.market.source;
  if (source !== "replay" && values.at === undefined)
    return { database: config.database, scratch: false, cleanUp: keep };
  const dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-scratch-"));
  return {
    database: { kind: "pglite", dataDir },
    scratch: true,
    cleanUp: () => rm(dataDir, { recursive: true, force: true }),
  };
}
