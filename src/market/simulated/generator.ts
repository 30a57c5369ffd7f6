import type { Bar } from "../../domain/bars.ts";
import { addDays, isTradingDay } from "../calendar.ts";
import type { MacroPoint } from "../ports.ts";
import { isCrypto } from "../symbols.ts";
import { ASSETS, DAILY_DRIFT, REGIMES, TAIL_DOF, VIX_BETA } from "./params.ts";
import { Random } from "./random.ts";

/** The simulation always starts here, so a seed gives the same path whatever date is asked about. */
export const SIM_EPOCH = "2019-01-02";

export interface SimulatedHistory {
  bars: Record<string, Bar[]>;
  macro: Record<string, MacroPoint[]>;
  /** The volatility regime of each generated day, so its switching can be inspected. */
  regimes: Map<string, string>;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const price = (value: number) => Number(value.toPrecision(7));

/**
 * One common market factor with regime-switching volatility and Student-t shocks drives every
 * asset through its beta; VIX mean-reverts to its regime's level and moves against the factor.
 * Every day draws the same count of random numbers, trading day or not, so the path up to a date
 * never depends on how far past it the caller asked.
 */
export function simulate(seed: number, through: string): SimulatedHistory {
  const rng = new Random(seed);
  const symbols = Object.keys(ASSETS);
  const bars: Record<string, Bar[]> = Object.fromEntries([...symbols, "^VIX"].map((s) => [s, []]));
  const macro: Record<string, MacroPoint[]> = { DGS10: [], DGS2: [], T10Y2Y: [], CPIAUCSL: [], FEDFUNDS: [] };
  const regimes = new Map<string, string>();
  const last: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, ASSETS[s]!.start]));
  let regime = 1;
  let logVix = Math.log(REGIMES[1].vix);
  let dgs10 = 2.7;
  let spread = 0.2;
  let cpi = 252;
  let fedFunds = 2.4;

  for (let day = SIM_EPOCH; day <= through; day = addDays(day, 1)) {
    regime = nextRegime(regime, rng.uniform(), rng.uniform());
    const { vol, vix } = REGIMES[regime]!;
    const trading = isTradingDay(day);
    const shock = rng.studentT(TAIL_DOF);
    const market = trading ? DAILY_DRIFT + vol * shock : 0;
    regimes.set(day, REGIMES[regime]!.name);

    for (const symbol of symbols) {
      const draws = [rng.studentT(TAIL_DOF), rng.normal(), rng.normal(), rng.normal(), rng.normal()] as const;
      if (!trading && !isCrypto(symbol)) continue;
      const bar = nextBar(symbol, day, last[symbol]!, market, vol, draws);
      last[symbol] = bar.close;
      bars[symbol]!.push(bar);
    }

    const vixNoise = rng.normal();
    const rateNoise = [rng.normal(), rng.normal(), rng.normal(), rng.uniform()] as const;
    if (!trading) continue;
    logVix += 0.08 * (Math.log(vix) - logVix) + VIX_BETA * (market - DAILY_DRIFT) + 0.05 * vixNoise;
    logVix = Math.min(Math.max(logVix, Math.log(9)), Math.log(85));
    bars["^VIX"]!.push({ date: day, close: round(Math.exp(logVix), 2) });

    dgs10 += 0.045 * rateNoise[0] + 0.002 * (4 - dgs10);
    spread += 0.02 * rateNoise[1] + 0.003 * (0.3 - spread);
    macro.DGS10!.push({ date: day, value: round(dgs10, 2) });
    macro.DGS2!.push({ date: day, value: round(dgs10 - spread, 2) });
    macro.T10Y2Y!.push({ date: day, value: round(spread, 2) });
    const month = `${day.slice(0, 7)}-01`;
    if (macro.CPIAUCSL!.at(-1)?.date !== month) {
      cpi *= 1 + 0.0025 + 0.0015 * rateNoise[2];
      // The Fed moves a quarter point now and then, more often toward cuts when markets are stressed.
      const move = rateNoise[3] < 0.06 ? 0.25 : rateNoise[3] > (regime === 2 ? 0.8 : 0.94) ? -0.25 : 0;
      fedFunds = Math.max(0.05, fedFunds + move);
      macro.CPIAUCSL!.push({ date: month, value: round(cpi, 3) });
      macro.FEDFUNDS!.push({ date: month, value: round(fedFunds, 2) });
    }
  }
  return { bars, macro, regimes };
}

function nextRegime(current: number, stayDraw: number, directionDraw: number): number {
  if (stayDraw < REGIMES[current]!.stay) return current;
  if (current === 0) return 1;
  if (current === REGIMES.length - 1) return current - 1;
  return directionDraw < 0.6 ? current - 1 : current + 1;
}

function nextBar(
  symbol: string,
  date: string,
  previous: number,
  market: number,
  marketVol: number,
  [idio, gap, up, down, activity]: readonly [number, number, number, number, number],
): Bar {
  const params = ASSETS[symbol]!;
  const dayVol = Math.hypot(params.beta * marketVol, params.idio);
  const ret = params.beta * market + params.idio * idio;
  const close = previous * Math.exp(ret);
  const open = previous * Math.exp(0.25 * dayVol * gap);
  const bar: Bar = {
    date,
    open: price(open),
    high: price(Math.max(open, close) * Math.exp(0.5 * dayVol * Math.abs(up))),
    low: price(Math.min(open, close) * Math.exp(-0.5 * dayVol * Math.abs(down))),
    close: price(close),
  };
  if (params.volume !== undefined)
    bar.volume = Math.round(params.volume * Math.exp(0.3 * activity) * (1 + (1.5 * Math.abs(ret)) / dayVol));
  return bar;
}
