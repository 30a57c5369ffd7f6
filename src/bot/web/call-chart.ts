import { parseReceipt } from "../../domain/receipt.ts";
import type { Database } from "../../store/database.ts";
import { callForChart, observedPrices } from "../../store/price-path.ts";
import { type CallChartInput, callPriceChart } from "../charts/call-price.ts";

const DAY = 86_400_000;

/**
 * Everything one call's price chart shows, from what the store already holds: the prices the
 * server's cycles observed around the call, the bars its verdict read, its entry and its exit.
 * Null for an unknown call.
 */
export async function callChartInput(db: Database, id: number): Promise<CallChartInput | null> {
  const call = await callForChart(db.prisma, id);
  if (!call) return null;
  const span = Math.max(call.deadline.getTime() - call.madeAt.getTime(), 2 * DAY);
  const end = Math.max(call.deadline.getTime(), call.exitAt?.getTime() ?? 0);
  const observed = await observedPrices(db.prisma, {
    serverId: call.serverId,
    symbol: call.symbol,
    from: new Date(call.madeAt.getTime() - span),
    to: new Date(end + span / 2),
  });
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
    path: [...observed, ...bars],
    entry: call.entryPrice === null ? null : { at: call.entryAt ?? call.madeAt, price: call.entryPrice },
    exit: call.exitPrice === null || !exitAt ? null : { at: exitAt, price: call.exitPrice },
    lockAt: call.lockAt,
    deadline: call.deadline,
    level: call.level,
    status: call.status,
  };
}

export async function callChart(db: Database, id: number) {
  const input = await callChartInput(db, id);
  return input ? callPriceChart(input) : null;
}
