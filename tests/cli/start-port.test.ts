// Loaded before the commands: see tests/cli/readme.test.ts.
import "discord.js";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { startCommand } from "../../src/cli/commands/start.ts";
import { captureOutput } from "../support/process.ts";

describe("npm start on a port already in use", () => {
  it("answers in one sentence and exits 1, instead of a stack trace", async () => {
    const taken = createServer().listen(0, "0.0.0.0");
    await once(taken, "listening");
    const { port } = taken.address() as { port: number };
    const dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-port-"));
    try {
      const out = await captureOutput(() => runCli([startCommand], ["start"]), {
        DATABASE_URL: "",
        DATA_DIR: dataDir,
        PORT: String(port),
        TSA_URL: "off",
        LOG_LEVEL: "silent",
        DISCORD_TOKEN: "",
        SLACK_BOT_TOKEN: "",
      });
      expect(out.result).toBe(1);
      expect(out.stderr).toBe(
        `Port ${port} is already in use (another \`npm start\`?): stop that process or set PORT to a free port.\n`,
      );
    } finally {
      taken.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
