import type Anthropic from "@anthropic-ai/sdk";
import type { z } from "zod";
import { blockingFlags, noPriceReason } from "../minds/index.ts";
import { runOffline } from "../offline.ts";
import { assemble, type Prepared, prepare } from "../pipeline.ts";
import { cleanModelText } from "../sanitize.ts";
import { type Proposal, synthesize } from "../synthesis.ts";
import {
  type DeskEngine,
  type DeskInput,
  type DeskOutput,
  MIND_NAMES,
  type MindName,
  type MindStance,
  type StanceAnswer,
} from "../types.ts";
import { MIND_FORMAT, mindAnswerSchema, SYNTHESIS_FORMAT, synthesisAnswerSchema } from "./answers.ts";
import { modelDispatch } from "./dispatch.ts";
import { openingPrompt, rebuttalPrompt, synthesisPrompt, systemBlocks } from "./prompts.ts";
import { BudgetExceeded, UsageMeter } from "./usage.ts";

export interface ClaudeEngineOptions {
  client: Anthropic;
  model: string;
  /** Tokens one cycle may spend (see UsageMeter for how cache reads count). */
  tokenBudget: number;
  maxTokensPerRequest?: number;
}

/** A Synthesis answer that fails validation: the whole cycle falls back, unlike a single mind. */
export class MalformedModelAnswer extends Error {
  override name = "MalformedModelAnswer";
}

/** The model stopped before a whole answer (cut at max_tokens, or a refusal): the cycle falls back. */
export class ModelStopped extends Error {
  override name = "ModelStopped";
}

/**
 * Room for the answer and the adaptive thinking current models do by default (max_tokens bounds
 * both): a mind's stances on a dozen symbols or the essay fit with a wide margin.
 */
export const DEFAULT_MAX_TOKENS = 8_000;

const REASON_CHARS = 400;
/** Every stance carries a reason; this one says why the model's is not shown. */
const EMPTIED_REASON = "The model's reason held only mentions or hidden characters and was removed.";

/**
 * The desk with Claude as its minds and Synthesis. Numbers, regime, weights, calibration, rules and
 * call construction stay in code; the model chooses stances and writes prose as JSON in a
 * response format the API constrains (no forced tool choice, no sampling or thinking settings:
 * current models reject them). Any model failure returns the offline engine's dispatch, flagged model_fallback.
 */
export class ClaudeEngine implements DeskEngine {
  private readonly maxTokens: number;

  constructor(private readonly options: ClaudeEngineOptions) {
    this.maxTokens = options.maxTokensPerRequest ?? DEFAULT_MAX_TOKENS;
  }

  async run(input: DeskInput): Promise<DeskOutput> {
    const meter = new UsageMeter(this.options.model, this.options.tokenBudget);
    try {
      return await this.runModel(prepare(input), meter);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return runOffline(input, {
        reason: cleanModelText(reason, 200),
        flags: error instanceof BudgetExceeded ? ["model_fallback", "budget_exceeded"] : ["model_fallback"],
        usage: meter.toUsage(),
      });
    }
  }

  private async runModel(p: Prepared, meter: UsageMeter): Promise<DeskOutput> {
    const system = systemBlocks(p);
    const symbols = p.input.symbols;
    const ask = (format: Anthropic.JSONOutputFormat, prompt: string) =>
      this.ask(system, format, prompt, meter);
    // Sequential on purpose: the first request writes the snapshot cache that the rest then read.
    const round1: MindStance[] = [];
    for (const mind of MIND_NAMES) {
      round1.push(...this.stances(p, mind, 1, await ask(MIND_FORMAT, openingPrompt(mind, symbols))));
    }
    const round2: MindStance[] = [];
    for (const mind of MIND_NAMES) {
      round2.push(...this.stances(p, mind, 2, await ask(MIND_FORMAT, rebuttalPrompt(mind, symbols, round1))));
    }
    const codeView = synthesize(p.input, p.features, p.regime, round2);
    const parsed = synthesisAnswerSchema.safeParse(
      await ask(SYNTHESIS_FORMAT, synthesisPrompt(p, round2, codeView)),
    );
    if (!parsed.success)
      throw new MalformedModelAnswer(`Synthesis answer invalid: ${firstIssue(parsed.error)}`);
    const proposals: Proposal[] = parsed.data.calls.map((c) => ({
      symbol: c.symbol,
      direction: c.direction,
      probability: c.probability,
      lead: c.lead,
      // A thesis that cleaning emptied (only mentions) leaves the code-written one in its place.
      thesis: cleanModelText(c.thesis, 400) || undefined,
    }));
    const synthesis = synthesize(p.input, p.features, p.regime, round2, proposals);
    return assemble(p, {
      round1,
      round2,
      synthesis,
      engine: "claude",
      usage: meter.toUsage(),
      writer: (flags) => modelDispatch(p, synthesis, parsed.data, flags),
    });
  }

