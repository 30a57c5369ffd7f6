import { assetClassOf, decidingSession } from "./bars.ts";
import { CALL_KINDS, type CallKind, type CallSpec } from "./call.ts";

export type CallSource = "dispatch" | "predict" | "button" | "reaction" | "modal" | "cli";
export type CallStatus = "open" | "right" | "wrong" | "void" | "superseded";

/**
 * A stored call as the rest of the code sees it: the question in flat fields, its author, its chain
 * link and, once resolved, its verdict and scores. The store returns these; nothing outside it sees
 * the database's own row types.
 */
export interface CallRecord {
  id: number;
  serverId: string;
  cycleId: string | null;
  dispatchId: string | null;
  /** The desk call a member agreed with or faded. */
  parentCallId: number | null;
  authorType: string;
  /** The lead mind of a desk call. */
  mind: string | null;
  memberId: string | null;
  source: string;
  stance: string | null;
  kind: string;
  symbol: string;
  versus: string | null;
  direction: string | null;
  comparator: string | null;
  level: number | null;
  horizonHours: number | null;
  flatBandPct: number;
  probability: number;
  note: string | null;
  regime: string | null;
  madeAt: Date;
  lockAt: Date;
  deadline: Date;
  season: string;
  entryPrice: number | null;
  entryAt: Date | null;
  versusEntry: number | null;
  status: string;
  resolvedAt: Date | null;
  exitPrice: number | null;
  exitAt: Date | null;
  movePct: number | null;
  evidence: string | null;
  voidReason: string | null;
  outcome: number | null;
  brier: number | null;
  baselineScore: number | null;
  peerScore: number | null;
  attempts: number;
  nextAttemptAt: Date | null;
  chainSeq: number;
  hash: string;
  prevHash: string;
  interactionId: string | null;
}

/** A member of one server (records are per community). */
export interface MemberRecord {
  id: string;
  serverId: string;
  externalId: string;
  displayName: string;
}

/** Calendar-month season of a moment, in UTC: "2026-11". */
export function seasonOf(moment: Date): string {
  return moment.toISOString().slice(0, 7);
}

/** The call JSON of a stored call, as the domain and the web API speak it. */
export function specOf(
  row: Pick<
    CallRecord,
    | "id"
    | "kind"
    | "symbol"
    | "versus"
    | "direction"
    | "comparator"
    | "level"
    | "horizonHours"
    | "flatBandPct"
    | "probability"
    | "note"
    | "madeAt"
    | "deadline"
  >,
): CallSpec {
  if (!CALL_KINDS.includes(row.kind as CallKind))
    throw new Error(`call ${row.id} has unknown kind ${row.kind}`);
  // Built member by member rather than from spreads: a sweep asks this of every due call. The
  // question lives in whichever of its columns the kind uses; the rest are null and left out.
  const spec: Record<string, string | number> = { kind: row.kind };
  if (row.direction !== null) spec.direction = row.direction;
  if (row.comparator !== null) spec.comparator = row.comparator;
  if (row.level !== null) spec.level = row.level;
  if (row.versus !== null) spec.versus = row.versus;
  spec.symbol = row.symbol;
  spec.probability = row.probability;
  spec.madeAt = row.madeAt.toISOString();
  if (row.horizonHours !== null) spec.horizonHours = row.horizonHours;
  else spec.deadline = row.deadline.toISOString();
  if (row.flatBandPct) spec.flatBandPct = row.flatBandPct;
  if (row.note) spec.note = row.note;
  return spec as CallSpec;
}

/**
 * When agree and fade close: the stored lock, and never later than the close that decides the call
 * (rows stored before locks were measured to that close carry a lock past it).
 */
export function answersCloseAt(call: Pick<CallRecord, "lockAt" | "deadline" | "symbol" | "versus">): Date {
  const legs = call.versus === null ? [call.symbol] : [call.symbol, call.versus];
  const closes = legs.map((s) => decidingSession(call.deadline, assetClassOf(s)).close.getTime());
  return new Date(Math.min(call.lockAt.getTime(), ...closes));
}

/**
 * Agree and fade are taken while the call is open and before its lock; after that the answer could
 * be made with hindsight. Every surface shows its buttons by this rule and the handler enforces it.
 */
export function isOpenForAnswers(
  call: Pick<CallRecord, "status" | "lockAt" | "deadline" | "symbol" | "versus">,
  now: Date,
): boolean {
  return call.status === "open" && now.getTime() < answersCloseAt(call).getTime();
}
