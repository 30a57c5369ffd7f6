import type { CallSpec } from "../domain/call.ts";
import { specOf } from "../domain/call-record.ts";
import { heldQuestion, questionOf } from "../domain/question.ts";
import type { Db } from "./client.ts";
import { openDeskCalls } from "./desk-memory.ts";

/** A cycle tried to open a call on a question the desk already holds open. */
export class QuestionAlreadyHeld extends Error {
  constructor(
    readonly symbol: string,
    readonly heldCallId: number,
  ) {
    super(`the desk already holds this question on ${symbol} open as call #${heldCallId}`);
    this.name = "QuestionAlreadyHeld";
  }
}

/** A cycle tried to publish on inputs the last dispatch was already written from. */
export class InputsAlreadyPublished extends Error {
  constructor(readonly dispatchNumber: number) {
    super(`inputs unchanged since dispatch #${dispatchNumber}: publishing again would count one bet twice`);
    this.name = "InputsAlreadyPublished";
  }
}

/** The server's newest dispatch and the fingerprint of the inputs its cycle read (null before fingerprints). */
export async function lastPublished(db: Db, serverId: string) {
  const dispatch = await db.dispatch.findFirst({
    where: { serverId },
    orderBy: { number: "desc" },
    select: {
      number: true,
      createdAt: true,
      cycle: { select: { number: true, asOf: true, inputsHash: true } },
    },
  });
  return dispatch
    ? {
        dispatchNumber: dispatch.number,
        publishedAt: dispatch.createdAt,
        cycleNumber: dispatch.cycle.number,
        asOf: dispatch.cycle.asOf,
        inputsHash: dispatch.cycle.inputsHash,
      }
    : null;
}
export type LastPublished = NonNullable<Awaited<ReturnType<typeof lastPublished>>>;

/**
 * The store's own check, inside the transaction that writes a cycle, after the server's chain head
 * is locked (so it sees every call and dispatch committed before it): no new desk call on a
 * question already open, no second dispatch on the same inputs. The cycle lock already keeps two
 * cycles of a server apart; this makes the rule hold for any writer that bypasses it.
 */
export async function assertOneBet(
  tx: Db,
  args: { serverId: string; inputsHash: string; specs: readonly CallSpec[] },
): Promise<void> {
  const last = await lastPublished(tx, args.serverId);
  if (last && last.inputsHash === args.inputsHash) throw new InputsAlreadyPublished(last.dispatchNumber);
  if (args.specs.length === 0) return;
  const earliest = new Date(Math.min(...args.specs.map((s) => Date.parse(s.madeAt))));
  const open = (await openDeskCalls(tx, args.serverId, earliest)).map((row) => {
    const spec = specOf(row);
    return { id: row.id, question: questionOf(spec), window: { madeAt: row.madeAt, deadline: row.deadline } };
  });
  for (const spec of args.specs) {
    const held = heldQuestion(open, spec);
    if (held) throw new QuestionAlreadyHeld(spec.symbol, held.id);
  }
}

/** Per server whose latest cycle was skipped: that cycle, so the web can say nothing new was published. */
export async function latestSkips(db: Db) {
  const servers = await db.server.findMany({
    orderBy: { name: "asc" },
    select: {
      name: true,
      cycles: {
        where: { status: { not: "running" } },
        orderBy: { number: "desc" },
        take: 1,
        select: { number: true, status: true, asOf: true, skipReason: true },
      },
    },
  });
  return servers.flatMap(({ name, cycles: [latest] }) =>
    latest?.status === "skipped"
      ? [{ server: name, cycleNumber: latest.number, asOf: latest.asOf, reason: latest.skipReason ?? "" }]
      : [],
  );
}
export type LatestSkip = Awaited<ReturnType<typeof latestSkips>>[number];
