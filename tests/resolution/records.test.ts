import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/domain/call-record.ts";
import { deskRecordOf, summarizeCalls } from "../../src/resolution/records.ts";

const base: CallRecord = {
  id: 0,
  serverId: "s",
  cycleId: null,
  dispatchId: null,
  parentCallId: null,
  authorType: "desk",
  mind: "macro",
  memberId: null,
  source: "dispatch",
  stance: null,
  kind: "direction",
  symbol: "SPY",
  versus: null,
  direction: "up",
  comparator: null,
  level: null,
  horizonHours: 48,
  flatBandPct: 0,
  probability: 0.6,
  note: null,
  regime: "calm",
  madeAt: new Date(0),
  lockAt: new Date(0),
  deadline: new Date(0),
  season: "2026-11",
  entryPrice: 100,
  entryAt: null,
  versusEntry: null,
  status: "right",
  resolvedAt: new Date(0),
  exitPrice: 101,
  exitAt: null,
  movePct: 1,
  evidence: null,
  voidReason: null,
  outcome: 1,
  brier: 0.16,
  baselineScore: 0.2,
  peerScore: null,
  attempts: 0,
  nextAttemptAt: null,
  chainSeq: 0,
  hash: "",
  prevHash: "",
  interactionId: null,
};

/** A deterministic spread over minds, symbols and outcomes, with voids and a by-deadline call now and then. */
function calls(n: number): CallRecord[] {
  const minds = ["macro", "flow", "contrarian", null];
  const symbols = ["SPY", "QQQ", "BTC"];
  return Array.from({ length: n }, (_, i) => {
    const outcome = (i * 7) % 3 === 0 ? 0 : 1;
    const isVoid = i % 11 === 0;
    return {
      ...base,
      id: i + 1,
      mind: minds[i % minds.length] ?? null,
      symbol: symbols[i % symbols.length] as string,
      direction: i % 2 ? "up" : "down",
      horizonHours: i % 13 === 0 ? null : 48,
      probability: 0.5 + (i % 5) / 10,
      status: isVoid ? "void" : outcome ? "right" : "wrong",
      outcome: isVoid ? null : outcome,
      baselineScore: isVoid ? null : outcome ? 0.1 : -0.2,
    };
  });
}

describe("the desk's record", () => {
  it("cuts each group exactly as summarizing that group alone would", () => {
    const rows = calls(2_000);
    const record = deskRecordOf(rows);
    expect(record.overall).toEqual(summarizeCalls(rows));
    expect(Object.keys(record.byMind).sort()).toEqual(["contrarian", "desk", "flow", "macro"]);
    expect(record.byMind.flow).toEqual(summarizeCalls(rows.filter((r) => r.mind === "flow")));
    expect(record.bySymbol.BTC).toEqual(summarizeCalls(rows.filter((r) => r.symbol === "BTC")));
    expect(record.byHorizon["by deadline"]).toEqual(
      summarizeCalls(rows.filter((r) => r.horizonHours === null)),
    );
    expect(record.byRegime.calm?.resolved).toBe(record.overall.resolved);
  });

  // 60k calls in one group: copying the group per row (the old way) took minutes on this.
  it("aggregates a large record in one group with every call counted once", () => {
    const rows = calls(60_000).map((r) => ({ ...r, mind: "macro", symbol: "SPY" }));
    const record = deskRecordOf(rows);
    const voids = rows.filter((r) => r.status === "void").length;
    expect(record.byMind.macro?.resolved).toBe(rows.length - voids);
    expect(record.byMind.macro?.voids).toBe(voids);
    expect(record.bySymbol.SPY).toEqual(record.overall);
    expect(record.overall.right).toBe(rows.filter((r) => r.outcome === 1).length);
  });
});
