import { describe, expect, it } from "vitest";
import { recordRowsFrom } from "../../src/agents/cycle/memory.ts";
import { runOffline } from "../../src/agents/offline.ts";
import { fitQuestionModel } from "../../src/agents/questions/fit.ts";
import { deriveRules, everyMindBenched, shortfallPValue } from "../../src/agents/rules.ts";
import type { LearnedRule, MindName } from "../../src/agents/types.ts";
import type { DeskMemory } from "../../src/store/desk-memory.ts";
import { deskInput, recordRows } from "./fixtures.ts";

const bench = (mind: MindName): LearnedRule => ({ scope: "mind", mind, reason: `bench ${mind}` });

describe("rule significance", () => {
  it("computes the one-sided binomial tail", () => {
    // P(X <= 9 | n = 20, p = 0.5) = 0.4119; P(X <= 9 | 30, 0.5) = 0.0214.
    expect(shortfallPValue(Array(20).fill(0.5), 9)).toBeCloseTo(0.4119, 4);
    expect(shortfallPValue(Array(30).fill(0.5), 9)).toBeCloseTo(0.0214, 4);
  });

  it("adopts nothing on 9 of 20 right: a 55% process does that a quarter of the time", () => {
    const noise = recordRows(20, 9, 0.6, { mind: "macro", symbol: "BTC-USD", horizonHours: 24 });
    expect(deriveRules(noise, []).adopt).toEqual([]);
    // Nor on 13 of 30: short of 50%, but not beyond chance.
    expect(deriveRules(recordRows(30, 13, 0.6), []).adopt).toEqual([]);
  });

  it("adopts on a real shortfall over at least 30 calls, against the calls' own base rate, and the desk obeys", () => {
    const losing = recordRows(36, 11, 0.6, { mind: "macro", symbol: "BTC-USD", horizonHours: 24 });
    const { adopt } = deriveRules(losing, []);
    expect(adopt.map((c) => c.rule.scope).sort()).toEqual(["mind", "symbol_horizon"]);
    const rule = adopt.find((c) => c.rule.scope === "symbol_horizon");
    expect(rule?.evidence).toMatchObject({ n: 36, hits: 11, baseRate: 0.5 });
    expect(rule?.evidence.pValue).toBeLessThan(0.05);
    expect(rule?.rule.reason).toMatch(
      /^stop calling BTC-USD at 24h: 11 of 36 right, .*50% base rate \(p = 0\.01\d\)/,
    );
    const out = runOffline(deskInput({ rules: rule ? [rule.rule] : [], symbols: ["BTC-USD"] }));
    expect(out.suppressed).toEqual([{ symbol: "BTC-USD", reason: `learned rule: ${rule?.rule.reason}` }]);
    // Calls whose base rate is 35% are not short at 11 of 36: the test is against what they'd earn by default.
    const lowBase = losing.map((r) => ({ ...r, baseRate: 0.35 }));
    expect(deriveRules(lowBase, []).adopt).toEqual([]);
  });

  it("does not duplicate an active rule, and lifts it once the recent record is no longer short", () => {
    const losing = recordRows(36, 11, 0.6, { mind: "macro", symbol: "BTC-USD", horizonHours: 24 });
    const active = deriveRules(losing, []).adopt.map((c) => c.rule);
    expect(deriveRules(losing, active).adopt).toEqual([]);
    expect(deriveRules(losing, active).lift).toEqual([]);
    const later = recordRows(60, 33, 0.6, {
      mind: "macro",
      symbol: "BTC-USD",
      horizonHours: 24,
      resolvedAt: new Date("2026-06-01T00:00:00Z"),
    });
    const { lift } = deriveRules([...losing, ...later], active);
    expect(lift.map((c) => c.rule.scope).sort()).toEqual(["mind", "symbol_horizon"]);
    expect(lift[0]?.evidence).toMatchObject({ n: 60, hits: 33 });
  });
});

