import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { migrateCommand } from "../../src/cli/commands/migrate.ts";
import { resolveCallCommand } from "../../src/cli/commands/resolve-call.ts";
import { readMigrations } from "../../src/store/migrator.ts";
import { captureOutput } from "../support/process.ts";
import { hasSharedData, SHARED_DATA } from "../support/shared-data.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The commands under test; the full list (commands/index.ts) would load every chat SDK and the charts too. */
const COMMANDS = [migrateCommand, resolveCallCommand];

/** `npm run cli -- <args>` in this process: exit code and output, with DATABASE_URL unset (embedded PGlite). */
async function cli(args: string[], env: Record<string, string> = {}) {
  const {
    result: code,
    stdout,
    stderr,
  } = await captureOutput(() => runCli(COMMANDS, args), {
    DATABASE_URL: "",
    ...env,
  });
  return { code, stdout, stderr };
}

describe("npm run cli", () => {
  it("migrate creates the embedded database, and a second run changes nothing", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-cli-"));
    try {
      const first = await cli(["migrate"], { DATA_DIR: dataDir });
      expect(first.code).toBe(0);
      const count = (await readMigrations()).length;
      expect(first.stdout).toContain(`: ${count} migration(s) applied, 0 already in place`);
      const second = await cli(["migrate"], { DATA_DIR: dataDir });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`: 0 migration(s) applied, ${count} already in place`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("stops with one message naming each bad variable", async () => {
    const result = await cli(["migrate"], { PORT: "eighty", LOCK_SHARE: "2" });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/PORT: /);
    expect(result.stderr).toMatch(/LOCK_SHARE: /);
  });

  it("names an unknown command and points at help", async () => {
    const unknown = await cli(["migrat"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "migrat". Run `npm run cli -- help`');
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
    expect(result.stderr).toContain("Usage: npm run cli -- resolve-call");
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

  // The one check that needs a real process: main.ts turns the command's result into the exit status.
  it("as a process, exits with the command's code and says why on stderr", async () => {
    const { code, stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "migrate"],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: tmpdir(), PORT: "eighty" } },
    ).then(
      (done) => ({ code: 0, ...done }),
      (failed: { code: number; stdout: string; stderr: string }) => failed,
    );
    expect({ code, stdout, stderr }).toEqual({
      code: 78,
      stdout: "",
      stderr: expect.stringMatching(/PORT: /),
    });
  });
});
