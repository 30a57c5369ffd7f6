import { parseArgs } from "node:util";
import { ensureLocalServer } from "../../agents/cycle/local-server.ts";
import { runCycle } from "../../agents/cycle/service.ts";
import { createDeskEngine } from "../../agents/index.ts";
import { loadConfig } from "../../config/index.ts";
import { decidedByText, describeCall } from "../../domain/call.ts";
import { specOf } from "../../domain/call-record.ts";
import { cycleLockFor } from "../../scheduler/cycle-lock.ts";
import { openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import { type CliCommand, UsageError } from "../command.ts";
import { marketFromArgs, marketOptions } from "../market-args.ts";

export const cycleCommand: CliCommand = {
  name: "cycle",
  summary: "Run one desk cycle on the local server now and print its dispatch",
  usage:
    "cycle --now [--source live|replay|simulated] [--data <dir>] [--at <ISO time>] [--seed <n>] [--json]",
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...marketOptions,
        now: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
    if (!values.now) throw new UsageError("cycle needs --now (scheduled cycles run under `npm start`).");
    const config = loadConfig();
    const { market, at } = await marketFromArgs(values, config);
    const db = await openDatabase(config.database);
    try {
      await migrate(db);
      const server = await ensureLocalServer(db, config.market.symbols);
      const options = {
        db,
        market,
        engine: createDeskEngine(config),
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
        "",
        dispatch.title,
        "",
        dispatch.body,
        "",
        ...result.calls.map(
          (c) =>
            `Call #${c.id}: ${describeCall(specOf(c))} · ${Math.round(c.probability * 100)}% · locks ${c.lockAt.toISOString()} · ${decidedByText(specOf(c))} · resolves ${c.deadline.toISOString()}`,
        ),
      ];
      if (result.calls.length === 0) lines.push("No call this cycle.");
      process.stdout.write(`${lines.join("\n")}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
