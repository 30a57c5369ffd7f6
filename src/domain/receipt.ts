import { z } from "zod";
import { canonicalJson, sha256Hex } from "./chain.ts";

/** One bar a verdict read: the symbol, when the bar closed, its close and, where it has one, its range. */
export const usedBarSchema = z.object({
  symbol: z.string(),
  time: z.string(),
  value: z.number(),
  high: z.number().optional(),
  low: z.number().optional(),
});
export type UsedBar = z.infer<typeof usedBarSchema>;

/** What a verdict was decided from, so anyone can re-check it against the source. */
export const receiptSchema = z.object({
  /** The data source that answered (e.g. "yahoo", "replay", "simulated"); "none" when nothing did. */
  source: z.string(),
  bars: z.array(usedBarSchema),
  /** sha256 of the canonical JSON of `bars`. */
  barsHash: z.string(),
});
export type Receipt = z.infer<typeof receiptSchema>;

export function barsHashOf(bars: readonly UsedBar[]): string {
  return sha256Hex(canonicalJson(bars.map((bar) => ({ ...bar }))));
}

export function receiptOf(source: string, bars: readonly UsedBar[]): Receipt {
  return { source, bars: [...bars], barsHash: barsHashOf(bars) };
}

/** The stored receipt text, or null (a verdict from before receipts, or none given). */
export function parseReceipt(text: string | null): Receipt | null {
  if (text === null) return null;
  const parsed = receiptSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** Why a stored receipt does not hold together (unreadable, or bars that do not match their hash), or null. */
export function receiptProblem(text: string | null): string | null {
  if (text === null) return null;
  let receipt: Receipt | null;
  try {
    receipt = parseReceipt(text);
  } catch {
    return "receipt is not JSON";
  }
  if (!receipt) return "receipt is malformed";
  return barsHashOf(receipt.bars) === receipt.barsHash ? null : "receipt bars do not match their hash";
}

/** "Receipt: replay · SPY 2 bars (last close 590.10 at 2026-11-20T21:00Z) · bars sha256 3f2a…": for chat. */
export function describeReceipt(receipt: Receipt): string {
  const last = receipt.bars.at(-1);
  const bars = receipt.bars.length === 1 ? "1 bar" : `${receipt.bars.length} bars`;
  const lastBar = last ? ` (last ${last.symbol} ${last.value.toFixed(2)} at ${last.time.slice(0, 16)}Z)` : "";
  return `Receipt: ${receipt.source} · ${bars}${lastBar} · bars sha256 ${receipt.barsHash.slice(0, 12)}…`;
}
