import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { checkChain } from "../../src/store/chain-verify.ts";
import type { Database } from "../../src/store/database.ts";
import { findServer } from "../../src/store/servers.ts";
import { SECRET, slackHeaders, slashCommandBody, TEAM } from "../slack/harness.ts";
import { type TestDatabase, testDatabases } from "../support/databases.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { DESK_STARTUP_MS, freePort, type StartedDesk, startDesk, until } from "../support/process.ts";

const postgres = testDatabases().find((t): t is TestDatabase & { url: string } => Boolean(t.url));
if (!postgres)
  console.warn("TEST_DATABASE_URL is not set: the SIGKILL test needs PostgreSQL and is skipped.");

const SENT = 200;
/** 50 members, 4 calls each: under the open-call cap and the per-member rate limit. */
const MEMBERS = 50;
const KILL_AFTER = 60;
/** Acknowledged commands Slack delivers a second time after the restart: each must answer "Already saved". */
const RESEND_ACKED = 20;
/** The wait after the restart: the dead process's 30 s lease, then the inbox replaying what it held. */
const REPLAY_MS = 240_000;
/** Two starts of the real desk, the replay's wait, and the commands sent in between. */
const KILL_TEST_MS = 2 * DESK_STARTUP_MS + REPLAY_MS + 60_000;
const SYMBOLS = ["SPY", "QQQ", "IWM", "DIA", "AAPL", "MSFT", "NVDA", "AMZN"];

interface PredictRequest {
  /** The response_url's id at the fake: where this command's answers land. */
  id: string;
  user: string;
  symbol: string;
  trigger: string;
  body: string;
}

function predictRequest(i: number, fake: FakeSlack): PredictRequest {
  const user = `UK${String(i % MEMBERS).padStart(3, "0")}`;
  const symbol = SYMBOLS[i % SYMBOLS.length] as string;
  const id = `kill${i}`;
  const trigger = `trigger.kill.${i}`;
  const text = `${symbol} ${i % 2 ? "up" : "down"} ${24 * (1 + (i % 3))}h ${55 + (i % 30)}%`;
  const body = slashCommandBody({
    command: "/predict",
    text,
    user,
    responseUrl: fake.responseUrl(id),
    triggerId: trigger,
  });
  return { id, user, symbol, trigger, body };
}

/** Signed as Slack signs each delivery; a retry is the same body, newly signed, with X-Slack-Retry-Num. */
async function deliver(
  slackPort: number,
  request: PredictRequest,
  retryNum?: number,
): Promise<number | null> {
  const headers = slackHeaders(request.body, "application/x-www-form-urlencoded", {
    ...(retryNum !== undefined && { retryNum }),
  });
  // A delivery to a killed process fails at the socket: Slack saw no answer, which is what the retry is for.
  return fetch(`http://127.0.0.1:${slackPort}/slack/events`, { method: "POST", headers, body: request.body })
    .then(async (res) => {
      await res.arrayBuffer();
      return res.status;
    })
    .catch(() => null);
}

/**
 * What "acknowledged" means on Slack: Bolt's HTTP ack is empty (ack() comes before the work), so the
 * member learns the call number only from the response_url answer, sent after the call committed.
 * Its call number: "… calls <…/trail/12|#12> …", or "Already saved: <…|#12> …" for a redelivery.
 */
const CALL_LINK = /^(?:.+ calls |Already saved: )<[^|>]+\/trail\/(\d+)\|#\1>/;

const answers = (fake: FakeSlack, request: PredictRequest): string[] =>
  fake.responses.filter((r) => r.id === request.id).map((r) => String(r.body.text));

/** Every answer the member saw for a request, as the call number each one told them. */
function answeredIds(fake: FakeSlack, request: PredictRequest): number[] {
  return answers(fake, request).map((text) => {
    const match = CALL_LINK.exec(text);
    if (!match) throw new Error(`request ${request.id} got an answer without a call number: ${text}`);
    return Number(match[1]);
  });
}

const acknowledged = (fake: FakeSlack, requests: PredictRequest[]) =>
  requests.filter((r) => answeredIds(fake, r).length > 0);

