import { assetClassOf, barCloseTime } from "../../domain/bars.ts";
import { parseReceipt } from "../../domain/receipt.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { Database } from "../../store/database.ts";
import { callForChart, observedPrices } from "../../store/price-path.ts";
import { type CallChartInput, callPriceChart } from "../charts/call-price.ts";

const DAY = 86_400_000;

const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Daily closes from a market that answers without a request, none as of after `now`. */
async function marketCloses(market: QuotePort, symbol: string, from: Date, to: Date, now: Date) {
  const asOf = new Date(Math.min(to.getTime(), now.getTime()));
  const series = await market.dailyBars(
    symbol,
    { from: isoDate(from.getTime()), to: isoDate(to.getTime()) },
    asOf,
  );
  return series.bars.map((b) => ({ at: barCloseTime(b.date, assetClassOf(symbol)), price: b.close }));
}

/**
 * Everything one call's price chart shows: the prices the server's cycles observed around the
 * call, the bars its verdict read, its entry and its exit, and, given a market that needs no
 * request (demo mode), that market's daily closes. Null for an unknown call.
 */
export async function callChartInput(
  db: Database,
  id: number,
  market?: { quotes: QuotePort; now: Date },
): Promise<CallChartInput | null> {
  const call = await callForChart(db.prisma, id);
  if (!call) return null;
  const span = Math.max(call.deadline.getTime() - call.madeAt.getTime(), 2 * DAY);
  const end = Math.max(call.deadline.getTime(), call.exitAt?.getTime() ?? 0);
  const from = new Date(call.madeAt.getTime() - span);
  const to = new Date(end + span / 2);
  const [observed, closes] = await Promise.all([
    observedPrices(db.prisma, { serverId: call.serverId, symbol: call.symbol, from, to }),
    market ? marketCloses(market.quotes, call.symbol, from, to, market.now) : [],
  ]);
  // A receipt that no longer parses still leaves the observed path; the trail names the problem.
  let receipt: ReturnType<typeof parseReceipt> = null;
  try {
    receipt = parseReceipt(call.receipt);
  } catch {
    receipt = null;
  }
  const bars = (receipt?.bars ?? [])
    .filter((b) => b.symbol === call.symbol)
    .map((b) => ({ at: new Date(b.time), price: b.value }));
  // A void verdict stores its exit price without a time: the last bar it read is when that price was.
  const exitAt = call.exitAt ?? bars.at(-1)?.at ?? call.resolvedAt;
  return {
    symbol: call.symbol,
    path: [...observed, ...closes, ...bars],
    entry: call.entryPrice === null ? null : { at: call.entryAt ?? call.madeAt, price: call.entryPrice },
    exit: call.exitPrice === null || !exitAt ? null : { at: exitAt, price: call.exitPrice },
    lockAt: call.lockAt,
    deadline: call.deadline,
    levels: priceLevels(call),
    status: call.status,
  };
}

/** The prices a call's question turns on: a threshold's level, or a range's band around its entry. */
function priceLevels(call: { kind: string; level: number | null; entryPrice: number | null }): number[] {
  if (call.level === null) return [];
  if (call.kind !== "range") return [call.level];
  // A range's level is the band in percent of the entry, not a price.
  if (call.entryPrice === null) return [];
  return [call.entryPrice * (1 - call.level / 100), call.entryPrice * (1 + call.level / 100)];
}

export async function callChart(db: Database, id: number, market?: { quotes: QuotePort; now: Date }) {
  const input = await callChartInput(db, id, market);
  return input ? callPriceChart(input) : null;
}
