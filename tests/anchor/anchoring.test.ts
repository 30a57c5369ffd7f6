import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureLocalServer } from "../../src/agents/cycle/local-server.ts";
import { dispatched, runCycle } from "../../src/agents/cycle/service.ts";
import { checkAnchors } from "../../src/anchor/check.ts";
import { opensslVerifyCommand } from "../../src/anchor/export.ts";
import { anchorChains } from "../../src/anchor/job.ts";
import { grantedReply } from "../../src/anchor/token.ts";
import { tsaClient } from "../../src/anchor/tsa.ts";
import { dispatchPost } from "../../src/bot/discord/dispatch-post.ts";
import { dispatchMessage } from "../../src/bot/slack/render/dispatch.ts";
import { createWebApp } from "../../src/bot/web/app.ts";
import { runCli } from "../../src/cli/command.ts";
import { verifyCommandOn } from "../../src/cli/commands/verify.ts";
import { anchorPreimage, anchorRoot } from "../../src/domain/anchor.ts";
import { callSpecSchema, lockAtOf } from "../../src/domain/call.ts";
import { canonicalJson, chainHash, GENESIS_HASH } from "../../src/domain/chain.ts";
import { AnchorSchedule } from "../../src/scheduler/anchoring.ts";
import { dispatchPosts } from "../../src/scheduler/posts.ts";
import { anchorToken, chainHeads, listAnchors } from "../../src/store/anchors.ts";
import { appendCall } from "../../src/store/calls.ts";
import { callContentOf, verdictContentOf } from "../../src/store/chain.ts";
import { checkChain } from "../../src/store/chain-verify.ts";
import type { Database } from "../../src/store/database.ts";
import { ensureServer } from "../../src/store/servers.ts";
import { capturedLogger, LEVEL } from "../support/captured-log.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { offlineDesk } from "../support/desk.ts";
import { type FakeTsa, fakeTsa } from "../support/fake-tsa.ts";
import { silentServer } from "../support/market-servers.ts";
import { captureOutput, PATIENT } from "../support/process.ts";

const NOW = new Date("2026-11-24T00:05:00Z");
const settings = { schedule: "5 10,13,15 * * 1-5", timezone: "America/New_York", symbols: ["SPY", "QQQ"] };

