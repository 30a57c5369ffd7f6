import type { Db } from "./client.ts";
import type { Prisma } from "./generated/client.ts";

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
  await db.lesson.createMany({ data: [lesson], skipDuplicates: true });
}

/** A wrong desk call with what the desk said about it: round-two stances on its symbol and its thesis. */
export function loadWrongDeskCall(db: Db, callId: number) {
  return db.call.findUnique({
    where: { id: callId },
    include: {
      dispatch: { select: { thesis: true } },
      cycle: { include: { stances: { where: { round: 2 } } } },
    },
  });
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
