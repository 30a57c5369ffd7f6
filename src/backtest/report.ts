import { deskHorizonHours } from "../agents/synthesis.ts";
import { MIND_NAMES, type MindName } from "../agents/types.ts";
import type { CallRecord } from "../domain/call-record.ts";
import type { Server } from "../domain/server.ts";
import { type CycleWithStances, findCyclesWithStances, findDeskCalls } from "../store/backtest.ts";
import type { Db } from "../store/client.ts";
import type { Graded, Section } from "./scorecard.ts";
import { section } from "./scorecard.ts";
import { type BarBook, gradeStances } from "./shadow.ts";

export interface MindReport {
  /** Desk calls this mind led. */
  lead: Section;
  /** Every round-two stance of this mind, scored as if it had been a call. */
  stances: Section;
}

export interface DeskReport {
  desk: Section;
  minds: Record<MindName, MindReport>;
}

/** The walk's verdicts, read back from the database the walk wrote, as every other surface would read them. */
export async function deskReport(db: Db, server: Server, book: BarBook): Promise<DeskReport> {
  const [calls, cycles] = await Promise.all([
    findDeskCalls(db, server.id),
    findCyclesWithStances(db, server.id),
  ]);
  const graded = calls.map(gradedCall);
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
  return { desk: section([...graded, ...declined(cycles, calls, server.symbols)]), minds };
}

function gradedCall(row: CallRecord): Graded & { mind: string | null } {
  const status = row.status === "superseded" ? "void" : (row.status as Graded["status"]);
  return {
    status,
    p: row.probability,
    up: row.kind === "direction" ? row.direction === "up" : null,
    regime: row.regime ?? "unknown",
    horizon: row.horizonHours === null ? "by deadline" : `${row.horizonHours}h`,
    mind: row.mind,
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
