import { describe, expect, it } from "vitest";
import { dueCallsQuery } from "../../src/store/due-calls.ts";
import { testDatabases, useMigrated } from "../support/databases.ts";

/**
 * The sweep reads due calls a page at a time in (deadline, id) order: the (status, deadline, id)
 * index must hand them over in that order, from where the last page ended, with no sort. A page that
 * sorts instead scans every open call each time (at 100k due calls, most of a sweep's reading).
 */
describe.each(testDatabases())("the due-call read on $label", (target) => {
  const db = useMigrated(target);

  const plan = (after: { deadline: Date; id: number } | null) =>
    db().transaction(async (session) => {
      // An empty table reads fastest by a scan; what is checked is whether the index can serve the order.
      await session.exec("SET LOCAL enable_seqscan = off");
      const { text, values } = dueCallsQuery(new Date("2026-02-10T00:00:00Z"), 10_000, after);
      const rows = await session.query<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, values);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });

  it("walks the (status, deadline, id) index in order, from the first page and after the last one", async () => {
    for (const after of [null, { deadline: new Date("2026-01-20T00:00:00Z"), id: 5_000 }]) {
      const text = await plan(after);
      expect(text).toMatch(/Index Scan using "Call_status_deadline_id_idx"/);
      expect(text).not.toMatch(/Sort/);
      if (after) expect(text).toMatch(/Index Cond: .*ROW\(deadline, id\) > ROW\(/);
    }
  });
});
