import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/command.ts";
import { anchorCommand } from "../../src/cli/commands/anchor.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { appendCall } from "../../src/store/calls.ts";
import { openDatabase } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { type FakeTsa, fakeTsa } from "../support/fake-tsa.ts";
import { captureOutput } from "../support/process.ts";

describe("npm run cli -- anchor", () => {
  let tsa: FakeTsa;
  let dataDir: string;
  const cli = async (args: string[], tsaUrl: string) => {
    const env = { DATABASE_URL: "", DATA_DIR: dataDir, TSA_URL: tsaUrl };
    const { result: code, stdout, stderr } = await captureOutput(() => runCli([anchorCommand], args), env);
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    tsa = await fakeTsa();
    dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-anchor-cli-"));
  });
  afterAll(() => tsa?.close());

  it("anchors on demand, checks every anchor, and does nothing when TSA_URL=off", async () => {
    expect(await cli(["anchor"], tsa.url)).toMatchObject({
      code: 0,
      stdout: "Nothing to anchor: no chain has a record yet.\n",
    });

    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "db") });
    await migrate(db);
    const server = await ensureServer(
      db.prisma,
      { platform: "local", externalId: "local", name: "Local" },
      { schedule: "5 10 * * 1-5", timezone: "America/New_York", symbols: ["QQQ"] },
    );
    const spec = callSpecSchema.parse({
      kind: "direction",
      direction: "up",
      symbol: "QQQ",
      horizonHours: 48,
      probability: 0.6,
      madeAt: "2026-11-23T15:00:00Z",
    });
    await appendCall(db.prisma, {
      serverId: server.id,
      spec,
      authorType: "desk",
      mind: "flow",
      source: "dispatch",
      lockAt: lockAtOf(spec, 0.25),
    });
    await db.close();

    const anchored = await cli(["anchor"], tsa.url);
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toMatch(
      /^Anchor #1: root [0-9a-f]{64} over 1 chain\(s\), signed by http:\/\/127\.0\.0\.1/,
    );
    expect(await cli(["anchor", "--check"], tsa.url)).toMatchObject({
      code: 0,
      stdout: "1 anchor(s) checked: each still matches the chain.\n",
    });

    const requests = tsa.requests;
    expect(await cli(["anchor"], "off")).toMatchObject({
      code: 1,
      stderr: "Anchoring is off (TSA_URL=off).\n",
    });
    expect(tsa.requests).toBe(requests);
  });
});
