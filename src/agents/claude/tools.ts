import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { probabilitySchema, symbolSchema } from "../../domain/call.ts";
import { MAX_CALLS } from "../synthesis.ts";
import { directionSchema, mindNameSchema, stanceAnswerSchema } from "../types.ts";

/** What a mind returns: one stance per symbol, the same schema the offline minds are validated by. */
export const mindAnswerSchema = z.object({
  stances: z.array(stanceAnswerSchema).max(40).describe("Exactly one entry per symbol you were asked about."),
});

export const synthesisAnswerSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .describe("Headline of the dispatch, title case, no ticker-only titles."),
  essay: z
    .string()
    .trim()
    .min(1)
    .max(4000)
    .describe(
      "First-person essay: the numbers you relied on, where you are unsure, your record. No call list and no debate line: the desk appends both.",
    ),
  calls: z
    .array(
      z.object({
        symbol: symbolSchema,
        direction: directionSchema,
        probability: probabilitySchema.describe("Probability the call resolves right."),
        lead: mindNameSchema.describe("The mind whose stance the call rests on."),
        thesis: z.string().trim().min(1).max(400),
      }),
    )
    .max(MAX_CALLS)
    .describe("Zero calls is a legitimate answer."),
});
export type SynthesisAnswer = z.infer<typeof synthesisAnswerSchema>;

/** A tool whose input_schema is derived from the zod schema that will validate its input. */
export function toolFor(name: string, description: string, schema: z.ZodType): Anthropic.Tool {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema) as Record<string, unknown>;
  return { name, description, input_schema: { ...jsonSchema, type: "object" } };
}

export const MIND_TOOL = toolFor(
  "submit_stances",
  "Submit your stance on every symbol: a direction with the probability it is right, or an abstention with a reason.",
  mindAnswerSchema,
);

export const SYNTHESIS_TOOL = toolFor(
  "submit_dispatch",
  "Submit the desk's calls (zero or more) and the dispatch title and essay.",
  synthesisAnswerSchema,
);
