import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Server as DeskServer } from "../../src/domain/server.ts";
import { OutboxWorker } from "../../src/scheduler/outbox.ts";
import type { Database } from "../../src/store/database.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import { PATIENT } from "../support/process.ts";
import { DESK_CHANNEL, SlackHarness, seedDispatch } from "./harness.ts";

const target = testDatabases()[0];
if (!target) throw new Error("no test database");

type Posted = { text: string; blocks: { type: string; text?: { text: string }; elements?: unknown[] }[] };

describe("Slack dispatch posts: Block Kit, buttons, reactions, updates, verdicts, exactly once", () => {
  let db: Database;
  let h: SlackHarness;
  let server: DeskServer;
  let outbox: OutboxWorker;

  beforeAll(async () => {
    db = await openMigrated(target);
    h = new SlackHarness(db);
    await h.start();
    server = await h.workspace();
    outbox = new OutboxWorker({ db, surfaces: [h.bot.surface], now: () => new Date() });
  });
  afterAll(async () => {
    await h?.stop();
    await db?.close();
    await target.dispose();
  });
  beforeEach(() => {
    h.now = new Date("2026-04-01T21:00:00Z");
  });

  async function posted() {
    const seeded = await seedDispatch(db, server);
    // Earlier tests may leave count updates queued; they go out in the same pass.
    await outbox.drain();
    const delivery = await db.prisma.delivery.findFirstOrThrow({
      where: { dispatchId: seeded.dispatch.id, target: "slack", kind: "dispatch" },
    });
    return { ...seeded, ts: delivery.platformMessageId as string, delivery };
  }

  const lastPost = () =>
    h.fake.called("chat.postMessage").at(-1) as unknown as Posted & Record<string, unknown>;

  it("posts the dispatch in Block Kit with calls, lock times, buttons, a web link and the two reactions", async () => {
    const { dispatch, calls, ts, delivery } = await posted();
    expect(delivery.status).toBe("sent");
    const post = lastPost();
    expect(post.channel).toBe(DESK_CHANNEL);
    expect(post.metadata).toEqual({
      event_type: "tapereader_delivery",
      event_payload: { delivery_id: delivery.id },
    });
    expect(post.blocks[0]).toMatchObject({ type: "header" });
    expect(post.blocks[0]?.text?.text).toBe(
      `Dispatch #${dispatch.number} · Breadth Is Lying About This Bounce`,
    );
    const text = JSON.stringify(post.blocks);
    expect(text).toContain("CALL 1* ↓ QQQ lower in 48h · *62%*");
    // Made 04-01 20:55 UTC, due on Good Friday: Thursday's close decides it, so it locks at a quarter of those 23h05.
    expect(text).toContain(
      "locks Thu 2 Apr 02:41 UTC · decided by Thursday's close (16:00 New York) · resolves Fri 3 Apr 20:55 UTC",
    );
    expect(text).toContain(`https://desk.example.com/read/${dispatch.number}|Full dispatch &amp; trail →`);
    expect(text).toContain("[simulated market]");
    const buttons = post.blocks.filter((b) => b.type === "actions");
    expect(buttons).toHaveLength(2);
    expect(JSON.stringify(buttons[0])).toContain(`"value":"${calls[0]?.id}"`);
    const reactions = h.fake.called("reactions.add").filter((r) => r.timestamp === ts);
    expect(reactions.map((r) => r.name)).toEqual(["arrow_up", "arrow_down"]);
  });

  it("neutralises <!channel>, <@U…>, @here and & in the desk's text", async () => {
    await posted();
    const text = JSON.stringify(lastPost().blocks);
    expect(text).not.toMatch(/<!channel>|<@U024BE7LH>/);
    expect(text).toContain("&lt;!channel&gt; &lt;@U024BE7LH&gt; &amp; friends: @\u2060here");
  });

  it("Agree stores one call however often it is clicked, and the post re-renders its counts", async () => {
    const { calls, ts } = await posted();
    const desk = calls[0]?.id as number;
    const first = h.click("tapereader_agree", desk, ts, "UCY");
    const second = h.click("tapereader_agree", desk, ts, "UCY");
    expect((await first.sent).status).toBe(200);
    expect((await second.sent).status).toBe(200);
    await vi.waitFor(
      () => expect([...h.answers(first.id), ...h.answers(second.id)]).toHaveLength(2),
      PATIENT,
    );
    expect(h.answers(first.id)[0]).toMatchObject({ response_type: "ephemeral" });
    const live = await db.prisma.call.findMany({ where: { parentCallId: desk } });
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ stance: "agree", source: "button" });
    // A third click well after the first was stored: still the same answer.
    const late = h.click("tapereader_agree", desk, ts, "UCY");
    await vi.waitFor(() => expect(h.answers(late.id)).toHaveLength(1), PATIENT);
    expect(h.answers(late.id)[0]?.text).toContain("(already saved)");
    expect(await db.prisma.call.count({ where: { parentCallId: desk } })).toBe(1);

    await outbox.drain();
    const update = h.fake.called("chat.update").at(-1) as unknown as Posted & { ts: string };
    expect(update.ts).toBe(ts);
    expect(JSON.stringify(update.blocks)).toContain(":arrow_up: 1 agree · :arrow_down: 0 fade");

    // A change of mind is a new answer that replaces the first.
    const fade = h.click("tapereader_fade", desk, ts, "UCY");
    await vi.waitFor(() => expect(h.answers(fade.id)).toHaveLength(1), PATIENT);
    expect(h.answers(fade.id)[0]?.text).toContain("You fade");
    const after = await db.prisma.call.findMany({ where: { parentCallId: desk }, orderBy: { id: "asc" } });
    expect(after.map((c) => [c.stance, c.status])).toEqual([
      ["agree", "superseded"],
      ["fade", "open"],
    ]);
  });

  it("after the lock, Agree is refused privately and nothing is stored", async () => {
    const { calls, ts } = await posted();
    h.now = new Date("2026-04-02T09:00:00Z");
    const late = h.click("tapereader_agree", calls[0]?.id as number, ts, "UBO");
    await vi.waitFor(() => expect(h.answers(late.id)).toHaveLength(1), PATIENT);
    expect(h.answers(late.id)[0]).toMatchObject({ response_type: "ephemeral" });
    expect(h.answers(late.id)[0]?.text).toContain("locked at 2026-04-02 02:41 UTC");
    expect(await db.prisma.call.count({ where: { parentCallId: calls[0]?.id } })).toBe(0);
  });

  it("a reaction fades CALL 1; Slack's retry of the same event stores nothing new; the bot's own is ignored", async () => {
    const { calls, ts } = await posted();
    const event = {
      type: "reaction_added",
      user: "UBO",
      reaction: "arrow_down",
      item_user: "UBOT",
      item: { type: "message", channel: DESK_CHANNEL, ts },
      event_ts: "1.2",
    };
    expect((await h.event(event, "Ev1")).status).toBe(200);
    expect((await h.event(event, "Ev1", { retryNum: 1 })).status).toBe(200);
    await h.event({ ...event, user: "UBOT" }, "Ev2");
    await vi.waitFor(
      () => expect(h.fake.called("chat.postEphemeral").filter((e) => e.user === "UBO").length).toBe(2),
      PATIENT,
    );
    const answers = await db.prisma.call.findMany({ where: { parentCallId: calls[0]?.id } });
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      stance: "fade",
      source: "reaction",
      interactionId: "slack:event:Ev1",
    });
  });

  it("Counter-call opens the modal on the desk call's symbol", async () => {
    const { calls, ts } = await posted();
    const before = h.fake.called("views.open").length;
    await h.click("tapereader_counter", calls[1]?.id as number, ts).sent;
    await vi.waitFor(() => expect(h.fake.called("views.open")).toHaveLength(before + 1), PATIENT);
    const view = h.fake.called("views.open").at(-1)?.view as { title: { text: string }; blocks: object[] };
    expect(view.title.text).toBe(`Counter call #${calls[1]?.id}`);
    expect(JSON.stringify(view.blocks[0])).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"SPY"}',
    );
  });

  it("a reclaimed delivery finds its earlier post through message metadata instead of posting twice", async () => {
    const seeded = await seedDispatch(db, server, "Crash Right After Posting");
    expect(await outbox.drain()).toBe(1);
    const posts = h.fake.called("chat.postMessage").length;
    // The worker died after Slack accepted the post but before the row was marked sent.
    await db.prisma.delivery.updateMany({
      where: { dispatchId: seeded.dispatch.id, target: "slack" },
      data: { status: "sending", nextAttemptAt: new Date(0), platformMessageId: null },
    });
    expect(await outbox.drain()).toBe(1);
    expect(h.fake.called("chat.postMessage")).toHaveLength(posts);
    expect(h.fake.called("conversations.history").at(-1)).toMatchObject({
      channel: DESK_CHANNEL,
      include_all_metadata: true,
    });
    const row = await db.prisma.delivery.findFirstOrThrow({
      where: { dispatchId: seeded.dispatch.id, target: "slack" },
    });
    expect(row.status).toBe("sent");
    expect(row.platformMessageId).toBe(
      h.fake.messages.find((m) => m.text?.includes("Crash Right After"))?.ts,
    );
  });

  it("waits out a 429 with Retry-After and then posts once", async () => {
    h.fake.rateLimited["chat.postMessage"] = 1;
    const before = h.fake.called("chat.postMessage").length;
    const { delivery } = await posted();
    expect(delivery.status).toBe("sent");
    expect(h.fake.called("chat.postMessage")).toHaveLength(before + 2);
    expect(h.fake.messages.filter((m) => m.ts === delivery.platformMessageId)).toHaveLength(1);
  });

  it("a verdict edits the post and replies in its thread", async () => {
    const { calls, ts, dispatch } = await posted();
    const desk = calls[0]?.id as number;
    await db.prisma.call.update({
      where: { id: desk },
      data: {
        status: "wrong",
        outcome: 0,
        resolvedAt: new Date(),
        evidence: "QQQ 577.18 → 584.98 (+1.35%)",
        brier: 0.3844,
        baselineScore: -40,
      },
    });
    await db.prisma.delivery.create({
      data: {
        serverId: server.id,
        dispatchId: dispatch.id,
        callId: desk,
        kind: "verdict",
        target: "slack",
        channelId: DESK_CHANNEL,
        dedupeKey: `verdict:${desk}:slack`,
        payload: { dispatchNumber: dispatch.number, callId: desk },
      },
    });
    await outbox.drain();
    const update = h.fake.called("chat.update").at(-1) as unknown as Posted & { ts: string };
    expect(update.ts).toBe(ts);
    expect(JSON.stringify(update.blocks)).toContain(
      "*WRONG* · QQQ 577.18 → 584.98 (+1.35%) · Brier 0.384 · baseline -40",
    );
    const reply = lastPost();
    expect(reply.thread_ts).toBe(ts);
    expect(reply.text).toContain("CALL 1 resolved *WRONG*");
  });

  it("publishes App Home with the member's record, the top five and the desk's record", async () => {
    await h.event(
      { type: "app_home_opened", user: "UCY", channel: "DHOME", tab: "home", event_ts: "1.3" },
      "EvHome",
    );
    await vi.waitFor(() => expect(h.fake.called("views.publish").length).toBeGreaterThan(0), PATIENT);
    const published = h.fake.called("views.publish").at(-1) as {
      user_id: string;
      view: { type: string; blocks: object[] };
    };
    expect(published.user_id).toBe("UCY");
    expect(published.view.type).toBe("home");
    const text = JSON.stringify(published.view.blocks);
    expect(text).toContain("Your record");
    expect(text).toContain("*Cy*");
    expect(text).toContain("Leaderboard · top five");
    expect(text).toContain("The desk");
  });
});
