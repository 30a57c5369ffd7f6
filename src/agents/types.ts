import { z } from "zod";
import { callSpecSchema, probabilitySchema, symbolSchema } from "../domain/call.ts";
import type { Snapshot } from "../domain/observation.ts";
import { questionModelSchema } from "./questions/model.ts";

/** The three arguing minds. Synthesis is the desk itself, not a mind with a stance. */
export const MIND_NAMES = ["macro", "flow", "contrarian"] as const;
export const mindNameSchema = z.enum(MIND_NAMES);
export type MindName = z.infer<typeof mindNameSchema>;

export const REGIMES = ["risk_on", "risk_off", "choppy", "crisis"] as const;
export const regimeSchema = z.enum(REGIMES);
export type Regime = z.infer<typeof regimeSchema>;

export const directionSchema = z.enum(["up", "down"]);
export type Direction = z.infer<typeof directionSchema>;

const stanceCommon = {
  symbol: symbolSchema,
  reason: z.string().trim().min(1).max(400).describe("One or two sentences, citing the numbers used."),
  observationIds: z
    .array(z.string().max(80))
    .max(20)
    .describe("Ids of the snapshot observations this stance relied on."),
};

/**
 * A mind's answer on one symbol: a direction with the probability it is right, or an abstention
 * with a reason. The same schema validates offline minds and is the Claude tool's input schema.
 */
export const stanceAnswerSchema = z.discriminatedUnion("abstained", [
  z.object({
    abstained: z.literal(false),
    direction: directionSchema,
    probability: probabilitySchema,
    ...stanceCommon,
  }),
  z.object({ abstained: z.literal(true), ...stanceCommon }),
]);
export type StanceAnswer = z.infer<typeof stanceAnswerSchema>;

export const debateRoundSchema = z.union([z.literal(1), z.literal(2)]);
export type DebateRound = z.infer<typeof debateRoundSchema>;

export const mindStanceSchema = stanceAnswerSchema.and(
  z.object({ mind: mindNameSchema, round: debateRoundSchema }),
);
export type MindStance = z.infer<typeof mindStanceSchema>;
export type TakenStance = Extract<MindStance, { abstained: false }>;

/** One resolved desk call, as the desk's own history. `mind` is the lead mind of the call. */
export const recordRowSchema = z.object({
  mind: z.string(),
  regime: z.string(),
  symbol: z.string(),
  /** The side the call took; absent for a question without one (a level held). */
  direction: directionSchema.optional(),
  horizonHours: z.number().positive(),
  probability: z.number().min(0).max(1),
  /** How often this question is right by default (its base rate); absent: a coin flip. */
  baseRate: z.number().min(0).max(1).optional(),
  outcome: z.union([z.literal(0), z.literal(1)]),
  resolvedAt: z.date(),
});
export type RecordRow = z.infer<typeof recordRowSchema>;

export const crowdCallSchema = z.object({
  symbol: z.string(),
  direction: directionSchema,
  probability: z.number().min(0).max(1),
});
export type CrowdCall = z.infer<typeof crowdCallSchema>;

export const learnedRuleSchema = z.object({
  scope: z.enum(["mind", "symbol_horizon"]),
  mind: mindNameSchema.optional(),
  symbol: z.string().optional(),
  horizonHours: z.number().positive().optional(),
  regime: regimeSchema.optional(),
  reason: z.string(),
});
export type LearnedRule = z.infer<typeof learnedRuleSchema>;

const snapshotSchema = z.custom<Snapshot>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    (value as Snapshot).at instanceof Date &&
    Array.isArray((value as Snapshot).observations),
  "a market Snapshot",
);

/** A desk call still open: the desk does not ask its question again while the window overlaps. */
export const heldCallSchema = z.object({
  callId: z.number().int().positive(),
  spec: callSpecSchema,
  lockAt: z.iso.datetime(),
  /** As stored: the window the call is judged on ends here. */
  deadline: z.iso.datetime(),
});
export type HeldCall = z.infer<typeof heldCallSchema>;

