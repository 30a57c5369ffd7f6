import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { dispatched, runCycle } from "../../src/agents/cycle/service.ts";
import { OutboxWorker, PermanentDeliveryError, type Surface } from "../../src/scheduler/outbox.ts";
import type { Database } from "../../src/store/database.ts";
import type { ClaimedDelivery } from "../../src/store/outbox.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";

/** A chat platform that records posts and can be told to fail. */
class RecordingSurface implements Surface {
  readonly target = "web";
  posts: ClaimedDelivery[] = [];
  failures: Error[] = [];
  async deliver(delivery: ClaimedDelivery) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.posts.push(delivery);
    return { platformMessageId: `msg-${this.posts.length}` };
  }
}

describe.each(testDatabases())("outbox on $label", (target) => {
  let db: Database;
  let dispatchId: string;

  beforeAll(async () => {
    db = await openMigrated(target);
  });
  beforeEach(async () => {
    await db.prisma.server.deleteMany();
    const server = await ensureLocalServer(db);
    // The cycle commits its dispatch with an outbox row; nothing has been posted yet, as after a crash.
    dispatchId = dispatched(await runCycle(offlineDesk(db), server, new Date("2026-06-10T15:00:00Z")))
      .dispatch.id;
  });
  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  it("a crash between commit and delivery delivers exactly once after restart", async () => {
    const surface = new RecordingSurface();
    // "Restart": two fresh workers drain concurrently, then again.
    const workers = [
      new OutboxWorker({ db, surfaces: [surface] }),
      new OutboxWorker({ db, surfaces: [surface] }),
    ];
    await Promise.all(workers.map((w) => w.drain()));
    await Promise.all(workers.map((w) => w.drain()));
    expect(surface.posts.map((p) => p.dispatchId)).toEqual([dispatchId]);
    const row = await db.prisma.delivery.findFirstOrThrow({ where: { dispatchId } });
    expect(row).toMatchObject({ status: "sent", platformMessageId: "msg-1", attempts: 1 });
  });

  it("retries a failed post with backoff, then delivers", async () => {
    const surface = new RecordingSurface();
    surface.failures.push(new Error("429 rate limited"));
    // Outbox rows are due from the moment they are written (the database's clock).
    let now = new Date(Date.now() + 1_000);
    const worker = new OutboxWorker({ db, surfaces: [surface], now: () => now });
    await worker.drain();
    const waiting = await db.prisma.delivery.findFirstOrThrow({ where: { dispatchId } });
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, lastError: "429 rate limited" });
    expect(waiting.nextAttemptAt.getTime()).toBe(now.getTime() + 2_000);
    expect(await worker.drain()).toBe(0); // not due yet
    now = new Date(now.getTime() + 2_000);
    await worker.drain();
    expect(surface.posts).toHaveLength(1);
    expect(await db.prisma.delivery.findFirstOrThrow({ where: { dispatchId } })).toMatchObject({
      status: "sent",
      attempts: 2,
    });
  });

  it("gives up at once on a permanent failure and never posts", async () => {
    const surface = new RecordingSurface();
    surface.failures.push(new PermanentDeliveryError("channel deleted"));
    await new OutboxWorker({ db, surfaces: [surface] }).drain();
    expect(await db.prisma.delivery.findFirstOrThrow({ where: { dispatchId } })).toMatchObject({
      status: "failed",
      lastError: "channel deleted",
    });
    expect(await new OutboxWorker({ db, surfaces: [surface] }).drain()).toBe(0);
  });

  it("a worker that died mid-post leaves the row to be reclaimed after its lease, marked as such", async () => {
    // The hung post says when it is called: by then the worker has claimed the row and holds its lease.
    let claimed!: () => void;
    const posting = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const hung: Surface = {
      target: "web",
      deliver: () => {
        claimed();
        return new Promise(() => {});
      },
    };
    const start = new Date(Date.now() + 1_000);
    void new OutboxWorker({ db, surfaces: [hung], now: () => start, leaseMs: 60_000 }).drain();
    await posting;
    const surface = new RecordingSurface();
    expect(
      await new OutboxWorker({
        db,
        surfaces: [surface],
        now: () => new Date(start.getTime() + 30_000),
      }).drain(),
    ).toBe(0);
    await new OutboxWorker({
      db,
      surfaces: [surface],
      now: () => new Date(start.getTime() + 61_000),
    }).drain();
    expect(surface.posts).toHaveLength(1);
    expect(surface.posts[0]?.reclaimed).toBe(true);
  });
});
