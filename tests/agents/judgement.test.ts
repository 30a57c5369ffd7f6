import { describe, expect, it } from "vitest";
import { debateLine, rebuttalRound, summarizeDebate } from "../../src/agents/debate.ts";
import { computeFeatures } from "../../src/agents/features.ts";
import { classifyRegime } from "../../src/agents/regime.ts";
import type { MindStance } from "../../src/agents/types.ts";
import { tapeSnapshot } from "./fixtures.ts";

const even = { macro: 1, flow: 1, contrarian: 1 };

describe("regime", () => {
  it("is crisis when VIX is at or above 30, with the deciding number", () => {
    const reading = classifyRegime(computeFeatures(tapeSnapshot({ vix: [...Array(55).fill(22), 31.2] })));
    expect(reading.label).toBe("crisis");
    expect(reading.reasons).toEqual(["VIX 31.2 is at or above 30"]);
  });

  it("is risk_on with calm VIX, a rising index and broad participation", () => {
    const reading = classifyRegime(computeFeatures(tapeSnapshot({ drift: 0.4, vix: Array(60).fill(14) })));
    expect(reading.label).toBe("risk_on");
    expect(reading.inputs).toMatchObject({
      vix: 14,
      indexSymbol: "SPY",
      indexAboveSma50: true,
      breadthAboveSma50: 1,
    });
  });

  it("is choppy when nothing is frightening and nothing is trending, and says so", () => {
    const reading = classifyRegime(computeFeatures(tapeSnapshot({ drift: 0.1, vix: Array(60).fill(19) })));
    expect(reading.label).toBe("choppy");
    expect(reading.reasons).toContain("VIX 19.0 is no longer calm (18 or more)");
  });

  it("keeps a missing VIX as null rather than inventing a level", () => {
    const snapshot = tapeSnapshot({ drift: 0.4 });
    delete snapshot.history["^VIX"];
    snapshot.observations = snapshot.observations.filter((o) => o.symbol !== "^VIX");
    const reading = classifyRegime(computeFeatures(snapshot));
    expect(reading.inputs.vix).toBeNull();
    expect(reading.label).toBe("risk_on");
    expect(reading.reasons[0]).toMatch(/no VIX reading/);
  });
});

const taken = (mind: MindStance["mind"], direction: "up" | "down", probability: number): MindStance => ({
  abstained: false,
  mind,
  round: 1,
  symbol: "SPY",
  direction,
  probability,
  reason: `${mind} view.`,
  observationIds: [],
});

describe("debate", () => {
  it("makes an outweighed lone dissenter concede half its edge, and the agreeing pair firm slightly", () => {
    const round2 = rebuttalRound([
      taken("macro", "down", 0.64),
      taken("flow", "down", 0.66),
      taken("contrarian", "up", 0.6),
    ]);
    expect(round2.map((s) => s.round)).toEqual([2, 2, 2]);
    // Contrarian holds against a unanimous pair: that pair is what it exists to fade.
    expect(round2[2]).toMatchObject({ abstained: false, probability: 0.6 });
    const lone = rebuttalRound([taken("macro", "up", 0.58), taken("flow", "down", 0.66)]);
    expect(lone[0]).toMatchObject({ abstained: false, probability: 0.54 });
    expect(lone[0]?.reason).toMatch(/Cut from 58% after Flow \(66% down\)/);
    expect(lone[1]).toMatchObject({ probability: 0.66 });
  });

  it("has a weak dissenter stand down rather than keep a token lean", () => {
    const [macro] = rebuttalRound([taken("macro", "up", 0.54), taken("flow", "down", 0.7)]);
    expect(macro).toMatchObject({ abstained: true, round: 2 });
    expect(macro?.reason).toMatch(/^Stood down after rebuttal/);
  });

  it("writes the debate line with each mind's probability for the desk's direction", () => {
    const stances = [
      taken("macro", "down", 0.65),
      taken("flow", "down", 0.58),
      taken("contrarian", "up", 0.6),
    ];
    const summary = summarizeDebate(stances, "SPY", even);
    expect(summary.label).toBe("split");
    expect(debateLine(summary)).toBe("Debate: split | Conviction 9% | Macro 65% | Flow 58% | Contrarian 40%");
    const abstaining = summarizeDebate([taken("flow", "up", 0.6)], "SPY", even);
    expect(debateLine(abstaining)).toBe(
      "Debate: lean_bullish | Conviction 7% | Macro — | Flow 60% | Contrarian —",
    );
  });
});
