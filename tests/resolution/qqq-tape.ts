import type { Bar } from "../../src/domain/bars.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";

const bar = (date: string, close: number): Bar => ({ date, open: close, high: close, low: close, close });

/** A rising week of QQQ around Good Friday 2026 (no bar on 04-03): "up" calls on it resolve right. */
export const QQQ = [
  bar("2026-03-31", 570),
  bar("2026-04-01", 577.18),
  bar("2026-04-02", 580),
  bar("2026-04-06", 584.98),
  bar("2026-04-07", 590),
];
/** After Wednesday's close: entry 577.18. */
export const MADE = "2026-04-01T21:00:00Z";
export const AFTER_DEADLINE = new Date("2026-04-07T21:00:00Z");

/** The only server left on the database: each test starts from an empty desk calling QQQ. */
export async function freshQqqServer(db: Database, externalId: string): Promise<string> {
  await db.prisma.server.deleteMany();
  const server = await ensureServer(
    db.prisma,
    { platform: "local", externalId, name: externalId },
    { schedule: "0 15 * * 1-5", timezone: "UTC", symbols: ["QQQ"] },
  );
  return server.id;
}
