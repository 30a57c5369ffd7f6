import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { dispatched, runCycle } from "../../src/agents/cycle/service.ts";
import { createDeskEngine } from "../../src/agents/index.ts";
import type { DeskEngine } from "../../src/agents/types.ts";
import { createWebApp } from "../../src/bot/web/app.ts";
import { WEB_SETTINGS } from "../../src/bot/web/visitor-commands.ts";
import { loadConfig } from "../../src/config/index.ts";
import type { Server } from "../../src/domain/server.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import type { Database } from "../../src/store/database.ts";
import { apiError, FakeMessagesApi, hang } from "../agents/fake-anthropic.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { PATIENT } from "../support/process.ts";

/**
 * Issue 10, the model failing: whole cycles on a real database with the Claude engine pointed at a
 * local Messages API that errors past the SDK's retries, or accepts and never answers. The cycle must
 * publish the offline engine's dispatch, flagged where members and the trail can see it, losing nothing.
 */
/** June 2026 days for the successive cycles (see cycleWith). */
const CYCLE_DAYS = [9, 12, 24];

describe.each(testDatabases())("model faults through a whole cycle on $label", (target) => {
  let db: Database;
  let api: FakeMessagesApi;
  let baseURL: string;
  let server: Server;
  let day = 0;

  beforeAll(async () => {
    db = await openMigrated(target);
    api = new FakeMessagesApi();
    baseURL = await api.start();
    server = await ensureLocalServer(db, ["QQQ", "SPY", "IWM"]);
  });
  afterAll(async () => {
    await api?.stop();
    await db?.close();
    await target.dispose();
  });

  const web = () =>
    createWebApp({
      db,
      health: () => ({ scheduler: true, surfaces: { web: true } }),
      settings: WEB_SETTINGS,
    });

  /** One cycle with this engine; returns it with how many requests reached the model. */
  async function cycleWith(engine: DeskEngine) {
    const before = api.requests.length;
    // Days on which the simulated market gives the offline desk a call, each after the last
    // cycle's calls have ended (a Friday's 48h call runs to Tuesday), so the desk is free to call
    // again (it never re-opens a question it still holds).
    const at = new Date(Date.UTC(2026, 5, CYCLE_DAYS[day++] as number, 15));
    const options = {
      db,
      market: new SimulatedMarket(3).source(),
      engine,
      engineName: "claude",
      lockShare: 0.25,
    };
    const result = dispatched(await runCycle(options, server, at));
    return { ...result, modelRequests: api.requests.length - before };
  }

  /** Everything a fallback cycle must leave behind, visibly flagged, with nothing missing. */
  async function expectVisibleFallback(result: Awaited<ReturnType<typeof cycleWith>>, reason: RegExp) {
    const cycle = await db.prisma.cycle.findUniqueOrThrow({
      where: { id: result.dispatch.cycleId },
      include: {
        observations: true,
        stances: true,
        calls: true,
        dispatch: { include: { deliveries: true } },
      },
    });
    expect(cycle.status).not.toBe("failed");
    expect(cycle.error).toBeNull();
    expect(cycle.engine).toBe("offline");
    expect(cycle.engineFlags).toContain("model_fallback");
    expect(cycle.dispatch?.flags).toContain("model_fallback");
    // The essay opens with its notices: simulated market, then the fallback and its reason.
    const notice = cycle.dispatch?.body.split("\n\n").find((p) => p.startsWith("[model_fallback]")) ?? "";
    expect(notice).toMatch(/^\[model_fallback\] The model desk failed this cycle \(/);
    expect(notice).toMatch(reason);
    // Nothing lost: the inputs, both rounds of every mind, the calls and the web delivery are stored.
    expect(cycle.observations.length).toBeGreaterThan(0);
    expect(new Set(cycle.stances.map((s) => `${s.mind}:${s.round}`)).size).toBe(6);
    expect(cycle.calls.map((c) => c.id).sort()).toEqual(result.calls.map((c) => c.id).sort());
    expect(cycle.dispatch?.deliveries.map((d) => [d.target, d.status])).toEqual([["web", "pending"]]);

    const app = web();
    const read = await (await app.request(`/read/${result.dispatch.number}`)).text();
    expect(read).toContain('<span class="flag">model fell back to offline</span>');
    expect(read).toContain("[model_fallback] The model desk failed this cycle");
    const call = result.calls[0];
    expect(call, "the simulated market on these days gives the desk a call").toBeDefined();
    const trail = await (await app.request(`/trail/${call?.id}`)).text();
    expect(trail).toContain("offline engine");
    expect(trail).toContain('<span class="flag">model_fallback</span>');
    const api = (await (await app.request(`/api/trail/${call?.id}`)).json()) as {
      cycle: { engine: string; engineFlags: string[] };
    };
    expect(api.cycle.engine).toBe("offline");
    expect(api.cycle.engineFlags).toContain("model_fallback");
  }

  it.each([
    [500, "api_error", /InternalServerError: 500/],
    [529, "overloaded_error", /529/],
  ])(
    "a %i that outlasts the SDK's retries publishes the offline dispatch, visibly flagged",
    async (status, type, reason) => {
      // As `npm start` builds it: the SDK with two retries, so three requests in all.
      const engine = await createDeskEngine(
        loadConfig({ DESK_ENGINE: "claude", ANTHROPIC_API_KEY: "test", ANTHROPIC_BASE_URL: baseURL }),
      );
      api.enqueue(apiError(status, type), apiError(status, type), apiError(status, type));
      const result = await cycleWith(engine);
      expect(result.modelRequests).toBe(3);
      await expectVisibleFallback(result, reason);
    },
  );

  it("a model that accepts and never answers times out (ANTHROPIC_TIMEOUT_MS) into the same visible fallback", async () => {
    const engine = await createDeskEngine(
      loadConfig({
        DESK_ENGINE: "claude",
        ANTHROPIC_API_KEY: "test",
        ANTHROPIC_BASE_URL: baseURL,
        // Long enough that each request reaches the fake on a loaded machine before the client gives up.
        ANTHROPIC_TIMEOUT_MS: "3000",
      }),
    );
    api.enqueue(hang, hang, hang);
    const before = api.requests.length;
    const result = await cycleWith(engine);
    // The fake shares this process: on a loaded machine it may see the last request only after the
    // client has already given up on it, so wait for it rather than read the count at once.
    await vi.waitFor(() => expect(api.requests.length - before).toBe(3), PATIENT);
    await expectVisibleFallback(result, /APIConnectionTimeoutError/);
  });
});
