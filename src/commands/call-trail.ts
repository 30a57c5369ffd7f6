import { describeReceipt, parseReceipt, type Receipt } from "../domain/receipt.ts";
import type { SideBySide } from "../resolution/side-by-side.ts";
import type { CallTrailData } from "../store/records.ts";
import { type CallView, callView } from "./call-view.ts";

export interface ObservationView {
  id: string;
  source: string;
  kind: string;
  symbol: string | null;
  /** Null when the input was missing; its flags say why. */
  value: number | null;
  asOf: string;
  trust: string;
  flags: string[];
}

export interface StanceRoundView {
  direction: string | null;
  probability: number | null;
  abstained: boolean;
  reason: string;
}

export interface MindView {
  mind: string;
  /** Round 1 is the opening stance, round 2 after the rebuttal; null when the mind left no stance. */
  round1: StanceRoundView | null;
  round2: StanceRoundView | null;
}

/** One call's stack trace: inputs → minds → thesis → the call and its hash → verdict → lesson. */
export interface CallTrailView {
  kind: "call";
  call: CallView;
  chain: { seq: number; hash: string; prevHash: string };
  /** The verdict's own record in the chain, once the call is decided. */
  verdictChain: { seq: number; hash: string; prevHash: string } | null;
  /** What the verdict was decided from: source, bars used and their hash; `receiptLine` says it in brief. */
  receipt: Receipt | null;
  receiptLine: string | null;
  dispatch: { number: number; title: string; thesis: string; debateLine: string } | null;
  cycle: {
    number: number;
    regime: string | null;
    asOf: string;
    engine: string;
    /** e.g. model_fallback: the model failed and the offline engine made this cycle's calls. */
    engineFlags: string[];
    marketSource: string;
  } | null;
  observations: ObservationView[];
  minds: MindView[];
  lesson: { title: string; body: string; counterfactual: string | null } | null;
  /** Members' live responses to a desk call (superseded ones are not counted). */
  responses: { agree: number; fade: number };
  /** For a member's agree/fade: the desk call it answered. */
  parent: CallView | null;
  /** A resolved desk call: crowd, desk and base rate on the same question; null otherwise. */
  sideBySide: SideBySide | null;
}

export function callTrailView(data: CallTrailData, sideBySide: SideBySide | null = null): CallTrailView {
  const { call, cycle } = data;
  const count = (stance: string) => data.responses.find((r) => r.stance === stance)?.count ?? 0;
  const receipt = parseReceipt(call.receipt);
  return {
    kind: "call",
    call: callView(call, call.member),
    chain: { seq: call.chainSeq, hash: call.hash, prevHash: call.prevHash },
    verdictChain: call.chainRecords[0] ?? null,
    receipt,
    receiptLine: receipt ? describeReceipt(receipt) : null,
    dispatch: call.dispatch
      ? {
          number: call.dispatch.number,
          title: call.dispatch.title,
          thesis: call.dispatch.thesis,
          debateLine: call.dispatch.debateLine,
        }
      : null,
    cycle: cycle
      ? {
          number: cycle.number,
          regime: cycle.regime,
          asOf: cycle.asOf.toISOString(),
          engine: cycle.engine,
          engineFlags: cycle.engineFlags,
          marketSource: cycle.marketSource,
        }
      : null,
    observations: cycle ? usedObservations(cycle, call.symbol, call.versus) : [],
    minds: cycle ? mindsOf(cycle.stances) : [],
    lesson: call.lesson
      ? { title: call.lesson.title, body: call.lesson.body, counterfactual: call.lesson.counterfactual }
      : null,
    responses: { agree: count("agree"), fade: count("fade") },
    parent: call.parentCall ? callView(call.parentCall) : null,
    sideBySide,
  };
}

type TrailCycle = NonNullable<CallTrailData["cycle"]>;

/**
 * The inputs behind this call: what its minds cited plus the call's own symbols. A cycle observes
 * dozens of things; the trail shows the ones that bore on this question.
 */
function usedObservations(cycle: TrailCycle, symbol: string, versus: string | null): ObservationView[] {
  const cited = new Set(cycle.stances.flatMap((s) => s.observationIds));
  // Stored ids are "<cycleId>/<snapshot id>"; stances cite the snapshot id.
  const snapshotId = (id: string) => id.slice(cycle.id.length + 1);
  return cycle.observations
    .filter(
      (o) => cited.has(snapshotId(o.id)) || o.symbol === symbol || (versus !== null && o.symbol === versus),
    )
    .map((o) => ({
      id: snapshotId(o.id),
      source: o.source,
      kind: o.kind,
      symbol: o.symbol,
      value: o.value,
      asOf: o.asOf.toISOString(),
      trust: o.trust,
      flags: o.flags,
    }));
}

function mindsOf(stances: TrailCycle["stances"]): MindView[] {
  const minds = [...new Set(stances.map((s) => s.mind))];
  const round = (mind: string, n: number): StanceRoundView | null => {
    const s = stances.find((x) => x.mind === mind && x.round === n);
    return s
      ? { direction: s.direction, probability: s.probability, abstained: s.abstained, reason: s.reason }
      : null;
  };
  return minds.map((mind) => ({ mind, round1: round(mind, 1), round2: round(mind, 2) }));
}
