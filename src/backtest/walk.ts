import { type CycleServiceOptions, runCycle } from "../agents/cycle/service.ts";
import type { Snapshot } from "../domain/observation.ts";
import type { Server } from "../domain/server.ts";
import type { MarketSource } from "../market/ports.ts";
import { settleDueCalls } from "../resolution/settle.ts";
import { latestOpenDeadline } from "../store/backtest.ts";

export interface WalkOptions extends CycleServiceOptions {
  market: MarketSource;
  server: Server;
  moments: readonly Date[];
  graceHours: number;
  /** Called after every cycle: progress output, and the snapshot the desk saw (none when the cycle failed). */
  onCycle?: (progress: CycleProgress) => void;
}

export interface CycleProgress {
  done: number;
  total: number;
  at: Date;
  snapshot?: Snapshot;
}

export interface WalkResult {
  cycles: number;
  failed: { at: Date; error: string }[];
  lessons: number;
  rulesAdopted: number;
  rulesLifted: number;
  /** The moment of the closing sweep: what the walk knew when it ended. */
  settledAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * The desk's life replayed: at each moment, first resolve what fell due (as the scheduler's sweep
 * would have, seeing only bars closed by then) and learn from it, then run the real cycle. Rules and
 * calibration therefore only ever know verdicts that were in before the cycle that uses them.
 */
export async function walkForward(options: WalkOptions): Promise<WalkResult> {
  const result: WalkResult = {
    cycles: 0,
    failed: [],
    lessons: 0,
    rulesAdopted: 0,
    rulesLifted: 0,
    settledAt: options.moments.at(-1) ?? new Date(0),
  };
  // The scheduler's own resolution use case; a replay has no chat surface, so no verdict posts.
  const settle = async (now: Date) => {
    const { learned } = await settleDueCalls({
      db: options.db,
      quotes: options.market.quotes,
      now,
      graceHours: options.graceHours,
      ...(options.questions && { questions: options.questions }),
    });
    result.lessons += learned.lessons;
    result.rulesAdopted += learned.adopted.length;
    result.rulesLifted += learned.lifted.length;
  };
  for (const at of options.moments) {
    await settle(at);
    let snapshot: Snapshot | undefined;
    try {
      snapshot = (await runCycle(options, options.server, at)).snapshot;
      result.cycles += 1;
    } catch (error) {
      // runCycle has already marked the cycle failed; the walk goes on, as the scheduler would.
      result.failed.push({ at, error: error instanceof Error ? error.message : String(error) });
    }
    const done = result.cycles + result.failed.length;
    options.onCycle?.({ done, total: options.moments.length, at, snapshot });
  }
  // One last sweep a day after the last deadline, so the final cycles' calls are judged too.
  const last = await latestOpenDeadline(options.db.prisma, options.server.id);
  if (last) {
    result.settledAt = new Date(last.getTime() + DAY_MS);
    await settle(result.settledAt);
  }
  return result;
}
