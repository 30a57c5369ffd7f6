import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { cycleCommand } from "../../src/cli/commands/cycle.ts";
import { captureOutput } from "../support/process.ts";

/** `npm run cli -- cycle --now …` in this process, on an embedded database in `dataDir`. */
async function cycleNow(dataDir: string, at: string) {
  const { result, stdout, stderr } = await captureOutput(
    () => runCli([cycleCommand], ["cycle", "--now", "--source", "simulated", "--seed", "3", "--at", at]),
    { DATABASE_URL: "", DATA_DIR: dataDir, DESK_ENGINE: "offline" },
  );
  return { code: result, stdout, stderr };
}

describe("npm run cli -- cycle --now", () => {
  it("publishes once on a simulated day, then says the next run on the same day was skipped and why", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-skip-"));
    try {
      const first = await cycleNow(dataDir, "2026-06-10T14:05:00Z");
      expect(first.code).toBe(0);
      const number = /^Dispatch #(\d+) · cycle 1 /.exec(first.stdout)?.[1];
      expect(number).toBeDefined();
      // A second process over the same database: nothing kept in memory, the fingerprint is stored.
      const second = await cycleNow(dataDir, "2026-06-10T17:05:00Z");
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("Cycle 2 skipped · simulated market at 2026-06-10T17:05:00.000Z");
      expect(second.stdout).toMatch(
        new RegExp(
          `Nothing new since dispatch #${number} \\(market at 2026-06-10T14:05:00.000Z\\): inputs unchanged since dispatch #${number} \\(fingerprint [0-9a-f]{12}\\)\\. Nothing published\\.`,
        ),
      );
      expect(second.stdout).not.toContain("Dispatch #");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
