import { describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { chainEarlierVerdicts } from "../../src/store/chain.ts";
import { checkChain } from "../../src/store/chain-verify.ts";
import { deskCall } from "../commands/harness.ts";
import { testDatabases, useMigrated } from "../support/databases.ts";

/**
 * A desk that ran before verdicts were chained holds decided calls with no verdict record. The
 * upgrade chains them once, so its /verify is clean afterwards; a verdict that appears without a
 * record later is still reported.
 */
describe.each(testDatabases())(
  "upgrading a desk whose verdicts predate the verdict chain ($label)",
  (target) => {
    const database = useMigrated(target);

    it("chains each earlier verdict once, after which the chain verifies", async () => {
      const db = database();
      const server = await ensureLocalServer(db);
      const calls = [await deskCall(db, server.id, {}), await deskCall(db, server.id, { symbol: "SPY" })];
      // What the old sweep wrote: the verdict columns, and nothing in the chain.
      await db.prisma.call.updateMany({
        where: { id: { in: calls.map((c) => c.id) } },
        data: {
          status: "right",
          outcome: 1,
          exitPrice: 570,
          exitAt: new Date("2026-04-03T20:00:00Z"),
          resolvedAt: new Date("2026-04-03T20:05:00Z"),
          evidence: "QQQ 577.18 → 570.00",
        },
      });
      expect(await checkChain(db.prisma, server.id, { full: true })).toMatchObject({
        ok: false,
        record: `verdict of call #${calls[0]?.id}`,
      });

      expect(await chainEarlierVerdicts(db.prisma)).toBe(2);
      expect(await checkChain(db.prisma, server.id, { full: true })).toMatchObject({ ok: true, length: 4 });
      expect(await chainEarlierVerdicts(db.prisma)).toBe(0);
    });
  },
);
