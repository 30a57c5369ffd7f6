import type { PastQuestions } from "../domain/base-rate.ts";
import type { Db } from "./client.ts";
import { Prisma } from "./generated/client.ts";
import { crowdOf } from "./leaderboard.ts";

/** The crowd on one desk call: the median probability its live answers put on the desk's side. */
export async function crowdOnCall(db: Db, deskCallId: number): Promise<{ p: number | null; n: number }> {
  const [row] = await db.$queryRaw<{ p: number | null; n: number }[]>(
    Prisma.sql`SELECT q.p, q.n::int AS n FROM (${crowdOf(Prisma.sql`${deskCallId}::int`)}) AS q`,
  );
  return row ?? { p: null, n: 0 };
}

/**
 * Questions like this one decided before `before`: same server, symbol and kind, a span in
 * [lowHours, highHours), asked once (the desk's calls and members' own; an agree or fade repeats
 * its desk call's question), counted per side and outcome. Index: (serverId, symbol, kind, deadline).
 */
export function pastQuestions(
  db: Db,
  q: { serverId: string; symbol: string; kind: string; before: Date; lowHours: number; highHours: number },
): Promise<PastQuestions[]> {
  const high = Number.isFinite(q.highHours) ? q.highHours : 1e9;
  return db.$queryRaw<PastQuestions[]>(Prisma.sql`
    SELECT kind, direction, comparator, outcome, count(*)::int AS count
    FROM "Call"
    WHERE "serverId" = ${q.serverId} AND symbol = ${q.symbol} AND kind = ${q.kind}
      AND deadline <= ${q.before} AND "parentCallId" IS NULL AND status IN ('right', 'wrong')
      AND EXTRACT(EPOCH FROM (deadline - "madeAt")) / 3600 >= ${q.lowHours}
      AND EXTRACT(EPOCH FROM (deadline - "madeAt")) / 3600 < ${high}
    GROUP BY kind, direction, comparator, outcome`);
}
