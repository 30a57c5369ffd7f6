import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { inboxEntryOf } from "../../src/bot/slack/inbox.ts";
import { ACTIONS } from "../../src/bot/slack/render/dispatch.ts";
import type { Database } from "../../src/store/database.ts";
import { recordInbox } from "../../src/store/inbox.ts";
import { capturedLogger, LEVEL } from "../support/captured-log.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { until } from "../support/process.ts";
import { SlackHarness, SPY_ABOVE_600, seedDispatch, slashCommandBody } from "./harness.ts";

const MINUTE = 60_000;
/** How long a request may take to be handled or replayed on a loaded 2-core machine. */
const SETTLED_MS = 60_000;

describe.each(testDatabases())("the Slack inbox on $label", (target) => {
  let db: Database;
  let other: Database | undefined;
  const harnesses: SlackHarness[] = [];
  const started = new Set<SlackHarness>();

  beforeAll(async () => {
    db = await openMigrated(target);
    // A second instance has its own connections where the database allows it (PGlite has one).
    other = await target.connectAgain?.();
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) {
      if (started.has(h)) await stop(h);
      await h.stop();
    }
  });
  afterAll(async () => {
    await other?.close();
    await db?.close();
    await target.dispose();
  });

  async function harness(on = db, log = capturedLogger()) {
    const h = new SlackHarness(on, log.log);
    harnesses.push(h);
    await h.start();
    await h.workspace();
    return { h, entries: log.entries };
  }

  /** Starts the bot as `npm start` does: listening, then replaying the inbox. */
  function start(h: SlackHarness) {
    started.add(h);
    return h.bot.start(h.core);
  }

  /** Stops the bot; its replay pass, if one runs, finishes first. */
  function stop(h: SlackHarness) {
    started.delete(h);
    return h.bot.stop();
  }

  /** A /predict as Bolt parsed it, recorded by a process that then died before handling it. */
  async function recordLost(h: SlackHarness, id: string, text: string, user: string, ageMs = 2 * MINUTE) {
    const payload = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({
          command: "/predict",
          text,
          user,
          responseUrl: h.fake.responseUrl(id),
          triggerId: id,
        }),
      ),
    );
    const entry = inboxEntryOf(payload);
    if (!entry) throw new Error("a /predict with text goes through the inbox");
    const receivedAt = new Date(Date.now() - ageMs);
    // Its handler's lease has run out: that process is gone.
    await recordInbox(db, { platform: "slack", ...entry, payload }, receivedAt, receivedAt);
    return entry.key;
  }

  const row = (key: string) => db.prisma.inboxCommand.findUniqueOrThrow({ where: { key } });
  const texts = (h: SlackHarness, id: string) => h.answers(id).map((a) => a.text);

  it("records a live /predict before its ack and marks it processed; nothing is left to replay", async () => {
    const { h } = await harness();
    const live = h.command("/predict", "SPY up 24h 60%", "UBO", { triggerId: "trigger.live" });
    expect(await live.sent).toEqual({ status: 200, body: "" });
    await until("the live row processed", SETTLED_MS, async () =>
      (await row("slack:command:trigger.live")).status === "processed" ? true : null,
    );
    const stored = await row("slack:command:trigger.live");
    expect(stored).toMatchObject({ kind: "command", attempts: 0, lastError: null });
    // The verification token is not kept; what the replay needs is.
    expect(stored.payload).not.toHaveProperty("token");
    expect(stored.payload).toMatchObject({
      text: "SPY up 24h 60%",
      response_url: h.fake.responseUrl(live.id),
    });
    expect(texts(h, live.id)).toEqual([expect.stringContaining(" calls ")]);
  });

  it("acks a recorded command and click once their rows are durable, before Bolt routes them; a modal submission is acked by its listener", async () => {
    const { h } = await harness();
    const { calls } = await seedDispatch(db, await h.workspace());
    const members = () => db.prisma.call.count({ where: { authorType: "member" } });
    const before = await members();
    // Bolt's global middleware, held closed: nothing is routed to a listener until it opens.
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    h.bot.app.use(async ({ next }) => {
      await gate;
      await next();
    });
    const live = h.command("/predict", "SPY up 24h 60%", "UBO", { triggerId: "trigger.early" });
    expect(await live.sent).toEqual({ status: 200, body: "" });
    const click = h.click(ACTIONS.fade, calls[0]?.id as number, "1775079999.000100", "UBO");
    expect((await click.sent).status).toBe(200);
    let modalAcked = false;
    const modal = h.submitModal(SPY_ABOVE_600, "VEARLY", "UBO").then((sent) => {
      modalAcked = true;
      return sent;
    });
    await until("the modal's row", SETTLED_MS, async () =>
      (await db.prisma.inboxCommand.count({ where: { key: "slack:view:VEARLY" } })) === 1 ? true : null,
    );
    // Recorded, yet unanswered: its ack may carry the form's errors, so its listener gives it.
    expect(modalAcked).toBe(false);
    expect(await members()).toBe(before);
    open();
    expect((await modal).status).toBe(200);
    const keys = ["slack:command:trigger.early", `slack:action:trigger.${click.id}`, "slack:view:VEARLY"];
    await until("all three processed", SETTLED_MS, async () =>
      (await db.prisma.inboxCommand.count({ where: { key: { in: keys }, status: "processed" } })) === 3
        ? true
        : null,
    );
    expect(await members()).toBe(before + 3);
    expect(texts(h, live.id)).toEqual([expect.stringContaining(" calls ")]);
    expect(h.answers(click.id)).toHaveLength(1);
  });

  it("on start replays a recorded, unhandled /predict: the member gets the call; one stored before the crash answers 'already saved'", async () => {
    const { h, entries } = await harness();
    const lost = await recordLost(h, "lost1", "QQQ down 48h 65%", "UCY");
    // Stored and answered, but the process died before marking the row processed.
    const done = h.command("/predict", "IWM up 72h 70%", "UBO", { triggerId: "trigger.done" });
    await until("the first answer", SETTLED_MS, async () => (h.answers(done.id).length ? true : null));
    await until("the row processed", SETTLED_MS, async () =>
      (await row("slack:command:trigger.done")).status === "processed" ? true : null,
    );
    await db.prisma.inboxCommand.update({
      where: { key: "slack:command:trigger.done" },
      data: { status: "pending", processedAt: null, leaseUntil: new Date(Date.now() - MINUTE) },
    });

    await start(h);
    await until("both replayed", SETTLED_MS, async () =>
      h.answers("lost1").length && h.answers(done.id).length > 1 ? true : null,
    );
    const call = await db.prisma.call.findUniqueOrThrow({
      where: { interactionId: "slack:command:lost1" },
      include: { member: true },
    });
    expect(call).toMatchObject({ symbol: "QQQ", direction: "down", member: { externalId: "UCY" } });
    expect(texts(h, "lost1")).toEqual([expect.stringContaining(`/trail/${call.id}|#${call.id}>`)]);
    const [first, again] = texts(h, done.id);
    const number = /\/trail\/(\d+)\|/.exec(first ?? "")?.[1];
    expect(again).toMatch(new RegExp(`^Already saved: <[^|]+/trail/${number}\\|#${number}>`));
    expect(await db.prisma.call.count({ where: { interactionId: "slack:command:trigger.done" } })).toBe(1);

    await until("both rows processed", SETTLED_MS, async () =>
      (await row(lost)).status === "processed" &&
      (await row("slack:command:trigger.done")).status === "processed"
        ? true
        : null,
    );
    expect((await row(lost)).attempts).toBe(1);
    expect(entries.find((e) => e.msg === "Slack requests replayed from the inbox")).toMatchObject({
      level: LEVEL.info,
      replayed: 2,
    });
  });

  it("a click, a modal submission and a reaction are recorded before their ack too, and replay through their listeners storing nothing twice", async () => {
    const { h } = await harness();
    const { calls } = await seedDispatch(db, await h.workspace());
    // The post as the outbox leaves it, so the reaction finds its dispatch.
    const ts = "1775079999.000100";
    await db.prisma.delivery.updateMany({
      where: { dispatchId: calls[0]?.dispatchId ?? "", kind: "dispatch" },
      data: { status: "sent", platformMessageId: ts },
    });
    const members = () => db.prisma.call.count({ where: { authorType: "member" } });
    const before = await members();
    const click = h.click(ACTIONS.agree, calls[0]?.id as number, ts, "UBO");
    expect((await click.sent).status).toBe(200);
    expect((await h.submitModal(SPY_ABOVE_600, "VINBOX", "UBO")).status).toBe(200);
    const reaction = { type: "reaction_added", user: "UCY", reaction: "arrow_down", item_user: "UBOT" };
    expect(
      (
        await h.event(
          { ...reaction, item: { type: "message", channel: "CDESK", ts }, event_ts: "1.3" },
          "EvIn",
        )
      ).status,
    ).toBe(200);
    const keys = [`slack:action:trigger.${click.id}`, "slack:view:VINBOX", "slack:event:EvIn"];
    const processed = async () =>
      (await db.prisma.inboxCommand.count({ where: { key: { in: keys }, status: "processed" } })) === 3;
    await until("the three rows processed", SETTLED_MS, async () => ((await processed()) ? true : null));
    expect(await members()).toBe(before + 3);

    // As if the process had died after each listener but before marking its row.
    await db.prisma.inboxCommand.updateMany({
      where: { key: { in: keys } },
      data: { status: "pending", processedAt: null, leaseUntil: new Date(Date.now() - MINUTE) },
    });
    const posts = () => h.fake.called("chat.postMessage").length + h.fake.called("chat.postEphemeral").length;
    const postsBefore = posts();
    await start(h);
    await until("the three replayed", SETTLED_MS, async () => ((await processed()) ? true : null));
    const rows = await db.prisma.inboxCommand.findMany({
      where: { key: { in: keys } },
      orderBy: { key: "asc" },
    });
    expect(rows.map((r) => [r.kind, r.attempts])).toEqual([
      ["action", 1],
      ["event", 1],
      ["view", 1],
    ]);
    expect(await members()).toBe(before + 3);
    // Each member is answered again, the click on its response_url, the others in the channel.
    expect(h.answers(click.id)).toHaveLength(2);
    await until("the modal's and the reaction's answers", SETTLED_MS, async () =>
      posts() >= postsBefore + 2 ? true : null,
    );
  });

  it("expires a request older than a response_url lives, unprocessed and logged, and still replays a young one", async () => {
    const { h, entries } = await harness();
    const old = await recordLost(h, "old1", "SPY down 48h 60%", "UBO", 31 * MINUTE);
    const young = await recordLost(h, "young1", "SPY up 48h 60%", "UBO", 29 * MINUTE);
    await start(h);
    await until("the old row expired and the young one processed", SETTLED_MS, async () =>
      (await row(old)).status === "expired" && (await row(young)).status === "processed" ? true : null,
    );
    expect(h.answers("old1")).toEqual([]);
    expect(await db.prisma.call.count({ where: { interactionId: "slack:command:old1" } })).toBe(0);
    expect(h.answers("young1")).toHaveLength(1);
    expect((await row(old)).attempts).toBe(0);
    const expired = entries.filter((e) => e.msg.startsWith("Slack request expired unanswered"));
    expect(expired).toEqual([expect.objectContaining({ level: LEVEL.error, key: old, kind: "command" })]);
  });

  it("two instances replaying at once handle every request once: one claim, one answer each", async () => {
    const first = await harness();
    const second = await harness(other ?? db);
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) {
      keys.push(await recordLost(first.h, `race${i}`, `QQQ up ${24 + i}h 60%`, `UR${i}`));
    }
    await Promise.all([start(first.h), start(second.h)]);
    await until("every request answered", SETTLED_MS, async () =>
      keys.every((_, i) => first.h.answers(`race${i}`).length > 0) ? true : null,
    );
    // Both passes over: nothing more can arrive.
    await Promise.all([stop(first.h), stop(second.h)]);
    for (let i = 0; i < 12; i++)
      expect(texts(first.h, `race${i}`)).toEqual([expect.stringContaining(" calls ")]);
    const rows = await db.prisma.inboxCommand.findMany({ where: { key: { in: keys } } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(keys.map(() => ["processed", 1]));
    expect(
      await db.prisma.call.count({ where: { interactionId: { startsWith: "slack:command:race" } } }),
    ).toBe(12);
    const replayed = [first.entries, second.entries].flatMap((log) =>
      log.filter((e) => e.msg === "Slack requests replayed from the inbox").map((e) => e.replayed as number),
    );
    expect(replayed.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it("when the inbox cannot record, a command is refused in its ack and a click or reaction fails unacknowledged; nothing is stored", async () => {
    const { h, entries } = await harness();
    const calls = await db.prisma.call.count();
    await db.prisma.$executeRawUnsafe(`ALTER TABLE "InboxCommand" RENAME TO "InboxCommandAway"`);
    try {
      const command = h.command("/predict", "QQQ down 48h 65%");
      const sent = await command.sent;
      expect(sent.status).toBe(200);
      expect(JSON.parse(sent.body)).toMatchObject({
        response_type: "ephemeral",
        text: expect.stringContaining("nothing was saved"),
      });
      expect((await h.click(ACTIONS.agree, 1, "1775070000.000100").sent).status).toBe(500);
      const reaction = { type: "reaction_added", user: "UBO", reaction: "arrow_up", item_user: "UBOT" };
      const item = { type: "message", channel: "CDESK", ts: "1775070000.000100" };
      expect((await h.event({ ...reaction, item, event_ts: "1.2" }, "Ev-refused")).status).toBe(500);
      expect(h.answers(command.id)).toEqual([]);
    } finally {
      await db.prisma.$executeRawUnsafe(`ALTER TABLE "InboxCommandAway" RENAME TO "InboxCommand"`);
    }
    expect(await db.prisma.call.count()).toBe(calls);
    const refused = entries.filter((e) => e.msg.startsWith("Slack request refused"));
    expect(refused.map((e) => [e.level, e.key])).toEqual([
      [LEVEL.error, expect.stringMatching(/^slack:command:/)],
      [LEVEL.error, expect.stringMatching(/^slack:action:/)],
      [LEVEL.error, "slack:event:Ev-refused"],
    ]);
  });
});