  /**
   * One request answered in the given JSON format. Returns the parsed JSON, or undefined when the
   * text is not JSON; a cut or refused answer throws, since half an answer reads as abstentions.
   */
  private async ask(
    system: Anthropic.TextBlockParam[],
    format: Anthropic.JSONOutputFormat,
    prompt: string,
    meter: UsageMeter,
  ): Promise<unknown> {
    meter.ensureRoom(this.maxTokens);
    const response = await this.options.client.messages.create({
      model: this.options.model,
      max_tokens: this.maxTokens,
      system,
      output_config: { format },
      messages: [{ role: "user", content: prompt }],
    });
    meter.add(response.usage);
    const stop = response.stop_reason;
    if (stop === "max_tokens")
      throw new ModelStopped(`stop_reason max_tokens: the answer was cut at ${this.maxTokens} tokens`);
    if (stop === "refusal") throw new ModelStopped("stop_reason refusal: the model declined to answer");
    // Any other early stop (the context window filled, say) is a cut answer too.
    if (stop !== "end_turn" && stop !== "stop_sequence")
      throw new ModelStopped(`stop_reason ${stop}: the answer did not finish`);
    // Thinking blocks may come first: the answer is the text, picked by type, not by position.
    const text = response.content
      .map((b) => (b.type === "text" ? b.text : ""))
      .join("")
      .trim();
    try {
      return text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * A mind's JSON answer turned into one stance per requested symbol. Invalid input makes the mind
   * abstain everywhere, with the validation error as its reason; a symbol it skipped is an abstention;
   * code, not the model, decides that Flow cannot read flagged data and that no mind stands on a
   * symbol without a price.
   */
  private stances(p: Prepared, mind: MindName, round: 1 | 2, raw: unknown): MindStance[] {
    const parsed = mindAnswerSchema.safeParse(raw);
    const known = new Set(p.input.snapshot.observations.map((o) => o.id));
    return p.input.symbols.map((symbol): MindStance => {
      const ids = p.features.symbols.get(symbol)?.observationIds ?? [];
      const abstain = (reason: string): MindStance => ({
        abstained: true,
        mind,
        round,
        symbol,
        observationIds: ids,
        reason,
      });
      if (!parsed.success) {
        const why = raw === undefined ? "no JSON in the answer" : firstIssue(parsed.error);
        return abstain(cleanModelText(`Model answer failed validation (${why}).`, REASON_CHARS));
      }
      const noPrice = noPriceReason(symbol, p.features.symbols.get(symbol));
      if (noPrice) return abstain(noPrice);
      const answer: StanceAnswer | undefined = parsed.data.stances.find((s) => s.symbol === symbol);
      if (!answer) return abstain("The model gave no stance on this symbol.");
      const flagged = mind === "flow" ? blockingFlags(p.features.symbols.get(symbol)) : [];
      if (flagged.length && !answer.abstained)
        return abstain(`Inputs flagged (${flagged.join(", ")}): no flow read.`);
      return {
        ...answer,
        mind,
        round,
        reason: cleanModelText(answer.reason, REASON_CHARS) || EMPTIED_REASON,
        observationIds: answer.observationIds.filter((id) => known.has(id)),
      };
    });
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "input"}: ${issue.message}` : "invalid";
}
