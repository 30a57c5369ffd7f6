import { loadConfig } from "../../config/index.ts";
import { openDatabase } from "../../store/database.ts";
import { migrate } from "../../store/migrator.ts";
import type { CliCommand } from "../command.ts";

export const startCommand: CliCommand = {
  name: "start",
  summary: "Run the desk (migrates first)",
  usage: "start",
  async run() {
    const config = loadConfig();
    const db = await openDatabase(config.database);
    try {
      const report = await migrate(db);
      const where =
        config.database.kind === "postgres"
          ? "PostgreSQL (DATABASE_URL)"
          : `PGlite at ${config.database.dataDir}`;
      process.stdout.write(
        `Tapereader\n  database: ${where}, ${report.applied.length} migration(s) applied\n`,
      );
      process.stdout.write("  desk: not wired yet (the market, desk and surfaces land in later issues)\n");
      return 0;
    } finally {
      await db.close();
    }
  },
};
