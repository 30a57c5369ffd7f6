import type { Db } from "./client.ts";
import { Prisma } from "./generated/client.ts";

export interface LessonInput {
  serverId: string;
  kind: "post_mortem" | "reflection";
  callId?: number;
  title: string;
  body: string;
  counterfactual?: string;
}

/** A post-mortem is written once per call: a second sweep touching the same call adds nothing. */
export async function saveLesson(db: Db, lesson: LessonInput): Promise<void> {
  await saveLessons(db, [lesson]);
}

/** Lessons in one statement; one whose call already has a lesson is skipped. Returns how many were new. */
export async function saveLessons(db: Db, lessons: LessonInput[]): Promise<number> {
  if (lessons.length === 0) return 0;
  return (await db.lesson.createMany({ data: lessons, skipDuplicates: true })).count;
}

/** Wrong desk calls with what the desk said about them: round-two stances on their symbol (the call's own thesis is its note). */
export function loadWrongDeskCalls(db: Db, callIds: number[]) {
  return db.call.findMany({
    where: { id: { in: callIds }, authorType: "desk", status: "wrong" },
    orderBy: { id: "asc" },
    include: { cycle: { include: { stances: { where: { round: 2 } } } } },
  });
}

/** Servers with desk verdicts not learned from yet (among `callIds` when given). */
export async function serversToLearn(db: Db, callIds?: readonly number[]): Promise<string[]> {
  const rows = await db.learnMarker.findMany({
    where: callIds ? { callId: { in: [...callIds] } } : {},
    distinct: ["serverId"],
    select: { serverId: true },
  });
  return rows.map((r) => r.serverId);
}

/**
 * Takes the server's learn markers (among `callIds` when given) inside the learning transaction:
 * they are gone if it commits and back if it fails. The server row is locked first so two sweeps
 * never learn for one server at once (both would adopt the same rule); NO KEY UPDATE leaves rows
 * that merely reference the server (a cycle's calls, a new verdict's marker) free to be written.
 */
export async function claimLearnMarkers(
  tx: Db,
  serverId: string,
  callIds?: readonly number[],
): Promise<number[]> {
  await tx.$queryRaw`SELECT id FROM "Server" WHERE id = ${serverId} FOR NO KEY UPDATE`;
  const among = callIds ? Prisma.sql`AND "callId" = ANY(${[...callIds]}::int[])` : Prisma.empty;
  const rows = await tx.$queryRaw<{ callId: number }[]>`
    DELETE FROM "LearnMarker"
    WHERE "serverId" = ${serverId} ${among}
    RETURNING "callId"`;
  return rows.map((r) => r.callId);
}

export interface RuleInput {
  scope: string;
  mind?: string;
  symbol?: string;
  horizonHours?: number;
  regime?: string;
  reason: string;
  evidence: Prisma.InputJsonValue;
  /** When the desk adopted it: the verdicts' moment, which in a replay is not the wall clock. */
  createdAt: Date;
}

export async function adoptRule(db: Db, serverId: string, rule: RuleInput): Promise<void> {
  await db.learnedRule.create({ data: { serverId, ...rule } });
}

export async function liftRule(db: Db, ruleId: string, at: Date): Promise<void> {
  await db.learnedRule.update({ where: { id: ruleId }, data: { active: false, liftedAt: at } });
}
