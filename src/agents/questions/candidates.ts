import { type CallSpec, callSpecSchema } from "../../domain/call.ts";
import { BENCHMARK, isVolatilitySymbol } from "../../domain/debate.ts";
import type { DebateSummary } from "../debate.ts";
import type { MarketFeatures, SymbolFeatures } from "../features.ts";
import { clamp, round2 } from "../minds/common.ts";
import type { Regime } from "../types.ts";
import type { QuestionKey } from "./model.ts";
import { rangeBandPct, stretchFromMean, volModel, volSignal } from "./volatility.ts";

/** Relative calls are against the broad market: a name's own drift cancels against SPY's. */

/** A weighted debate net this large (three minds at about 65% one way) is a full unit of signal. */
const FULL_NET = 0.15;

/**
 * Questions that are one market bet share a cluster: SPY, QQQ and the mega-caps move together, and
 * VIX rising is the same bet as SPY leaving its range. The desk makes at most one call per cluster.
 */
export type Cluster = "equity-market" | "equity-relative" | "equity-vol" | "crypto-market" | "crypto-vol";

export interface Candidate {
  key: QuestionKey;
  cluster: Cluster;
  /** In [-1, 1]: positive leans to the question's positive side. */
  signal: number;
  /** The positive side of the question, stated at 50%: the desk's call is this or its fade. */
  spec: CallSpec;
  entryPrice: number;
  versusEntryPrice?: number;
}

export interface CandidateInput {
  features: MarketFeatures;
  regime: Regime;
  symbols: readonly string[];
  summaries: readonly DebateSummary[];
  /** Closes each symbol had made by the cycle's moment, oldest first. */
  closes: (symbol: string) => readonly number[];
  /** The desk's horizon for a symbol at this moment (weekends stretch it). */
  horizonHours: (symbol: string) => number;
  /** The flat band for a direction question at this volatility and horizon. */
  flatBand: (volPct: number | null, horizonHours: number) => number;
}

/** Every question the desk could ask this cycle, each priced later from its base rate and signal. */
export function candidateQuestions(input: CandidateInput): Candidate[] {
  const { features } = input;
  const net = new Map(input.summaries.map((s) => [s.symbol, clamp(s.net / FULL_NET, -1, 1)]));
  const benchmark = features.symbols.get(BENCHMARK);
  const out: Candidate[] = [];
  // VIX is read on every cycle; its level is a question for any desk that calls US equities.
  const vix = features.vix?.symbol;
  const equities = input.symbols.some((s) => features.symbols.get(s)?.assetClass === "us_equity");
  const asked = vix && equities && !input.symbols.includes(vix) ? [...input.symbols, vix] : input.symbols;
  for (const symbol of asked) {
    const f = features.symbols.get(symbol);
    if (!f || f.last === null) continue;
    const horizonHours = input.horizonHours(symbol);
    const madeAt = features.at.toISOString();
    const key = (kind: QuestionKey["kind"]): QuestionKey => ({
      kind,
      symbol,
      regime: input.regime,
      horizonHours,
    });
    const common = { symbol, probability: 0.5, madeAt, horizonHours };
    if (isVolatilitySymbol(symbol)) {
      const vix = vixQuestion(f, input.closes(symbol), common);
      if (vix) out.push({ key: key("vix"), cluster: "equity-vol", ...vix, entryPrice: f.last });
      continue;
    }
    const crypto = f.assetClass === "crypto";
    out.push({
      key: key("direction"),
      cluster: crypto ? "crypto-market" : "equity-market",
      signal: net.get(symbol) ?? 0,
      spec: callSpecSchema.parse({
        kind: "direction",
        direction: "up",
        flatBandPct: input.flatBand(f.volPct, horizonHours),
        ...common,
      }),
      entryPrice: f.last,
    });
    const vol = volModel(input.closes(symbol));
    if (vol !== null) {
      const level = rangeBandPct(vol, symbol, horizonHours);
      out.push({
        key: key("range"),
        cluster: crypto ? "crypto-vol" : "equity-vol",
        signal: volSignal(vol),
        spec: callSpecSchema.parse({ kind: "range", direction: "inside", level, ...common }),
        entryPrice: f.last,
      });
    }
    if (!crypto && symbol !== BENCHMARK && benchmark?.last != null) {
      out.push({
        key: key("relative"),
        cluster: "equity-relative",
        signal: clamp((net.get(symbol) ?? 0) - (net.get(BENCHMARK) ?? 0), -1, 1),
        spec: callSpecSchema.parse({
          kind: "relative",
          versus: BENCHMARK,
          direction: "outperform",
          // Half a direction call's band: a spread cancels the market's move, so it is the smaller number.
          flatBandPct: round2(input.flatBand(f.volPct, horizonHours) / 2),
          ...common,
        }),
        entryPrice: f.last,
        versusEntryPrice: benchmark.last,
      });
    }
  }
  return out;
}

/**
 * "VIX closes above today's level": VIX reverts to its mean, so how far it stands from its
 * 20-session average is the signal (stretched above leans to "below").
 */
function vixQuestion(
  f: SymbolFeatures,
  closes: readonly number[],
  common: { symbol: string; probability: number; madeAt: string; horizonHours: number },
): { spec: CallSpec; signal: number } | null {
  const stretch = stretchFromMean(closes);
  if (f.last === null || stretch === null) return null;
  return {
    signal: clamp(-stretch * 4, -1, 1),
    spec: callSpecSchema.parse({
      kind: "threshold",
      comparator: "above",
      level: round2(f.last),
      flatBandPct: round2(clamp(0.1 * (f.volPct ?? 5), 0.1, 2)),
      ...common,
    }),
  };
}
