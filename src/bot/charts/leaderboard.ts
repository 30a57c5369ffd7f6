import { type Chart, renderChart } from "./render.ts";

export interface BoardBar {
  name: string;
  score: number;
  isDesk: boolean;
}

/** Summed baseline score per forecaster, best first, the desk in its own colour as the bar to beat. */
export function leaderboardChart(rows: readonly BoardBar[], title = "Leaderboard"): Promise<Chart> {
  const values = rows.map((r, i) => ({
    // Two members may share a display name; the rank keeps their bars apart.
    who: r.isDesk ? "Desk" : `${i + 1}. ${r.name}`,
    score: Math.round(r.score),
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
          x: { field: "score", type: "quantitative", title: "Summed baseline score" },
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
