import type Anthropic from "@anthropic-ai/sdk";
import type { Usage } from "../types.ts";

/** USD per million tokens. Cache writes cost 1.25x input and cache reads 0.1x, per Anthropic's price list. */
interface Price {
  input: number;
  output: number;
}
/** Exact model ids (a dated snapshot of one, e.g. "-20251001", matches too). */
const PRICES: ReadonlyMap<string, Price> = new Map([
  ["claude-opus-5-5", { input: 4, output: 20 }],
  ["claude-sonnet-5-5", { input: 2, output: 10 }],
  ["claude-sonnet-5", { input: 2, output: 10 }],
  ["claude-opus-4-6", { input: 5, output: 25 }],
  ["claude-opus-4-5", { input: 5, output: 25 }],
  ["claude-opus-4-1", { input: 15, output: 75 }],
  ["claude-opus-4", { input: 15, output: 75 }],
  ["claude-sonnet-4-6", { input: 3, output: 15 }],
  ["claude-sonnet-4-5", { input: 3, output: 15 }],
  ["claude-sonnet-4", { input: 3, output: 15 }],
  ["claude-haiku-4-5", { input: 1, output: 5 }],
  ["claude-3-5-haiku", { input: 0.8, output: 4 }],
]);

/**
 * The price of a model we know, or undefined: a family prefix would price the next model at the
 * last one's rate, and a cost line that guesses is worse than one that says it does not know.
 */
export function priceOf(model: string): Price | undefined {
  return PRICES.get(model.replace(/-\d{8}$/, ""));
}

export class BudgetExceeded extends Error {
  override name = "BudgetExceeded";
}

/**
 * Counts tokens and dollars across one cycle's requests and enforces the cycle's token budget.
 * Cache reads count a tenth toward the budget, as they do toward the bill: caching the snapshot
 * is what lets six minds read it without six times the cost.
 */
export class UsageMeter {
  private input = 0;
  private cacheWrite = 0;
  private cacheRead = 0;
  private output = 0;

  constructor(
    private readonly model: string,
    private readonly budget: number,
  ) {}

  add(usage: Anthropic.Usage): void {
    this.input += usage.input_tokens;
    this.cacheWrite += usage.cache_creation_input_tokens ?? 0;
    this.cacheRead += usage.cache_read_input_tokens ?? 0;
    this.output += usage.output_tokens;
    if (this.spent() > this.budget) {
      throw new BudgetExceeded(
        `cycle token budget ${this.budget} exceeded (${Math.round(this.spent())} spent)`,
      );
    }
  }

  /** Refuses a request whose worst-case output alone would cross the budget. */
  ensureRoom(maxOutputTokens: number): void {
    if (this.spent() + maxOutputTokens > this.budget) {
      throw new BudgetExceeded(
        `cycle token budget ${this.budget} has ${Math.max(0, Math.round(this.budget - this.spent()))} left, a request may need ${maxOutputTokens}`,
      );
    }
  }

  spent(): number {
    return this.input + this.cacheWrite + this.output + this.cacheRead / 10;
  }

  toUsage(): Usage {
    const price = priceOf(this.model);
    const costUsd = price
      ? (this.input * price.input +
          this.cacheWrite * price.input * 1.25 +
          this.cacheRead * price.input * 0.1 +
          this.output * price.output) /
        1_000_000
      : null;
    return {
      inputTokens: this.input + this.cacheWrite,
      outputTokens: this.output,
      cacheReadTokens: this.cacheRead,
      costUsd: costUsd === null ? null : Math.round(costUsd * 1_000_000) / 1_000_000,
    };
  }
}
