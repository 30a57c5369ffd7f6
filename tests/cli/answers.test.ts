import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { cycleCommand } from "../../src/cli/commands/cycle.ts";
import { historyCommand } from "../../src/cli/commands/history.ts";
import { observeCommand } from "../../src/cli/commands/observe.ts";
import { registerCommandsCommand } from "../../src/cli/commands/register-commands.ts";
import { resolveCallCommand } from "../../src/cli/commands/resolve-call.ts";
import { captureOutput, freePort } from "../support/process.ts";

const COMMANDS = [cycleCommand, historyCommand, observeCommand, registerCommandsCommand, resolveCallCommand];

let scratch: string;
let closedPort: number;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "tapereader-answers-"));
  // Nothing listens here once freePort has closed its probe: "no network" without the internet.
  closedPort = await freePort();
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  const { result, stdout, stderr } = await captureOutput(() => runCli(COMMANDS, args), {
    DATABASE_URL: "",
    DATA_DIR: path.join(scratch, "desk"),
    MARKET_DATA_DIR: path.join(scratch, "no-such-folder"),
    LOG_LEVEL: "info",
    ...env,
  });
  return { code: result, stdout, stderr };
}

/** A user's mistake: non-zero exit, one line of answer (plus the usage line for a bad command line), no stack. */
function expectAnswer(out: { code: number; stdout: string; stderr: string }, says: RegExp) {
  expect(out.code).not.toBe(0);
  expect(out.stderr).toMatch(says);
  expect(`${out.stdout}${out.stderr}`).not.toMatch(/^\s{4}at /m);
  const lines = out.stderr.trim().split("\n");
  expect(lines.filter((l) => !l.startsWith("Usage: "))).toHaveLength(1);
}

describe("the CLI answers a user's mistake in one sentence", () => {
  const call = JSON.stringify({
    kind: "direction",
    symbol: "NOPE",
    direction: "up",
    horizonHours: 24,
    probability: 0.6,
    madeAt: "2026-04-01T14:00:00Z",
  });

  it("resolve-call with a symbol that has no data file", async () => {
    const out = await cli(["resolve-call", "--call", call, "--data", scratch]);
    expectAnswer(
      out,
      /^No bars for NOPE in .* \(no NOPE\.csv\): check the symbol, or download it with `npm run cli -- history --symbols NOPE/,
    );
  });

  it("resolve-call with a data folder that does not exist", async () => {
    const out = await cli(["resolve-call", "--call", call, "--data", path.join(scratch, "missing")]);
    expectAnswer(out, /^No bars for NOPE in .*missing/);
  });

  it("cycle --now --source replay without data says how to get some, and publishes nothing", async () => {
    const out = await cli(["cycle", "--now", "--source", "replay"]);
    expectAnswer(
      out,
      /^There is no data folder .*no-such-folder for a replay: download daily bars with `npm run cli -- history --symbols/,
    );
    expect(out.stderr).toContain("a folder of SYMBOL.csv files");
    expect(out.stdout).not.toContain("Where things stand");
  });

  it("cycle --now --source replay with an empty folder", async () => {
    const out = await cli(["cycle", "--now", "--source", "replay", "--data", scratch]);
    expectAnswer(
      out,
      /holds no SYMBOL\.csv file for a replay: download daily bars with `npm run cli -- history/,
    );
  });

  it("observe --source replay without data", async () => {
    const out = await cli(["observe", "--source", "replay"]);
    expectAnswer(out, /^There is no data folder .* for a replay/);
  });

  it("an unknown option", async () => {
    const out = await cli(["cycle", "--now", "--sauce", "replay"]);
    expect(out.code).toBe(2);
    expectAnswer(out, /^Unknown option '--sauce'\.$/m);
  });

  it("an option without its value", async () => {
    const out = await cli(["resolve-call", "--call"]);
    expect(out.code).toBe(2);
    expectAnswer(out, /--call/);
  });

  it("register-commands without network", async () => {
    const out = await cli(["register-commands"], {
      DISCORD_TOKEN: "x.y.z",
      DISCORD_API_URL: `http://127.0.0.1:${closedPort}/api`,
    });
    expectAnswer(
      out,
      new RegExp(`^Could not reach 127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\): check the network`),
    );
  });

  it("history without network", async () => {
    const out = await cli(
      ["history", "--symbols", "SPY", "--from", "2026-01-02", "--to", "2026-01-09", "--out", scratch],
      {
        YAHOO_BASE_URL: `http://127.0.0.1:${closedPort}`,
      },
    );
    expectAnswer(
      out,
      /^SPY: Could not reach yahoo \(down after \d attempts \(TypeError: fetch failed\)\): check the network/,
    );
  });
});

describe("a genuine bug", () => {
  const broken = {
    name: "broken",
    summary: "fails the way a bug does",
    usage: "broken",
    run: async (): Promise<number> => {
      throw new Error("boom");
    },
  };

  it("is one line naming it as unexpected, with the stack only under LOG_LEVEL=debug", async () => {
    const quiet = await captureOutput(() => runCli([broken], ["broken"]), { LOG_LEVEL: "info" });
    expect(quiet.result).toBe(1);
    expect(quiet.stderr).toBe("broken failed unexpectedly: boom (LOG_LEVEL=debug shows the stack trace).\n");
    await expect(captureOutput(() => runCli([broken], ["broken"]), { LOG_LEVEL: "debug" })).rejects.toThrow(
      "boom",
    );
  });
});
