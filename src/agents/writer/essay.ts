import { MIN_HISTORY } from "../calibration.ts";
import { type DebateSummary, mindLabel } from "../debate.ts";
import type { MarketFeatures } from "../features.ts";
import { statsOf } from "../record.ts";
import type { SynthesisResult } from "../synthesis.ts";
import {
  type DeskCall,
  type DeskInput,
  MIND_NAMES,
  type MindName,
  type MindStance,
  type RegimeReading,
} from "../types.ts";
import { baseRateSentence, claimClause, whySentence } from "./claims.ts";
import type { Fact } from "./facts.ts";
import { displaySymbol, fill, listJoin, percent, quote, shorten, signedPct, turn } from "./format.ts";
import { BRIDGES, CASES, NEWS_CAVEATS, RECORD_BAD, RECORD_GOOD, TAPE_LEADS } from "./phrases.ts";

export interface EssayContext {
  input: DeskInput;
  features: MarketFeatures;
  regime: RegimeReading;
  round1: readonly MindStance[];
  round2: readonly MindStance[];
  synthesis: SynthesisResult;
  headline: DebateSummary;
  facts: readonly Fact[];
}

const BENCHMARKS = ["SPY", "QQQ", "IWM", "^VIX"];

/** The quoted numbers: the called symbols, the benchmarks, then rates. Only what the snapshot has. */
export function tape(ctx: Pick<EssayContext, "features" | "synthesis" | "headline">, skip?: string): string {
  const called = ctx.synthesis.calls.map((c) => c.spec.symbol);
  const symbols = [...new Set([ctx.headline.symbol, ...called, ...BENCHMARKS])]
    .filter((s) => s !== skip)
    .slice(0, 6);
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

/** A call's side in words: "higher", "lower", or its own claim for kinds with no simple side. */
export function sideWords(call: DeskCall | undefined, headline: DebateSummary): string {
  if (call?.spec.kind === "direction") return call.spec.direction === "up" ? "higher" : "lower";
  if (call) return claimClause(call, "finite").replace(`${displaySymbol(call.spec.symbol)} `, "");
  return headline.direction === "down" ? "lower" : "higher";
}

const FRESH_KINDS: readonly Fact["kind"][] = ["cpi", "fed", "headline", "filing"];

/** Opens on the most unusual fact, bridges to the argument, then the rest of the tape and the news. */
export function openingParagraph(ctx: EssayContext): string {
  const [top, ...rest] = ctx.facts;
  const sentences: string[] = [];
  if (top) sentences.push(turn(top.says, ctx, `open:${top.kind}`), bridge(ctx, top));
  sentences.push(fill(turn(TAPE_LEADS, ctx, "tape"), { tape: tape(ctx, top?.subject) }));
  // A fresh release or a filing is always worth a sentence; so is a second unusual move.
  const moves = rest.filter((f) => f.kind === "move" && f.score >= 2).slice(0, 1);
  const extra = [...moves, ...rest.filter((f) => FRESH_KINDS.includes(f.kind))].slice(0, 3);
  for (const [i, f] of extra.entries()) sentences.push(turn(f.also ?? f.says, ctx, `extra:${i}`));
  if (ctx.facts.some((f) => f.kind === "headline" || f.kind === "filing"))
    sentences.push(turn(NEWS_CAVEATS, ctx, "news"));
  return sentences.join(" ");
}

/** From the opening fact to the call: said outright when the call is on another symbol. */
function bridge(ctx: EssayContext, top: Fact): string {
  const call = ctx.synthesis.calls[0];
  if (!call || top.kind !== "move" || top.subject === call.spec.symbol) return turn(BRIDGES, ctx, "bridge");
  const fact = displaySymbol(top.subject);
  const sym = displaySymbol(call.spec.symbol);
  const pool = [
    `My call is not on ${fact} itself; the question I think I can answer is ${sym}.`,
    `I have no edge on ${fact} from here, but it colours how I read ${sym}.`,
    `${fact} is the story; ${sym} is where I think the next two sessions are easier to read.`,
    `I leave ${fact} alone and take its lesson to ${sym}.`,
  ];
  return turn(pool, ctx, "bridge-other");
}

/** The regime in the desk's words, from the numbers that decided it. */
export function regimeSentence(ctx: EssayContext): string {
  const { inputs, label } = ctx.regime;
  const parts: string[] = [];
  if (inputs.vix !== null) {
    const week = inputs.vixChange5d;
    const moved = week === null ? "" : ` (${week > 0 ? "+" : ""}${week.toFixed(1)} pts in five sessions)`;
    parts.push(`VIX ${inputs.vix.toFixed(1)}${moved}`);
  }
  if (inputs.breadthAboveSma50 !== null) {
    const share = inputs.breadthAboveSma50;
    parts.push(
      share === 0
        ? `none of the ${inputs.breadthUniverse} names I track above their 50-day average`
        : `${percent(share)} of ${inputs.breadthUniverse} names above their 50-day average`,
    );
  }
  if (inputs.indexSymbol && inputs.indexChange20dPct !== null)
    parts.push(
      `${displaySymbol(inputs.indexSymbol)} ${signedPct(inputs.indexChange20dPct, 1)} over twenty sessions`,
    );
  const name = label.replace("_", "-");
  const pool = [
    `I read the regime as ${name}: ${listJoin(parts)}.`,
    `Call the regime ${name}, on ${listJoin(parts)}.`,
    `The numbers that set my regime label (${name}): ${listJoin(parts)}.`,
    `With ${listJoin(parts)}, this is a ${name} tape.`,
  ];
  return parts.length ? turn(pool, ctx, "regime") : `I label the regime ${name} on thin inputs.`;
}

function backdrop(features: MarketFeatures): string {
  const { DGS10, T10Y2Y, FEDFUNDS } = features.macro;
  const parts = [
    features.vix?.last != null ? `VIX at ${features.vix.last.toFixed(1)}` : null,
    T10Y2Y ? `the 2s10s curve at ${T10Y2Y.value > 0 ? "+" : ""}${T10Y2Y.value.toFixed(2)}` : null,
    DGS10 ? `the 10-year at ${DGS10.value.toFixed(2)}%` : null,
    FEDFUNDS ? `Fed funds at ${FEDFUNDS.value.toFixed(2)}%` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? listJoin(parts.slice(0, 3)) : "a thin macro picture";
}

/** Connects the facts to the headline claim: the symbol's own numbers, then the lead mind's case. */
export function argumentParagraph(ctx: EssayContext): string {
  const call = ctx.synthesis.calls[0];
  const symbol = call?.spec.symbol ?? ctx.headline.symbol;
  const sym = displaySymbol(symbol);
  const f = ctx.features.symbols.get(symbol);
  const sentences = [regimeSentence(ctx)];
  if (f?.change5dPct != null && f.change20dPct != null) {
    const place = f.aboveSma50 === null ? "" : `, ${f.aboveSma50 ? "above" : "below"} its 50-day average`;
    const pool = [
      `${sym} stands ${signedPct(f.change5dPct, 1)} over five sessions and ${signedPct(f.change20dPct, 1)} over twenty${place}.`,
      `Over five sessions ${sym} is ${signedPct(f.change5dPct, 1)}; over twenty, ${signedPct(f.change20dPct, 1)}${place}.`,
      `The trend in ${sym}: ${signedPct(f.change20dPct, 1)} across twenty sessions, ${signedPct(f.change5dPct, 1)} across the last five${place}.`,
    ];
    sentences.push(turn(pool, ctx, "trend"));
  }
  const why = call && call.spec.kind !== "direction" ? whySentence(ctx, call) : null;
  if (why) sentences.push(why);
  else if (call && call.spec.kind !== "direction") sentences.push(`I expect ${claimClause(call, "to")}.`);
  else if (call) {
    // Contrarian's case is a stretched move only when the move really was one.
    const lead = call.mind === "contrarian" && Math.abs(f?.moveZ ?? 0) >= 1.5 ? "stretched" : call.mind;
    const values = { sym, side: sideWords(call, ctx.headline), backdrop: backdrop(ctx.features) };
    sentences.push(fill(turn(CASES[lead], ctx, `case:${lead}`), values));
  }
  return sentences.join(" ");
}

/** How the minds' debate on a symbol's direction bears on a call of another kind. */
function debateFrame(call: DeskCall, h: DebateSummary): string {
  const spec = call.spec;
  const sym = displaySymbol(h.symbol);
  const own = displaySymbol(spec.symbol);
  if (spec.symbol !== h.symbol) {
    const need =
      spec.kind === "threshold"
        ? `, and ${spec.comparator === "below" ? "calm" : "stress"} there is what my call needs`
        : "";
    return `My minds argue direction, not ${own}; the nearest thing they debated is ${sym}, the market ${own} measures${need}.`;
  }
  if (spec.kind === "range")
    return spec.direction === "inside"
      ? `My minds argued ${sym}'s direction, which this call does not need: it is right on either side as long as the move stays small.`
      : `My minds argued ${sym}'s direction; this call needs a large move, whichever side it comes from.`;
  if (spec.kind === "relative")
    return `My minds argued ${sym} itself, not its spread against ${displaySymbol(spec.versus)}; their lean on ${sym} is what tilts the spread.`;
  return `My minds argued ${sym}'s direction, which this call only borrows.`;
}

/** Who argued what, with exactly the numbers the debate line shows. */
export function mindsParagraph(ctx: EssayContext): string {
  const h = ctx.headline;
  const sym = displaySymbol(h.symbol);
  const side = h.direction === "down" ? "lower" : "higher";
  const backers = MIND_NAMES.filter((m) => (h.perMind[m] ?? 0) >= 0.5);
  const dissent = MIND_NAMES.filter((m) => h.perMind[m] !== null && (h.perMind[m] as number) < 0.5);
  const silent = MIND_NAMES.filter((m) => h.perMind[m] === null);
  const named = (ms: readonly MindName[]) =>
    listJoin(ms.map((m) => `${mindLabel(m)} (${percent(h.perMind[m] as number)})`));
  const call = ctx.synthesis.calls[0];
  // The minds argue a symbol's direction; a call of another kind only borrows their read.
  const sided = !call || call.spec.kind === "direction";
  const sentences: string[] = sided || !call ? [] : [debateFrame(call, h)];
  const verb = backers.length > 1 ? ["are", "argue", "lean", "favour"] : ["is", "argues", "leans", "favours"];
  if (backers.length) {
    const pool = sided
      ? [
          `On ${sym} ${side}, ${named(backers)} ${verb[0]} with me.`,
          `Backing ${sym} ${side}: ${named(backers)}.`,
          `${named(backers)} ${verb[1]} for ${sym} ${side}.`,
          `The support for ${sym} ${side} comes from ${named(backers)}.`,
        ]
      : [
          `On ${sym}'s direction, ${named(backers)} ${verb[2]} ${side}.`,
          `${named(backers)} ${verb[3]} ${sym} ${side}.`,
          `For ${sym} ${side}: ${named(backers)}.`,
        ];
    sentences.push(turn(pool, ctx, "backers"));
  }
  for (const m of dissent) {
    const p = percent(h.perMind[m] as number);
    const pool = sided
      ? [
          `${mindLabel(m)} disagrees and gives ${side} only ${p}.`,
          `${mindLabel(m)} takes the other side, putting ${side} at ${p}.`,
          `Against me: ${mindLabel(m)}, with ${side} at just ${p}.`,
        ]
      : [
          `${mindLabel(m)} leans the other way, with ${side} at ${p}.`,
          `${mindLabel(m)} gives ${side} only ${p}.`,
          `${mindLabel(m)} reads ${sym} the other way, giving ${side} only ${p}.`,
        ];
    sentences.push(turn(pool, ctx, `dissent:${m}`));
  }
  if (silent.length) {
    const pool = [
      `${listJoin(silent.map(mindLabel))} found nothing worth a stance.`,
      `${listJoin(silent.map(mindLabel))} abstained.`,
      `No stance from ${listJoin(silent.map(mindLabel))}.`,
    ];
    sentences.push(turn(pool, ctx, "silent"));
  }
  for (const b of ctx.synthesis.benched)
    sentences.push(`I am not counting ${mindLabel(b.mind)} this cycle: ${b.reason.replace(/\.$/, "")}.`);
  return sentences.join(" ");
}

/** The desk's record on this kind of call, said when it bears on the number. */
export function recordParagraph(ctx: EssayContext): string {
  const call = ctx.synthesis.calls[0];
  const parts: string[] = [];
  if (call && call.spec.kind === "direction") {
    const direction = call.spec.direction;
    const same = ctx.input.record.filter((r) => r.mind === call.mind && r.direction === direction);
    const kind = `${mindLabel(call.mind)}-led ${direction === "up" ? "higher" : "lower"} calls`;
    const stats = statsOf(same);
    if (stats.n >= 5 && stats.hitRate !== null) {
      const pool = [
        `My record on ${kind}: ${stats.hits} of ${stats.n} right.`,
        `I have made ${stats.n} ${kind} before and ${stats.hits} came good.`,
        `${stats.hits} right out of ${stats.n}: that is my history on ${kind}.`,
      ];
      parts.push(
        turn(pool, ctx, "record"),
        turn(stats.hitRate >= 0.55 ? RECORD_GOOD : RECORD_BAD, ctx, "verdict"),
      );
    } else {
      const pool =
        stats.n === 0
          ? [
              `I have no resolved ${kind} yet, so ${percent(call.spec.probability)} is as far as I will go.`,
              `${kind} are new ground for me, with none resolved, so the number stays at ${percent(call.spec.probability)}.`,
              `Nothing in my record speaks to ${kind} yet; I cap this one at ${percent(call.spec.probability)}.`,
            ]
          : [
              `I have ${stats.n} resolved ${kind}, not enough history to claim more than ${percent(call.spec.probability)}.`,
              `With only ${stats.n} ${kind} behind me, ${percent(call.spec.probability)} is as far as I will go.`,
              `${kind} are new ground for me (${stats.n} resolved), so the number stays at ${percent(call.spec.probability)}.`,
            ];
      parts.push(turn(pool, ctx, "thin"));
    }
    const basis = ctx.synthesis.calibration.get(call.spec.symbol)?.basis;
    if (basis && same.length >= MIN_HISTORY) parts.push(`Calibration: ${basis}.`);
  } else if (call) {
    parts.push(baseRateSentence(ctx, call));
  }
  const rules = ctx.input.rules
    .filter((r) => r.scope === "symbol_horizon")
    .map((r) => r.reason.replace(/\.$/, ""));
  if (rules.length) parts.push(`Rules I set myself and am obeying: ${listJoin(rules)}.`);
  const lesson = ctx.input.lessons.find((l) => !/^reflection/i.test(l.trim()));
  if (lesson && call && lesson.includes(displaySymbol(call.spec.symbol)))
    parts.push(`A past miss on ${displaySymbol(call.spec.symbol)} still applies: "${shorten(lesson, 160)}"`);
  return parts.join(" ");
}
