import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readMigrations } from "../../src/store/migrator.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "", ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm run cli", () => {
  it("migrate creates the embedded database, and a second run changes nothing", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-cli-"));
    const first = await cli(["migrate"], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    const count = (await readMigrations()).length;
    expect(first.stdout).toContain(`: ${count} migration(s) applied, 0 already in place`);
    const second = await cli(["migrate"], { DATA_DIR: dataDir });
    expect(second.stdout).toContain(`: 0 migration(s) applied, ${count} already in place`);
  });

  it("stops with one message naming each bad variable", async () => {
    const result = await cli(["migrate"], { PORT: "eighty", LOCK_SHARE: "2" });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/PORT: /);
    expect(result.stderr).toMatch(/LOCK_SHARE: /);
  });

  it("rejects an invalid call with the field that is wrong", async () => {
    const call = JSON.stringify({
      kind: "direction",
      symbol: "SPY",
      direction: "up",
      horizonHours: 48,
      probability: 1.2,
      madeAt: "2026-03-31T14:00:00Z",
    });
    const result = await cli(["resolve-call", "--call", call, "--data", "."]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/probability: probability must be at most 0.99/);
  });

  it.skipIf(!hasSharedData)("resolve-call decides a call from the real SPY history", async () => {
    const call = JSON.stringify({
      kind: "direction",
      symbol: "SPY",
      direction: "up",
      horizonHours: 48,
      probability: 0.6,
      madeAt: "2026-03-31T14:00:00Z",
    });
    const result = await cli(["resolve-call", "--call", call, "--data", SHARED_DATA]);
    expect(result.code).toBe(0);
    // Made Tue 10:00 New York: entry is Monday's close, exit the last close before Thu 10:00 (Wednesday's).
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "right",
      entry: 631.97,
      exit: 655.24,
      exitDate: "2026-04-01",
      evidence: "SPY 631.97 → 655.24 (+3.68%)",
    });
  });
});
