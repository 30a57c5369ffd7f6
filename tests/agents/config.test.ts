import { describe, expect, it } from "vitest";
import { ClaudeEngine } from "../../src/agents/claude/engine.ts";
import { createDeskEngine } from "../../src/agents/index.ts";
import { OfflineEngine } from "../../src/agents/offline.ts";
import { ConfigError, loadConfig } from "../../src/config/index.ts";

describe("desk configuration", () => {
  it("defaults to the offline engine with a token budget and a current model", async () => {
    const { desk } = loadConfig({});
    expect(desk).toEqual({
      engine: "offline",
      tokenBudget: 60_000,
      anthropic: { apiKey: undefined, model: "claude-sonnet-5-5", baseUrl: undefined, timeoutMs: 90_000 },
    });
    expect(await createDeskEngine({ desk })).toBeInstanceOf(OfflineEngine);
  });

  it("builds the Claude engine from DESK_ENGINE, key, model and base URL", async () => {
    const config = loadConfig({
      DESK_ENGINE: "claude",
      ANTHROPIC_API_KEY: "sk-test",
      ANTHROPIC_MODEL: "claude-haiku-4-5",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
      CYCLE_TOKEN_BUDGET: "20000",
    });
    expect(config.desk).toMatchObject({
      engine: "claude",
      tokenBudget: 20_000,
      anthropic: { model: "claude-haiku-4-5", baseUrl: "http://127.0.0.1:9" },
    });
    expect(await createDeskEngine(config)).toBeInstanceOf(ClaudeEngine);
  });

  it("refuses the Claude engine without a key, and a nonsense budget", () => {
    expect(() => loadConfig({ DESK_ENGINE: "claude" })).toThrow(ConfigError);
    expect(() => loadConfig({ DESK_ENGINE: "claude" })).toThrow(
      /ANTHROPIC_API_KEY: required when DESK_ENGINE=claude/,
    );
    expect(() => loadConfig({ CYCLE_TOKEN_BUDGET: "lots" })).toThrow(/CYCLE_TOKEN_BUDGET/);
    expect(() => loadConfig({ ANTHROPIC_TIMEOUT_MS: "50" })).toThrow(/ANTHROPIC_TIMEOUT_MS: milliseconds/);
  });
});
