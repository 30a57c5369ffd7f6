import { parseArgs } from "node:util";
import { loadConfig } from "../../config/index.ts";
import type { Observation, Snapshot } from "../../domain/observation.ts";
import { buildSnapshot } from "../../market/index.ts";
import type { CliCommand } from "../command.ts";
import { marketFromArgs, marketOptions } from "../market-args.ts";

export const observeCommand: CliCommand = {
  name: "observe",
  summary: "Print the market snapshot a cycle would see at a moment, with its data-quality flags",
  usage:
    "observe [--source live|replay|simulated] [--data <dir>] [--at <ISO time>] [--seed <n>] [--symbols A,B] [--json]",
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { ...marketOptions, symbols: { type: "string" }, json: { type: "boolean", default: false } },
    });
    const config = loadConfig();
    const { market, at } = await marketFromArgs(values, config);
    const symbols = values.symbols?.split(",").map((s) => s.trim()) ?? config.market.symbols;
    const snapshot = await buildSnapshot(market, at, { symbols, macroSeries: config.market.macroSeries });
    process.stdout.write(values.json ? `${JSON.stringify(snapshot, null, 2)}\n` : renderSnapshot(snapshot));
    return 0;
  },
};

/** A plain-text table: one line per observation, flags last, history summarised per symbol. */
export function renderSnapshot(snapshot: Snapshot): string {
  const lines = [
    `Snapshot at ${snapshot.at.toISOString()} · source ${snapshot.source}${snapshot.source === "simulated" ? " (SIMULATED MARKET)" : ""}`,
    `Flags: ${snapshot.flags.join(", ") || "none"}`,
    "",
  ];
  const rows = snapshot.observations.map((o) => [
    o.id,
    valueText(o),
    detailText(o),
    o.asOf.toISOString().replace(".000Z", "Z"),
    `${o.source}/${o.trust}`,
    o.flags.join(","),
  ]);
  const header = ["observation", "value", "detail", "as of", "source/trust", "flags"];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const format = (row: string[]) =>
    row
      .map((cell, i) => truncate(cell, widths[i]!).padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  lines.push(format(header), format(widths.map((w) => "-".repeat(w))), ...rows.map(format), "", "History:");
  for (const [symbol, bars] of Object.entries(snapshot.history))
    lines.push(
      `  ${symbol.padEnd(8)} ${bars.length} bars${bars.length ? ` ${bars[0]!.date} → ${bars.at(-1)!.date}` : ""}`,
    );
  return `${lines.join("\n")}\n`;
}

function valueText(o: Observation): string {
  if (o.value !== null) return String(o.value);
  return o.kind === "headline" || o.kind === "filing" ? "" : "—";
}

function detailText(o: Observation): string {
  const p = o.payload;
  if (o.kind === "quote" || o.kind === "crypto")
    return p.changePct === null || p.changePct === undefined
      ? `${p.session ?? ""}`
      : `${p.session} ${Number(p.changePct) >= 0 ? "+" : ""}${p.changePct}%`;
  if (o.kind === "macro") return `${p.date ?? ""}`;
  if (typeof p.error === "string") return p.error;
  return String(p.title ?? "");
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
