import { describe, expect, it } from "vitest";
import { runOffline } from "../../src/agents/offline.ts";
import { agree } from "../../src/commands/stance.ts";
import { assetClassOf, decidingSession } from "../../src/domain/bars.ts";
import { deadlineOf } from "../../src/domain/call.ts";
import type { Database } from "../../src/store/database.ts";
import { deskInput, tapeSnapshot } from "../agents/fixtures.ts";
import { bar, contextFor, deskCall, freshServer, PointInTimeQuotes } from "../commands/harness.ts";
import { testDatabases } from "../support/databases.ts";
import { withMigratedDatabase } from "../support/per-block.ts";

/** Issue #15, problem 2: agree/fade must close before the close that decides the call. */

const at = (iso: string) => ({ ...tapeSnapshot(), at: new Date(iso) });

describe("desk calls lock before their deciding close", () => {
  // Friday 2026-04-10 15:05 New York (a 48h call would be decided by Friday's close), the 13:05 UTC
  // cycle (24h crypto decided by the same day's midnight), and one cycle time every 55 minutes of a week.
  const moments = [
    "2026-04-10T19:05:00Z",
    "2026-04-08T13:05:00Z",
    ...Array.from({ length: 7 * 24 }, (_, i) =>
      new Date(Date.parse("2026-04-06T00:00:00Z") + i * 55 * 60_000).toISOString(),
    ),
  ];

  it("every call spans a full session after its entry and locks at the share of entry → deciding close", () => {
    for (const moment of moments) {
      const out = runOffline(deskInput({ snapshot: at(moment) }));
      expect(out.calls.length, moment).toBeGreaterThan(0);
      for (const call of out.calls) {
        const session = decidingSession(deadlineOf(call.spec), assetClassOf(call.spec.symbol));
        const made = Date.parse(call.spec.madeAt);
        const lock = Date.parse(call.lockAt);
        expect(session.open.getTime(), `${moment} ${call.spec.symbol}`).toBeGreaterThanOrEqual(made);
        expect(lock, `${moment} ${call.spec.symbol}`).toBeLessThan(session.close.getTime());
        expect(lock - made).toBeCloseTo((session.close.getTime() - made) * 0.25, -3);
      }
    }
  });

  it("a Friday 15:05 New York equity call is decided by Monday's close, not Friday's", () => {
    const out = runOffline(deskInput({ snapshot: at("2026-04-10T19:05:00Z") }));
    const spy = out.calls.find((c) => c.spec.symbol === "SPY");
    expect(spy?.spec.horizonHours).toBe(96);
    expect(out.dispatch.body).toMatch(/decided by Monday's close \(16:00 New York\)/);
  });
});

describe.each(testDatabases())("agree/fade after the deciding close on $label", (target) => {
  let db: Database;
  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  it("a 48h call made Friday 15:05 New York refuses agree at Saturday 01:00 UTC, after Friday's close decided it", async () => {
    const server = await freshServer(db);
    const quotes = new PointInTimeQuotes({ QQQ: [bar("2026-04-09", 577.18), bar("2026-04-10", 580)] });
    const desk = await deskCall(db, server.id, { madeAt: "2026-04-10T19:05:00Z", horizonHours: 48 });
    // Friday's close is 20:00 UTC: the lock falls at a quarter of the 55 minutes before it.
    expect(desk.lockAt.toISOString()).toBe("2026-04-10T19:18:45.000Z");
    const ctx = contextFor(db, server, quotes, { now: new Date("2026-04-11T01:00:00Z") }).ctx;
    const result = await agree(ctx, { callId: desk.id, source: "button" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/locked at/);
    expect(await db.prisma.call.count({ where: { parentCallId: desk.id } })).toBe(0);
  });

  it("a call stored with a lock past its deciding close (before this rule) closes to answers at that close", async () => {
    const server = await freshServer(db);
    const quotes = new PointInTimeQuotes({ QQQ: [bar("2026-04-10", 580)] });
    const desk = await deskCall(
      db,
      server.id,
      { madeAt: "2026-04-10T19:05:00Z", horizonHours: 48 },
      { lockAt: new Date("2026-04-11T07:05:00Z") },
    );
    const ctx = contextFor(db, server, quotes, { now: new Date("2026-04-11T01:00:00Z") }).ctx;
    const result = await agree(ctx, { callId: desk.id, source: "button" });
    expect(!result.ok && result.error).toMatch(/locked at 2026-04-10 20:00 UTC/);
  });
});