describe("never every mind benched", () => {
  const poor = (mind: MindName) => recordRows(40, 10, 0.6, { mind, symbol: `X${mind}` });

  it("withholds the rule that would bench the last counted mind, and says why", () => {
    const record = [...poor("macro"), ...poor("flow"), ...poor("contrarian")];
    const { adopt, withheld } = deriveRules(record, []);
    const benched = adopt.filter((c) => c.rule.scope === "mind").map((c) => c.rule.mind);
    expect(benched).toHaveLength(2);
    expect(withheld).toHaveLength(1);
    expect(withheld[0]?.rule.reason).toMatch(/withheld: it would bench every mind/);
    expect(benched).not.toContain(withheld[0]?.rule.mind);
    // With two already benched, the third is withheld too.
    const again = deriveRules(record, [bench("macro"), bench("flow")]);
    expect(again.adopt.filter((c) => c.rule.scope === "mind")).toEqual([]);
    expect(again.withheld.map((c) => c.rule.mind)).toEqual(["contrarian"]);
  });

  it("makes the desk abstain on every symbol, saying why, if the rules in force bench every mind anyway", () => {
    const rules = [bench("macro"), bench("flow"), bench("contrarian")];
    expect(everyMindBenched([{ mind: "macro", reason: "r" }])).toBeNull();
    const out = runOffline(deskInput({ rules }));
    expect(out.calls).toEqual([]);
    expect(out.suppressed.length).toBeGreaterThan(0);
    for (const s of out.suppressed)
      expect(s.reason).toMatch(
        /^every mind is benched by its record \(bench macro; bench flow; bench contrarian\), so I abstain/,
      );
  });
});

describe("a stored record judged against its questions' base rates", () => {
  const model = fitQuestionModel([], { split: "2023-01-01", fittedFrom: "2014-01-01" });
  model.baseRates["range|SPY"] = { share: 0.74, n: 2000 };
  model.baseRates.range = { share: 0.7, n: 9000 };
  model.baseRates["vix|^VIX"] = { share: 0.46, n: 900 };
  const stored = (over: Partial<DeskMemory["record"][number]>, i: number): DeskMemory["record"][number] => ({
    mind: "flow",
    regime: "risk_on",
    kind: "range",
    symbol: "SPY",
    direction: "inside",
    comparator: null,
    horizonHours: 48,
    probability: 0.74,
    outcome: 1,
    resolvedAt: new Date(Date.UTC(2026, 0, 1 + i)),
    madeAt: new Date(Date.UTC(2025, 11, 30 + i)),
    deadline: new Date(Date.UTC(2026, 0, 1 + i)),
    ...over,
  });

  it("gives each side its own base rate, and none to a question the model never asks", () => {
    const rows = recordRowsFrom(
      [
        stored({}, 0),
        stored({ direction: "outside" }, 1),
        stored({ kind: "threshold", symbol: "^VIX", direction: null, comparator: "below" }, 2),
        stored({ kind: "touch", symbol: "SPY", direction: null, comparator: "above" }, 3),
      ],
      model,
    );
    expect(rows.map((r) => r.baseRate)).toEqual([
      0.74,
      expect.closeTo(0.26, 9),
      expect.closeTo(0.54, 9),
      undefined,
    ]);
  });

  it("benches a mind whose range calls went 18 of 32 against a 74% base rate, which a coin flip would have passed", () => {
    const record = recordRowsFrom(
      Array.from({ length: 32 }, (_, i) => stored({ outcome: i < 18 ? 1 : 0 }, i)),
      model,
    );
    const adopted = deriveRules(record, []).adopt.find((c) => c.rule.scope === "mind");
    expect(adopted?.rule.mind).toBe("flow");
    expect(adopted?.evidence.baseRate).toBeCloseTo(0.74, 9);
    const againstCoin = record.map(({ baseRate: _, ...row }) => row);
    expect(deriveRules(againstCoin, []).adopt).toEqual([]);
  });
});
