import type Anthropic from "@anthropic-ai/sdk";
import type { Usage } from "../types.ts";

/** USD per million tokens. Cache writes cost 1.25x input and cache reads 0.1x, per Anthropic's price list. */
interface Price {
  input: number;
  output: number;
}
const PRICES: readonly [prefix: string, price: Price][] = [
  ["claude-opus-4-5", { input: 5, output: 25 }],
  ["claude-opus-4-6", { input: 5, output: 25 }],
  ["claude-opus", { input: 15, output: 75 }],
  ["claude-haiku-4", { input: 1, output: 5 }],
  ["claude-3-5-haiku", { input: 0.8, output: 4 }],
  ["claude-sonnet", { input: 3, output: 15 }],
];
/** An unknown model is priced as Sonnet: the cost line should be roughly right, not absent. */
const DEFAULT_PRICE: Price = { input: 3, output: 15 };

export function priceOf(model: string): Price {
  return PRICES.find(([prefix]) => model.startsWith(prefix))?.[1] ?? DEFAULT_PRICE;
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
    const costUsd =
      (this.input * price.input +
        this.cacheWrite * price.input * 1.25 +
        this.cacheRead * price.input * 0.1 +
        this.output * price.output) /
      1_000_000;
    return {
      inputTokens: this.input + this.cacheWrite,
      outputTokens: this.output,
      cacheReadTokens: this.cacheRead,
      costUsd: Math.round(costUsd * 1_000_000) / 1_000_000,
    };
  }
}
