import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { dispatched as published, runCycle } from "../../src/agents/cycle/service.ts";
import { OutboxWorker } from "../../src/scheduler/outbox.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { opt, slash } from "../discord/events.ts";
import { ADA, type DiscordHarness, startDiscord } from "../discord/harness.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";
import { withMigratedDatabase } from "../support/per-block.ts";
import { PATIENT } from "../support/process.ts";
import { type ChatPlatform, PLATFORMS } from "./chat-faults.ts";

/**
 * Issue 10, chat APIs failing: the real discord.js REST client and Bolt's WebClient against the
 * local fakes answering 429, 5xx and permanent refusals. Every case counts what the fake received.
 */
describe.each(testDatabases())("chat API faults on $label", (target) => {
  let db: Database;
  withMigratedDatabase(target, (opened) => {
    db = opened;
  });

  describe.each(PLATFORMS)("$name outbox", (platform) => {
    let p: ChatPlatform;
    let day = 0;
    beforeAll(async () => {
      p = await platform.start(db);
    });
    afterAll(async () => {
      await p?.stop();
    });
    beforeEach(() => {
      p.faults.clear();
    });

    /** A real cycle commits a dispatch and its outbox row for this platform; nothing is posted yet. */
    async function dispatched() {
      const at = new Date(Date.UTC(2026, 5, 1 + day++, 15));
      p.setDeskTime(at);
      const { dispatch } = published(await runCycle(offlineDesk(db), p.server, at));
      const row = () =>
        db.prisma.delivery.findFirstOrThrow({ where: { dispatchId: dispatch.id, target: platform.name } });
      return { row, requests: p.postRequests(), posted: p.posted() };
    }

    /** A worker for this platform only, on a clock the test moves (rows are due from when they were written). */
    function worker(start = new Date(Date.now() + 1_000)) {
      const clock = { now: start };
      return { clock, outbox: new OutboxWorker({ db, surfaces: [p.surface], now: () => clock.now }) };
    }

    it("waits out a 429 with its retry-after and posts the dispatch exactly once", async () => {
      const before = await dispatched();
      p.faults.failNext(p.postRoute, 1, platform.rateLimited);
      await worker().outbox.drain();
      expect(p.postRequests() - before.requests).toBe(2); // the 429, then the post after the wait
      expect(p.posted() - before.posted).toBe(1);
      expect(await before.row()).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    });

    it("an outage that outlasts the client's own retries fails the row with backoff; a later pass posts it once", async () => {
      const before = await dispatched();
      p.faults.failNext(p.postRoute, 100, platform.outage);
      const { clock, outbox } = worker();
      await outbox.drain();
      expect(p.postRequests() - before.requests).toBe(platform.requestsPerOutage);
      expect(p.posted() - before.posted).toBe(0);
      const waiting = await before.row();
      expect(waiting).toMatchObject({ status: "pending", attempts: 1, platformMessageId: null });
      expect(waiting.lastError).toMatch(/50[23]|Bad Gateway|Service Unavailable/);
      expect(waiting.nextAttemptAt.getTime()).toBe(clock.now.getTime() + 2_000);

      // Not due yet: no request at all while the outage lasts.
      expect(await outbox.drain()).toBe(0);
      expect(p.postRequests() - before.requests).toBe(platform.requestsPerOutage);

      p.faults.clear();
      clock.now = new Date(clock.now.getTime() + 2_000);
      expect(await outbox.drain()).toBe(1);
      expect(await outbox.drain()).toBe(0);
      expect(p.postRequests() - before.requests).toBe(platform.requestsPerOutage + 1);
      expect(p.posted() - before.posted).toBe(1);
      expect(await before.row()).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    });

    it("a permanent refusal fails the row for good after one request, and nothing asks again", async () => {
      const before = await dispatched();
      p.faults.failNext(p.postRoute, 100, platform.permanent);
      const { clock, outbox } = worker();
      await outbox.drain();
      expect(p.postRequests() - before.requests).toBe(1);
      const failed = await before.row();
      expect(failed).toMatchObject({ status: "failed", attempts: 1, platformMessageId: null });
      expect(failed.lastError).toMatch(platform.permanentError);

      clock.now = new Date(clock.now.getTime() + 60 * 60_000);
      expect(await outbox.drain()).toBe(0);
      expect(p.postRequests() - before.requests).toBe(1);
      expect(p.posted() - before.posted).toBe(0);
    });
  });
});

