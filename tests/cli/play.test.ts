// Loaded before the commands: see tests/cli/readme.test.ts.
import "discord.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PermissionsBitField } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { runCli } from "../../src/cli/command.ts";
import { inviteUrlCommand } from "../../src/cli/commands/invite-url.ts";
import { agreeCliCommand, fadeCliCommand, predictCliCommand } from "../../src/cli/commands/play.ts";
import { formatPrice } from "../../src/domain/price.ts";
import { openDatabase } from "../../src/store/database.ts";
import { migrate } from "../../src/store/migrator.ts";
import { deskCall } from "../commands/harness.ts";
import { captureOutput } from "../support/process.ts";

const COMMANDS = [predictCliCommand, agreeCliCommand, fadeCliCommand, inviteUrlCommand];

let dataDir = "";
let deskCallId = 0;
const env = () => ({ DATABASE_URL: "", DATA_DIR: dataDir, MARKET_SOURCE: "simulated", LOG_LEVEL: "info" });
const dbTarget = () => ({ kind: "pglite" as const, dataDir: path.join(dataDir, "db") });

async function cli(args: string[], extra: Record<string, string> = {}) {
  const { result, stdout, stderr } = await captureOutput(() => runCli(COMMANDS, args), {
    ...env(),
    ...extra,
  });
  return { code: result, stdout, stderr };
}

/** Reads the local desk's database between commands, as `npm start` would find it. */
async function withDesk<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(dbTarget());
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-play-"));
  // The local desk with one open desk call made now, as a cycle of `npm start` would leave it; on
  // crypto, which closes every day, so a 48h window always holds a close, whatever the weekday.
  deskCallId = await withDesk(async (db) => {
    await migrate(db);
    const server = await ensureLocalServer(db);
    const call = await deskCall(db, server.id, {
      symbol: "BTC-USD",
      direction: "up",
      madeAt: new Date().toISOString(),
    });
    return call.id;
  });
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("playing locally: predict, agree and fade --as NAME on the local desk", () => {
  it("predict stores the member's own call through the command core, under an id derived from the name", async () => {
    const out = await cli(["predict", "BTC-USD up 24h 65%", "--as", "Ada Lovelace"]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /^Ada Lovelace calls #\d+ BTC-USD higher in 24h · 65% · entry [\d,]+(\.\d\d)? \(simulated\)/,
    );
    const stored = await withDesk((db) =>
      db.prisma.call.findFirstOrThrow({ where: { authorType: "member" }, include: { member: true } }),
    );
    // Quoted as the desk quotes prices, never the raw float the source gave.
    expect(out.stdout).toContain(`entry ${formatPrice(stored.entryPrice ?? Number.NaN)} (simulated)`);
    expect(stored.member).toMatchObject({ externalId: "cli:ada-lovelace", displayName: "Ada Lovelace" });
    expect(stored).toMatchObject({
      symbol: "BTC-USD",
      direction: "up",
      probability: 0.65,
      source: "predict",
    });
  });

  it("agree and fade answer a desk call as the buttons do; the same name is the same member", async () => {
    const agreed = await cli(["agree", String(deskCallId), "--as", "ada lovelace"]);
    expect(agreed.code).toBe(0);
    expect(agreed.stdout).toContain(`You agree with call #${deskCallId}`);
    const faded = await cli(["fade", `#${deskCallId}`, "--as", "Bea", "--probability", "70"]);
    expect(faded.code).toBe(0);
    const answers = await withDesk((db) =>
      db.prisma.call.findMany({
        where: { parentCallId: deskCallId },
        include: { member: true },
        orderBy: { id: "asc" },
      }),
    );
    expect(answers.map((a) => [a.member?.externalId, a.stance, a.probability])).toEqual([
      ["cli:ada-lovelace", "agree", 0.6],
      ["cli:bea", "fade", 0.7],
    ]);
    expect(await withDesk((db) => db.prisma.member.count())).toBe(2);
  });

  it("a refused command answers in one sentence, exits non-zero and stores nothing", async () => {
    const before = await withDesk((db) => db.prisma.call.count());
    const cases: [string[], RegExp, number][] = [
      [["predict", "XYZ up 24h 60%", "--as", "Ada"], /^XYZ is not tracked on this server: pick one of /, 1],
      [["agree", "999999", "--as", "Ada"], /^There is no call #999999 on this server\.$/, 1],
      [
        ["fade", String(deskCallId), "--as", "Bea", "--probability", "30"],
        /^probability: 30 is below 50%/,
        1,
      ],
      [["agree", String(deskCallId)], /^--as names who you are/, 2],
      [["agree", "twelve", "--as", "Ada"], /^agree needs one desk call number/, 2],
      [["predict", "--as", "Ada"], /^predict needs the call text/, 2],
    ];
    for (const [args, says, code] of cases) {
      const out = await cli(args);
      expect(out.code, args.join(" ")).toBe(code);
      const lines = out.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("Usage: "));
      expect(lines, args.join(" ")).toHaveLength(1);
      expect(lines[0]).toMatch(says);
      expect(out.stdout).toBe("");
    }
    expect(await withDesk((db) => db.prisma.call.count())).toBe(before);
  });
});

describe("invite-url", () => {
  it("prints the OAuth2 URL with both scopes and exactly the bot's permissions as one integer", async () => {
    const out = await cli(["invite-url"], { DISCORD_APPLICATION_ID: "123456789012345678" });
    expect(out.code).toBe(0);
    const url = new URL(out.stdout.split("\n")[0] as string);
    expect(url.origin + url.pathname).toBe("https://discord.com/oauth2/authorize");
    expect(url.searchParams.get("client_id")).toBe("123456789012345678");
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    const permissions = new PermissionsBitField(BigInt(url.searchParams.get("permissions") ?? "0"));
    expect(permissions.toArray().sort()).toEqual(
      [
        "ViewChannel",
        "SendMessages",
        "EmbedLinks",
        "AttachFiles",
        "AddReactions",
        "ReadMessageHistory",
        "ManageMessages",
        "CreatePublicThreads",
        "SendMessagesInThreads",
      ].sort(),
    );
    expect(url.searchParams.get("permissions")).toBe("309237771328");
    expect(out.stdout).toContain("Manage Messages: take back a reaction refused after a call's lock");
  });

  it("without an application id says where to find one", async () => {
    const out = await cli(["invite-url"], { DISCORD_APPLICATION_ID: "" });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^invite-url needs the application id: set DISCORD_APPLICATION_ID/);
    const bad = await cli(["invite-url", "--client-id", "abc"]);
    expect(bad.stderr).toMatch(/^--client-id needs the application's id/);
  });
});
