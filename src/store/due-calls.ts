/** The sweep's reads and retries: calls that are due, the desk calls they answer, and postponements. */
import type { CallRow, Db } from "./client.ts";
import type { Database } from "./database.ts";
import { heldCallFields } from "./desk-memory.ts";

/** What deciding a due call reads: its question (as the desk's memory reads it), entry, author and retries. */
const DUE_FIELDS = {
  ...heldCallFields,
  parentCallId: true,
  stance: true,
  entryPrice: true,
  versusEntry: true,
  attempts: true,
} as const satisfies Partial<Record<keyof CallRow, true>>;

export type DueCall = Pick<CallRow, keyof typeof DUE_FIELDS>;

/** DueCall's times, which the query below hands over as epoch milliseconds. */
type DueTimes = "madeAt" | "lockAt" | "deadline";

/** Where a page of due calls ended: the next page starts after this deadline and id. */
export interface DueAfter {
  deadline: Date;
  id: number;
}

/** findDueCalls' statement (exported for the test that checks its plan). */
export function dueCallsQuery(
  now: Date,
  limit: number,
  after: DueAfter | null,
): { text: string; values: unknown[] } {
  const columns = Object.keys(DUE_FIELDS).map((field) =>
    ["madeAt", "lockAt", "deadline"].includes(field)
      ? `(extract(epoch FROM "${field}") * 1000)::float8 AS "${field}"`
      : `"${field}"`,
  );
  // The order is the table's columns, qualified: a bare "deadline" in ORDER BY names the output
  // column (epoch ms), which no index holds, and each page was a full scan and sort. The keyset is
  // a condition of its own, not "$3 IS NULL OR …", so the index range starts after the last page.
  const keyset = after ? `AND (c.deadline, c.id) > ($3::timestamp, $4::int)` : "";
  return {
    text: `SELECT ${columns.join(", ")} FROM "Call" AS c
       WHERE c.status = 'open' AND c.deadline <= $1::timestamp
         AND (c."nextAttemptAt" IS NULL OR c."nextAttemptAt" <= $1::timestamp) ${keyset}
       ORDER BY c.deadline, c.id LIMIT $2::int`,
    values: [now.toISOString(), limit, ...(after ? [after.deadline.toISOString(), after.id] : [])],
  };
}

/**
 * Open calls whose deadline has passed and whose next attempt (after a retry) is due, oldest deadline
 * first (after `after`, for the next page), read in that order from the (status, deadline, id) index.
 * Through the driver: Prisma's typed read of a 10k page took about twice as long. Times come back as
 * epoch milliseconds, so neither driver reads a timestamp in the process's time zone.
 */
export async function findDueCalls(
  db: Database,
  now: Date,
  limit: number,
  after: DueAfter | null = null,
): Promise<DueCall[]> {
  const { text, values } = dueCallsQuery(now, limit, after);
  const rows = await db.withSession((session) =>
    session.query<Omit<DueCall, DueTimes> & Record<DueTimes, number>>(text, values),
  );
  // The times are made Dates in place: a copy of each of a page's 10k rows was garbage at once.
  return rows.map((row) =>
    Object.assign(row, {
      madeAt: new Date(row.madeAt),
      lockAt: new Date(row.lockAt),
      deadline: new Date(row.deadline),
    }),
  );
}

/** A call whose data is not there yet, tried again at `nextAttemptAt`. */
export interface Postponed {
  callId: number;
  attempts: number;
  nextAttemptAt: Date;
}

/** Data not there yet: try again later. One statement for all; only a call still open is touched. */
export async function postponeCalls(db: Db, postponed: readonly Postponed[]): Promise<void> {
  if (postponed.length === 0) return;
  await db.$executeRaw`
    UPDATE "Call" AS c SET attempts = p.attempts, "nextAttemptAt" = p.next_at
    FROM unnest(${postponed.map((p) => p.callId)}::int[], ${postponed.map((p) => p.attempts)}::int[],
      ${postponed.map((p) => p.nextAttemptAt)}::timestamp[]) AS p(id, attempts, next_at)
    WHERE c.id = p.id AND c.status = 'open'`;
}

/** Resolved parents of member calls (agree/fade), for peer scores against the desk. */
export function findCallsByIds(db: Db, ids: number[]): Promise<CallRow[]> {
  return ids.length === 0 ? Promise.resolve([]) : db.call.findMany({ where: { id: { in: ids } } });
}
