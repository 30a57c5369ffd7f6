import type { QuestionModel } from "../agents/questions/model.ts";
import { deskHorizonHours } from "../agents/synthesis.ts";
import { MIND_NAMES, type MindName } from "../agents/types.ts";
import { type CallRecord, specOf } from "../domain/call-record.ts";
import { brier } from "../domain/scoring.ts";
import type { Server } from "../domain/server.ts";
import { type CycleWithStances, findCyclesWithStances, findDeskCalls } from "../store/backtest.ts";
import type { Db } from "../store/client.ts";
import { BASELINES, type BarBook, type BaselineName, baselineProbabilities } from "./baselines.ts";
import { type Interval95, type Paired, weeklyBootstrap } from "./bootstrap.ts";
import { weekOf } from "./schedule.ts";
import { by, type Graded, type ScoreCard, type Section, section } from "./scorecard.ts";
import { gradeStances } from "./shadow.ts";

export interface MindReport {
  /** Desk calls this mind led. */
  lead: Section;
  /** Every round-two stance of this mind, scored as if it had been a call. */
  stances: Section;
}

export interface DeskSection extends Section {
  bySide: Record<string, ScoreCard>;
  byYear: Record<string, ScoreCard>;
  byKind: Record<string, ScoreCard>;
  /** Each year's calls by side: "2023": { inside, underperform, … }, so a year without a down call shows. */
  byYearSide: Record<string, Record<string, ScoreCard>>;
}

/** One period of the walk: the desk, its minds, and each baseline on the desk's own questions. */
export interface PeriodReport {
  from: string;
  to: string;
  desk: DeskSection;
  minds: Record<MindName, MindReport>;
  /** Desk Brier minus the baseline's on the same resolved questions: negative means the desk did better. */
  baselines: Record<BaselineName, Interval95>;
}

export interface DeskReport extends PeriodReport {
  /** The period before the split, on which the question model was fitted: in-sample, shown apart. */
  inSample: PeriodReport;
}

export interface ReportOptions {
  from: string;
  to: string;
  split: string;
  model: QuestionModel;
  seed: number;
}

type DeskGraded = Graded & {
  mind: string | null;
  madeAt: Date;
  baselines: Partial<Record<BaselineName, number>>;
};

/**
 * The walk's verdicts, read back from the database the walk wrote, as every other surface would
 * read them, cut at the split: the held-out period is the report, the fitted one sits apart.
 */
export async function deskReport(
  db: Db,
  server: Server,
  book: BarBook,
  options: ReportOptions,
): Promise<DeskReport> {
  const [calls, cycles] = await Promise.all([
    findDeskCalls(db, server.id),
    findCyclesWithStances(db, server.id),
  ]);
  const split = new Date(`${options.split}T00:00:00Z`);
  const after = (at: Date) => at >= split;
  const period = (held: boolean, from: string, to: string) =>
    periodReport(
      calls.filter((c) => after(c.madeAt) === held),
      cycles.filter((c) => after(c.asOf) === held),
      server,
      book,
      { ...options, from, to },
    );
  const heldOut = period(true, options.split > options.from ? options.split : options.from, options.to);
  const inSample = period(false, options.from, options.split < options.to ? options.split : options.to);
  return { ...heldOut, inSample };
}

function periodReport(
  calls: readonly CallRecord[],
  cycles: readonly CycleWithStances[],
  server: Server,
  book: BarBook,
  options: ReportOptions,
): PeriodReport {
  const graded = calls.map((row) => gradedCall(row, book, options.model));
  const stances = gradeStances(cycles, book);
  const minds = Object.fromEntries(
    MIND_NAMES.map((mind) => [
      mind,
      {
        lead: section(graded.filter((g) => g.mind === mind)),
        stances: section(stances.filter((s) => s.mind === mind)),
      },
    ]),
  ) as Record<MindName, MindReport>;
  const all = [...graded, ...declined(cycles, calls, server.symbols)];
  const taken = all.filter((g) => g.status !== "abstained");
  const desk: DeskSection = {
    ...section(all),
    bySide: by(taken, (g) => g.side ?? "none"),
    byYear: by(taken, (g) => g.year ?? "none"),
    byKind: by(taken, (g) => g.kind ?? "none"),
    byYearSide: Object.fromEntries(
      Object.keys(by(taken, (g) => g.year ?? "none")).map((year) => [
        year,
        by(
          taken.filter((g) => (g.year ?? "none") === year),
          (g) => g.side ?? "none",
        ),
      ]),
    ),
  };
  return { from: options.from, to: options.to, desk, minds, baselines: baselineScores(graded, options.seed) };
}

/** Each baseline against the desk on the resolved questions it applies to, with a weekly bootstrap. */
function baselineScores(graded: readonly DeskGraded[], seed: number): Record<BaselineName, Interval95> {
  const resolved = graded.filter((g) => (g.status === "right" || g.status === "wrong") && g.p !== null);
  return Object.fromEntries(
    BASELINES.map((name) => {
      const paired: Paired[] = resolved.flatMap((g) => {
        const q = g.baselines[name];
        if (q === undefined) return [];
        const outcome = g.status === "right" ? 1 : 0;
        return [{ week: weekOf(g.madeAt), diff: brier(g.p as number, outcome) - brier(q, outcome) }];
      });
      return [name, weeklyBootstrap(paired, seed)];
    }),
  ) as Record<BaselineName, Interval95>;
}

function gradedCall(row: CallRecord, book: BarBook, model: QuestionModel): DeskGraded {
  const status = row.status === "superseded" ? "void" : (row.status as Graded["status"]);
  const spec = specOf(row);
  const baselines =
    row.entryPrice === null
      ? {}
      : baselineProbabilities(
          {
            spec,
            regime: row.regime ?? "unknown",
            entryPrice: row.entryPrice,
            versusEntryPrice: row.versusEntry,
          },
          book,
          model,
        );
  return {
    status,
    p: row.probability,
    up: row.kind === "direction" ? row.direction === "up" : null,
    regime: row.regime ?? "unknown",
    horizon: row.horizonHours === null ? "by deadline" : `${row.horizonHours}h`,
    kind: row.kind,
    side: row.direction ?? row.comparator ?? "none",
    year: String(row.madeAt.getUTCFullYear()),
    mind: row.mind,
    madeAt: row.madeAt,
    baselines,
  };
}

/** Each symbol a cycle looked at and made no call on: the desk's abstentions. */
function declined(
  cycles: readonly CycleWithStances[],
  calls: readonly CallRecord[],
  symbols: readonly string[],
): Graded[] {
  const called = new Set(calls.map((c) => `${c.cycleId}|${c.symbol}`));
  return cycles.flatMap((cycle) =>
    symbols
      .filter((symbol) => !called.has(`${cycle.id}|${symbol}`))
      .map((symbol) => ({
        status: "abstained" as const,
        p: null,
        up: null,
        regime: cycle.regime ?? "unknown",
        horizon: `${deskHorizonHours(symbol, cycle.asOf)}h`,
      })),
  );
}
