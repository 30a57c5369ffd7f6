import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClaudeEngine } from "../../src/agents/claude/engine.ts";
import { SHIPPED_QUESTION_MODEL } from "../../src/agents/questions/default-model.ts";
import { sampleComparison, sampleMoments } from "../../src/backtest/sample.ts";
import { cycleMoments } from "../../src/backtest/schedule.ts";
import type { Bar } from "../../src/domain/bars.ts";
import { readDailyBars } from "../../src/market/csv-bars.ts";
import { ReplayMarket } from "../../src/market/replay.ts";
import { FakeMessagesApi } from "../agents/fake-anthropic.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

const SYMBOLS = ["SPY", "QQQ", "IWM", "BTC-USD"];

describe("sampled days", () => {
  it("draws the same days for the same seed, in time order, from the period asked", () => {
    const moments = cycleMoments("2023-01-01", "2023-12-31", "daily");
    const a = sampleMoments(moments, 5, 42);
    expect(sampleMoments(moments, 5, 42)).toEqual(a);
    expect(a).toHaveLength(5);
    expect([...a].sort((x, y) => x.getTime() - y.getTime())).toEqual(a);
    expect(a.every((m) => moments.includes(m))).toBe(true);
    expect(sampleMoments(moments, 5, 43)).not.toEqual(a);
  });
});

describe.skipIf(!hasSharedData)("backtest --engine claude --sample N", () => {
  const api = new FakeMessagesApi();
  let baseURL: string;
  beforeAll(async () => {
    baseURL = await api.start();
  });
  afterAll(async () => {
    await api.stop();
  });

  it("runs the engine on the sampled days beside the offline desk, and counts the days it fell back", async () => {
    const book = new Map<string, Bar[]>();
    for (const symbol of [...SYMBOLS, "^VIX"]) book.set(symbol, await readDailyBars(SHARED_DATA, symbol));
    const moments = sampleMoments(cycleMoments("2023-01-01", "2023-06-30", "daily"), 2, 7);
    // Nothing queued: the fake answers 500, as the API does when it fails, and the engine falls back.
    const client = new Anthropic({ apiKey: "test", baseURL, maxRetries: 0 });
    const report = await sampleComparison({
      market: new ReplayMarket(SHARED_DATA).source(),
      symbols: SYMBOLS,
      engine: new ClaudeEngine({ client, model: "claude-sonnet-5-5", tokenBudget: 60_000 }),
      name: "claude",
      model: SHIPPED_QUESTION_MODEL,
      moments,
      book,
      lockShare: 0.25,
    });
    expect(report.engine).toBe("claude");
    expect(report.days).toEqual(moments.map((m) => m.toISOString().slice(0, 10)));
    expect(api.requests.length).toBeGreaterThanOrEqual(2);
    expect(report.fallbacks).toBe(2);
    // Fallen back, the engine is the offline desk on the same inputs: the same record, call for call.
    expect(report.sampled).toEqual(report.offline);
    expect(report.offline.calls).toBeGreaterThan(0);
    expect(report.offline.resolved + report.offline.voids).toBe(report.offline.calls);
  }, 120_000);
});
