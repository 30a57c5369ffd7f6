import { describe, expect, it } from "vitest";
import { isReflectionCycle, postMortem, reflection } from "../../src/agents/lessons.ts";
import type { MindStance } from "../../src/agents/types.ts";
import { recordRows } from "./fixtures.ts";

const spec = {
  kind: "direction" as const,
  symbol: "QQQ",
  direction: "down" as const,
  probability: 0.62,
  madeAt: "2026-04-01T21:00:00.000Z",
  horizonHours: 48,
  flatBandPct: 0.3,
};
const stance = (mind: MindStance["mind"], direction: "up" | "down", probability: number): MindStance => ({
  abstained: false,
  mind,
  round: 2,
  symbol: "QQQ",
  direction,
  probability,
  reason: "r.",
  observationIds: [],
});

describe("post-mortem", () => {
  it("says what the inputs said, what happened, and names the overruled dissent as the counterfactual", () => {
    const lesson = postMortem({
      spec,
      mind: "flow",
      regime: "risk_off",
      thesis: "QQQ lower as VIX climbs.",
      stances: [stance("flow", "down", 0.66), stance("contrarian", "up", 0.6)],
      evidence: "QQQ 577.18 → 590.02, +2.22%",
      movePct: 2.22,
    });
    expect(lesson.title).toBe("Wrong: QQQ lower in 48h (62%)");
    expect(lesson.body).toContain("Flow down at 66%; Contrarian up at 60%");
    expect(lesson.body).toContain("What happened: QQQ 577.18 → 590.02, +2.22%.");
    expect(lesson.body).toContain("Brier 0.384");
    expect(lesson.counterfactual).toBe(
      "COUNTERFACTUAL: had I sided with Contrarian, this call would have been right.",
    );
  });

  it("without a dissent, prices the cost of the size instead", () => {
    const lesson = postMortem({
      spec,
      mind: "flow",
      regime: "risk_off",
      thesis: "t",
      stances: [stance("flow", "down", 0.66)],
      evidence: "e",
      movePct: 1,
    });
    expect(lesson.body).toMatch(/wrong together/);
    expect(lesson.counterfactual).toBe(
      "COUNTERFACTUAL: sized at 52% instead of 62%, the miss would have cost Brier 0.270 instead of 0.384.",
    );
  });
});

describe("reflection", () => {
  it("comes every tenth cycle and reviews minds, regimes, calibration and rules", () => {
    expect([9, 10, 11, 20].map((n) => isReflectionCycle(n))).toEqual([false, true, false, true]);
    const { title, body } = reflection({
      cycleNumber: 20,
      record: [...recordRows(6, 4, 0.6), ...recordRows(4, 1, 0.7, { mind: "contrarian", regime: "choppy" })],
      rules: [{ scope: "mind", mind: "contrarian", reason: "bench Contrarian: 1 of 4 right" }],
      lessons: ["Called QQQ lower into a squeeze."],
    });
    expect(title).toBe("Reflection at cycle 20");
    expect(body).toContain("Overall 5 of 10 right");
    expect(body).toContain("Flow 4 of 6 right");
    expect(body).toContain("choppy 1 of 4 right");
    expect(body).toMatch(
      /Calibration: 60%–70% said 60%, came in 67% \(6\); 70%–80% said 70%, came in 25% \(4\)/,
    );
    expect(body).toContain("Rules in force: bench Contrarian: 1 of 4 right.");
  });
});
