import { parseArgs } from "node:util";
import { checkAnchors } from "../../anchor/check.ts";
import { exportAnchors } from "../../anchor/export.ts";
import { loadConfig } from "../../config/index.ts";
import { describeCheck, verifyChains } from "../../resolution/verify.ts";
import { exportChains } from "../../resolution/verify-export.ts";
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
    summary:
      "Re-check every server's hash chain (calls and verdicts) and every anchor; exits 1 when anything is broken",
    usage: "verify [--server ID] [--full] [--json] [--export DIR]",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          server: { type: "string" },
          full: { type: "boolean", default: false },
          json: { type: "boolean", default: false },
          export: { type: "string" },
        },
      });
      const { db, close } = await open();
      try {
        const report = await verifyChains(db, { server: values.server, full: values.full });
        if (!report) throw new UsageError(`No server "${values.server}".`);
        // A chain re-hashed end to end passes its own links: only the signed roots catch that.
        const anchors = await checkAnchors(db);
        const text = values.json
          ? JSON.stringify({ ...report, anchors }, null, 2)
          : [
              ...(report.servers.length === 0
                ? ["No servers yet: nothing to verify."]
                : report.servers.map(describeCheck)),
              anchors.ok ? `anchors: OK · ${anchors.anchors} checked` : `anchors: BROKEN: ${anchors.message}`,
            ].join("\n");
        process.stdout.write(`${text}\n`);
        if (values.export) {
          const chains = await exportChains(db, values.export);
          const anchored = await exportAnchors(db, values.export);
          process.stdout.write(
            `exported ${chains.records} records of ${chains.servers} chain(s) and ${anchored.anchors} anchor(s) to ${values.export}\n`,
          );
        }
        return report.ok && anchors.ok ? 0 : 1;
      } finally {
        await close();
      }
    },
  };
}

export const verifyCommand = verifyCommandOn(configured);
