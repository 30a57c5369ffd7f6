import { type Chart, renderChart } from "./render.ts";
import { emptyChart, paddedTimeDomain, timeAxis } from "./time-axis.ts";

export interface PricePoint {
  at: Date;
  price: number;
}

/** What one call's chart marks on the symbol's price path. */
export interface CallChartInput {
  symbol: string;
  /** Every price known for the symbol around the call, any order. */
  path: readonly PricePoint[];
  entry: PricePoint | null;
  exit: PricePoint | null;
  lockAt: Date;
  deadline: Date;
  /** The prices the question turns on: a threshold, touch or hold level, or a range's two edges. */
  levels: readonly number[];
  status: string;
}

const STATUS_COLOR: Record<string, string> = { right: "#1d7544", wrong: "#b0291d" };

/**
 * The symbol's price around one call, with its entry, lock, deadline and exit marked: what the call
 * said against what the price did. Only prices the store already holds; none at all says so.
 */
export function callPriceChart(
  input: CallChartInput,
  title = `${input.symbol} around the call`,
): Promise<Chart> {
  const width = 340;
  const height = 150;
  const byTime = new Map<number, number>();
  for (const p of [...input.path, ...(input.entry ? [input.entry] : []), ...(input.exit ? [input.exit] : [])])
    byTime.set(p.at.getTime(), p.price);
  const path = [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, price]) => ({ at: t, price }));
  if (!path.length)
    return emptyChart(`No ${input.symbol} prices stored for this call yet`, title, width, height);
  const times = [...path.map((p) => p.at), input.lockAt.getTime(), input.deadline.getTime()];
  const domain = paddedTimeDomain(times);
  const x = {
    field: "at",
    type: "temporal" as const,
    scale: { type: "utc" as const, domain },
    axis: timeAxis(domain),
    title: null,
  };
  const prices = [...path.map((p) => p.price), ...input.levels];
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  // One price (a call just made) would give a zero-height scale: a percent either side instead.
  const pad = low === high ? Math.abs(low) * 0.01 || 1 : 0;
  const y = {
    field: "price",
    type: "quantitative" as const,
    scale: { zero: false, domain: [low - pad, high + pad], nice: true },
    axis: { tickCount: 4, format: ",.2~f" },
    title: null,
  };
  const rules = [
    { at: input.lockAt.getTime(), label: "lock" },
    { at: input.deadline.getTime(), label: "deadline" },
  ];
  const marks = [
    ...(input.entry
      ? [{ at: input.entry.at.getTime(), price: input.entry.price, label: "entry", kind: "entry" }]
      : []),
    ...(input.exit
      ? [{ at: input.exit.at.getTime(), price: input.exit.price, label: "exit", kind: "exit" }]
      : []),
  ];
  const exitColor = STATUS_COLOR[input.status] ?? "#6a6f77";
  return renderChart({
    title: { text: title, fontSize: 12, anchor: "start" },
    width,
    height,
    layer: [
      {
        data: { values: rules },
        mark: { type: "rule", strokeDash: [3, 3], color: "#8a8f98" },
        encoding: { x: { ...x, field: "at" } },
      },
      {
        data: { values: rules },
        mark: { type: "text", align: "left", baseline: "top", dx: 3, y: 2, fontSize: 10, color: "#5e6570" },
        encoding: { x: { ...x, field: "at" }, text: { field: "label" } },
      },
      ...(input.levels.length === 0
        ? []
        : [
            {
              data: { values: input.levels.map((price) => ({ price })) },
              mark: { type: "rule" as const, color: "#c08a00", strokeDash: [6, 3] },
              encoding: { y },
            },
          ]),
      {
        data: { values: path },
        mark: { type: "line", color: "#2f5d8a", strokeWidth: 1.8, point: { size: 18, color: "#2f5d8a" } },
        encoding: { x, y },
      },
      {
        data: { values: marks },
        mark: { type: "point", filled: true, size: 80 },
        encoding: {
          x,
          y,
          color: {
            field: "kind",
            type: "nominal",
            scale: { domain: ["entry", "exit"], range: ["#2f5d8a", exitColor] },
            legend: null,
          },
        },
      },
      {
        data: { values: marks },
        mark: { type: "text", dy: -10, fontSize: 10, fontWeight: "bold", color: "#1f2328" },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  });
}