describe.each(testDatabases())("anchoring the chains on $label", (target) => {
  let db: Database;
  const verify = verifyCommandOn(async () => ({ db, close: async () => {} }));
  let tsa: FakeTsa;
  let servers: string[];
  const web = () => createWebApp({ db, health: () => ({ scheduler: true, surfaces: { web: true } }) });
  const anchorOnce = () => anchorChains({ db, stamper: tsaClient(tsa.url), now: () => NOW });

  async function chainCalls(serverId: string, count: number) {
    for (let i = 0; i < count; i++) {
      const spec = callSpecSchema.parse({
        kind: "direction",
        direction: i % 2 ? "up" : "down",
        symbol: "QQQ",
        horizonHours: 48,
        probability: 0.6,
        madeAt: new Date(Date.UTC(2026, 10, 2 + i, 15)).toISOString(),
      });
      const lockAt = lockAtOf(spec, 0.25);
      await appendCall(db.prisma, {
        serverId,
        spec,
        authorType: "desk",
        mind: "flow",
        source: "dispatch",
        lockAt,
      });
    }
  }

  beforeAll(async () => {
    db = await openMigrated(target);
    tsa = await fakeTsa(() => NOW);
    const a = await ensureServer(
      db.prisma,
      { platform: "discord", externalId: "g1", name: "Guild" },
      settings,
    );
    const b = await ensureServer(db.prisma, { platform: "slack", externalId: "t1", name: "Team" }, settings);
    servers = [a.id, b.id];
    await chainCalls(a.id, 4);
    await chainCalls(b.id, 2);
  });
  afterAll(async () => {
    await tsa?.close();
    await db?.close();
    await target.dispose();
  });

  it("has a TSA sign the root of every chain head; the token is served, shown on dispatches and exported", async () => {
    const cycle = dispatched(
      await runCycle(offlineDesk(db), await ensureLocalServer(db), new Date("2026-06-10T15:00:00Z")),
    );
    const dispatchPage = `/read/${cycle.dispatch.number}`;
    expect(await (await web().request(dispatchPage)).text()).toContain("Chain not anchored yet");

    const outcome = await anchorOnce();
    if (outcome.status !== "anchored") throw new Error(`not anchored: ${JSON.stringify(outcome)}`);
    const heads = await chainHeads(db.prisma);
    expect(heads.length).toBeGreaterThanOrEqual(2);
    expect(outcome.anchor).toMatchObject({
      root: anchorRoot(anchorPreimage(heads)),
      servers: heads.length,
      tsaUrl: tsa.url,
      genTime: NOW,
    });
    const { id, root } = outcome.anchor;

    const list = await (await web().request("/anchors")).text();
    expect(list).toContain(root);
    expect(list).toContain(`<a href="/anchors/${id}.tsr">token</a>`);
    const served = await web().request(`/anchors/${id}.tsr`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/timestamp-reply");
    const token = await anchorToken(db.prisma, id);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(
      Buffer.from(grantedReply(token ?? new Uint8Array())),
    );
    expect((await web().request("/anchors/999.tsr")).status).toBe(404);
    expect(await (await web().request(dispatchPage)).text()).toContain(
      `Chain anchored 2026-11-24 00:05 UTC, root <code>${root.slice(0, 12)}…</code>, <a href="/anchors/${id}.tsr">RFC 3161 token</a>`,
    );

    // Chat posts of a dispatch carry the same root: Discord in the embed's footer, Slack in a context block.
    const record = await dispatchPosts(db).dispatch(cycle.dispatch.number);
    if (!record) throw new Error("the dispatch is gone");
    const line = `Chain anchored 2026-11-24 00:05 UTC · root ${root.slice(0, 12)}…`;
    expect(dispatchPost(record, new Map(), "http://desk.test", NOW).embeds[0]?.footer?.text).toContain(line);
    const slack = dispatchMessage(record, new Map(), { publicUrl: "http://desk.test", now: NOW });
    expect(JSON.stringify(slack.blocks)).toContain(`${line} · <http://desk.test/anchors|anchors>`);

    // The README's command, run as written in the export folder, with the TSA's certificate as CA.
    const dir = await mkdtemp(path.join(tmpdir(), "tapereader-anchors-"));
    const verified = await captureOutput(() => runCli([verify], ["verify", "--export", dir]));
    expect(verified.result, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain("anchors: OK · 1 checked");
    // Offline, from the export alone: every chain re-hashes, and each anchored head is in it.
    const { heads: anchoredHeads } = JSON.parse(
      await readFile(path.join(dir, `anchor-${id}.heads.json`), "utf8"),
    ) as { heads: { serverId: string; seq: number; hash: string }[] };
    expect(anchoredHeads.length).toBeGreaterThan(0);
    for (const head of anchoredHeads) {
      const lines = (await readFile(path.join(dir, `chain-${head.serverId}.jsonl`), "utf8"))
        .trim()
        .split("\n");
      let prevHash = GENESIS_HASH;
      for (const record of lines.map((line) => JSON.parse(line))) {
        expect(record.prevHash).toBe(prevHash);
        expect(chainHash(record.content, prevHash)).toBe(record.hash);
        prevHash = record.hash;
      }
      expect(lines.map((line) => JSON.parse(line)).find((r) => r.seq === head.seq)?.hash).toBe(head.hash);
    }
    expect(await readdir(dir)).toEqual(
      expect.arrayContaining([
        `anchor-${id}.tsr`,
        `anchor-${id}.heads.json`,
        `anchor-${id}.tsa.pem`,
        "README.txt",
      ]),
    );
    await writeFile(path.join(dir, "cacert.pem"), tsa.identity.pem);
    const [command, ...args] = opensslVerifyCommand(id, "cacert.pem").split(" ");
    const { stdout } = await promisify(execFile)(command ?? "openssl", args, { cwd: dir });
    expect(stdout).toContain("Verification: OK");
    expect(await checkAnchors(db)).toEqual({ ok: true, anchors: 1 });
  });

  it("logs a TSA that is down, keeps the failed attempt on /anchors, retries, and never holds a cycle", async () => {
    const { log, entries } = capturedLogger();
    tsa.failNext = 1;
    const retrying = new AnchorSchedule({
      db,
      stamper: tsaClient(tsa.url),
      log,
      now: () => NOW,
      retryDelaysMs: [0],
    });
    const outcome = await retrying.anchorNow();
    expect(outcome?.status).toBe("anchored");
    const [latest, failed] = await listAnchors(db.prisma, 2);
    expect(latest?.status).toBe("anchored");
    expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/answered HTTP 500/) });
    expect(entries.find((e) => e.level === LEVEL.warn)?.msg).toMatch(
      /Anchoring the chains failed .*HTTP 500.*retrying/,
    );
    expect(await (await web().request("/anchors")).text()).toContain(
      `<span class="wrong">failed</span> · ${failed?.error}`,
    );

    // Out of retries: an error in the log, and the next daily run tries again.
    tsa.failNext = 1;
    const once = new AnchorSchedule({
      db,
      stamper: tsaClient(tsa.url),
      log,
      now: () => NOW,
      retryDelaysMs: [],
    });
    expect((await once.anchorNow())?.status).toBe("failed");
    expect(entries.find((e) => e.level === LEVEL.error)?.msg).toMatch(
      /giving up until the next daily anchor/,
    );

    // A TSA that accepts and never answers: a cycle runs to its dispatch meanwhile.
    const silent = await silentServer();
    const hanging = new AnchorSchedule({ db, stamper: tsaClient(silent.url), log, now: () => NOW });
    const pending = hanging.anchorNow();
    await vi.waitFor(() => expect(silent.connections).toBe(1), PATIENT);
    const cycle = dispatched(
      await runCycle(offlineDesk(db), await ensureLocalServer(db), new Date("2026-06-11T15:00:00Z")),
    );
    expect(cycle.dispatch.number).toBeGreaterThan(0);
    await hanging.stop();
    expect(await pending).toMatchObject({
      status: "failed",
      anchor: { error: expect.stringMatching(/did not answer/) },
    });
    await silent.close();
  });

  it("anchors at start when no anchor is a day old", async () => {
    const { log } = capturedLogger();
    const later = new Date(NOW.getTime() + 25 * 3_600_000);
    const before = tsa.requests;
    const schedule = new AnchorSchedule({ db, stamper: tsaClient(tsa.url), log, now: () => later });
    await schedule.start();
    await vi.waitFor(
      async () => expect((await listAnchors(db.prisma, 1))[0]?.attemptedAt).toEqual(later),
      PATIENT,
    );
    await schedule.stop();
    expect(tsa.requests).toBe(before + 1);
  });

  it("catches a chain edited and then re-hashed end to end, which its own link check passes", async () => {
    const [serverId = ""] = servers;
    const anchored = (await listAnchors(db.prisma, 100)).filter((a) => a.status === "anchored").at(-1);
    const head = (await chainHeads(db.prisma)).find((h) => h.serverId === serverId);
    await db.prisma.call.updateMany({ where: { serverId, chainSeq: 2 }, data: { probability: 0.99 } });
    // The attacker rewrites every record from genesis, and each call's copy of its link, to match.
    let prevHash = GENESIS_HASH;
    const records = await db.prisma.chainRecord.findMany({
      where: { serverId },
      orderBy: { seq: "asc" },
      include: { call: true },
    });
    for (const record of records) {
      if (!record.call) throw new Error(`record ${record.seq} has no call`);
      const content = record.kind === "call" ? callContentOf(record.call) : verdictContentOf(record.call);
      const hash = chainHash(content, prevHash);
      await db.prisma.chainRecord.update({
        where: { serverId_seq: { serverId, seq: record.seq } },
        data: { prevHash, hash, content: canonicalJson(content) },
      });
      if (record.kind === "call")
        await db.prisma.call.update({ where: { id: record.call.id }, data: { prevHash, hash } });
      prevHash = hash;
    }
    await db.prisma.chainHead.update({ where: { serverId }, data: { hash: prevHash } });
    expect(await checkChain(db.prisma, serverId, { full: true })).toMatchObject({ ok: true });
    const verified = await captureOutput(() => runCli([verify], ["verify", "--full"]));
    expect(verified.result).toBe(1);
    expect(verified.stdout).toMatch(/: OK · /);
    expect(verified.stdout).toContain(`anchors: BROKEN: anchor #${anchored?.id}`);

    expect(await checkAnchors(db)).toEqual({
      ok: false,
      anchorId: anchored?.id,
      message: `anchor #${anchored?.id} of 2026-11-24: root differs: the chain was rewritten at or before server ${serverId} seq ${head?.seq}`,
    });
  });
});
