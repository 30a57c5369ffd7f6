import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { parseCallCommand } from "../../src/cli/commands/parse-call.ts";
import { callSpecSchema } from "../../src/domain/call.ts";
import { captureOutput } from "../support/process.ts";

/** `npm run cli -- parse-call …` run in this process: the same exit code, stdout and stderr. */
async function cli(...args: string[]) {
  const run = await captureOutput(() => runCli([parseCallCommand], ["parse-call", ...args]));
  return { code: run.result, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run cli -- parse-call", () => {
  it("prints the call JSON and exits 0", async () => {
    const run = await cli("QQQ down 48h 65%", "--now", "2026-04-01T14:00:00Z");
    expect(run.code).toBe(0);
    const call = JSON.parse(run.stdout);
    expect(call).toEqual({
      kind: "direction",
      symbol: "QQQ",
      direction: "down",
      horizonHours: 48,
      probability: 0.65,
      madeAt: "2026-04-01T14:00:00.000Z",
    });
    expect(callSpecSchema.safeParse(call).success).toBe(true);
  });

  it("takes the current price so a bare touch has a side", async () => {
    const run = await cli("SPY touches 700 within 5d 55%", "--price", "650", "--now", "2026-04-01T14:00:00Z");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: "touch", comparator: "above", level: 700 });
  });

  it("exits non-zero with the grammar's message on bad text", async () => {
    const run = await cli("QQQ up down 48h");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      '"up" and "down" contradict each other: pick one direction. Example: QQQ down 48h 65%',
    );
  });

  it("refuses a --now that is not an ISO time", async () => {
    const run = await cli("QQQ down 48h", "--now", "yesterday");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--now must be an ISO time with an offset");
  });
});
