import { access, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { cycleCommand } from "../../src/cli/commands/cycle.ts";
import { captureOutput } from "../support/process.ts";

/** `npm run cli -- cycle --now …` in this process, on an embedded database in `dataDir`. */
async function cycleNow(dataDir: string, at: string, extra: string[] = []) {
  const args = ["cycle", "--now", "--source", "simulated", "--seed", "3", "--at", at, ...extra];
  // Its own temporary folder (os.tmpdir() reads TMPDIR), so what a scratch run leaves is visible.
  await mkdir(path.join(dataDir, "tmp"), { recursive: true });
  const { result, stdout, stderr } = await captureOutput(() => runCli([cycleCommand], args), {
    DATABASE_URL: "",
    DATA_DIR: dataDir,
    DESK_ENGINE: "offline",
    TMPDIR: path.join(dataDir, "tmp"),
  });
  return { code: result, stdout, stderr };
}

describe("npm run cli -- cycle --now", () => {
  it("publishes once on a simulated day, then says the next run on the same day was skipped and why", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-skip-"));
    try {
      // --save keeps a run --at another moment; without it the run would be scratch (below).
      const save = ["--save", path.join(dataDir, "kept")];
      const first = await cycleNow(dataDir, "2026-06-10T14:05:00Z", save);
      expect(first.code).toBe(0);
      const number = /^Dispatch #(\d+) · cycle 1 /.exec(first.stdout)?.[1];
      expect(number).toBeDefined();
      // A second process over the same database: nothing kept in memory, the fingerprint is stored.
      const second = await cycleNow(dataDir, "2026-06-10T17:05:00Z", save);
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

  it("a run --at another moment is scratch: it publishes, and neither the desk's database nor its own folder remains", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-scratchrun-"));
    try {
      const run = await cycleNow(dataDir, "2026-06-10T14:05:00Z");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^Dispatch #1 · cycle 1 · .* · simulated market at 2026-06-10T14:05:00.000Z\n/,
      );
      expect(run.stdout).toContain("Scratch run: written to a throw-away database, removed now");
      // The desk's embedded database was never opened, so never created.
      await expect(access(path.join(dataDir, "db"))).rejects.toThrow();
      expect(await readdir(path.join(dataDir, "tmp"))).toEqual([]);
      // A second scratch run starts from nothing again: dispatch #1, not "skipped".
      const again = await cycleNow(dataDir, "2026-06-10T17:05:00Z");
      expect(again.stdout).toMatch(/^Dispatch #1 · cycle 1 /);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
