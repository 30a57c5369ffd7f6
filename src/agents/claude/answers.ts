import type Anthropic from "@anthropic-ai/sdk";
import { zodOutputFormat } from "@anthropic-ai/sdk/helpers/zod";
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

/**
 * A JSON-schema response format from the zod schema that will validate the answer. The SDK's
 * helper makes the schema strict (closed objects; length and range limits the API does not enforce
 * move into descriptions), so zod, not the API, remains the check that counts.
 */
export function formatFor(schema: z.ZodType): Anthropic.JSONOutputFormat {
  const { type, schema: jsonSchema } = zodOutputFormat(schema);
  return { type, schema: jsonSchema };
}

export const MIND_FORMAT = formatFor(mindAnswerSchema);
export const SYNTHESIS_FORMAT = formatFor(synthesisAnswerSchema);
