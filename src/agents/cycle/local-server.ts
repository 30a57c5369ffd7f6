import type { Server, ServerSettings } from "../../domain/server.ts";
import { DEFAULT_SYMBOLS } from "../../market/index.ts";
import type { Database } from "../../store/database.ts";
import { ensureServer } from "../../store/servers.ts";

/** A few times per US trading day, New York time: after the open, midday, before the close. */
export const DEFAULT_SCHEDULE = "5 10,13,15 * * 1-5";

/** What a new server starts with: every default symbol the desk can call (VIX is read, not called). */
export function defaultServerSettings(symbols?: readonly string[]): ServerSettings {
  return {
    schedule: DEFAULT_SCHEDULE,
    timezone: "America/New_York",
    symbols: [...(symbols ?? DEFAULT_SYMBOLS.filter((s) => !s.startsWith("^")))],
  };
}

/** The desk of the embedded mode and the CLI: web only, no chat platform. */
export function ensureLocalServer(db: Database, symbols?: readonly string[]): Promise<Server> {
  return ensureServer(
    db.prisma,
    { platform: "local", externalId: "local", name: "Local desk" },
    defaultServerSettings(symbols),
  );
}
