import type { LeaderboardView } from "../../commands/leaderboard.ts";
import { type Chart, renderChart } from "./render.ts";
import { emptyChart } from "./time-axis.ts";

export interface BoardBar {
  name: string;
  score: number;
  /** The desk, the crowd and "always up": benchmark bars, in the desk's colour and without a rank. */
  isDesk: boolean;
  rank?: number | null;
  /** Resolved calls behind the score: a row with none has no score to draw, only a placeholder 0. */
  resolved: number;
}

/** The board's rows as bars: each row's shrunk skill per call, the number it ranks by. */
export function boardBars(view: LeaderboardView): BoardBar[] {
  return view.rows.map((r) => ({
    name: r.name,
    score: r.skill.shrunk,
    isDesk: r.isDesk,
    rank: r.rank,
    resolved: r.resolved,
  }));
}

/** Shrunk skill per call per forecaster, best first, the benchmarks in the desk's colour as bars to beat. */
export function leaderboardChart(all: readonly BoardBar[], title = "Leaderboard"): Promise<Chart> {
  if (!all.length) return emptyChart("Nobody on the board yet", title, 420, 120);
  const rows = all.filter((r) => r.resolved > 0);
  if (!rows.length) return emptyChart("No resolved calls yet", title, 420, 120);
  const values = rows.map((r, i) => ({
    // Two members may share a display name; the rank keeps their bars apart.
    who: r.isDesk ? r.name : `${r.rank ?? i + 1}. ${r.name}`,
    score: Math.round(r.score * 10) / 10,
    kind: r.isDesk ? "desk" : "member",
  }));
  return renderChart({
    title,
    width: 420,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "who", type: "nominal", sort: null, title: null },
          x: { field: "score", type: "quantitative", title: "Skill per call, shrunk (0 = the desk)" },
          color: {
            field: "kind",
            type: "nominal",
            scale: { domain: ["desk", "member"], range: ["#f29900", "#1a73e8"] },
            legend: null,
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 3, fontSize: 11 },
        encoding: {
          y: { field: "who", type: "nominal", sort: null },
          x: { field: "score", type: "quantitative" },
          text: { field: "score" },
        },
      },
    ],
  });
}
