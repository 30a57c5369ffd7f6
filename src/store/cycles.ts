import type { Snapshot } from "../domain/observation.ts";
import { appendInTransaction, type NewCall } from "./calls.ts";
import { lockChainHead } from "./chain.ts";
import type { Db } from "./client.ts";
import { insertObservations, insertStances } from "./cycle-rows.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";
import { assertOneBet } from "./one-bet.ts";

export interface CycleStart {
  serverId: string;
  engine: string;
  marketSource: string;
  asOf: Date;
}

/** Opens a cycle row as "running" with the server's next number (unique per server). */
export async function startCycle(db: Db, start: CycleStart) {
  const last = await db.cycle.findFirst({ where: { serverId: start.serverId }, orderBy: { number: "desc" } });
  return db.cycle.create({
    data: { ...start, number: (last?.number ?? 0) + 1, status: "running", engineFlags: [] },
  });
}

/**
 * Cycles left "running" by a process that died or lost its database mid-cycle. Only the holder of
 * the server's cycle lock may call this: then no cycle of that server is really running.
 */
export async function abandonRunningCycles(db: Db, serverId: string): Promise<number> {
  const { count } = await db.cycle.updateMany({
    where: { serverId, status: "running" },
    data: {
      status: "failed",
      error: "interrupted: the process stopped or lost its database before the cycle finished",
      finishedAt: new Date(),
    },
  });
  return count;
}

export async function failCycle(db: Db, cycleId: string, error: string): Promise<void> {
  await db.cycle.update({
    where: { id: cycleId },
    data: { status: "failed", error: error.slice(0, 2000), finishedAt: new Date() },
  });
}

/** A cycle that read the same inputs as the last dispatch: recorded, with why, and nothing published. */
export async function skipCycle(db: Db, cycleId: string, skip: { inputsHash: string; reason: string }) {
  return db.cycle.update({
    where: { id: cycleId },
    data: { status: "skipped", inputsHash: skip.inputsHash, skipReason: skip.reason, finishedAt: new Date() },
  });
}

export interface StanceRecord {
  mind: string;
  round: number;
  symbol: string;
  direction: string | null;
  probability: number | null;
  abstained: boolean;
  reason: string;
  observationIds: string[];
}

export interface CycleOutcome {
  cycleId: string;
  serverId: string;
  snapshot: Snapshot;
  /** The fingerprint of the inputs the cycle read (domain/fingerprint.ts). */
  inputsHash: string;
  regime: string;
  regimeInputs: Prisma.InputJsonValue;
  engine: string;
  engineFlags: string[];
  modelUsage: Prisma.InputJsonValue;
  stances: StanceRecord[];
  dispatch: { title: string; body: string; thesis: string; debateLine: string; flags: string[] };
  calls: Omit<NewCall, "serverId" | "cycleId" | "dispatchId">[];
  /** Outbox targets for the dispatch, e.g. web, and the server's chat channel. */
  deliveries: { target: string; channelId: string | null }[];
}

/**
 * Persists a finished cycle in one transaction: the observations it saw, every stance, the dispatch,
 * its calls on the hash chain, and the outbox rows that announce it. Either all of it exists or none.
 * Under the server's chain-head lock it refuses a call on a question already open and a dispatch on
 * inputs already published (one-bet.ts), so no interleaving writes one bet twice.
 */
export async function saveCycleOutcome(prisma: PrismaClient, outcome: CycleOutcome) {
  return prisma.$transaction(
    async (tx) => {
      const { cycleId, serverId } = outcome;
      await lockChainHead(tx, serverId);
      await assertOneBet(tx, {
        serverId,
        inputsHash: outcome.inputsHash,
        specs: outcome.calls.filter((c) => c.authorType === "desk").map((c) => c.spec),
      });
      await insertObservations(tx, cycleId, outcome.snapshot.observations);
      await insertStances(tx, cycleId, outcome.stances);
      const dispatch = await tx.dispatch.create({ data: { ...outcome.dispatch, cycleId, serverId } });
      const calls = [];
      for (const call of outcome.calls) {
        calls.push(await appendInTransaction(tx, { ...call, serverId, cycleId, dispatchId: dispatch.id }));
      }
      await tx.delivery.createMany({
        data: outcome.deliveries.map((d) => ({
          serverId,
          dispatchId: dispatch.id,
          kind: "dispatch",
          target: d.target,
          channelId: d.channelId,
          dedupeKey: `dispatch:${dispatch.id}:${d.target}`,
          payload: { dispatchNumber: dispatch.number },
        })),
      });
      const cycle = await tx.cycle.update({
        where: { id: cycleId },
        data: {
          status: calls.length ? "published" : "no_call",
          inputsHash: outcome.inputsHash,
          regime: outcome.regime,
          regimeInputs: outcome.regimeInputs,
          engine: outcome.engine,
          engineFlags: outcome.engineFlags,
          modelUsage: outcome.modelUsage,
          finishedAt: new Date(),
        },
      });
      return { cycle, dispatch, calls };
    },
    { timeout: 30_000 },
  );
}
