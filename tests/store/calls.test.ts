import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { specOf } from "../../src/domain/call-record.ts";
import { appendCall, type NewCall } from "../../src/store/calls.ts";
import { checkChain } from "../../src/store/chain-verify.ts";
import type { Database } from "../../src/store/database.ts";
import { migrate, readMigrations } from "../../src/store/migrator.ts";
import { ensureMember, ensureServer, findServer, updateServerSettings } from "../../src/store/servers.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";

const settings = { schedule: "5 10,13,15 * * 1-5", timezone: "America/New_York", symbols: ["SPY", "QQQ"] };

describe.each(testDatabases())("storage on $label", (target) => {
  let db: Database;
  let serverId: string;

  beforeAll(async () => {
    db = await openMigrated(target);
    serverId = (
      await ensureServer(db.prisma, { platform: "discord", externalId: "g1", name: "Guild" }, settings)
    ).id;
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  function memberCall(overrides: Partial<NewCall> = {}, fields: Record<string, unknown> = {}): NewCall {
    const question = "kind" in fields ? {} : { kind: "direction", direction: "down" };
    const spec = callSpecSchema.parse({
      symbol: "QQQ",
      horizonHours: 48,
      probability: 0.62,
      madeAt: "2026-04-01T14:00:00Z",
      ...question,
      ...fields,
    });
    return {
      serverId,
      spec,
      authorType: "member",
      source: "predict",
      lockAt: lockAtOf(spec, 0.25),
      entryPrice: 577.18,
      ...overrides,
    };
  }

  it("migrating again changes nothing", async () => {
    const names = (await readMigrations()).map((m) => m.name);
    expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: names });
  });

  it("servers keep their settings when ensured again, and update on request", async () => {
    const again = await ensureServer(
      db.prisma,
      { platform: "discord", externalId: "g1", name: "Guild" },
      { ...settings, symbols: ["X"] },
    );
    expect(again.id).toBe(serverId);
    expect(again.symbols).toEqual(["SPY", "QQQ"]);
    await updateServerSettings(db.prisma, serverId, { moderatorRoleId: "r9", channelId: "c1" });
    expect(await findServer(db.prisma, "discord", "g1")).toMatchObject({
      moderatorRoleId: "r9",
      channelId: "c1",
    });
  });

  it("a stored call reads back as the same call JSON, every kind", async () => {
    const member = await ensureMember(db.prisma, serverId, "u1", "Ada");
    const specs = [
      { kind: "direction", direction: "up", horizonHours: 24 },
      {
        kind: "threshold",
        comparator: "below",
        level: 650,
        deadline: "2026-04-03T20:00:00Z",
        horizonHours: undefined,
      },
      { kind: "touch", comparator: "above", level: 700.5, horizonHours: 120, flatBandPct: 0.2 },
      { kind: "hold", comparator: "above", level: 176, horizonHours: 24, note: "into earnings" },
      { kind: "relative", versus: "IWM", direction: "outperform", horizonHours: 24 },
    ];
    for (const fields of specs) {
      const input = memberCall({ memberId: member.id }, fields);
      const { call, created } = await appendCall(db.prisma, input);
      expect(created).toBe(true);
      expect(specOf(call)).toEqual(input.spec);
      expect(call.season).toBe("2026-04");
      expect(call.status).toBe("open");
    }
  });

  it("the same interaction delivered twice, even at once, stores one call", async () => {
    const input = memberCall({ interactionId: "interaction-42", source: "button" });
    const results = await Promise.all([
      appendCall(db.prisma, input),
      appendCall(db.prisma, input),
      appendCall(db.prisma, input),
    ]);
    expect(new Set(results.map((r) => r.call.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.prisma.call.count({ where: { interactionId: "interaction-42" } })).toBe(1);
  });

  it("concurrent appends get consecutive chain positions and the chain verifies", async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        appendCall(db.prisma, memberCall({}, { probability: 0.5 + i / 100 })),
      ),
    );
    const seqs = (await db.prisma.call.findMany({ where: { serverId }, orderBy: { chainSeq: "asc" } })).map(
      (c) => c.chainSeq,
    );
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await checkChain(db.prisma, serverId)).toMatchObject({ ok: true, length: seqs.length });
  });

  it("the chain exposes a call edited or deleted behind the application's back", async () => {
    const { call } = await appendCall(db.prisma, memberCall({}, { probability: 0.8 }));
    await db.prisma.call.update({ where: { id: call.id }, data: { probability: 0.99 } });
    expect(await checkChain(db.prisma, serverId)).toMatchObject({
      ok: false,
      seq: call.chainSeq,
      record: `record ${call.chainSeq} (call #${call.id})`,
      problem: "content changed: probability",
    });
    await db.prisma.call.update({ where: { id: call.id }, data: { probability: 0.8 } });
    expect((await checkChain(db.prisma, serverId)).ok).toBe(true);

    const { call: later } = await appendCall(db.prisma, memberCall());
    await appendCall(db.prisma, memberCall());
    // The record outlives its call: both a check from genesis and one from a checkpoint name the call.
    expect((await checkChain(db.prisma, serverId)).ok).toBe(true);
    await db.prisma.call.delete({ where: { id: later.id } });
    const gone = {
      ok: false,
      seq: later.chainSeq,
      record: `record ${later.chainSeq} (call #${later.id})`,
      problem: `its call #${later.id} is gone`,
    };
    expect(await checkChain(db.prisma, serverId, { full: true })).toMatchObject(gone);
    expect(await checkChain(db.prisma, serverId)).toMatchObject(gone);
  });
});
