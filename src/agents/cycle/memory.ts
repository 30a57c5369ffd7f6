import { specOf } from "../../domain/call-record.ts";
import type { Snapshot } from "../../domain/observation.ts";
import type { DeskMemory } from "../../store/desk-memory.ts";
import { baseRateOfCall, type QuestionModel } from "../questions/model.ts";
import { hasLapsed } from "../rules.ts";
import {
  type CrowdCall,
  type DeskInput,
  deskInputSchema,
  type LearnedRule,
  learnedRuleSchema,
  type RecordRow,
} from "../types.ts";

/**
 * The desk's resolved calls as its record; voids and open calls carry no outcome and are left out.
 * Each row carries its side's base rate under `questions`, so a record is judged against how often
 * such a call comes true by default, not against a coin flip.
 */
export function recordRowsFrom(rows: DeskMemory["record"], questions: QuestionModel): RecordRow[] {
  return rows.flatMap((row) => {
    if (row.outcome !== 0 && row.outcome !== 1) return [];
    const regime = row.regime ?? "unknown";
    const horizonHours = row.horizonHours ?? (row.deadline.getTime() - row.madeAt.getTime()) / 3_600_000;
    const baseRate = baseRateOfCall(questions, { ...row, regime, horizonHours });
    return [
      {
        mind: row.mind ?? "desk",
        regime,
        symbol: row.symbol,
        ...(row.direction === "up" || row.direction === "down" ? { direction: row.direction } : {}),
        horizonHours,
        probability: row.probability,
        ...(baseRate !== undefined && { baseRate }),
        outcome: row.outcome,
        resolvedAt: row.resolvedAt as Date,
      },
    ];
  });
}

/** Stored rules, validated at the boundary: a row the desk cannot read is an error, not a silent skip. */
export function rulesFrom(rows: DeskMemory["rules"]): LearnedRule[] {
  return rows.map((rule) =>
    learnedRuleSchema.parse({
      scope: rule.scope,
      mind: rule.mind ?? undefined,
      symbol: rule.symbol ?? undefined,
      horizonHours: rule.horizonHours ?? undefined,
      regime: rule.regime ?? undefined,
      reason: rule.reason,
    }),
  );
}

/** Turns stored history into the desk's input, validating it like any other input. */
export function deskInputFrom(args: {
  snapshot: Snapshot;
  symbols: string[];
  cycleNumber: number;
  memory: DeskMemory;
  lockShare: number;
  questions: QuestionModel;
}): DeskInput {
  const { memory } = args;
  const crowd: CrowdCall[] = memory.crowd.flatMap((row) =>
    row.direction === "up" || row.direction === "down"
      ? [{ symbol: row.symbol, direction: row.direction, probability: row.probability }]
      : [],
  );
  return deskInputSchema.parse({
    snapshot: args.snapshot,
    symbols: args.symbols,
    cycleNumber: args.cycleNumber,
    record: recordRowsFrom(memory.record, args.questions),
    questions: args.questions,
    crowd,
    rules: rulesFrom(memory.rules.filter((rule) => !hasLapsed(rule.createdAt, args.snapshot.at))),
    lessons: memory.lessons.map((l) => `${l.title}: ${l.body}`),
    lockShare: args.lockShare,
    held: memory.open.map((row) => ({
      callId: row.id,
      spec: specOf(row),
      lockAt: row.lockAt.toISOString(),
      deadline: row.deadline.toISOString(),
    })),
  });
}
