import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { FredApiMacro } from "../../src/market/fred.ts";
import { releasedAt } from "../../src/market/macro.ts";
import { ReplayMarket } from "../../src/market/replay.ts";
import { fakeProvider, fastHttp } from "../market/fake-provider.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

/** Issue #15, problem 7: a macro value is visible only once it was published. */

// BLS's CPI release dates (08:30 New York), normal months and the late-2025 shutdown's delays.
const CPI_RELEASES: [string, string][] = [
  ["2018-12-01", "2019-01-11T13:30:00Z"],
  ["2022-05-01", "2022-06-10T12:30:00Z"],
  ["2024-12-01", "2025-01-15T13:30:00Z"],
  ["2025-08-01", "2025-09-11T12:30:00Z"],
  ["2025-09-01", "2025-10-24T12:30:00Z"], // delayed by the shutdown
  ["2025-11-01", "2025-12-18T13:30:00Z"], // delayed; October 2025 was never published
];

const AT = new Date("2025-10-20T19:00:00Z");

describe("macro release times", () => {
  it.each(CPI_RELEASES)("CPI for %s is never visible before its release at %s", (month, release) => {
    for (const id of ["CPIAUCSL", "CPIAUCNS"]) {
      expect(releasedAt(id, month).getTime()).toBeGreaterThanOrEqual(Date.parse(release));
    }
  });

  it("a replay on 2025-10-20 does not see September 2025's CPI, published 2025-10-24", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "macro-"));
    writeFileSync(
      path.join(dir, "CPIAUCSL.csv"),
      "date,value\n2025-07-01,322.132\n2025-08-01,323.364\n2025-09-01,324.368\n2025-11-01,324.122\n",
    );
    const series = await new ReplayMarket(dir).series("CPIAUCSL", AT);
    expect(series.points.at(-1)?.date).toBe("2025-08-01");
  });

  it.skipIf(!hasSharedData)("on the real history too (../shared/data)", async () => {
    const series = await new ReplayMarket(SHARED_DATA).series("CPIAUCSL", AT);
    expect(series.points.at(-1)?.date).toBe("2025-08-01");
  });
});

describe("FRED API: the first release and its real date", () => {
  const server = fakeProvider();
  beforeEach(() => server.reset());

  it("asks for initial releases and shows each from its realtime_start, not from a lag", async () => {
    const observation = (date: string, value: string, released: string) => ({
      realtime_start: released,
      realtime_end: "9999-12-31",
      date,
      value,
    });
    server.route("/fred/series/observations", {
      body: JSON.stringify({
        output_type: 4,
        observations: [
          observation("2025-08-01", "323.364", "2025-09-11"),
          observation("2025-09-01", "324.368", "2025-10-24"),
        ],
      }),
    });
    const fred = new FredApiMacro("key", server.url, fastHttp());
    expect((await fred.series("CPIAUCSL", AT)).points.at(-1)?.date).toBe("2025-08-01");
    // The day of the release, after BLS's 08:30 and every other publication of the day.
    const after = await fred.series("CPIAUCSL", new Date("2025-10-24T22:00:00Z"));
    expect(after.points.at(-1)).toEqual({ date: "2025-09-01", value: 324.368 });
    expect(server.seen[0]!.path).toContain("output_type=4");
  });
});
