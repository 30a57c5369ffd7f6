import { type LearnReport, learnPending } from "../agents/cycle/learn.ts";
import type { QuestionModel } from "../agents/questions/model.ts";
import { type SweepOptions, type SweepReport, sweepDueCalls } from "./sweep.ts";

export interface SettleOptions extends SweepOptions {
  /** What the desk judges its record against when it learns; the shipped model unless a backtest fitted one. */
  questions?: QuestionModel;
  /** Called once the verdicts are committed, before learning: a learning failure cannot hide them. */
  onSwept?: (report: SweepReport) => void;
}

export interface SettleReport extends SweepReport {
  learned: LearnReport;
}

/**
 * Resolution as one use case, for the scheduler and the backtest alike. First the sweep: verdicts,
 * score totals, verdict posts and learn markers in one transaction per chunk of a batch. Then the
 * desk learns from every marker still pending, this sweep's and any a crash left behind, so a pass
 * with nothing due still finishes an earlier pass's learning.
 */
export async function settleDueCalls(options: SettleOptions): Promise<SettleReport> {
  const swept = await sweepDueCalls(options);
  options.onSwept?.(swept);
  const learned = await learnPending(options.db, options.now, { questions: options.questions });
  return { ...swept, learned };
}
