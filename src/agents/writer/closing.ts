import { deadlineOf, decidedByText, describeCall } from "../../domain/call.ts";
import { arrowOf } from "../../domain/claims.ts";
import { mindLabel } from "../debate.ts";
import { BLOCKING_FLAGS } from "../minds/index.ts";
import type { SynthesisResult } from "../synthesis.ts";
import { type DeskCall, type DeskInput, MIND_NAMES, type MindName } from "../types.ts";
import { claimClause, fadeClause } from "./claims.ts";
import type { EssayContext } from "./essay.ts";
import { displaySymbol, fill, listJoin, percent, price, turn, utc } from "./format.ts";
import { CALL_LEADS, DOUBT_LEADS, NO_CALL_LINES, WASH_LINES, WRONG_LEADS } from "./phrases.ts";

/*
 * The end of a dispatch: what would prove the headline call wrong, the desk's doubts, then the calls
 * themselves, the questions it already holds and the symbols it declined.
 */

/** "QQQ: source_down; NVDA: stale_quote": the symbols whose data no mind may trust, or null. */
export function flaggedData(features: EssayContext["features"]): string | null {
  const flagged = [...features.symbols.values()].filter((f) =>
    f.flags.some((flag) => BLOCKING_FLAGS.includes(flag)),
  );
  if (!flagged.length) return null;
  return flagged.map((f) => `${displaySymbol(f.symbol)}: ${f.flags.join(", ")}`).join("; ");
}

/** The concrete outcome that proves the headline call wrong, then the doubts. */
export function doubtsParagraph(ctx: EssayContext): string {
  const call = ctx.synthesis.calls[0];
  const sentences: string[] = [];
  if (call) sentences.push(`${turn(WRONG_LEADS, ctx, "wrong")} ${falsifier(call, ctx.input)}`);
  const doubts: string[] = [];
  const flagged = flaggedData(ctx.features);
  if (flagged)
    doubts.push(`the data is not clean (${flagged}), and Flow will not read a tape it can't trust`);
  if (ctx.features.snapshotFlags.some((f) => f === "market_closed" || f === "holiday"))
    doubts.push("the market is closed, so these are the last closes, not live prices");
  if (ctx.regime.inputs.vix === null)
    doubts.push("I have no VIX reading this cycle, so the regime rests on trend and breadth alone");
  const dissent = MIND_NAMES.filter((m) => (ctx.headline.perMind[m] ?? 1) < 0.5).map(mindLabel);
  // A mind leaning the other way on direction argues against a sided call only.
  const sided = !call || call.spec.kind === "direction" || call.spec.kind === "relative";
  if (dissent.length && sided) {
    const who = listJoin(dissent);
    doubts.push(
      turn(
        [
          `${who} reads the same tape the other way, and I can't rule that out`,
          `${who} may be right, and I have not answered every point`,
          `the other side has a voice on my own desk (${who})`,
        ],
        ctx,
        "dissent-doubt",
      ),
    );
  }
  const takers = MIND_NAMES.filter((m) => ctx.headline.perMind[m] !== null);
  if (takers.length === 1) doubts.push(`only ${mindLabel(takers[0] as MindName)} took a side at all`);
  if (ctx.regime.label === "choppy")
    doubts.push("choppy tapes punish conviction, and two sessions is not long");
  if (ctx.regime.label === "crisis")
    doubts.push("in a crisis tape correlations go to one and stories stop mattering");
  if (doubts.length === 0)
    doubts.push(
      turn(
        [
          "agreement among my minds is not evidence that the market agrees",
          "two sessions leave plenty of room for noise",
          "a small edge loses often, by design",
          "my numbers describe yesterday, and the call is about tomorrow",
        ],
        ctx,
        "generic-doubt",
      ),
    );
  // Semicolons: each doubt is a clause with commas of its own, and "and" would run them together.
  sentences.push(`${turn(DOUBT_LEADS, ctx, "doubt")} ${doubts.slice(0, 3).join("; ")}.`);
  return sentences.join(" ");
}

/** "A close under 242.54 by Tuesday's close (16:00 New York) proves me wrong", for any kind of call. */
export function falsifier(call: DeskCall, input: DeskInput): string {
  const spec = call.spec;
  const by = decidedByText(spec).replace(/^decided by /, "");
  if (spec.kind === "direction") {
    const band = call.flatBandPct;
    const edge =
      spec.direction === "up" ? call.entryPrice * (1 - band / 100) : call.entryPrice * (1 + band / 100);
    const where = spec.direction === "up" ? "under" : "over";
    const values = { band: String(band), entry: price(call.entryPrice) };
    const wash = band > 0 ? ` ${fill(turn(WASH_LINES, { input }, "wash"), values)}` : "";
    return `${displaySymbol(spec.symbol)} ${where} ${price(edge)} at ${by} and I was wrong.${wash}`;
  }
  const fade = fadeClause(call);
  return fade ? `I am wrong if instead ${fade}.` : `I am wrong unless ${claimClause(call, "finite")}.`;
}

export function callLine(call: DeskCall, index: number): string {
  const spec = call.spec;
  const arrow = arrowOf(call.spec);
  const band = call.flatBandPct > 0 ? ` · flat band ±${call.flatBandPct}%` : "";
  return `CALL ${index + 1}  ${arrow} ${describeCall(call.spec)} · ${percent(spec.probability)} · entry ${price(call.entryPrice)}${band} · lead ${mindLabel(call.mind)} · locks ${utc(call.lockAt)} · ${decidedByText(call.spec)} · resolves ${utc(deadlineOf(call.spec))}`;
}

/** Questions the desk already holds open, said as held so no reader takes them for new calls. */
export function heldLine(synthesis: SynthesisResult): string | null {
  if (synthesis.held.length === 0) return null;
  return `Still holding, not a new call: ${synthesis.held.map((h) => prose(h.text)).join("; ")}.`;
}

/** Every symbol the desk looked at and declined, in one line: names, then why, grouped. */
export function passLine(synthesis: SynthesisResult): string | null {
  const held = new Set(synthesis.held.map((h) => h.symbol));
  const declined = synthesis.suppressed.filter((s) => !held.has(s.symbol));
  if (declined.length === 0) return null;
  const groups = new Map<string, string[]>();
  for (const s of declined) {
    const why = prose(s.reason.startsWith("learned rule") ? s.reason : (s.reason.split(":")[0] as string));
    groups.set(why, [...(groups.get(why) ?? []), displaySymbol(s.symbol)]);
  }
  const parts = [...groups].map(([why, symbols]) => {
    const names =
      symbols.length > 4
        ? `${symbols.slice(0, 3).join(", ")} and ${symbols.length - 3} more`
        : listJoin(symbols);
    return `${names} (${why})`;
  });
  return `No call on ${parts.join("; ")}.`;
}

export function callsParagraph(ctx: EssayContext): string {
  const held = heldLine(ctx.synthesis);
  const pass = passLine(ctx.synthesis);
  const tail = [pass, held].filter((l): l is string => l !== null);
  if (ctx.synthesis.calls.length === 0) return [turn(NO_CALL_LINES, ctx, "nocall"), ...tail].join("\n");
  return [turn(CALL_LEADS, ctx, "calls"), ...ctx.synthesis.calls.map(callLine), ...tail].join("\n");
}

/** Symbols as prose names them: "VIX", not the stored "^VIX". */
function prose(text: string): string {
  return text.replace(/\^(?=[A-Z])/g, "");
}
