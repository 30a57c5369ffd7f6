import { deadlineOf, decidedByText, describeCall } from "../../domain/call.ts";
import { calibrate } from "../calibration.ts";
import { type DebateSummary, mindLabel } from "../debate.ts";
import type { MarketFeatures } from "../features.ts";
import { BLOCKING_FLAGS } from "../minds/index.ts";
import { statsOf } from "../record.ts";
import type { SynthesisResult } from "../synthesis.ts";
import { type DeskCall, type DeskInput, MIND_NAMES, type MindStance, type RegimeReading } from "../types.ts";
import { displaySymbol, fill, listJoin, percent, pick, price, quote, signedPct, utc } from "./format.ts";
import {
  CALL_LEADS,
  DOUBT_LEADS,
  NO_CALL_LINES,
  RECORD_LINES,
  REGIME_LEADS,
  THIN_RECORD_LINES,
} from "./phrases.ts";

export interface EssayContext {
  input: DeskInput;
  features: MarketFeatures;
  regime: RegimeReading;
  round1: readonly MindStance[];
  round2: readonly MindStance[];
  synthesis: SynthesisResult;
  headline: DebateSummary;
  seed: string;
}

const BENCHMARKS = ["SPY", "QQQ", "IWM", "^VIX"];

/** The quoted numbers: the called symbols, the benchmarks, then rates. Only what the snapshot has. */
export function tape(ctx: EssayContext): string {
  const called = ctx.synthesis.calls.map((c) => c.spec.symbol);
  const symbols = [...new Set([ctx.headline.symbol, ...called, ...BENCHMARKS])].slice(0, 6);
  const quotes = symbols
    .map((s) => ctx.features.symbols.get(s))
    .flatMap((f) => (f && f.last !== null ? [quote(f)] : []));
  const { DGS10, T10Y2Y, FEDFUNDS } = ctx.features.macro;
  const rates = [
    DGS10 ? `10Y ${DGS10.value.toFixed(2)}%` : null,
    T10Y2Y ? `2s10s ${T10Y2Y.value > 0 ? "+" : ""}${T10Y2Y.value.toFixed(2)}` : null,
    FEDFUNDS ? `Fed funds ${FEDFUNDS.value.toFixed(2)}%` : null,
  ].filter((r): r is string => r !== null);
  return [...quotes, ...rates].join(", ");
}

export function regimeParagraph(ctx: EssayContext): string {
  const { inputs, reasons, label } = ctx.regime;
  const breadth =
    inputs.breadthAboveSma50 !== null
      ? ` Of the ${inputs.breadthUniverse} stocks and funds I track, ${percent(inputs.breadthAboveSma50)} sit above their 50-day average${inputs.breadthUpToday === null ? "" : ` and ${percent(inputs.breadthUpToday)} closed up on the day`}.`
      : "";
  const trend =
    inputs.indexSymbol && inputs.indexChange20dPct !== null
      ? ` ${displaySymbol(inputs.indexSymbol)} is ${signedPct(inputs.indexChange20dPct, 1)} over twenty sessions.`
      : "";
  return (
    fill(pick(REGIME_LEADS, `${ctx.seed}:regime`), { regime: words(label), reasons: listJoin(reasons) }) +
    breadth +
    trend
  );
}

function stanceWord(s: MindStance): string {
  return s.abstained ? "abstains" : s.direction === "up" ? "higher" : "lower";
}

function clause(reason: string): string {
  return reason.replace(/\.$/, "");
}

/** Narrates the argument on the headline symbol: openings, what changed in the rebuttal, who sat out. */
export function mindsParagraph(ctx: EssayContext): string {
  const symbol = ctx.headline.symbol;
  const sentences = MIND_NAMES.map((mind) => {
    const first = ctx.round1.find((s) => s.mind === mind && s.symbol === symbol);
    const second = ctx.round2.find((s) => s.mind === mind && s.symbol === symbol);
    const name = mindLabel(mind);
    if (!first || !second) return `${name} said nothing on ${displaySymbol(symbol)}.`;
    if (first.abstained) return `${name} abstains. ${clause(first.reason)}.`;
    if (second.abstained)
      return `${name} opened ${stanceWord(first)} at ${percent(first.probability)}, then ${clause(second.reason).replace(/^Stood/, "stood")}.`;
    const opening = `${name} says ${stanceWord(first)} at ${percent(first.probability)}: ${clause(first.reason)}`;
    if (second.probability === first.probability) return `${opening}.`;
    const moved = second.probability > first.probability ? "firmed" : "backed off";
    return `${opening}. After the rebuttal it ${moved} to ${percent(second.probability)}.`;
  });
  const benched = ctx.synthesis.benched.map(
    (b) => `I am not counting ${mindLabel(b.mind)} this cycle: ${clause(b.reason)}.`,
  );
  const elsewhere = ctx.synthesis.summaries
    .filter((s) => s.symbol !== symbol)
    .map((s) => {
      const declined = ctx.synthesis.suppressed.find((x) => x.symbol === s.symbol);
      return `${displaySymbol(s.symbol)} ${declined ? `(no call: ${declined.reason})` : words(s.label).replace("-", " ")}`;
    });
  const rest = elsewhere.length ? [`Elsewhere: ${elsewhere.join("; ")}.`] : [];
  return [`On ${displaySymbol(symbol)}:`, ...sentences, ...benched, ...rest].join(" ");
}

