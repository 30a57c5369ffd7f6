import { type DebateSummary, debateLine } from "../debate.ts";
import type { MarketFeatures } from "../features.ts";
import { stripMentions } from "../sanitize.ts";
import type { DeskFlag, DispatchDraft } from "../types.ts";
import {
  callsParagraph,
  doubtsParagraph,
  type EssayContext,
  mindsParagraph,
  recordParagraph,
  regimeParagraph,
  tape,
  words,
} from "./essay.ts";
import { displaySymbol, fill, pick } from "./format.ts";
import { FALLBACK_NOTICE, OPENINGS, SIMULATED_NOTICE, type Situation, TITLES } from "./phrases.ts";

export { callLine, heldLine } from "./essay.ts";

export type WriterContext = Omit<EssayContext, "headline" | "seed"> & {
  flags: readonly DeskFlag[];
  fallbackReason?: string;
};

/** The symbol the essay is about: the strongest call, else the symbol the desk leaned on hardest. */
export function headlineOf(ctx: Omit<WriterContext, "flags">): DebateSummary {
  const top = ctx.synthesis.calls[0];
  const summaries = ctx.synthesis.summaries;
  const found = top
    ? summaries.find((s) => s.symbol === top.spec.symbol)
    : [...summaries].sort((a, b) => Math.abs(b.net) - Math.abs(a.net))[0];
  return found ?? (summaries[0] as DebateSummary);
}

function situationOf(ctx: EssayContext): Situation {
  if (ctx.synthesis.calls.length === 0) return "nocall";
  if (ctx.regime.label === "crisis") return "crisis";
  const f = ctx.features.symbols.get(ctx.headline.symbol);
  if (f?.moveZ != null && Math.abs(f.moveZ) >= 2) return "extreme";
  if (hasVixDivergence(ctx.features, ctx.headline.symbol)) return "divergence";
  const label = ctx.headline.label;
  if (label.startsWith("aligned")) return "aligned";
  return label === "split" ? "split" : "lean";
}

function hasVixDivergence(features: MarketFeatures, symbol: string): boolean {
  const f = features.symbols.get(symbol);
  const vix = features.vix;
  return !!f && !!vix && f !== vix && (f.changePct ?? 0) > 0.3 && (vix.changePct ?? 0) > 3;
}

/**
 * Title, essay and debate line from what the desk computed. Template choice is seeded by the
 * cycle number and the situation, so it varies across cycles yet the same input writes the same text.
 */
export function writeDispatch(context: WriterContext): DispatchDraft {
  const headline = headlineOf(context);
  const seed = `${context.input.cycleNumber}:${headline.symbol}`;
  const ctx: EssayContext = { ...context, headline, seed };
  const situation = situationOf(ctx);
  const f = ctx.features.symbols.get(headline.symbol);
  const values = {
    sym: displaySymbol(headline.symbol),
    word: headline.direction === "down" ? "Lower" : "Higher",
    z: f?.moveZ != null ? Math.abs(f.moveZ).toFixed(1) : "2",
    regime: capitalize(words(ctx.regime.label)),
    tape: tape(ctx),
  };
  const title = fill(pick(TITLES[situation], `${seed}:${situation}:title`), values);
  const opening = fill(pick(OPENINGS[situation], `${seed}:${situation}:open`), values);
  const notices = [
    context.features.source === "simulated" ? SIMULATED_NOTICE : null,
    context.flags.includes("model_fallback")
      ? fill(FALLBACK_NOTICE, { why: context.fallbackReason ?? "model error" })
      : null,
  ].filter((n): n is string => n !== null);
  const line = debateLine(headline);
  const body = [
    ...notices,
    opening,
    regimeParagraph(ctx),
    mindsParagraph(ctx),
    recordParagraph(ctx),
    doubtsParagraph(ctx),
    callsParagraph(ctx),
    line,
  ].join("\n\n");
  const thesis =
    ctx.synthesis.calls[0]?.thesis ?? `No call: ${ctx.synthesis.suppressed[0]?.reason ?? "no edge"}.`;
  return {
    title,
    body: stripMentions(body),
    thesis: stripMentions(thesis),
    debateLine: line,
    flags: [...context.flags],
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