describe.each(testDatabases())("a /predict whose interaction callback fails, on $label", (target) => {
  let db: Database;
  let h: DiscordHarness;
  beforeAll(async () => {
    db = await openMigrated(target);
    h = await startDiscord(db);
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
    await target.dispose();
  });

  const predict = () =>
    slash(ADA, "predict", [
      opt("symbol", "QQQ"),
      opt("claim", "down"),
      opt("probability", 65),
      opt("horizon", 48),
    ]);
  const callbacks = (event: { id: string }) =>
    h.fake.requests.filter((r) => r.path.startsWith(`/interactions/${event.id}/`));
  /** What the member was told in the n-th interaction callback. */
  const said = (event: { id: string }, n: number) =>
    (callbacks(event)[n]?.body as { data?: { content?: string; flags?: number } } | undefined)?.data ?? {};
  /** The answer to a replay: /predict defers at once, so it arrives by the interaction's webhook. */
  const answered = async (event: { token: string }) => {
    const edit = await vi.waitFor(() => {
      const found = h.fake.requests.find(
        (r) => r.path.startsWith("/webhooks/") && r.path.includes(`/${event.token}`) && r.body?.content,
      );
      expect(found).toBeDefined();
      return found;
    }, PATIENT);
    return String(edit?.body?.content);
  };
  const stored = (event: { id: string }) => db.prisma.call.findMany({ where: { interactionId: event.id } });
  const OUTAGE = { status: 502, body: "<html>502 Bad Gateway</html>" };

  it("a guild seen several ways at once (READY, GUILD_CREATE, its first command) gets one server row", async () => {
    const identity = { platform: "discord" as const, externalId: "900000000000009999", name: "Racing Guild" };
    const settings = { schedule: "5 10 * * 1-5", timezone: "America/New_York", symbols: ["SPY"] };
    const rows = await Promise.all(
      Array.from({ length: 6 }, () => ensureServer(db.prisma, identity, settings)),
    );
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
    expect(await db.prisma.server.count({ where: { externalId: identity.externalId } })).toBe(1);
  });

  it("a 502 beyond discord.js's retries: the call is stored once and the apology does not claim otherwise", async () => {
    const event = predict();
    // The answer's four tries (one and three retries) fail; the apology after them goes through.
    h.fake.faults.failNext(`POST /interactions/${event.id}/`, 4, OUTAGE);
    h.send("INTERACTION_CREATE", event);
    await vi.waitFor(() => expect(callbacks(event).map((r) => r.status)).toEqual([502, 502, 502, 502, 204]), {
      ...PATIENT,
      timeout: 60_000,
    });
    const apology = said(event, 4);
    expect((apology.flags ?? 0) & 64).toBe(64);
    expect(apology.content).not.toMatch(/nothing was saved/);
    expect(apology.content).toMatch(/\/trail/);
    // On a slow machine the apology can go out while the command is still saving: hence "may".
    await vi.waitFor(async () => expect(await stored(event)).toHaveLength(1), PATIENT);

    // The same interaction again (a gateway replay): answered, nothing new stored.
    h.send("INTERACTION_CREATE", event);
    expect(await answered(event)).toMatch(/^Already saved: #\d+/);
    expect(callbacks(event)).toHaveLength(6);
    expect(await stored(event)).toHaveLength(1);
  });

  it("a callback outage that swallows the answer and the apology alike: eight bounded tries, one stored call", async () => {
    const event = predict();
    h.fake.faults.failNext(`POST /interactions/${event.id}/`, 100, OUTAGE);
    h.send("INTERACTION_CREATE", event);
    // Four tries for the answer, four for the apology, then the handler gives up.
    await vi.waitFor(() => expect(callbacks(event)).toHaveLength(8), { ...PATIENT, timeout: 60_000 });
    await vi.waitFor(async () => expect(await stored(event)).toHaveLength(1), PATIENT);

    h.fake.faults.clear();
    h.send("INTERACTION_CREATE", event);
    expect(await answered(event)).toMatch(/^Already saved: #\d+/);
    expect(callbacks(event).map((r) => r.status)).toEqual([...Array(8).fill(502), 204]);
    expect(await stored(event)).toHaveLength(1);
  });
});
