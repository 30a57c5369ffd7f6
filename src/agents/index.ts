import type { Config } from "../config/index.ts";
import { OfflineEngine } from "./offline.ts";
import type { DeskEngine } from "./types.ts";

export { isReflectionCycle, postMortem, reflection } from "./lessons.ts";
export { OfflineEngine, runOffline } from "./offline.ts";
export { classifyRegime } from "./regime.ts";
export { deriveRules } from "./rules.ts";
export * from "./types.ts";

/**
 * The engine the configuration asks for; the Claude engine carries its own offline fallback. The
 * Anthropic SDK is loaded only for it: an offline desk does not carry its memory (some 20 MB).
 */
export async function createDeskEngine(config: Pick<Config, "desk">): Promise<DeskEngine> {
  const { engine, anthropic, tokenBudget } = config.desk;
  if (engine === "offline") return new OfflineEngine();
  const [{ default: Anthropic }, { ClaudeEngine }] = await Promise.all([
    import("@anthropic-ai/sdk"),
    import("./claude/engine.ts"),
  ]);
  const client = new Anthropic({
    apiKey: anthropic.apiKey,
    baseURL: anthropic.baseUrl ?? null,
    maxRetries: 2,
    // Past this the engine falls back to offline; the dispatch still goes out on time, flagged.
    timeout: anthropic.timeoutMs,
  });
  return new ClaudeEngine({ client, model: anthropic.model, tokenBudget });
}
