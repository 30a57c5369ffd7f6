import { settleDueCalls } from "../src/resolution/settle.ts";
import type { Database } from "../src/store/database.ts";
import { FakeQuotes } from "../tests/support/fake-quotes.ts";
import {
  analyzeCalls,
  clearCalls,
  createBenchServer,
  insertBenchMembers,
  insertDueCalls,
  rawResolveUpdate,
} from "./fixtures.ts";
import { benchSeries } from "./quotes.ts";
import { type Figure, figure } from "./report.ts";
import { timed } from "./stats.ts";

const SYMBOLS = ["SPY", "QQQ", "IWM", "DIA", "TLT", "GLD", "XLE", "XLF", "AAPL", "MSFT"];
const DEADLINE_DAYS = 30; // 10 symbols × 30 deadlines = 300 symbol-deadline groups
const FIRST_DEADLINE = "2026-01-05T22:00:00";
const NOW = new Date("2026-02-10T00:00:00Z");
/** The sweep's target: within twice a raw UPDATE of the same rows (which writes no chain, totals or posts). */
const RAW_RATIO = 2;

/**
 * The scheduler's real resolution pass (verdicts with their posts and learn markers, then learning;
 * looped in its default batches until nothing is due) against one raw UPDATE of the same rows.
 */
export async function benchResolution(db: Database, sizes: number[]): Promise<Figure[]> {
  const serverId = await createBenchServer(db, SYMBOLS);
  const memberIds = await insertBenchMembers(db, serverId, 200);
  const quotes = new FakeQuotes(benchSeries(SYMBOLS, "2025-12-01", 80));
  const figures: Figure[] = [];
  for (const count of sizes) {
    const seed = () =>
      insertDueCalls(db, {
        serverId,
        memberIds,
        symbols: SYMBOLS,
        deadlineDays: DEADLINE_DAYS,
        firstDeadline: FIRST_DEADLINE,
        count,
      });
    await clearCalls(db);
    await seed();
    const raw = await timed(() => rawResolveUpdate(db, NOW));
    await clearCalls(db);
    await seed();
    // Planner statistics for the sweep, as a live database has them (autovacuum): without, a table
    // filled a moment ago looks empty and each batch sorts every due call. The raw UPDATE above runs
    // as it always has, without them (they would slow its plan on PGlite).
    await analyzeCalls(db);
    const sweep = await timed(async () => {
      let resolved = 0;
      let lookups = 0;
      let passes = 0;
      let pages = 0;
      for (;;) {
        const report = await settleDueCalls({
          db,
          quotes,
          now: NOW,
          graceHours: 72,
          verdictTargets: ["discord"],
        });
        resolved += report.resolved.length;
        lookups += report.lookups;
        passes += 1;
        pages += report.pages;
        if (report.due === 0 || report.resolved.length === 0) break;
      }
      return { resolved, lookups, passes, pages };
    });
    const target = count >= 100_000;
    figures.push(
      figure({
        section: "resolution",
        name: `sweep-${count / 1000}k`,
        value: sweep.ms,
        unit: "ms",
        baseline: raw.ms,
        baselineName: "raw UPDATE of the same rows",
        target: target ? `<= ${RAW_RATIO}x raw` : null,
        met: target ? sweep.ms <= RAW_RATIO * raw.ms : null,
        note: `${sweep.value.resolved} resolved (raw updated ${raw.value}), ${SYMBOLS.length * DEADLINE_DAYS} groups, ${sweep.value.lookups} lookups, ${sweep.value.passes} passes, ${sweep.value.pages} pages of <=10k`,
      }),
    );
  }
  await clearCalls(db);
  return figures;
}
