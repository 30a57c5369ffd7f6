/** How each simulated asset loads on the common market factor. Levels are plausible, not real. */
export interface AssetParams {
  beta: number;
  /** Daily idiosyncratic volatility. */
  idio: number;
  start: number;
  /** Typical daily volume; undefined for an index, which has none. */
  volume?: number;
}

export const ASSETS: Record<string, AssetParams> = {
  SPY: { beta: 1.0, idio: 0.002, start: 270, volume: 70_000_000 },
  QQQ: { beta: 1.2, idio: 0.004, start: 160, volume: 45_000_000 },
  IWM: { beta: 1.15, idio: 0.007, start: 135, volume: 30_000_000 },
  DIA: { beta: 0.9, idio: 0.003, start: 240, volume: 4_000_000 },
  AAPL: { beta: 1.1, idio: 0.011, start: 40, volume: 60_000_000 },
  MSFT: { beta: 1.05, idio: 0.01, start: 100, volume: 25_000_000 },
  NVDA: { beta: 1.7, idio: 0.022, start: 35, volume: 300_000_000 },
  AMZN: { beta: 1.2, idio: 0.014, start: 80, volume: 50_000_000 },
  GOOGL: { beta: 1.1, idio: 0.013, start: 55, volume: 30_000_000 },
  META: { beta: 1.3, idio: 0.018, start: 135, volume: 18_000_000 },
  TSLA: { beta: 1.6, idio: 0.03, start: 20, volume: 100_000_000 },
  "BTC-USD": { beta: 0.6, idio: 0.03, start: 3800, volume: 30_000_000_000 },
  "ETH-USD": { beta: 0.8, idio: 0.04, start: 150, volume: 15_000_000_000 },
};

export const COMPANY_NAMES: Record<string, string> = {
  AAPL: "Apple Inc.",
  MSFT: "Microsoft Corp",
  NVDA: "NVIDIA Corp",
  AMZN: "Amazon.com Inc",
  GOOGL: "Alphabet Inc.",
  META: "Meta Platforms Inc",
  TSLA: "Tesla Inc",
};

/** Volatility regimes of the market factor, with the VIX level each pulls toward. */
export const REGIMES = [
  { name: "calm", vol: 0.006, vix: 13, stay: 0.985 },
  { name: "normal", vol: 0.01, vix: 18, stay: 0.975 },
  { name: "stressed", vol: 0.024, vix: 32, stay: 0.93 },
] as const;

/** Degrees of freedom of the shocks: 4 gives kurtosis well above the normal's 3. */
export const TAIL_DOF = 4;
export const DAILY_DRIFT = 0.0003;
/** VIX log change per unit of market return: about -4% for a 1% up day, as the real index behaves. */
export const VIX_BETA = -4;
