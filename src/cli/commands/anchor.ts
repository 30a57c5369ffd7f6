import { parseArgs } from "node:util";
import { checkAnchors } from "../../anchor/check.ts";
import { anchorChains } from "../../anchor/job.ts";
import { tsaClient } from "../../anchor/tsa.ts";
import { loadConfig } from "../../config/index.ts";
import { openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import type { CliCommand } from "../command.ts";

export const anchorCommand: CliCommand = {
  name: "anchor",
  summary: "Have the TSA (TSA_URL) sign the root of every chain head now; --check re-checks every anchor",
  usage: "anchor [--check]",
  async run(args) {
    const { values } = parseArgs({ args, options: { check: { type: "boolean", default: false } } });
    const config = loadConfig();
    const db = await openDatabase(config.database);
    try {
      await migrate(db);
      if (values.check) {
        const check = await checkAnchors(db);
        if (!check.ok) {
          process.stderr.write(`${check.message}\n`);
          return 1;
        }
        process.stdout.write(`${check.anchors} anchor(s) checked: each still matches the chain.\n`);
        return 0;
      }
      if (!config.anchor) {
        process.stderr.write("Anchoring is off (TSA_URL=off).\n");
        return 1;
      }
      const stamper = tsaClient(config.anchor.tsaUrl);
      const outcome = await anchorChains({ db, stamper, now: () => new Date() });
      if (outcome.status === "skipped") {
        process.stdout.write(`Nothing to anchor: ${outcome.reason}.\n`);
        return 0;
      }
      const { id, root, servers, tsaUrl, genTime, error } = outcome.anchor;
      if (outcome.status === "failed") {
        process.stderr.write(
          `Anchor #${id} failed (kept as a failed attempt): ${(error ?? "no reason recorded").replace(/\.?$/, ".")}\n`,
        );
        return 1;
      }
      process.stdout.write(
        `Anchor #${id}: root ${root} over ${servers} chain(s), signed by ${tsaUrl} at ${genTime?.toISOString()}.\n`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
