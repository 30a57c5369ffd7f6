import { specOf } from "../../domain/call-record.ts";
import type { Db } from "../../store/client.ts";
import type { Database } from "../../store/database.ts";
import { loadDeskMemory } from "../../store/desk-memory.ts";
import {
  adoptRule,
  claimLearnMarkers,
  type LessonInput,
  liftRule,
  loadWrongDeskCalls,
  saveLessons,
  serversToLearn,
} from "../../store/lessons.ts";
import type { AppliedVerdict } from "../../store/resolutions.ts";
import { postMortem } from "../lessons.ts";
import { SHIPPED_QUESTION_MODEL } from "../questions/default-model.ts";
import type { QuestionModel } from "../questions/model.ts";
import { deriveRules, hasLapsed, withinTerm } from "../rules.ts";
import { type LearnedRule, mindStanceSchema } from "../types.ts";
import { recordRowsFrom, rulesFrom } from "./memory.ts";

export interface LearnReport {
  lessons: number;
  adopted: string[];
  lifted: string[];
  /** Rules the record called for but that would have benched every mind: the desk keeps one voice. */
  withheld: string[];
}

/** Post-mortems load every wrong call and the server's record: more than the default 5 s on a backlog. */
const LEARN_TIMEOUT_MS = 60_000;

/**
 * Step 8 of the cycle, run after resolutions: learns from the desk verdicts not learned from yet
 * (their learn markers, written with the verdicts; only those among `callIds` when given). Per
 * server, one transaction claims the markers and writes what they teach, so a crash part-way rolls
 * all of it back and the next pass learns it again, once.
 */
export async function learnPending(
  db: Database,
  now: Date,
  scope: { questions?: QuestionModel; callIds?: readonly number[] } = {},
): Promise<LearnReport> {
  const { callIds, questions = SHIPPED_QUESTION_MODEL } = scope;
  const report: LearnReport = { lessons: 0, adopted: [], lifted: [], withheld: [] };
  for (const serverId of await serversToLearn(db.prisma, callIds)) {
    const learned = await db.prisma.$transaction(
      async (tx) => {
        const claimed = await claimLearnMarkers(tx, serverId, callIds);
        // Another sweep claimed them first: it learns, this one does not.
        return claimed.length ? learnOnServer(tx, { serverId, callIds: claimed, questions }, now) : null;
      },
      { timeout: LEARN_TIMEOUT_MS },
    );
    if (!learned) continue;
    report.lessons += learned.lessons;
    report.adopted.push(...learned.adopted);
    report.lifted.push(...learned.lifted);
    report.withheld.push(...learned.withheld);
  }
  return report;
}

/** Learns from verdicts a sweep just returned: those still pending, so a second call adds nothing. */
export function learnFromVerdicts(
  db: Database,
  verdicts: readonly Pick<AppliedVerdict, "callId">[],
  now: Date,
): Promise<LearnReport> {
  return learnPending(db, now, { callIds: verdicts.map((v) => v.callId) });
}

/**
 * A post-mortem for every wrong desk call among `callIds`, then rules adopted for targets whose
 * record fell short of its calls' base rates and lifted for those that recovered or whose term is over.
 */
async function learnOnServer(
  tx: Db,
  { serverId, callIds, questions }: { serverId: string; callIds: number[]; questions: QuestionModel },
  now: Date,
): Promise<LearnReport> {
  const report: LearnReport = { lessons: 0, adopted: [], lifted: [], withheld: [] };
  const lessons: LessonInput[] = [];
  for (const call of await loadWrongDeskCalls(tx, callIds)) {
    if (!call.mind) continue;
    const stances = (call.cycle?.stances ?? [])
      .filter((s) => s.symbol === call.symbol)
      .flatMap((s) => {
        const parsed = mindStanceSchema.safeParse({
          ...s,
          direction: s.direction ?? undefined,
          probability: s.probability ?? undefined,
        });
        return parsed.success ? [parsed.data] : [];
      });
    const lesson = postMortem({
      spec: specOf(call),
      mind: call.mind as "macro" | "flow" | "contrarian",
      regime: call.regime ?? "unknown",
      // The call's own thesis: a dispatch's headline thesis belongs to its headline call only.
      thesis: call.note ?? "",
      stances,
      evidence: call.evidence ?? "",
      movePct: call.movePct ?? 0,
    });
    lessons.push({ serverId, kind: "post_mortem", callId: call.id, ...lesson });
  }
  report.lessons = await saveLessons(tx, lessons);

  const memory = await loadDeskMemory(tx, serverId, now);
  for (const row of memory.rules.filter((r) => hasLapsed(r.createdAt, now))) {
    await liftRule(tx, row.id, now);
    report.lifted.push(`${row.reason} (term over)`);
  }
  const current = memory.rules.filter((r) => !hasLapsed(r.createdAt, now));
  const rules = rulesFrom(current);
  const active = current.map((row, i) => ({ row, rule: rules[i] as LearnedRule }));
  const { adopt, lift, withheld } = deriveRules(
    withinTerm(recordRowsFrom(memory.record, questions), now),
    active.map((a) => a.rule),
  );
  for (const change of adopt) {
    await adoptRule(tx, serverId, { ...change.rule, evidence: { ...change.evidence }, createdAt: now });
    report.adopted.push(change.rule.reason);
  }
  report.withheld.push(...withheld.map((w) => w.rule.reason));
  for (const change of lift) {
    const match = active.find((a) => a.rule === change.rule);
    if (match) await liftRule(tx, match.row.id, now);
    report.lifted.push(change.rule.reason);
  }
  return report;
}