export const deskInputSchema = z.object({
  snapshot: snapshotSchema,
  symbols: z.array(symbolSchema).min(1),
  cycleNumber: z.number().int().positive(),
  record: z.array(recordRowSchema),
  crowd: z.array(crowdCallSchema),
  rules: z.array(learnedRuleSchema),
  lessons: z.array(z.string()),
  lockShare: z.number().gt(0).lt(1),
  /** The desk's open calls; absent means none (a backtest or a test that starts from nothing). */
  held: z.array(heldCallSchema).optional(),
  /** The fitted question model; absent means the shipped one. A backtest passes one fitted before its split. */
  questions: questionModelSchema.optional(),
});
export type DeskInput = z.infer<typeof deskInputSchema>;

/** The numbers that decided the regime; null where the input was missing (never a made-up zero). */
export const regimeInputsSchema = z.object({
  vix: z.number().nullable(),
  vixChange5d: z.number().nullable(),
  indexSymbol: z.string().nullable(),
  indexChange20dPct: z.number().nullable(),
  indexAboveSma50: z.boolean().nullable(),
  breadthAboveSma50: z.number().nullable(),
  breadthUpToday: z.number().nullable(),
  breadthUniverse: z.number().int(),
});
export type RegimeInputs = z.infer<typeof regimeInputsSchema>;

export const regimeReadingSchema = z.object({
  label: regimeSchema,
  inputs: regimeInputsSchema,
  reasons: z.array(z.string()),
});
export type RegimeReading = z.infer<typeof regimeReadingSchema>;

export const deskCallSchema = z.object({
  spec: callSpecSchema,
  mind: mindNameSchema,
  thesis: z.string().max(500),
  lockAt: z.iso.datetime(),
  entryPrice: z.number().positive(),
  flatBandPct: z.number().min(0),
  /** A relative call's benchmark price at the same moment as entryPrice. */
  versusEntryPrice: z.number().positive().optional(),
});
export type DeskCall = z.infer<typeof deskCallSchema>;

/** A symbol the desk looked at and declined, with why: "no call" is a recorded outcome too. */
export const suppressedSchema = z.object({ symbol: z.string(), reason: z.string() });
export type Suppressed = z.infer<typeof suppressedSchema>;

export const DESK_FLAGS = [
  "model_fallback",
  "simulated_market",
  "quality_flags",
  "rules_applied",
  "no_call",
  "budget_exceeded",
  "text_fallback",
] as const;
export type DeskFlag = (typeof DESK_FLAGS)[number];

export const dispatchSchema = z.object({
  title: z.string().min(1).max(120),
  body: z.string().min(1),
  thesis: z.string(),
  debateLine: z.string().startsWith("Debate: "),
  flags: z.array(z.enum(DESK_FLAGS)),
});
export type DispatchDraft = z.infer<typeof dispatchSchema>;

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  /** null: the model's price is unknown, so the cost is too (never a zero or a guess). */
  costUsd: z.number().nonnegative().nullable(),
});
export type Usage = z.infer<typeof usageSchema>;
export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: 0 };

export const deskOutputSchema = z.object({
  regime: regimeReadingSchema,
  stances: z.object({ round1: z.array(mindStanceSchema), round2: z.array(mindStanceSchema) }),
  calls: z.array(deskCallSchema),
  suppressed: z.array(suppressedSchema),
  dispatch: dispatchSchema,
  engine: z.enum(["offline", "claude"]),
  flags: z.array(z.enum(DESK_FLAGS)),
  usage: usageSchema,
});
export type DeskOutput = z.infer<typeof deskOutputSchema>;

/** Steps 3–6 of the cycle (minds, debate, synthesis, writer). Pure of storage: the caller persists. */
export interface DeskEngine {
  run(input: DeskInput): Promise<DeskOutput>;
}
