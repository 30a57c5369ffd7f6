import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { sweepDueCalls } from "../../src/resolution/sweep.ts";
import { verifyChains } from "../../src/resolution/verify.ts";
import { appendCall } from "../../src/store/calls.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { FakeQuotes } from "../support/fake-quotes.ts";
import { AFTER_DEADLINE, freshQqqServer, MADE, QQQ } from "./qqq-tape.ts";

const COUNT = 120;
const PAGE = 20;

/**
 * A write that fails part-way through a pass of many pages (a trigger refuses one call's verdict):
 * the pass reports the failure, leaves no half-written verdict, and the next pass finishes the rest.
 */
describe.each(testDatabases())("a sweep whose write fails mid-pass on $label", (target) => {
  let db: Database;
  let serverId: string;
  const ids: number[] = [];
  const quotes = new FakeQuotes({ QQQ });
  const sweep = () => sweepDueCalls({ db, quotes, now: AFTER_DEADLINE, graceHours: 200, pageSize: PAGE });
  const sql = (text: string) => db.withSession((s) => s.exec(text));

  beforeAll(async () => {
    db = await openMigrated(target);
    serverId = await freshQqqServer(db, "failing");
    for (let i = 0; i < COUNT; i++) {
      const spec = callSpecSchema.parse({
        kind: "direction",
        symbol: "QQQ",
        direction: i % 2 ? "up" : "down",
        horizonHours: 24,
        probability: 0.6,
        madeAt: MADE,
      });
      const { call } = await appendCall(db.prisma, {
        serverId,
        spec,
        source: "dispatch",
        lockAt: lockAtOf(spec, 0.25),
        authorType: "desk",
        mind: "macro",
      });
      ids.push(call.id);
    }
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  it("throws the failure, keeps every written verdict whole, and the next pass resolves the rest", async () => {
    // Page 3 of 6 (one chunk each): its verdicts cannot be written.
    const refused = ids[2 * PAGE + 5] as number;
    await sql(`CREATE FUNCTION refuse_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = ${refused} AND NEW.status <> 'open' THEN RAISE EXCEPTION 'verdict refused'; END IF;
        RETURN NEW;
      END $$`);
    await sql(
      `CREATE TRIGGER refuse_verdict BEFORE UPDATE ON "Call" FOR EACH ROW EXECUTE FUNCTION refuse_verdict()`,
    );

    await expect(sweep()).rejects.toThrow(/verdict refused/);
    const calls = await db.prisma.call.findMany({ where: { serverId }, orderBy: { id: "asc" } });
    const page = (i: number) => calls.slice(i * PAGE, (i + 1) * PAGE);
    // The refused call's whole chunk stays open; the pages before it were written.
    expect(page(2).every((c) => c.status === "open")).toBe(true);
    expect([...page(0), ...page(1)].every((c) => c.status !== "open")).toBe(true);
    const resolved = calls.filter((c) => c.status !== "open");
    expect(await db.prisma.chainRecord.count({ where: { serverId, kind: "verdict" } })).toBe(resolved.length);
    const [total] = await db.prisma.scoreTotal.findMany({ where: { serverId, season: "all" } });
    expect(total?.resolved ?? 0).toBe(resolved.length);
    expect((await verifyChains(db, { server: serverId, full: true }))?.ok).toBe(true);

    await sql(`DROP TRIGGER refuse_verdict ON "Call"`);
    const rest = await sweep();
    expect(rest.resolved).toHaveLength(COUNT - resolved.length);
    expect(await db.prisma.call.count({ where: { serverId, status: "open" } })).toBe(0);
    expect(await db.prisma.chainRecord.count({ where: { serverId, kind: "verdict" } })).toBe(COUNT);
    const [after] = await db.prisma.scoreTotal.findMany({ where: { serverId, season: "all" } });
    expect(after?.resolved).toBe(COUNT);
    expect((await verifyChains(db, { server: serverId, full: true }))?.ok).toBe(true);
  });
});
