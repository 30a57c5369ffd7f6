import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrationChart } from "../../src/bot/charts/calibration.ts";
import { leaderboardChart } from "../../src/bot/charts/leaderboard.ts";
import { cumulativeScores, scoreOverTimeChart } from "../../src/bot/charts/score-over-time.ts";
import { calibrationBuckets } from "../../src/domain/scoring.ts";
import { MEMBER, type Seeded, seedDesk } from "./seed.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const isPng = (bytes: Uint8Array) => PNG_SIGNATURE.every((b, i) => bytes[i] === b);
/** Width and height from the PNG's IHDR chunk. */
const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

describe("charts", () => {
  it("draws a calibration curve labelled with every bucket's count, empty buckets included", async () => {
    const forecasts = [
      { p: 0.55, outcome: 1 as const },
      { p: 0.58, outcome: 0 as const },
      { p: 0.52, outcome: 1 as const },
      { p: 0.72, outcome: 1 as const },
      { p: 0.95, outcome: 0 as const },
    ];
    const chart = await calibrationChart(calibrationBuckets(forecasts), "Desk calibration");
    expect(chart.svg).toMatch(/^<svg /);
    for (const label of ["n=3", "n=0", "n=1"]) expect(chart.svg).toContain(`>${label}</text>`);
    expect(chart.svg).toContain("Desk calibration");
    const png = chart.png();
    expect(isPng(png)).toBe(true);
    expect(pngSize(png).width).toBeGreaterThan(400);
    expect(chart.png()).toBe(png);
  });

  it("accumulates baseline score in resolution order, whatever order the rows come in", async () => {
    const points = [
      { resolvedAt: new Date("2026-06-03T20:00:00Z"), baselineScore: -30 },
      { resolvedAt: new Date("2026-06-01T20:00:00Z"), baselineScore: 25 },
      { resolvedAt: new Date("2026-06-02T20:00:00Z"), baselineScore: 10.04 },
    ];
    expect(cumulativeScores(points).map((p) => p.total)).toEqual([25, 35, 5]);
    const chart = await scoreOverTimeChart(points);
    expect(chart.svg).toContain("Cumulative baseline score");
    expect(isPng(chart.png())).toBe(true);
    expect(isPng((await scoreOverTimeChart([])).png())).toBe(true);
  });

  it("draws leaderboard bars with names as text, not markup", async () => {
    const chart = await leaderboardChart([
      { name: "<b>Ada</b>", score: 41.6, isDesk: false },
      { name: "Desk", score: -12, isDesk: true },
    ]);
    expect(chart.svg).toContain("1. &lt;b&gt;Ada&lt;/b&gt;");
    expect(chart.svg).not.toContain("<b>");
    expect(chart.svg).toContain(">41.6</text>");
    expect(isPng(chart.png())).toBe(true);
  });
});

describe("chart routes over a desk that ran real cycles", () => {
  let s: Seeded;
  beforeAll(async () => {
    s = await seedDesk();
  });
  afterAll(async () => {
    await s?.db.close();
  });

  it.each([
    "/charts/calibration/desk",
    "/charts/score/desk",
    "/charts/leaderboard/board",
    `/charts/calibration/u/local/${MEMBER.externalId}`,
    `/charts/score/u/local/${MEMBER.externalId}`,
  ])("serves %s as PNG and SVG", async (path) => {
    const png = await s.app.request(`${path}.png?season=all`);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(isPng(new Uint8Array(await png.arrayBuffer()))).toBe(true);
    const svg = await s.app.request(`${path}.svg?season=all`);
    expect(svg.headers.get("content-type")).toContain("image/svg+xml");
    expect(await svg.text()).toMatch(/^<svg /);
  });

  it("labels the desk's calibration chart with its real bucket counts", async () => {
    const scored = await s.db.prisma.call.findMany({
      where: { authorType: "desk", status: { in: ["right", "wrong"] } },
    });
    const buckets = calibrationBuckets(
      scored.map((c) => ({ p: c.probability, outcome: c.outcome as 0 | 1 })),
    );
    const svg = await (await s.app.request("/charts/calibration/desk.svg")).text();
    for (const b of buckets) expect(svg).toContain(`>n=${b.count}</text>`);
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(scored.length);
  });
});
