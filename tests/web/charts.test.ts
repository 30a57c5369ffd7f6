import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrationChart, wilsonInterval } from "../../src/bot/charts/calibration.ts";
import { callPriceChart } from "../../src/bot/charts/call-price.ts";
import { leaderboardChart } from "../../src/bot/charts/leaderboard.ts";
import { cumulativeScores, scoreOverTimeChart } from "../../src/bot/charts/score-over-time.ts";
import { createWebApp } from "../../src/bot/web/app.ts";
import { calibrationBuckets } from "../../src/domain/scoring.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";
import { MEMBER, type Seeded, SWEEP_AT, seedDesk } from "./seed.ts";

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
    const png = await chart.png();
    expect(isPng(png)).toBe(true);
    expect(pngSize(png).width).toBeGreaterThan(400);
    expect(await chart.png()).toBe(png);
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
    expect(isPng(await chart.png())).toBe(true);
    expect(isPng(await (await scoreOverTimeChart([])).png())).toBe(true);
  });

  /** The words a chart writes: tick labels, titles, annotations. */
  const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");

  it("says there is nothing yet on an empty record instead of drawing an axis labelled 0.000000", async () => {
    for (const chart of [
      await scoreOverTimeChart([]),
      await calibrationChart(calibrationBuckets([])),
      await leaderboardChart([]),
      // The desk and its benchmarks are on the board from the start, with nothing resolved to draw.
      await leaderboardChart([
        { name: "Desk", score: 0, isDesk: true, resolved: 0 },
        { name: "Always up (55%)", score: 0, isDesk: true, resolved: 0 },
      ]),
    ]) {
      expect(chart.svg).not.toContain('aria-roledescription="axis"');
      expect(texts(chart.svg).join(" ")).toMatch(/No resolved calls yet|Nobody on the board yet/);
      expect(chart.svg).not.toContain("0.000000");
      expect(isPng(await chart.png())).toBe(true);
    }
  });

  it("draws one batch of verdicts in resolution order, never on a sub-second time axis", async () => {
    const at = new Date("2026-06-10T22:00:00Z");
    const chart = await scoreOverTimeChart([
      { resolvedAt: at, baselineScore: 16 },
      { resolvedAt: at, baselineScore: -11 },
      { resolvedAt: at, baselineScore: 7 },
    ]);
    const labels = texts(chart.svg);
    expect(labels).toContain("Calls in resolution order (all resolved 2026-06-10 UTC)");
    expect(labels.filter((t) => /^[.:]?\d*\.\d+$/.test(t) || /^:\d\d$/.test(t))).toEqual([]);
    // Two days apart: dates on the axis, each date once.
    const spread = await scoreOverTimeChart([
      { resolvedAt: at, baselineScore: 16 },
      { resolvedAt: new Date("2026-06-12T22:00:00Z"), baselineScore: 4 },
    ]);
    const dates = texts(spread.svg).filter((t) => /^Jun \d\d$/.test(t));
    expect(dates.length).toBeGreaterThan(1);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it("draws a record where every call says 55% as a point with its count and a 95% interval bar", async () => {
    const forecasts = [1, 0, 1].map((outcome) => ({ p: 0.55, outcome: outcome as 0 | 1 }));
    const chart = await calibrationChart(calibrationBuckets(forecasts));
    const [low, high] = wilsonInterval(2, 3);
    expect(low).toBeCloseTo(0.2077, 3);
    expect(high).toBeCloseTo(0.9385, 3);
    expect(chart.svg).toContain('aria-roledescription="rule mark"');
    expect(chart.svg).toMatch(/stated: 55\.0+%; low: 20\.765\d*%; high: 0\.9385/);
    expect(chart.svg).toContain(">n=3</text>");
    expect(wilsonInterval(0, 1)[0]).toBe(0);
    expect(wilsonInterval(1, 1)[1]).toBe(1);
  });

  it("marks entry, lock, deadline and exit on a call's price path, and says so when no price is stored", async () => {
    const chart = await callPriceChart({
      symbol: "SPY",
      path: [
        { at: new Date("2026-06-01T20:00:00Z"), price: 438.0 },
        { at: new Date("2026-06-02T20:00:00Z"), price: 431.6 },
        { at: new Date("2026-06-03T20:00:00Z"), price: 432.9 },
      ],
      entry: { at: new Date("2026-06-02T15:00:00Z"), price: 438.03 },
      exit: { at: new Date("2026-06-03T20:00:00Z"), price: 432.86 },
      lockAt: new Date("2026-06-02T22:15:00Z"),
      deadline: new Date("2026-06-04T15:00:00Z"),
      levels: [435],
      status: "wrong",
    });
    for (const label of ["entry", "lock", "deadline", "exit"]) expect(texts(chart.svg)).toContain(label);
    expect(isPng(await chart.png())).toBe(true);
    // An open SPY call with no stored path: only its entry and levels vary below.
    const openCall = {
      symbol: "SPY",
      path: [],
      entry: null,
      exit: null,
      lockAt: new Date("2026-06-02T22:15:00Z"),
      deadline: new Date("2026-06-04T15:00:00Z"),
      levels: [],
      status: "open",
    };
    const justMade = { at: new Date("2026-06-02T15:00:00Z"), price: 438.03 };
    const empty = await callPriceChart(openCall);
    expect(texts(empty.svg)).toContain("No SPY prices stored for this call yet");
    // A call just made: one price, and a scale around it rather than a zero-height one.
    const fresh = await callPriceChart({ ...openCall, entry: justMade });
    expect(texts(fresh.svg).filter((t) => /^\d{3}(\.\d+)?$/.test(t)).length).toBeGreaterThan(1);
    // A range call's band is drawn at its two edges around the entry, on the price scale.
    const band = await callPriceChart({
      ...openCall,
      entry: justMade,
      levels: [438.03 * 0.988, 438.03 * 1.012],
    });
    const ticks = texts(band.svg)
      .filter((t) => /^[\d,]+(\.\d+)?$/.test(t))
      .map((t) => Number(t.replace(/,/g, "")))
      .filter((v) => v > 100);
    expect(ticks.length).toBeGreaterThan(1);
    expect(Math.min(...ticks)).toBeGreaterThan(420);
    expect(texts(band.svg)).not.toContain("0");
  });

  it("draws leaderboard bars with names as text, not markup", async () => {
    const chart = await leaderboardChart([
      { name: "<b>Ada</b>", score: 41.6, isDesk: false, resolved: 12 },
      { name: "Desk", score: -12, isDesk: true, resolved: 30 },
      { name: "Crowd (median member)", score: 0, isDesk: true, resolved: 0 },
    ]);
    // A row with nothing resolved has no score: it is not drawn as a bar at 0.
    expect(chart.svg).not.toContain("Crowd");
    expect(chart.svg).toContain("1. &lt;b&gt;Ada&lt;/b&gt;");
    expect(chart.svg).not.toContain("<b>");
    expect(chart.svg).toContain(">41.6</text>");
    expect(isPng(await chart.png())).toBe(true);
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

  it("serves each call's price chart from the prices the store holds, and 404 for an unknown call", async () => {
    const resolved = await s.db.prisma.call.findFirstOrThrow({
      where: { authorType: "desk", status: { in: ["right", "wrong"] } },
    });
    const svg = await s.app.request(`/charts/call/${resolved.id}.svg`);
    expect(svg.status).toBe(200);
    const text = await svg.text();
    for (const label of ["entry", "lock", "deadline", "exit", `${resolved.symbol} around the call`])
      expect(text).toContain(`>${label}</text>`);
    const png = await s.app.request(`/charts/call/${resolved.id}.png`);
    expect(isPng(new Uint8Array(await png.arrayBuffer()))).toBe(true);
    expect((await s.app.request("/charts/call/999999.png")).status).toBe(404);
    expect((await s.app.request("/charts/call/99999999999.png")).status).toBe(404);
  });

  it("draws a range call's band at its edges around the entry, never its percent as a price", async () => {
    const range = await s.db.prisma.call.findFirstOrThrow({ where: { authorType: "desk", kind: "range" } });
    const svg = await (await s.app.request(`/charts/call/${range.id}.svg`)).text();
    const ticks = [...svg.matchAll(/>([\d,]+(?:\.\d+)?)<\/text>/g)].map((m) =>
      Number(m[1]?.replace(/,/g, "")),
    );
    expect(ticks.length).toBeGreaterThan(1);
    // The scale hugs the price path and the band; a band drawn at "1.2" would stretch it to zero.
    expect(Math.min(...ticks)).toBeGreaterThan((range.entryPrice ?? 0) * 0.5);
  });

  it("adds the simulated market's daily closes to a call's path when the web is given that market", async () => {
    // The newest desk call: the market has closes after the last cycle observed its symbol.
    const call = await s.db.prisma.call.findFirstOrThrow({
      where: { authorType: "desk", symbol: { not: "BTC-USD" } },
      orderBy: { id: "desc" },
    });
    /** Points on the price line: one symbol mark each, in the line's layer. */
    const linePoints = (svg: string) => (svg.match(/aria-label="at: [^"]*; price: [^"]*"/g) ?? []).length;
    const stored = linePoints(await (await s.app.request(`/charts/call/${call.id}.svg`)).text());
    const demo = createWebApp({
      db: s.db,
      health: () => ({ scheduler: true, surfaces: {} }),
      market: new SimulatedMarket(11).source().quotes,
      clock: { now: () => SWEEP_AT },
    });
    const withMarket = linePoints(await (await demo.request(`/charts/call/${call.id}.svg`)).text());
    expect(stored).toBeGreaterThan(0);
    expect(withMarket).toBeGreaterThan(stored);
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
