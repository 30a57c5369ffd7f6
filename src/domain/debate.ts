/**
 * Volatility-index aliases across sources (Yahoo ^VIX, the replay file VIX, FRED VIXCLS): the minds
 * argue no direction on them, and calls on them are about levels.
 */
export const VOLATILITY_SYMBOLS: readonly string[] = ["^VIX", "VIX", "VIXCLS"];

/** The market relative calls are measured against, and the one VIX measures. */
export const BENCHMARK = "SPY";

export function isVolatilitySymbol(symbol: string): boolean {
  return VOLATILITY_SYMBOLS.includes(symbol);
}

/**
 * The symbol whose debate a call rests on: its own, or for a volatility index, which no mind
 * argues, the market it measures. The essay, the debate line and the trail all quote this one.
 */
export function debatedSymbol(symbol: string): string {
  return isVolatilitySymbol(symbol) ? BENCHMARK : symbol;
}
