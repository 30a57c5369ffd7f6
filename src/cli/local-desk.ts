import { ensureLocalServer } from "../agents/cycle/local-server.ts";
import type { CommandCore } from "../commands/core.ts";
import type { Config } from "../config/index.ts";
import type { Server } from "../domain/server.ts";
import { marketSource } from "../market/index.ts";
import { systemClock } from "../scheduler/clock.ts";
import { openDatabase } from "../store/database.ts";
import { migrate } from "../store/migrator.ts";
import { commandCoreFrom } from "./wiring.ts";

export interface LocalDesk {
  core: CommandCore;
  server: Server;
}

/**
 * The desk `npm start` serves (its database, its local server, its market) with the command core
 * over it, for commands a person runs from the terminal; closed after `work`.
 */
export async function withLocalDesk<T>(config: Config, work: (desk: LocalDesk) => Promise<T>): Promise<T> {
  const db = await openDatabase(config.database);
  try {
    await migrate(db);
    const server = await ensureLocalServer(db, config.market.symbols);
    const market = marketSource(config.market);
    const core = commandCoreFrom(config, {
      db,
      quotes: market.quotes,
      clock: systemClock,
      // Members' commands (predict, agree, fade) never run or reschedule a cycle; `cycle --now` does that.
      cycles: {
        runNow: async () => ({ status: "already_running" }),
        reschedule: () => undefined,
      },
    });
    return await work({ core, server });
  } finally {
    await db.close();
  }
}