/** The desk's JSON log lines (LOG_FORMAT=json), skipping anything else it printed. */
function logLines(output: string): Record<string, unknown>[] {
  return output.split("\n").flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === "object" && parsed !== null ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

describe.skipIf(!postgres)("SIGKILL during concurrent /predict on PostgreSQL", () => {
  const target = postgres as TestDatabase & { url: string };
  const fake = new FakeSlack();
  let db: Database | undefined;
  let dataDir = "";
  const desks: StartedDesk[] = [];

  afterAll(async () => {
    for (const desk of desks) if (desk.child.exitCode === null) desk.child.kill("SIGKILL");
    await Promise.all(desks.map((d) => d.exited));
    await db?.close();
    await target.dispose();
    await fake.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("after a restart every command that got HTTP 200 is stored and answered exactly once without a retry, retries store nothing twice, the chain verifies", {
    timeout: KILL_TEST_MS,
  }, async () => {
    await fake.start();
    db = await target.open();
    dataDir = await mkdtemp(path.join(tmpdir(), "tapereader-kill-"));
    const slackPort = await freePort();
    const start = async () => {
      const desk = await startDesk(dataDir, {
        DATABASE_URL: target.url,
        SLACK_BOT_TOKEN: "xoxb-kill-test",
        SLACK_MODE: "http",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_PORT: String(slackPort),
        SLACK_API_URL: fake.apiUrl,
      });
      desks.push(desk);
      // Logged once Bolt listens and the workspace is registered.
      await until(
        "the desk to start",
        DESK_STARTUP_MS,
        async () => (desk.output().includes("Tapereader desk running") ? true : null),
        desk,
      );
      return desk;
    };

    const first = await start();
    const requests = Array.from({ length: SENT }, (_, i) => predictRequest(i, fake));
    const inFlight = Promise.all(
      requests.map(async (r) => {
        const sentAt = performance.now();
        return { status: await deliver(slackPort, r), ms: performance.now() - sentAt };
      }),
    );
    // Poll the fake closely so the kill lands while most commands are still being handled.
    while (acknowledged(fake, requests).length < KILL_AFTER) {
      if (first.child.exitCode !== null) throw new Error(`the desk died by itself:\n${first.output()}`);
      await sleep(2);
    }
    first.child.kill("SIGKILL");
    await first.exited;
    // Bolt's empty HTTP 200 says only that the command arrived: Slack will not send it again. The
    // inbox recorded it before that ack, so the restarted desk must answer it by itself.
    const delivered = await inFlight;
    const statuses = delivered.map((d) => d.status);
    const httpOk = requests.filter((_, i) => statuses[i] === 200);
    // Slack allows 3 s for the ack, which now waits for the inbox insert: reported, not asserted.
    const slowestAck = Math.max(0, ...delivered.filter((d) => d.status === 200).map((d) => d.ms));
    const otherStatuses = new Map<string, number>();
    for (const status of statuses)
      if (status !== 200) otherStatuses.set(String(status), (otherStatuses.get(String(status)) ?? 0) + 1);
    const ackedBeforeKill = acknowledged(fake, requests);
    // Otherwise the kill interrupted nothing and the test proves nothing.
    expect(ackedBeforeKill.length).toBeLessThan(SENT);
    const storedAtKill = await db.prisma.call.count({ where: { source: "predict" } });
    const leftToInbox = httpOk.filter((r) => answeredIds(fake, r).length === 0);

    const second = await start();
    // Slack retries only what got no 200 (a dead socket), and here re-sends some acknowledged ones.
    const retried = requests.filter((r, i) => statuses[i] !== 200 && answeredIds(fake, r).length === 0);
    const resent = ackedBeforeKill.slice(0, RESEND_ACKED);
    await Promise.all([...retried, ...resent].map((r) => deliver(slackPort, r, 1)));
    // The inbox waits out the dead process's lease (30 s) before replaying what it held.
    await until("every command answered, the re-sent ones twice, the inbox drained", REPLAY_MS, async () =>
      requests.every((r) => answers(fake, r).length > 0) &&
      resent.every((r) => answers(fake, r).length > 1) &&
      (await db?.prisma.inboxCommand.count({ where: { status: "pending" } })) === 0
        ? true
        : null,
    );

    // Each command's answers, before and after the kill, all name one call.
    const told = new Map(
      requests.map((r) => {
        const ids = new Set(answeredIds(fake, r));
        expect(ids.size, `${r.id} was told different call numbers: ${[...ids]}`).toBe(1);
        return [r, [...ids][0] as number];
      }),
    );
    const server = await findServer(db.prisma, "slack", TEAM);
    if (!server) throw new Error("the workspace was registered");
    const stored = await db.prisma.call.findMany({
      where: { serverId: server.id, source: "predict" },
      include: { member: true },
    });
    const byId = new Map(stored.map((c) => [c.id, c]));
    for (const [request, callId] of told) {
      const call = byId.get(callId);
      expect(call, `acknowledged call #${callId} (${request.id}) is missing`).toBeDefined();
      expect({
        member: call?.member?.externalId,
        symbol: call?.symbol,
        interaction: call?.interactionId,
      }).toEqual({
        member: request.user,
        symbol: request.symbol,
        interaction: `slack:command:${request.trigger}`,
      });
    }
    // One call per command: no interaction stored twice, nothing stored that no command asked for.
    const interactions = stored.map((c) => c.interactionId);
    expect(new Set(interactions).size).toBe(stored.length);
    expect(new Set(told.values()).size).toBe(SENT);
    // Every command was answered in the end, so exactly one call each: never more than were sent.
    expect(stored.length).toBe(SENT);

    const chain = await checkChain(db.prisma, server.id);
    expect(chain).toMatchObject({ ok: true, length: stored.length });
    const head = await db.prisma.chainHead.findUnique({ where: { serverId: server.id } });
    expect(head?.seq).toBe(stored.length);

    const presentAfterRestart = ackedBeforeKill.filter((r) => byId.has(told.get(r) as number)).length;
    const replayed = logLines(second.output())
      .filter((line) => line.msg === "Slack requests replayed from the inbox")
      .reduce((sum, line) => sum + Number(line.replayed), 0);
    // Nothing that got its 200 was left unanswered: the replay reached at least those.
    expect(replayed).toBeGreaterThanOrEqual(leftToInbox.length);
    // Answered before the kill but not yet marked processed: the replay said "Already saved" again.
    const toldTwice = requests.filter((r) => !resent.includes(r) && answers(fake, r).length > 1).length;
    console.log(
      `kill test: sent ${SENT}, HTTP 200 before SIGKILL ${httpOk.length} (slowest ${Math.round(slowestAck)} ms; ` +
        `others ${JSON.stringify(Object.fromEntries(otherStatuses))}, null = no answer), replied before SIGKILL ${ackedBeforeKill.length} ` +
        `(present after restart ${presentAfterRestart}), stored at kill ${storedAtKill}, ` +
        `HTTP 200 but unanswered at kill ${leftToInbox.length}, replayed from the inbox after restart ${replayed} ` +
        `(of which answered again "Already saved" ${toldTwice}), ` +
        `retried by Slack (no 200) ${retried.length} + re-sent acknowledged ${resent.length}, ` +
        `stored after restart ${stored.length}, chain length ${chain.ok ? chain.length : "broken"}`,
    );
  });
});
