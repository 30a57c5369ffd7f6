import { parseArgs } from "node:util";
import { loadConfig } from "../../config/index.ts";
import { describeCheck, verifyChains } from "../../resolution/verify.ts";
import { type Database, openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import { type CliCommand, UsageError } from "../command.ts";

/** How the command reaches its database: the configured one, or (in tests) one already open. */
export type OpenDatabase = () => Promise<{ db: Database; close: () => Promise<void> }>;

const configured: OpenDatabase = async () => {
  const db = await openDatabase(loadConfig().database);
  await migrate(db);
  return { db, close: () => db.close() };
};

export function verifyCommandOn(open: OpenDatabase): CliCommand {
  return {
    name: "verify",
    summary: "Re-check every server's hash chain (calls and verdicts); exits 1 when any link is broken",
    usage: "verify [--server ID] [--full] [--json]",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          server: { type: "string" },
          full: { type: "boolean", default: false },
          json: { type: "boolean", default: false },
        },
      });
      const { db, close } = await open();
      try {
        const report = await verifyChains(db, { server: values.server, full: values.full });
        if (!report) throw new UsageError(`No server "${values.server}".`);
        const text = values.json
          ? JSON.stringify(report, null, 2)
          : report.servers.length === 0
            ? "No servers yet: nothing to verify."
            : report.servers.map(describeCheck).join("\n");
        process.stdout.write(`${text}\n`);
        return report.ok ? 0 : 1;
      } finally {
        await close();
      }
    },
  };
}

export const verifyCommand = verifyCommandOn(configured);
