import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { verifyCommandOn } from "../../src/cli/commands/verify.ts";
import { appendCall, type NewCall } from "../../src/store/calls.ts";
import { chainHashAt } from "../../src/store/chain.ts";
import { checkChain } from "../../src/store/chain-verify.ts";
import type { CallRow } from "../../src/store/client.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { captureOutput } from "../support/process.ts";
import { type Seeded, seedDesk } from "../web/seed.ts";

/** A new desk call on the same server and times as `like`: a record appended after the checkpoint. */
function deskCall(like: CallRow): NewCall {
  return {
    serverId: like.serverId,
    spec: {
      kind: "direction",
      symbol: "SPY",
      direction: "up",
      horizonHours: 24,
      probability: 0.6,
      madeAt: like.madeAt.toISOString(),
    },
    authorType: "desk",
    source: "cli",
    lockAt: like.lockAt,
  };
}

/**
 * The tamper suite: each edit an operator could make behind the application's back, after a clean
 * verification has already written a checkpoint past the victim, is caught by `cli verify` (exit 1,
 * naming the record and why), by /verify and by /api/verify (409). Each is then undone and the chain
 * verifies again, so every case starts from a clean, checkpointed chain.
 */
describe.each(testDatabases())("tampering with the record ($label)", (target) => {
  let s: Seeded;
  const verify = verifyCommandOn(async () => ({ db: s.db, close: async () => {} }));
  const cli = async (...args: string[]) => {
    const { result, stdout, stderr } = await captureOutput(() => runCli([verify], ["verify", ...args]));
    return { code: result, out: stdout + stderr };
  };

  /** Every surface says broken and names `where` and `why`; after `undo` every surface says OK. */
  async function detected(where: string, why: RegExp | string, undo: () => Promise<unknown>) {
    try {
      const result = await cli();
      expect(result.code, result.out).toBe(1);
      expect(result.out).toContain(`BROKEN at ${where}`);
      expect(result.out).toMatch(why);
      const page = await s.app.request("/verify");
      expect(page.status).toBe(409);
      expect(await page.text()).toContain(where);
      const api = await s.app.request("/api/verify");
      expect(api.status).toBe(409);
      const body = (await api.json()) as { ok: boolean; servers: { check: { record: string } }[] };
      expect(body.ok).toBe(false);
      expect(body.servers[0]?.check.record).toBe(where);
    } finally {
      await undo();
    }
    const clean = await cli();
    expect(clean.code, clean.out).toBe(0);
    expect((await s.app.request("/api/verify")).status).toBe(200);
  }

  const recordOf = (callId: number, kind: "call" | "verdict") =>
    s.db.prisma.chainRecord.findUniqueOrThrow({ where: { callId_kind: { callId, kind } } });
  const label = async (callId: number, kind: "call" | "verdict") =>
    `record ${(await recordOf(callId, kind)).seq} (${kind === "call" ? "call" : "verdict of call"} #${callId})`;
  /**
   * Puts `fields` of a call back exactly as read. Not through Prisma: it writes a float with 16
   * significant digits, and a verdict's scores are stored with all 17 (the sweep writes through the driver).
   */
  const restore = (call: CallRow, fields: (keyof CallRow)[]) =>
    s.db.withSession((session) =>
      session.query(
        `UPDATE "Call" AS c SET ${fields.map((f) => `"${f}" = r."${f}"`).join(", ")}
         FROM json_populate_record(NULL::"Call", $1::json) AS r WHERE c.id = r.id`,
        [JSON.stringify(call)],
      ),
    );
  const resolvedDesk = (status: "right" | "wrong") =>
    s.db.prisma.call.findFirstOrThrow({ where: { authorType: "desk", status }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    s = await seedDesk(await openMigrated(target));
  });
  afterAll(async () => {
    await s?.db.close();
    await target.dispose();
  });

  it("an untouched chain verifies on every surface, and a checkpoint is signed off", async () => {
    const result = await cli();
    expect(result.code, result.out).toBe(0);
    const head = await s.db.prisma.chainHead.findUniqueOrThrow({ where: { serverId: s.server.id } });
    expect(result.out).toContain(`OK · ${head.seq} records · head ${head.hash}`);
    expect(await chainHashAt(s.db.prisma, s.server.id, head.seq)).toBe(head.hash);
    expect(await s.db.prisma.chainCheckpoint.findFirst({ where: { seq: head.seq } })).not.toBeNull();
    expect((await s.app.request("/verify")).status).toBe(200);
    const verdicts = await s.db.prisma.chainRecord.count({ where: { kind: "verdict" } });
    expect(verdicts).toBe(await s.db.prisma.call.count({ where: { status: { not: "open" } } }));
  });

  it("problem 1: a desk miss rewritten as a hit (status, outcome, scores) is caught", async () => {
    const miss = await resolvedDesk("wrong");
    const where = await label(miss.id, "verdict");
    await s.db.prisma.call.update({
      where: { id: miss.id },
      data: { status: "right", outcome: 1, brier: (1 - miss.probability) ** 2, baselineScore: 50 },
    });
    await detected(where, "content changed: baselineScore, brier, outcome, status", () =>
      restore(miss, ["status", "outcome", "brier", "baselineScore"]),
    );
  });

  it("an edited outcome, exit price, score or note is caught, naming the field", async () => {
    const call = await resolvedDesk("right");
    const edits = [
      { data: { outcome: 0 }, field: "outcome", kind: "verdict" as const },
      { data: { exitPrice: (call.exitPrice ?? 1) * 1.01 }, field: "exitPrice", kind: "verdict" as const },
      { data: { baselineScore: 99 }, field: "baselineScore", kind: "verdict" as const },
      { data: { note: "edited after the fact" }, field: "note", kind: "call" as const },
    ];
    for (const edit of edits) {
      await s.db.prisma.call.update({ where: { id: call.id }, data: edit.data });
      await detected(await label(call.id, edit.kind), `content changed: ${edit.field}`, () =>
        restore(call, Object.keys(edit.data) as (keyof CallRow)[]),
      );
    }
  });

  it("a receipt whose bars were changed is caught", async () => {
    const call = await resolvedDesk("right");
    const receipt = JSON.parse(call.receipt ?? "{}") as { bars: { value: number }[] };
    expect(receipt.bars.length).toBeGreaterThan(0);
    (receipt.bars[0] as { value: number }).value += 1;
    await s.db.prisma.call.update({ where: { id: call.id }, data: { receipt: JSON.stringify(receipt) } });
    await detected(await label(call.id, "verdict"), "content changed: receipt", () =>
      s.db.prisma.call.update({ where: { id: call.id }, data: { receipt: call.receipt } }),
    );
  });

  it("deleting the newest record is caught by the head, and by the checkpoint once one covers it", async () => {
    await appendCall(
      s.db.prisma,
      deskCall(await s.db.prisma.call.findFirstOrThrow({ where: { authorType: "desk" } })),
    );
    const newest = await s.db.prisma.chainRecord.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const remove = () =>
      s.db.prisma.chainRecord.delete({
        where: { serverId_seq: { serverId: newest.serverId, seq: newest.seq } },
      });
    await remove();
    await detected(
      "head of the chain",
      `the head names record ${newest.seq} but the chain ends at ${newest.seq - 1}: the newest record was removed`,
      () => s.db.prisma.chainRecord.create({ data: newest }),
    );
    await remove();
    await detected(`record ${newest.seq}`, "differs from the checkpoint signed off at", () =>
      s.db.prisma.chainRecord.create({ data: newest }),
    );
  });

  it("deleting a record in the middle is caught, though it lies before the checkpoint", async () => {
    const head = await s.db.prisma.chainHead.findUniqueOrThrow({ where: { serverId: s.server.id } });
    const seq = Math.floor(head.seq / 2);
    const middle = await s.db.prisma.chainRecord.findUniqueOrThrow({
      where: { serverId_seq: { serverId: s.server.id, seq } },
    });
    await s.db.prisma.chainRecord.delete({ where: { serverId_seq: { serverId: s.server.id, seq } } });
    await detected(`record ${seq}`, "missing: a record was removed", () =>
      s.db.prisma.chainRecord.create({ data: middle }),
    );
  });

  it("a verdict written straight into the table, with no record, is caught", async () => {
    const open = await s.db.prisma.call.findFirstOrThrow({
      where: { status: "open" },
      orderBy: { id: "asc" },
    });
    await s.db.prisma.call.update({ where: { id: open.id }, data: { status: "right", outcome: 1 } });
    await detected(
      `verdict of call #${open.id}`,
      `the call shows "right" but no verdict of it is in the chain`,
      () => s.db.prisma.call.update({ where: { id: open.id }, data: { status: "open", outcome: null } }),
    );
  });

  it("after a checkpoint, a verification re-hashes only the records added since; --full re-hashes all", async () => {
    expect((await checkChain(s.db.prisma, s.server.id)).ok).toBe(true);
    const quiet = await checkChain(s.db.prisma, s.server.id);
    expect(quiet).toMatchObject({ ok: true, hashed: 0 });
    const base = await s.db.prisma.call.findFirstOrThrow({ where: { authorType: "desk" } });
    for (let i = 0; i < 3; i++) await appendCall(s.db.prisma, deskCall(base));
    const after = await checkChain(s.db.prisma, s.server.id);
    expect(after).toMatchObject({ ok: true, hashed: 3, from: quiet.ok ? quiet.length : -1 });
    const full = await cli("--full", "--server", s.server.id);
    expect(full.code, full.out).toBe(0);
    const length = after.ok ? after.length : -1;
    expect(full.out).toContain(`OK · ${length} records`);
    expect(full.out).toContain(`${length} re-hashed from record 0`);
  });
});
