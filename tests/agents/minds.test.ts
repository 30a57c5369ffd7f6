import { describe, expect, it } from "vitest";
import { computeFeatures } from "../../src/agents/features.ts";
import { contrarianMind } from "../../src/agents/minds/contrarian.ts";
import { flowMind } from "../../src/agents/minds/flow.ts";
import { macroMind } from "../../src/agents/minds/macro.ts";
import { classifyRegime } from "../../src/agents/regime.ts";
import type { StanceAnswer } from "../../src/agents/types.ts";
import type { Observation, Snapshot } from "../../src/domain/observation.ts";
import { bars, quoteObs, tapeSnapshot } from "./fixtures.ts";

/** A macro observation carrying its trailing values, as market/snapshot.ts writes it. */
function series(id: string, values: number[], monthly: boolean): Observation {
  const end = Date.UTC(2026, monthly ? 1 : 2, monthly ? 1 : 31);
  const recent = values.map((value, i) => {
    const back = values.length - 1 - i;
    const d = new Date(end);
    if (monthly) d.setUTCMonth(d.getUTCMonth() - back);
    else d.setUTCDate(d.getUTCDate() - back);
    return { date: d.toISOString().slice(0, 10), value };
  });
  return {
    id: `macro:${id}`,
    source: "fixture",
    kind: "macro",
    symbol: id,
    value: values.at(-1) as number,
    payload: { recent },
    asOf: new Date("2026-03-31T00:00:00Z"),
    trust: "primary",
    flags: [],
  };
}

/** A daily series moving linearly from `from` to `to` over 30 observations. */
const path = (from: number, to: number) =>
  Array.from({ length: 30 }, (_, i) => from + ((to - from) * i) / 29);
/** Sixteen monthly CPI prints compounding at `monthly[i]` percent a month. */
function cpi(monthlyPct: (i: number) => number): number[] {
  const out = [100];
  for (let i = 1; i < 16; i++) out.push((out[i - 1] as number) * (1 + monthlyPct(i) / 100));
  return out;
}

/** VIX steady at 20: no fear premium either way, so only rates and inflation move Macro. */
const calmVix = () => tapeSnapshot({ vix: Array.from({ length: 60 }, () => 20) });

function withMacro(observations: Observation[], base: Snapshot = calmVix()): Snapshot {
  const kept = base.observations.filter((o) => o.kind !== "macro");
  return { ...base, observations: [...kept, ...observations] };
}

function stancesOf(mind: typeof macroMind, snapshot: Snapshot, symbols: string[]): Map<string, StanceAnswer> {
  const features = computeFeatures(snapshot);
  const answers = mind({ features, regime: classifyRegime(features), symbols, crowd: [] });
  return new Map(answers.map((a) => [a.symbol, a]));
}

describe("Macro reads inflation and the Fed, and argues either side", () => {
  it("leans lower on hot, rising CPI with the 2y jumping: the Fed is still tightening", () => {
    // Inflation accelerating past 9% y/y; the 2y up 28bp in a month; hikes of 1.5 points in six months.
    const snapshot = withMacro([
      series(
        "CPIAUCSL",
        cpi((i) => (i < 10 ? 0.6 : 0.9)),
        true,
      ),
      series(
        "FEDFUNDS",
        [0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.2, 0.33, 0.77, 1.21, 1.58, 1.58, 1.68],
        true,
      ),
      series("DGS2", path(2.65, 3.05), false),
      series("DGS10", path(2.9, 3.2), false),
      series("T10Y2Y", path(0.25, 0.15), false),
    ]);
    const out = stancesOf(macroMind, snapshot, ["QQQ", "DIA", "^VIX"]);
    const qqq = out.get("QQQ");
    expect(qqq).toMatchObject({ abstained: false, direction: "down" });
    expect(qqq?.reason).toMatch(
      /^CPI ran 9\.\d% y\/y \(\d\.\d% three prints earlier\) and the 2y jumped 28bp in a month to 3\.05%/,
    );
    expect(qqq?.reason).toMatch(
      /the Fed is still tightening, which has kept pressure on long-duration stocks/,
    );
    expect(qqq?.reason).toMatch(/so I lean lower on QQQ\.$/);
    // Rate-sensitive tech is sized harder than the Dow, and VIX is read the other way.
    const dia = out.get("DIA");
    expect(dia).toMatchObject({ abstained: false, direction: "down" });
    if (!qqq?.abstained && !dia?.abstained)
      expect(qqq?.probability).toBeGreaterThan(dia?.probability as number);
    expect(out.get("^VIX")).toMatchObject({ abstained: false, direction: "up" });
  });

  it("leans higher when inflation cools and the market prices easier money", () => {
    const snapshot = withMacro([
      series(
        "CPIAUCSL",
        cpi((i) => (i < 10 ? 0.4 : 0.1)),
        true,
      ),
      series("FEDFUNDS", Array(16).fill(5.33), true),
      series("DGS2", path(4.9, 4.5), false),
      series("DGS10", path(4.6, 4.25), false),
      series("T10Y2Y", path(-0.3, -0.25), false),
    ]);
    const spy = stancesOf(macroMind, snapshot, ["SPY"]).get("SPY");
    expect(spy).toMatchObject({ abstained: false, direction: "up" });
    expect(spy?.reason).toMatch(/the market is pricing easier money/);
    expect(spy?.reason).toMatch(/so I lean higher on SPY\.$/);
  });

  it("with rates and inflation steady, leans up modestly on the drift, and says that is why", () => {
    const snapshot = withMacro([
      series(
        "CPIAUCSL",
        cpi(() => 0.2),
        true,
      ),
      series("DGS2", path(3.8, 3.82), false),
      series("DGS10", path(4.3, 4.31), false),
    ]);
    const spy = stancesOf(macroMind, snapshot, ["SPY"]).get("SPY");
    expect(spy).toMatchObject({ abstained: false, direction: "up" });
    if (!spy?.abstained) expect(spy?.probability).toBeLessThanOrEqual(0.54);
    expect(spy?.reason).toMatch(
      /^CPI ran 2\.\d% y\/y .*nothing here fights the market's long-run upward drift, so I lean higher on SPY\.$/,
    );
  });

  it("abstains when what it reads offsets the drift, naming what it saw", () => {
    const snapshot = withMacro([
      series(
        "CPIAUCSL",
        cpi(() => 0.4),
        true,
      ),
      series("DGS2", path(3.8, 3.82), false),
    ]);
    const dia = stancesOf(macroMind, snapshot, ["DIA"]).get("DIA");
    expect(dia?.abstained).toBe(true);
    expect(dia?.reason).toMatch(
      /^Rates and inflation offset the market's usual drift on DIA: CPI ran 4\.\d% y\/y/,
    );
  });
});

