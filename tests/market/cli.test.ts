import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { historyCommand } from "../../src/cli/commands/history.ts";
import { observeCommand } from "../../src/cli/commands/observe.ts";
import { ReplayMarket } from "../../src/market/replay.ts";
import { fakeProvider } from "./fake-provider.ts";

const server = fakeProvider();
const fixture = (name: string) => readFile(path.join(import.meta.dirname, "fixtures", name), "utf8");

function captureStdout() {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join("");
}

describe("market CLI", () => {
  beforeEach(() => server.reset());
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("history downloads Yahoo bars into replay CSVs that the replay adapter reads back", async () => {
    vi.stubEnv("YAHOO_BASE_URL", server.url);
    server.route("/v8/finance/chart/SPY", { body: await fixture("yahoo-chart-spy.json") });
    const out = await mkdtemp(path.join(tmpdir(), "tapereader-history-"));
    const output = captureStdout();
    const code = await historyCommand.run([
      "--symbols",
      "SPY",
      "--from",
      "2026-03-01",
      "--to",
      "2026-04-30",
      "--out",
      out,
    ]);
    expect(code).toBe(0);
    expect(output()).toContain("SPY: 3 bars");
    const csv = await readFile(path.join(out, "SPY.csv"), "utf8");
    // float32 noise from Yahoo is rounded to 7 significant digits, as in the shared history.
    expect(csv.split("\n").slice(0, 3)).toEqual([
      "date,open,high,low,close,volume",
      "2026-03-30,634.1,636.5,630.2,632.01,81234500",
      "2026-04-01,652.9,658.5,652.98,655.24,97841500",
    ]);
    const quote = await new ReplayMarket(out).latestQuote("SPY", new Date("2026-04-03T00:00:00Z"));
    expect(quote).toMatchObject({ session: "2026-04-02", price: 655.11 });
  });

  it("observe --source simulated prints a labelled snapshot as JSON with no files and no network", async () => {
    const output = captureStdout();
    const code = await observeCommand.run([
      "--source",
      "simulated",
      "--at",
      "2026-04-01T13:00:00Z",
      "--json",
    ]);
    expect(code).toBe(0);
    const snapshot = JSON.parse(output());
    expect(snapshot.source).toBe("simulated");
    expect(snapshot.flags).toEqual(["market_closed", "simulated"]);
    expect(snapshot.observations.find((o: { id: string }) => o.id === "quote:SPY").value).toBeGreaterThan(0);
    expect(server.seen).toHaveLength(0);
  });

  it("observe prints a readable table with flags", async () => {
    const output = captureStdout();
    await observeCommand.run([
      "--source",
      "simulated",
      "--at",
      "2026-04-03T15:00:00Z",
      "--symbols",
      "SPY,^VIX",
    ]);
    const text = output();
    expect(text).toContain("Flags: holiday, market_closed, simulated");
    expect(text).toMatch(/quote:\^VIX\s+\d+\.\d+\s+2026-04-02/);
    expect(text).toContain("(SIMULATED MARKET)");
  });

  it("observe rejects a bad --at", async () => {
    await expect(observeCommand.run(["--source", "simulated", "--at", "yesterday-ish"])).rejects.toThrow(
      /not an ISO time/,
    );
  });
});
