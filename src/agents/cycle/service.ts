import { setTimeout as sleep } from "node:timers/promises";
import { inputsFingerprint } from "../../domain/fingerprint.ts";
import type { Snapshot } from "../../domain/observation.ts";
import type { Server } from "../../domain/server.ts";
import { buildSnapshot, DEFAULT_SYMBOLS, type MarketSource } from "../../market/index.ts";
import {
  abandonRunningCycles,
  failCycle,
  type StanceRecord,
  saveCycleOutcome,
  skipCycle,
  startCycle,
} from "../../store/cycles.ts";
import type { Database } from "../../store/database.ts";
import { loadDeskMemory } from "../../store/desk-memory.ts";
import { saveLesson } from "../../store/lessons.ts";
import { type LastPublished, lastPublished } from "../../store/one-bet.ts";
import { isReflectionCycle, reflection } from "../lessons.ts";
import { SHIPPED_QUESTION_MODEL } from "../questions/default-model.ts";
import type { QuestionModel } from "../questions/model.ts";
import type { DeskEngine, DeskOutput, MindStance } from "../types.ts";
import { deskInputFrom } from "./memory.ts";

export interface CycleServiceOptions {
  db: Database;
  market: MarketSource;
  engine: DeskEngine;
  /** Names the engine on the cycle row before it has run (it may still fall back to offline). */
  engineName: string;
  lockShare: number;
  /** The question model the desk prices and judges its record with: the shipped one unless a backtest fitted its own. */
  questions?: QuestionModel;
}

/** A cycle that wrote a dispatch (with or without calls). */
export type DispatchedCycle = Awaited<ReturnType<typeof saveCycleOutcome>> & {
  skipped: false;
  snapshot: Snapshot;
  output: DeskOutput;
};

/** A cycle whose inputs matched the last dispatch's: recorded as skipped, nothing published. */
export interface SkippedCycle {
  skipped: true;
  cycle: Awaited<ReturnType<typeof skipCycle>>;
  snapshot: Snapshot;
  reason: string;
  since: LastPublished;
}

export type CycleResult = DispatchedCycle | SkippedCycle;

/** For callers that know the market moved (tests, benches): the dispatch, or why there is none. */
export function dispatched(result: CycleResult): DispatchedCycle {
  if (result.skipped) throw new Error(`expected a dispatch, the cycle was skipped: ${result.reason}`);
  return result;
}

/** "inputs unchanged since dispatch #41 (fingerprint ab12cd34ef56)" */
export function skipReason(since: LastPublished, inputsHash: string): string {
  return `inputs unchanged since dispatch #${since.dispatchNumber} (fingerprint ${inputsHash.slice(0, 12)})`;
}

/**
 * One cycle for one server: observe → regime → minds → debate → synthesis → writer → persist →
 * enqueue deliveries. A failure marks the cycle failed with the error and rethrows; nothing half-written.
 * The caller holds the server's cycle lock, so an earlier cycle still "running" was interrupted.
 * Inputs identical to the last dispatch's (by stored fingerprint, so across restarts too) make a
 * skipped cycle: no engine run, no dispatch, the reason on the cycle row.
 */
export async function runCycle(options: CycleServiceOptions, server: Server, at: Date): Promise<CycleResult> {
  const { db } = options;
  await abandonRunningCycles(db.prisma, server.id);
  const cycle = await startCycle(db.prisma, {
    serverId: server.id,
    engine: options.engineName,
    marketSource: options.market.kind,
    asOf: at,
  });
  try {
    // The regime reads breadth and VIX from the wider market, whatever this server calls on.
    const observed = [...new Set([...DEFAULT_SYMBOLS, ...server.symbols])];
    const snapshot = await buildSnapshot(options.market, at, { symbols: observed });
    const inputsHash = inputsFingerprint(snapshot.observations, server.symbols);
    const since = await lastPublished(db.prisma, server.id);
    if (since && since.inputsHash === inputsHash) {
      const reason = skipReason(since, inputsHash);
      const skipped = await skipCycle(db.prisma, cycle.id, { inputsHash, reason });
      return { skipped: true, cycle: skipped, snapshot, reason, since };
    }
    const memory = await loadDeskMemory(db.prisma, server.id, at);
    const deskInput = deskInputFrom({
      snapshot,
      symbols: server.symbols,
      cycleNumber: cycle.number,
      memory,
      lockShare: options.lockShare,
      questions: options.questions ?? SHIPPED_QUESTION_MODEL,
    });
    const output = await options.engine.run(deskInput);
    const saved = await saveCycleOutcome(db.prisma, {
      cycleId: cycle.id,
      serverId: server.id,
      snapshot,
      inputsHash,
      regime: output.regime.label,
      regimeInputs: { ...output.regime.inputs, reasons: output.regime.reasons },
      engine: output.engine,
      engineFlags: output.flags,
      modelUsage: output.usage,
      stances: [...output.stances.round1, ...output.stances.round2].map(stanceRecord),
      dispatch: output.dispatch,
      calls: output.calls.map((call) => ({
        spec: call.spec,
        authorType: "desk",
        mind: call.mind,
        source: "dispatch",
        regime: output.regime.label,
        lockAt: new Date(call.lockAt),
        entryPrice: call.entryPrice,
        ...(call.versusEntryPrice !== undefined && { versusEntry: call.versusEntryPrice }),
        entryAt: snapshot.at,
      })),
      deliveries: deliveriesFor(server),
    });
    if (isReflectionCycle(cycle.number)) {
      const look = reflection({
        cycleNumber: cycle.number,
        record: deskInput.record,
        rules: deskInput.rules,
        lessons: deskInput.lessons,
      });
      await saveLesson(db.prisma, { serverId: server.id, kind: "reflection", ...look });
    }
    return { ...saved, skipped: false, snapshot, output };
  } catch (error) {
    await markFailed(db, cycle.id, error);
    throw error;
  }
}

const MARK_TRIES = 3;

/**
 * Marks the cycle failed with its error. The outage that failed the cycle may also have closed
 * connections still idle in the pool, and the first try can draw one before the pool notices: so
 * a short pause, and a few tries. If the database stays away, the row stays "running" and the
 * caller still gets the cycle's own error, not the mark's.
 */
async function markFailed(db: Database, cycleId: string, error: unknown): Promise<void> {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  for (let tries = 1; tries <= MARK_TRIES; tries++) {
    try {
      await failCycle(db.prisma, cycleId, text);
      return;
    } catch {
      if (tries < MARK_TRIES) await sleep(100 * tries);
    }
  }
}

function stanceRecord(stance: MindStance): StanceRecord {
  return {
    mind: stance.mind,
    round: stance.round,
    symbol: stance.symbol,
    direction: stance.abstained ? null : stance.direction,
    probability: stance.abstained ? null : stance.probability,
    abstained: stance.abstained,
    reason: stance.reason,
    observationIds: stance.observationIds,
  };
}

/** The web feed always; the server's own chat channel when one is set. */
function deliveriesFor(server: Server): { target: string; channelId: string | null }[] {
  const targets: { target: string; channelId: string | null }[] = [{ target: "web", channelId: null }];
  if ((server.platform === "discord" || server.platform === "slack") && server.channelId) {
    targets.push({ target: server.platform, channelId: server.channelId });
  }
  return targets;
}
