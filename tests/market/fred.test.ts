import { beforeEach, describe, expect, it } from "vitest";
import { FredApiMacro, FredGraphMacro } from "../../src/market/fred.ts";
import { readMacro } from "../../src/market/quality.ts";
import { fakeProvider, fastHttp } from "./fake-provider.ts";

const server = fakeProvider();

/** fredgraph.csv as FRED serves it today: `observation_date,<ID>`, holidays as "." (older files) or empty. */
const DGS10_CSV = `observation_date,DGS10
2026-03-27,4.36
2026-03-30,4.31
2026-03-31,.
2026-04-01,4.30
2026-04-02,
`;

const CPI_CSV = `observation_date,CPIAUCSL
2026-01-01,326.588
2026-02-01,327.460
`;

describe("FRED keyless fredgraph.csv", () => {
  beforeEach(() => server.reset());

  it("keeps '.' and empty cells as missing values and serves only what was published by asOf", async () => {
    server.route("/graph/fredgraph.csv", { body: DGS10_CSV, headers: { "content-type": "text/csv" } });
    const fred = new FredGraphMacro(server.url, fastHttp());
    const series = await fred.series("DGS10", new Date("2026-04-01T12:00:00Z"));
    expect(server.seen[0]!.path).toBe("/graph/fredgraph.csv?id=DGS10");
    expect(series.points).toEqual([
      { date: "2026-03-27", value: 4.36 },
      { date: "2026-03-30", value: 4.31 },
      { date: "2026-03-31", value: null },
    ]);
    // The latest point is a ".": flagged, and the value is the last real one with its own date.
    const reading = readMacro("DGS10", series.points, series.trust, new Date("2026-04-01T12:00:00Z"));
    expect(reading.flags).toEqual(["missing_value"]);
    expect(reading.latest).toEqual({ date: "2026-03-30", value: 4.31 });
  });

  it("does not show a month's CPI before the end of the next month, a bound no release has passed", async () => {
    server.route("/graph/fredgraph.csv", { body: CPI_CSV });
    const fred = new FredGraphMacro(server.url, fastHttp());
    const early = await fred.series("CPIAUCSL", new Date("2026-03-31T23:00:00Z"));
    expect(early.points.at(-1)!.date).toBe("2026-01-01");
    const late = await fred.series("CPIAUCSL", new Date("2026-04-01T00:00:00Z"));
    expect(late.points.at(-1)).toEqual({ date: "2026-02-01", value: 327.46 });
  });

  it("refuses a CSV for another series or an HTML error page", async () => {
    server.route("/graph/fredgraph.csv", { body: "observation_date,DGS2\n2026-04-01,3.8\n" });
    const fred = new FredGraphMacro(server.url, fastHttp());
    await expect(fred.series("DGS10", new Date())).rejects.toThrow(/unexpected CSV header/);
    server.route("/graph/fredgraph.csv", { body: "<!DOCTYPE html><html><body>Error</body></html>" });
    await expect(fred.series("DGS10", new Date())).rejects.toThrow(/unexpected CSV header/);
  });
});

describe("FRED API with a key", () => {
  beforeEach(() => server.reset());

  it("reads observations JSON, sends the key and bounds the request at asOf", async () => {
    server.route("/fred/series/observations", {
      body: JSON.stringify({
        realtime_start: "2026-04-02",
        realtime_end: "2026-04-02",
        observation_start: "1600-01-01",
        observation_end: "2026-04-01",
        units: "lin",
        output_type: 1,
        file_type: "json",
        order_by: "observation_date",
        sort_order: "asc",
        count: 2,
        offset: 0,
        limit: 100000,
        observations: [
          { realtime_start: "2026-04-02", realtime_end: "2026-04-02", date: "2026-03-31", value: "." },
          { realtime_start: "2026-04-02", realtime_end: "2026-04-02", date: "2026-04-01", value: "3.79" },
        ],
      }),
    });
    const fred = new FredApiMacro("abc123", server.url, fastHttp());
    const series = await fred.series("DGS2", new Date("2026-04-02T01:00:00Z"));
    expect(series.points).toEqual([
      { date: "2026-03-31", value: null },
      { date: "2026-04-01", value: 3.79 },
    ]);
    expect(server.seen[0]!.path).toContain("api_key=abc123");
    expect(server.seen[0]!.path).toContain("observation_end=2026-04-02");
  });

  it("surfaces FRED's 400 for a bad key without retrying", async () => {
    server.route("/fred/series/observations", {
      status: 400,
      body: JSON.stringify({
        error_code: 400,
        error_message: "Bad Request.  The value for variable api_key is not registered.",
      }),
    });
    const fred = new FredApiMacro("wrong", server.url, fastHttp());
    await expect(fred.series("DGS2", new Date())).rejects.toThrow(/HTTP 400 .*api_key is not registered/);
    expect(server.seen).toHaveLength(1);
  });
});
