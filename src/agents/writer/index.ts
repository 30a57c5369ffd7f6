import { describeCall } from "../../domain/call.ts";
import { debatedSymbol } from "../../domain/debate.ts";
import { type DebateSummary, debateLine } from "../debate.ts";
import { stripMentions } from "../sanitize.ts";
import type { DeskFlag, DispatchDraft } from "../types.ts";
import { titleClaim } from "./claims.ts";
import { callsParagraph, doubtsParagraph, flaggedData } from "./closing.ts";
import { checkText, measuredOf } from "./consistency.ts";
import {
  argumentParagraph,
  type EssayContext,
  mindsParagraph,
  openingParagraph,
  recordParagraph,
  sideWords,
  tape,
} from "./essay.ts";
import { factsOf } from "./facts.ts";
import { displaySymbol, fill, turn } from "./format.ts";
import { FALLBACK_NOTICE, SIMULATED_NOTICE, TEXT_FALLBACK_NOTICE } from "./phrases.ts";

export { callLine, heldLine } from "./closing.ts";

export type WriterContext = Omit<EssayContext, "headline" | "facts"> & {
  flags: readonly DeskFlag[];
  fallbackReason?: string;
};

/**
 * The debate the essay and the debate line both quote: the strongest call's symbol; for a VIX call,
 * which no mind argues, the market VIX measures; with no call, the symbol the desk leaned on hardest.
 */
export function headlineOf(ctx: Pick<WriterContext, "synthesis">): DebateSummary {
  const top = ctx.synthesis.calls[0];
  const summaries = ctx.synthesis.summaries;
  const subject = top && debatedSymbol(top.spec.symbol);
  const found = subject
    ? summaries.find((s) => s.symbol === subject)
    : [...summaries].sort((a, b) => Math.abs(b.net) - Math.abs(a.net))[0];
  return found ?? (summaries[0] as DebateSummary);
}

const CALL_TITLES: readonly string[] = [
  "{hook}, and I Call {sym} {side}",
  "{sym} {side} After {hook}",
  "Reading {hook}: {sym} {side}",
  "{hook}. My Bet: {sym} {side}",
  "{sym} {side}, With {hook} in Mind",
  "From {hook} to {sym} {side}",
  "{hook} and a Case for {sym} {side}",
  "Why {hook} Leaves Me at {sym} {side}",
  "After {hook}, the Trade I Can Defend: {sym} {side}",
  "{hook}; I Put My Name on {sym} {side}",
  "Not Chasing {hook}. Calling {sym} {side}",
  "The Day of {hook}, and Why {sym} {side}",
];

/** Titles around a clause ("VIX Cools Off") for calls with no simple side. */
const CLAIM_TITLES: readonly string[] = [
  "{hook}, and a Bet That {claim}",
  "After {hook}, My Bet Is That {claim}",
  "Reading {hook}: {claim}",
  "{hook}. My Call: {claim}",
  "{claim}, Even After {hook}",
  "{hook}, and Why I Think {claim}",
  "From {hook} to a Bet That {claim}",
  "{hook}; I Put My Name on This: {claim}",
];

const PASS_TITLES: readonly string[] = [
  "{hook}, and No Call From Me",
  "No Edge in {hook}",
  "{hook}: I Pass",
  "Watching {hook}, Calling Nothing",
  "{hook} Without a Call",
  "Even With {hook}, I Stay Out",
  "{hook} and a Blank Card",
];

function titleCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The title names the day's most unusual fact and, when there is one, the headline call's side. */
function titleFor(ctx: EssayContext): string {
  const top = ctx.synthesis.calls[0];
  const hook = titleCase(ctx.facts[0]?.hook ?? `Cycle ${ctx.input.cycleNumber}`);
  const values = {
    hook,
    sym: displaySymbol(top?.spec.symbol ?? ctx.headline.symbol),
    side: titleCase(sideWords(top, ctx.headline)),
  };
  const claim = top && top.spec.kind !== "direction" ? titleClaim(top, ctx) : null;
  const title = claim
    ? fill(turn(CLAIM_TITLES, ctx, "title"), { hook, claim })
    : fill(turn(top ? CALL_TITLES : PASS_TITLES, ctx, "title"), values);
  return title.length <= 120 ? title : plainTitle(ctx);
}

/** The title with nothing to contradict: the cycle and the headline call as the domain words it. */
export function plainTitle(ctx: Pick<EssayContext, "synthesis" | "input">): string {
  const top = ctx.synthesis.calls[0];
  return `Cycle ${ctx.input.cycleNumber}: ${top ? describeCall(top.spec) : "no call"}`.slice(0, 120);
}

/** The essay with nothing to contradict: the notice, the numbers as quoted, and what was declined. */
export function plainEssay(
  ctx: Pick<EssayContext, "features" | "synthesis" | "headline">,
  problems: readonly string[],
): string {
  const why = problems[0] ?? "a failed check";
  // A plain text still says which data could not be trusted: a degraded source is never silent.
  const flagged = flaggedData(ctx.features);
  return [
    fill(TEXT_FALLBACK_NOTICE, { why: why.length > 200 ? `${why.slice(0, 199)}…` : why }),
    `The numbers: ${tape(ctx)}.`,
    ...(flagged ? [`Data I could not trust: ${flagged}.`] : []),
  ].join("\n\n");
}

/**
 * Title, essay and debate line from what the desk computed. Sentence choice walks by cycle number,
 * so consecutive dispatches read differently yet the same input writes the same text. A draft that
 * fails the consistency check is replaced by the plain wording and flagged text_fallback.
 */
export function writeDispatch(context: WriterContext): DispatchDraft {
  const headline = headlineOf(context);
  const facts = factsOf(context.features, context.input.snapshot);
  const ctx: EssayContext = { ...context, headline, facts };
  const notices = [
    context.features.source === "simulated" ? SIMULATED_NOTICE : null,
    context.flags.includes("model_fallback")
      ? fill(FALLBACK_NOTICE, { why: context.fallbackReason ?? "model error" })
      : null,
  ].filter((n): n is string => n !== null);
  const line = debateLine(headline);
  const title = titleFor(ctx);
  const essay = [
    openingParagraph(ctx),
    argumentParagraph(ctx),
    mindsParagraph(ctx),
    recordParagraph(ctx),
    doubtsParagraph(ctx),
  ]
    .filter((p) => p !== "")
    .join("\n\n");
  const calls = callsParagraph(ctx);
  const problems = checkText({
    title,
    body: `${essay}\n\n${calls}`,
    debateLine: line,
    headline: ctx.synthesis.calls[0]?.spec,
    measured: measuredOf(ctx.features, ctx.input.snapshot),
  });
  const flags: DeskFlag[] = [...context.flags];
  if (problems.length) flags.push("text_fallback");
  const body = [...notices, problems.length ? plainEssay(ctx, problems) : essay, calls, line].join("\n\n");
  const thesis =
    ctx.synthesis.calls[0]?.thesis ?? `No call: ${ctx.synthesis.suppressed[0]?.reason ?? "no edge"}.`;
  return {
    title: stripMentions(problems.length ? plainTitle(ctx) : title),
    body: stripMentions(body),
    thesis: stripMentions(thesis),
    debateLine: line,
    flags,
  };
}