describe("Contrarian reads VIX extremes", () => {
  /** The 5 August 2024 shape: VIX 23.4 to 38.6 in a day, after weeks near 16. */
  function spike(last: number, before: number): Snapshot {
    const base = tapeSnapshot({ drift: -0.2 });
    const vix = [...Array.from({ length: 58 }, () => 16), before, last];
    const history = { ...base.history, "^VIX": bars(vix, "2026-04-01", null) };
    const observations = base.observations.map((o) => (o.symbol === "^VIX" ? quoteObs("^VIX", last) : o));
    return { ...base, history, observations };
  }

  it("takes a stance on a VIX spike: panic that fast gets sold into, so equities higher and VIX lower", () => {
    const out = stancesOf(contrarianMind, spike(38.6, 23.4), ["QQQ", "^VIX"]);
    const qqq = out.get("QQQ");
    expect(qqq).toMatchObject({ abstained: false, direction: "up" });
    expect(qqq?.reason).toMatch(
      /^VIX at 38\.6, \+65% in a day: panic that fast has usually been sold into within days/,
    );
    expect(out.get("^VIX")).toMatchObject({ abstained: false, direction: "down" });
  });

  it("fades complacency: VIX near its floor after a rally", () => {
    const base = tapeSnapshot({ drift: 0.3, vix: Array.from({ length: 60 }, () => 11.8) });
    const spy = stancesOf(contrarianMind, base, ["SPY"]).get("SPY");
    expect(spy).toMatchObject({ abstained: false, direction: "down" });
    expect(spy?.reason).toMatch(/VIX at 11\.8 prices almost no risk after a rally/);
  });

  it("stays out when nothing is stretched", () => {
    const calm = tapeSnapshot({ drift: 0.05, vix: Array.from({ length: 60 }, () => 17) });
    expect(stancesOf(contrarianMind, calm, ["SPY"]).get("SPY")?.abstained).toBe(true);
  });
});

describe("Flow reads breadth and volume", () => {
  it("trusts a move less when the rest of the market is not joining it", () => {
    // QQQ climbs while every other name falls: a narrow advance.
    const base = tapeSnapshot({ drift: -0.3 });
    const qqqBars = bars(
      Array.from({ length: 60 }, (_, i) => 500 * (1 + 0.003 * i) * (i % 2 ? 1.008 : 0.992)),
    );
    const narrow = { ...base, history: { ...base.history, QQQ: qqqBars } };
    const broad = tapeSnapshot({ drift: 0.3 });
    const narrowQqq = stancesOf(flowMind, narrow, ["QQQ"]).get("QQQ");
    const broadQqq = stancesOf(flowMind, broad, ["QQQ"]).get("QQQ");
    expect(narrowQqq?.reason).toMatch(/a narrow advance the rest of the market is not joining/);
    expect(broadQqq?.reason).toMatch(/all 6 names I track are above theirs: a broad advance/);
    expect(broadQqq).toMatchObject({ abstained: false, direction: "up" });
    if (!narrowQqq?.abstained && !broadQqq?.abstained) {
      expect(narrowQqq?.probability).toBeLessThan(broadQqq?.probability as number);
    }
  });

  it("reads heavy volume against the trend as someone leaving", () => {
    const base = tapeSnapshot({ drift: 0.3, lastMove: { SPY: -1.2 } });
    const spyBars = (base.history.SPY ?? []).map((b, i, all) =>
      i === all.length - 1 ? { ...b, volume: 2_500_000 } : b,
    );
    const snapshot = { ...base, history: { ...base.history, SPY: spyBars } };
    const spy = stancesOf(flowMind, snapshot, ["SPY"]).get("SPY");
    expect(spy?.reason).toMatch(/today's -1\.20% came on 2\.5x its usual volume, against the trend/);
  });
});
