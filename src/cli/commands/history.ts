import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../../config/index.ts";
import { csvFileFor, formatDailyBars } from "../../market/csv-bars.ts";
import { defaultHttp } from "../../market/http.ts";
import { YahooQuotes } from "../../market/yahoo.ts";
import { answerFor } from "../answers.ts";
import { type CliCommand, UsageError } from "../command.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const historyCommand: CliCommand = {
  name: "history",
  summary: "Download daily bars from Yahoo into the replay CSV format (SYMBOL.csv)",
  usage: "history --symbols SPY,QQQ --from 2020-01-01 [--to YYYY-MM-DD] --out <dir>",
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        symbols: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        out: { type: "string" },
      },
    });
    if (!values.symbols || !values.from || !values.out)
      throw new UsageError("history needs --symbols, --from and --out.");
    const now = new Date();
    const to = values.to ?? now.toISOString().slice(0, 10);
    if (!DATE.test(values.from) || !DATE.test(to))
      throw new UsageError("--from and --to are dates, YYYY-MM-DD.");
    const config = loadConfig();
    const yahoo = new YahooQuotes(
      config.market.urls.yahoo,
      defaultHttp({ timeoutMs: config.market.timeoutMs }),
    );
    await mkdir(values.out, { recursive: true });
    const symbols = values.symbols
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const failed: { symbol: string; answer: string }[] = [];
    for (const symbol of symbols) {
      try {
        // asOf = now: today's bar is written only once its session has closed.
        const { bars } = await yahoo.dailyBars(symbol, { from: values.from, to }, now);
        const file = path.join(values.out, csvFileFor(symbol));
        await writeFile(file, formatDailyBars(bars));
        process.stdout.write(`${symbol}: ${bars.length} bars → ${file}\n`);
      } catch (error) {
        // Said the way runCli says it; a bug still surfaces unexplained.
        failed.push({ symbol, answer: answerFor(error) ?? (error as Error).message });
      }
    }
    const answers = new Set(failed.map((f) => f.answer));
    // Every symbol failing the same way (no network, say) is one problem: one sentence, not one per symbol.
    if (failed.length === symbols.length && answers.size === 1)
      process.stderr.write(`${symbols.join(", ")}: ${[...answers][0]}\n`);
    else for (const { symbol, answer } of failed) process.stderr.write(`${symbol}: ${answer}\n`);
    const failures = failed.length;
    return failures === 0 ? 0 : 1;
  },
};
