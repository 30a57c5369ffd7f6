import { loadConfig } from "../../config/index.ts";
import { openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import type { CliCommand } from "../command.ts";

export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "Apply pending database migrations (embedded PGlite, or DATABASE_URL when set)",
  usage: "migrate",
  async run() {
    const config = loadConfig();
    const db = await openDatabase(config.database);
    try {
      const report = await migrate(db);
      const where =
        config.database.kind === "postgres" ? "PostgreSQL" : `PGlite at ${config.database.dataDir}`;
      process.stdout.write(
        `${where}: ${report.applied.length} migration(s) applied, ${report.alreadyApplied.length} already in place.\n`,
      );
      for (const name of report.applied) process.stdout.write(`  applied ${name}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
