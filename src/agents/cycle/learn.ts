import { specOf } from "../../store/calls.ts";
import type { Database } from "../../store/database.ts";
import { loadDeskMemory } from "../../store/desk-memory.ts";
import { adoptRule, liftRule, loadWrongDeskCall, saveLesson } from "../../store/lessons.ts";
import type { AppliedVerdict } from "../../store/resolutions.ts";
import { deriveRules, hasLapsed, postMortem, withinTerm } from "../lessons.ts";
import { type LearnedRule, mindStanceSchema } from "../types.ts";
import { recordRowsFrom, rulesFrom } from "./memory.ts";

export interface LearnReport {
  lessons: number;
  adopted: string[];
  lifted: string[];
}

/**
 * Step 8 of the cycle, run after resolutions: a post-mortem for every wrong desk call, then rules
 * adopted for targets whose record fell below a coin flip and lifted for those that recovered.
 */
export async function learnFromVerdicts(
  db: Database,
  verdicts: readonly AppliedVerdict[],
  now: Date,
): Promise<LearnReport> {
  const report: LearnReport = { lessons: 0, adopted: [], lifted: [] };
  const deskVerdicts = verdicts.filter((v) => v.authorKey === "desk");
  for (const verdict of deskVerdicts.filter((v) => v.status === "wrong")) {
    const call = await loadWrongDeskCall(db.prisma, verdict.callId);
    if (!call?.mind) continue;
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
      thesis: call.dispatch?.thesis ?? "",
      stances,
      evidence: verdict.evidence,
      movePct: verdict.movePct ?? 0,
    });
    await saveLesson(db.prisma, {
      serverId: verdict.serverId,
      kind: "post_mortem",
      callId: call.id,
      ...lesson,
    });
    report.lessons += 1;
  }
  for (const serverId of new Set(deskVerdicts.map((v) => v.serverId))) {
    const memory = await loadDeskMemory(db.prisma, serverId, now);
    for (const row of memory.rules.filter((r) => hasLapsed(r.createdAt, now))) {
      await liftRule(db.prisma, row.id, now);
      report.lifted.push(`${row.reason} (term over)`);
    }
    const current = memory.rules.filter((r) => !hasLapsed(r.createdAt, now));
    const rules = rulesFrom(current);
    const active = current.map((row, i) => ({ row, rule: rules[i] as LearnedRule }));
    const { adopt, lift } = deriveRules(
      withinTerm(recordRowsFrom(memory.record), now),
      active.map((a) => a.rule),
    );
    for (const change of adopt) {
      await adoptRule(db.prisma, serverId, {
        ...change.rule,
        evidence: { ...change.evidence },
        createdAt: now,
      });
      report.adopted.push(change.rule.reason);
    }
    for (const change of lift) {
      const match = active.find((a) => a.rule === change.rule);
      if (match) await liftRule(db.prisma, match.row.id, now);
      report.lifted.push(change.rule.reason);
    }
  }
  return report;
}
