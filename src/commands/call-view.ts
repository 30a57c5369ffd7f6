import { type CallSpec, decidedByText, describeCall } from "../domain/call.ts";
import type { CallRecord } from "../domain/call-record.ts";
import { specOf } from "../domain/call-record.ts";

export type CallStatus = "open" | "right" | "wrong" | "void" | "superseded";

export type AuthorView =
  | { type: "desk"; mind: string | null }
  | { type: "member"; externalId: string; displayName: string };

/** A stored call as every surface shows it; times are ISO strings so the web can serve it as JSON. */
export interface CallView {
  id: number;
  /** "QQQ lower in 48h" */
  text: string;
  spec: CallSpec;
  author: AuthorView;
  source: string;
  stance: "agree" | "fade" | null;
  parentCallId: number | null;
  probability: number;
  madeAt: string;
  lockAt: string;
  deadline: string;
  /** "decided by Friday's close (16:00 New York)": the bar that settles the call. */
  decidedBy: string;
  entryPrice: number | null;
  entryAt: string | null;
  status: CallStatus;
  /** Null while the call is open (or was superseded before it resolved). */
  result: ResultView | null;
}

export interface ResultView {
  resolvedAt: string;
  exitPrice: number | null;
  movePct: number | null;
  /** "QQQ 577.18 → 584.98 (+1.35%)" */
  evidence: string | null;
  voidReason: string | null;
  brier: number | null;
  baselineScore: number | null;
  peerScore: number | null;
}

/** `member` is the author of a member call; left out, a member call shows its id only. */
export function callView(
  row: CallRecord,
  member?: { externalId: string; displayName: string } | null,
): CallView {
  const spec = specOf(row);
  const author: AuthorView =
    row.authorType === "desk"
      ? { type: "desk", mind: row.mind }
      : {
          type: "member",
          externalId: member?.externalId ?? row.memberId ?? "",
          displayName: member?.displayName ?? "a member",
        };
  return {
    id: row.id,
    text: describeCall(spec),
    spec,
    author,
    source: row.source,
    stance: row.stance === "agree" || row.stance === "fade" ? row.stance : null,
    parentCallId: row.parentCallId,
    probability: row.probability,
    madeAt: row.madeAt.toISOString(),
    lockAt: row.lockAt.toISOString(),
    deadline: row.deadline.toISOString(),
    decidedBy: decidedByText(spec),
    entryPrice: row.entryPrice,
    entryAt: row.entryAt?.toISOString() ?? null,
    status: row.status as CallStatus,
    result:
      row.resolvedAt === null
        ? null
        : {
            resolvedAt: row.resolvedAt.toISOString(),
            exitPrice: row.exitPrice,
            movePct: row.movePct,
            evidence: row.evidence,
            voidReason: row.voidReason,
            brier: row.brier,
            baselineScore: row.baselineScore,
            peerScore: row.peerScore,
          },
  };
}
