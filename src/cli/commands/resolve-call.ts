import { parseArgs } from "node:util";
import { assetClassOf, type Bar, barCloseTime } from "../../domain/bars.ts";
import { callSpecSchema, deadlineOf, symbolsOf } from "../../domain/call.ts";
import { resolveCall } from "../../domain/resolution.ts";
import { csvFileFor, MissingDataFile, readDailyBars } from "../../market/csv-bars.ts";
import { type CliCommand, Mistake, UsageError } from "../command.ts";

export const resolveCallCommand: CliCommand = {
  name: "resolve-call",
  summary: "Resolve one call (the call JSON) against daily CSV bars and print the verdict as JSON",
  usage: "resolve-call --call '<call json>' --data <dir>",
  async run(args) {
    const { values } = parseArgs({ args, options: { call: { type: "string" }, data: { type: "string" } } });
    if (!values.call || !values.data) throw new UsageError("resolve-call needs --call and --data.");
    let json: unknown;
    try {
      json = JSON.parse(values.call);
    } catch {
      throw new UsageError("--call is not valid JSON.");
    }
    const parsed = callSpecSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => `  ${i.path.join(".") || "call"}: ${i.message}`)
        .join("\n");
      throw new UsageError(`--call is not a valid call:\n${problems}`);
    }
    const call = parsed.data;
    const bars: Record<string, Bar[]> = {};
    for (const symbol of symbolsOf(call)) bars[symbol] = await barsOf(values.data, symbol);
    const resolution = resolveCall({ call, bars, dataThrough: dataEnd(bars) });
    process.stdout.write(`${JSON.stringify({ deadline: deadlineOf(call).toISOString(), ...resolution })}\n`);
    return 0;
  },
};

/** A symbol without a file is usually a typo or a symbol never downloaded: say which, and how to get it. */
async function barsOf(dir: string, symbol: string): Promise<Bar[]> {
  try {
    return await readDailyBars(dir, symbol);
  } catch (error) {
    if (!(error instanceof MissingDataFile)) throw error;
    throw new Mistake(
      `No bars for ${symbol} in ${dir} (no ${csvFileFor(symbol)}): check the symbol, or download it with \`npm run cli -- history --symbols ${symbol} --from 2024-01-01 --out ${dir}\`.`,
    );
  }
}

/** Files are complete up to the close of their last bar; the earliest of the symbols bounds them all. */
function dataEnd(bars: Record<string, Bar[]>): Date {
  const ends = Object.entries(bars).map(([symbol, series]) => {
    const last = series.at(-1);
    return last ? barCloseTime(last.date, assetClassOf(symbol)).getTime() : 0;
  });
  return new Date(Math.min(...ends));
}