export function recordParagraph(ctx: EssayContext): string {
  const { record, lessons, rules } = ctx.input;
  const top = ctx.synthesis.calls[0];
  const basis =
    (top && ctx.synthesis.calibration.get(top.spec.symbol)?.basis) ?? calibrate(0.6, record).basis;
  const inRegime = statsOf(record.filter((r) => r.regime === ctx.regime.label));
  const parts: string[] = [
    inRegime.n === 0
      ? fill(pick(THIN_RECORD_LINES, `${ctx.seed}:record`), { basis })
      : fill(pick(RECORD_LINES, `${ctx.seed}:record`), {
          regime: words(ctx.regime.label),
          hits: String(inRegime.hits),
          n: String(inRegime.n),
          brier: (inRegime.brier as number).toFixed(3),
          basis,
        }),
  ];
  const overall = statsOf(record);
  if (overall.n > inRegime.n && overall.brier !== null) {
    parts.push(`Across all regimes: ${overall.hits} of ${overall.n}, Brier ${overall.brier.toFixed(3)}.`);
  }
  const symbolRules = rules.filter((r) => r.scope === "symbol_horizon").map((r) => clause(r.reason));
  if (symbolRules.length) parts.push(`Rules I set myself and am obeying: ${listJoin(symbolRules)}.`);
  const lesson = lessons[0];
  if (lesson) parts.push(`A lesson from my own misses still applies: "${shorten(lesson, 180)}"`);
  return parts.join(" ");
}

export function doubtsParagraph(ctx: EssayContext): string {
  const doubts: string[] = [];
  const flagged = [...ctx.features.symbols.values()].filter((f) =>
    f.flags.some((flag) => BLOCKING_FLAGS.includes(flag)),
  );
  if (flagged.length) {
    doubts.push(
      `the data is not clean (${flagged.map((f) => `${displaySymbol(f.symbol)}: ${f.flags.join(", ")}`).join("; ")}), and Flow will not read a tape it can't trust`,
    );
  }
  if (ctx.features.snapshotFlags.some((f) => f === "market_closed" || f === "holiday")) {
    doubts.push("the market is closed, so these are the last closes, not live prices");
  }
  if (ctx.regime.inputs.vix === null)
    doubts.push("I have no VIX reading this cycle, so the regime rests on trend and breadth alone");
  const h = ctx.headline;
  const dissent = MIND_NAMES.filter((m) => (h.perMind[m] ?? 1) < 0.5);
  if (dissent.length) {
    doubts.push(
      `${listJoin(dissent.map(mindLabel))} argues the other side at ${listJoin(dissent.map((m) => percent(1 - (h.perMind[m] as number))))}`,
    );
  }
  const takers = MIND_NAMES.filter((m) => h.perMind[m] !== null);
  if (takers.length === 1)
    doubts.push(`only ${mindLabel(takers[0] as (typeof MIND_NAMES)[number])} took a side at all`);
  if (ctx.regime.label === "choppy")
    doubts.push("choppy tapes punish conviction, and two sessions is not long");
  if (doubts.length === 0)
    doubts.push(
      "agreement among my minds is not evidence that the market agrees, and two sessions leave room for noise",
    );
  return `${pick(DOUBT_LEADS, `${ctx.seed}:doubt`)} ${listJoin(doubts.slice(0, 3))}.`;
}

export function callLine(call: DeskCall, index: number): string {
  const spec = call.spec;
  const rising =
    "comparator" in spec
      ? spec.comparator === "above"
      : spec.direction === "up" || spec.direction === "outperform";
  const arrow = rising ? "↑" : "↓";
  const band = call.flatBandPct > 0 ? ` · flat band ±${call.flatBandPct}%` : "";
  return `CALL ${index + 1}  ${arrow} ${describeCall(call.spec)} · ${percent(call.spec.probability)} · entry ${price(call.entryPrice)}${band} · lead ${mindLabel(call.mind)} · locks ${utc(call.lockAt)} · ${decidedByText(call.spec)} · resolves ${utc(deadlineOf(call.spec))}`;
}

/** Questions the desk already holds open, said as held so no reader takes them for new calls. */
export function heldLine(synthesis: SynthesisResult): string | null {
  if (synthesis.held.length === 0) return null;
  return `Still holding, not a new call: ${synthesis.held.map((h) => h.text).join("; ")}.`;
}

export function callsParagraph(ctx: EssayContext): string {
  const held = heldLine(ctx.synthesis);
  const holding = held ? `\n${held}` : "";
  if (ctx.synthesis.calls.length === 0) {
    const heldSymbols = new Set(ctx.synthesis.held.map((h) => h.symbol));
    const why = ctx.synthesis.suppressed
      .filter((s) => !heldSymbols.has(s.symbol))
      .slice(0, 3)
      .map((s) => `${displaySymbol(s.symbol)}: ${s.reason}`);
    return `${pick(NO_CALL_LINES, `${ctx.seed}:nocall`)}${why.length ? ` (${why.join("; ")}.)` : ""}${holding}`;
  }
  const rules = ctx.synthesis.suppressed.filter((s) => s.reason.startsWith("learned rule"));
  const withheld = rules.length
    ? `\nWithheld by my own rules: ${rules.map((s) => displaySymbol(s.symbol)).join(", ")}.`
    : "";
  return (
    [pick(CALL_LEADS, `${ctx.seed}:calls`), ...ctx.synthesis.calls.map(callLine)].join("\n") +
    withheld +
    holding
  );
}

export function words(label: string): string {
  return label.replace("_", "-");
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
