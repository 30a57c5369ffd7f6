import Anthropic from "@anthropic-ai/sdk";
import type { Config } from "../config/index.ts";
import { ClaudeEngine } from "./claude/engine.ts";
import { OfflineEngine } from "./offline.ts";
import type { DeskEngine } from "./types.ts";

export { ClaudeEngine } from "./claude/engine.ts";
export { isReflectionCycle, postMortem, reflection } from "./lessons.ts";
export { OfflineEngine, runOffline } from "./offline.ts";
export { classifyRegime } from "./regime.ts";
export { deriveRules } from "./rules.ts";
export * from "./types.ts";

/** The engine the configuration asks for; the Claude engine carries its own offline fallback. */
export function createDeskEngine(config: Pick<Config, "desk">): DeskEngine {
  const { engine, anthropic, tokenBudget } = config.desk;
  if (engine === "offline") return new OfflineEngine();
  const client = new Anthropic({
    apiKey: anthropic.apiKey,
    baseURL: anthropic.baseUrl ?? null,
    maxRetries: 2,
    // Past this the engine falls back to offline; the dispatch still goes out on time, flagged.
    timeout: anthropic.timeoutMs,
  });
  return new ClaudeEngine({ client, model: anthropic.model, tokenBudget });
}
