import { seasonBoard } from "../src/resolution/leaderboard.ts";
import type { Database } from "../src/store/database.ts";
import { leaderboardTotals } from "../src/store/leaderboard.ts";
import { loadCallTrail } from "../src/store/records.ts";
import { callIdRange, clearCalls, handLeaderboard, handTrail, seedResolvedDesk } from "./fixtures.ts";
import { type Figure, figure } from "./report.ts";
import { percentile, sample } from "./stats.ts";

/** Leaderboard (ScoreTotal reads) and trail over `count` stored calls, against hand-written SQL over Call. */
export async function benchLeaderboard(
  db: Database,
  count: number,
  log: (line: string) => void,
): Promise<Figure[]> {
  const { serverId, seedMs } = await seedResolvedDesk(db, count, log);
  const label = count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`;
  const figures: Figure[] = [];
  for (const season of ["all", "2025-06"]) {
    const query = { serverId, season, minResolved: 5, limit: 10 };
    const board = await leaderboardTotals(db.prisma, query); // warm-up
    const hand = await handLeaderboard(db, serverId, season, 10);
    const top = board.members[0]?.skillSum ?? 0;
    if (Math.abs(top - Number(hand[0]?.score ?? 0)) > 1e-6) {
      log(`  warning: top scores differ (${top} from ScoreTotal vs ${String(hand[0]?.score)} from Call)`);
    }
    const fast = await sample(200, () => leaderboardTotals(db.prisma, query));
    const slow = await sample(season === "all" ? 10 : 30, () => handLeaderboard(db, serverId, season, 10));
    // The whole board as /leaderboard reads it: the totals plus the crowd and always-up rows, which
    // are scored over the season's resolved desk questions and their answers.
    const full = await sample(season === "all" ? 20 : 50, () => seasonBoard(db, query));
    figures.push(
      figure({
        section: "leaderboard",
        name: `full board with crowd and always up, season ${season}, ${label} calls, p99`,
        value: percentile(full, 99),
        unit: "ms",
        baseline: null,
        baselineName: null,
        target: null,
        met: null,
      }),
    );
    for (const p of [50, 99]) {
      figures.push(
        figure({
          section: "leaderboard",
          name: `season ${season}, ${label} calls, p${p}`,
          value: percentile(fast, p),
          unit: "ms",
          baseline: percentile(slow, p),
          baselineName: "SQL GROUP BY over Call",
          target: season === "all" && p === 99 ? "< 50 ms" : null,
          met: season === "all" && p === 99 ? percentile(fast, p) < 50 : null,
        }),
      );
    }
  }
  const { min, max } = await callIdRange(db);
  const pick = (i: number) => min + ((i * 104_729) % (max - min + 1));
  await loadCallTrail(db.prisma, pick(0));
  const trail = await sample(200, (i) => loadCallTrail(db.prisma, pick(i)));
  const handTrails = await sample(200, (i) => handTrail(db, pick(i)));
  for (const p of [50, 99]) {
    figures.push(
      figure({
        section: "trail",
        name: `loadCallTrail, ${label} calls, p${p}`,
        value: percentile(trail, p),
        unit: "ms",
        baseline: percentile(handTrails, p),
        baselineName: "hand-written SQL",
        target: null,
        met: null,
      }),
    );
  }
  figures[0] = {
    ...(figures[0] as Figure),
    note: `seeding ${count} calls + totals took ${Math.round(seedMs)} ms`,
  };
  await clearCalls(db);
  return figures;
}
