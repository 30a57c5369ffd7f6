import type { Db } from "./client.ts";

/** One price the store holds for a symbol: a cycle's observation or a bar a verdict read. */
export interface StoredPrice {
  at: Date;
  price: number;
}

/** A call with what its price chart needs: the question's times and prices, and its verdict's receipt. */
export function callForChart(db: Db, id: number) {
  return db.call.findUnique({
    where: { id },
    select: {
      id: true,
      serverId: true,
      symbol: true,
      kind: true,
      level: true,
      status: true,
      madeAt: true,
      lockAt: true,
      deadline: true,
      entryPrice: true,
      entryAt: true,
      exitPrice: true,
      exitAt: true,
      resolvedAt: true,
      receipt: true,
    },
  });
}

/**
 * The prices a server's cycles observed for a symbol between two moments, oldest first: the path
 * the desk itself saw, so a call's chart needs no market request. Missing inputs (null) are left out.
 */
export async function observedPrices(
  db: Db,
  q: { serverId: string; symbol: string; from: Date; to: Date },
): Promise<StoredPrice[]> {
  const rows = await db.observation.findMany({
    where: {
      symbol: q.symbol,
      kind: { in: ["quote", "crypto"] },
      value: { not: null },
      asOf: { gte: q.from, lte: q.to },
      // Through the server's cycles in the window: Observation is indexed by cycle, not by symbol.
      cycle: { serverId: q.serverId, asOf: { gte: q.from, lte: q.to } },
    },
    orderBy: { asOf: "asc" },
    select: { asOf: true, value: true },
  });
  return rows.flatMap((r) => (r.value === null ? [] : [{ at: r.asOf, price: r.value }]));
}
