// Loaded before the commands: under vitest, discord.js's inspector (node-inspect-extracted) fails
// to initialise when something the commands import is evaluated first; under tsx it does not.
import "discord.js";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { commands } from "../../src/cli/commands/index.ts";
import { captureOutput, freePort } from "../support/process.ts";

const README = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");

/**
 * Every `npm run cli -- …` the README shows: fenced lines (a trailing backslash continues the line,
 * `#` starts a comment) and inline code spans, as a reader would copy them.
 */
function readmeExamples(): string[] {
  const fenced = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    (block[1] as string)
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .map((line) => line.replace(/\s+#\s.*$/, "").trim()),
  );
  const inline = [...README.matchAll(/`(npm run cli -- [^`]+)`/g)].map((m) => m[1] as string);
  return [...new Set([...fenced, ...inline])].filter((line) => line.startsWith("npm run cli -- "));
}

/** A shell's word splitting for these lines: single and double quotes, no expansions. */
function words(line: string): string[] {
  const found: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) found.push(m[1] ?? m[2] ?? (m[3] as string));
  return found;
}

const examples = readmeExamples();

describe("every `npm run cli` example in the README, on a clone without ../shared and without network", () => {
  let root = "";
  let clone = "";
  let env: Record<string, string> = {};
  const home = process.cwd();
  beforeAll(async () => {
    // A checkout with nothing beside it: ../shared/data and data/ do not exist there.
    root = await mkdtemp(path.join(tmpdir(), "tapereader-readme-"));
    clone = path.join(root, "clone");
    await mkdir(clone);
    process.chdir(clone);
    // Every host the CLI could reach is a closed local port: "no network", never the internet.
    const closed = `http://127.0.0.1:${await freePort()}`;
    env = {
      DATABASE_URL: "",
      DATA_DIR: path.join(clone, ".tapereader"),
      TMPDIR: root,
      LOG_LEVEL: "info",
      DISCORD_TOKEN: "",
      DISCORD_APPLICATION_ID: "",
      SLACK_BOT_TOKEN: "",
      DESK_ENGINE: "offline",
      MARKET_SOURCE: "simulated",
      TSA_URL: `${closed}/tsr`,
      ...Object.fromEntries(
        ["YAHOO", "FRED", "FRED_API", "SEC", "SEC_DATA", "COINGECKO"].map((p) => [`${p}_BASE_URL`, closed]),
      ),
      DISCORD_API_URL: closed,
      SLACK_API_URL: `${closed}/`,
    };
  });
  afterAll(async () => {
    process.chdir(home);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("finds the examples: playing locally, scratch runs, data, the invite URL", () => {
    const named = examples.map((line) => words(line)[4]);
    for (const command of ["predict", "agree", "fade", "cycle", "history", "resolve-call", "invite-url"])
      expect(named).toContain(command);
  });

  // `start` runs until stopped; tests/web/start.e2e.test.ts and tests/cli/demo.e2e.test.ts run it.
  const runnable = examples.filter((line) => words(line)[4] !== "start");
  // A plain loop, not it.each: its titles would read the examples' "65%" as format directives.
  for (const line of runnable) {
    it(line, async () => {
      const args = words(line).slice(4);
      const { result, stdout, stderr } = await captureOutput(() => runCli(commands, args), env);
      const output = `${stdout}${stderr}`;
      expect(output, "no stack frame").not.toMatch(/^\s{4}at /m);
      expect(output, "no error dump").not.toMatch(/^\w*Error: /m);
      if (result === 0) return;
      // An answer: one sentence (the usage line beside it for a bad command line), and a non-zero exit.
      const lines = stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("Usage: "));
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/\.$|\)$/);
    });
  }
});
