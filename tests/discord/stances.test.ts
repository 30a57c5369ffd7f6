import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CallRecord } from "../../src/domain/call-record.ts";
import type { Database } from "../../src/store/database.ts";
import { findServer } from "../../src/store/servers.ts";
import { openMigrated, type TestDatabase, testDatabases } from "../support/databases.ts";
import { CHANNEL_ID, GUILD_ID } from "../support/fake-discord.ts";
import { PATIENT } from "../support/process.ts";
import { answerTo, button, modal, reactionAdd } from "./events.ts";
import { ADA, BOB, type DiscordHarness, MOD, startDiscord } from "./harness.ts";

const target = testDatabases()[0] as TestDatabase;

describe("Agree, fade, counter-call and reactions on a posted dispatch", () => {
  let db: Database;
  let h: DiscordHarness;
  let desk: CallRecord;
  let messageId: string;
  /** A reaction answers every call of the post: it is refused only once the last of them has locked. */
  let lastLock: Date;

  beforeAll(async () => {
    db = await openMigrated(target);
    h = await startDiscord(db);
    const server = await vi.waitFor(async () => {
      const found = await findServer(db.prisma, "discord", GUILD_ID);
      if (!found) throw new Error("guild not seen yet");
      return found;
    }, PATIENT);
    await h.runtime.runNow(server);
    const post = await vi.waitFor(
      async () => {
        await h.runtime.outbox.drain();
        const sent = await db.prisma.delivery.findFirst({ where: { target: "discord", status: "sent" } });
        if (!sent?.platformMessageId) throw new Error("not posted yet");
        return sent;
      },
      { ...PATIENT, timeout: 60_000 },
    );
    messageId = post.platformMessageId as string;
    const calls = await db.prisma.call.findMany({ where: { authorType: "desk" }, orderBy: { id: "asc" } });
    desk = calls[0] as CallRecord;
    lastLock = new Date(Math.max(...calls.map((c) => c.lockAt.getTime())));
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
    await target.dispose();
  });

  const responses = (source?: string) =>
    db.prisma.call.findMany({ where: { parentCallId: desk.id, ...(source && { source }) } });

  it("the seeded cycle made a desk call to answer", () => {
    expect(desk).toBeDefined();
    expect(h.clock.now().getTime()).toBeLessThan(desk.lockAt.getTime());
  });

  it("a dispatch delivery reclaimed after a crash mid-post returns the first post, not a second", async () => {
    const row = await db.prisma.delivery.findFirstOrThrow({ where: { target: "discord", kind: "dispatch" } });
    const posts = () =>
      h.fake.requests.filter((r) => r.method === "POST" && r.path === `/channels/${CHANNEL_ID}/messages`);
    const before = posts().length;
    const again = await h.surface.deliver({ ...row, payload: row.payload, reclaimed: true });
    expect(again.platformMessageId).toBe(messageId);
    expect(posts().at(-1)?.body?.nonce).toBe(posts()[0]?.body?.nonce);
    expect(posts()).toHaveLength(before + 1);
    expect([...h.fake.messages.values()].filter((m) => m.nonce !== undefined)).toHaveLength(1);
  });

  it("Agree stores the member's call, answers privately, and the post's counts update", async () => {
    const answer = await answerTo(
      h.fake,
      h.send("INTERACTION_CREATE", button(ADA, `tr:agree:${desk.id}`, messageId)),
    );
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(new RegExp(`You agree with call #${desk.id} at 60%`));
    expect(await responses("button")).toMatchObject([{ stance: "agree", deadline: desk.deadline }]);
    await h.runtime.outbox.drain();
    const edit = await h.fake.waitFor(
      (r) => r.method === "PATCH" && r.path === `/channels/${CHANNEL_ID}/messages/${messageId}`,
    );
    const [embed] = (edit.body as { embeds: { fields: { value: string }[] }[] }).embeds;
    expect(embed?.fields[0]?.value).toContain("↑ 1 agree · ↓ 0 fade");
    expect(h.fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it("the same interaction delivered twice stores one call", async () => {
    const event = button(BOB, `tr:fade:${desk.id}`, messageId);
    h.send("INTERACTION_CREATE", event);
    await answerTo(h.fake, event);
    h.send("INTERACTION_CREATE", event);
    await vi.waitFor(() => {
      const callbacks = h.fake.requests.filter((r) => r.path.startsWith(`/interactions/${event.id}/`));
      expect(callbacks).toHaveLength(2);
    }, PATIENT);
    const fades = (await responses("button")).filter((c) => c.stance === "fade");
    expect(fades).toHaveLength(1);
    expect(fades[0]?.interactionId).toBe(event.id);
  });

  it("a ⬆️ reaction agrees like the button, once however often the event arrives", async () => {
    const event = reactionAdd(MOD, messageId, "⬆️");
    h.send("MESSAGE_REACTION_ADD", event);
    await vi.waitFor(async () => expect(await responses("reaction")).toHaveLength(1), PATIENT);
    h.send("MESSAGE_REACTION_ADD", event);
    // A follow-up through the same gateway and handler, sent after the replay: once it is stored,
    // the replay before it has been handled too.
    h.send("MESSAGE_REACTION_ADD", reactionAdd(MOD, messageId, "⬇️"));
    const stored = await vi.waitFor(async () => {
      const rows = await responses("reaction");
      expect(rows.map((c) => c.stance)).toContain("fade");
      return rows;
    }, PATIENT);
    expect(stored.filter((c) => c.stance === "agree")).toHaveLength(1);
    expect(stored).toHaveLength(2);
  });

  it("Counter-call… opens a modal with the opposite call, and its submission is the member's own call", async () => {
    const opened = h.send("INTERACTION_CREATE", button(ADA, `tr:counter:${desk.id}`, messageId));
    const callback = await h.fake.waitFor((r) => r.path.startsWith(`/interactions/${opened.id}/`));
    expect(callback.body).toMatchObject({ type: 9, data: { custom_id: `tr:counter-call:${desk.id}` } });
    const submitted = h.send(
      "INTERACTION_CREATE",
      modal(ADA, `tr:counter-call:${desk.id}`, { text: `${desk.symbol} up 72h 70%` }),
    );
    const answer = await answerTo(h.fake, submitted);
    expect(answer.ephemeral).toBe(false);
    expect(await db.prisma.call.findMany({ where: { source: "modal" } })).toMatchObject([
      { symbol: desk.symbol, direction: "up", probability: 0.7 },
    ]);
  });

  it("after the lock, buttons and reactions are refused and nothing is stored", async () => {
    h.clock.set(new Date(lastLock.getTime() + 60_000));
    const before = (await responses()).length;
    const answer = await answerTo(
      h.fake,
      h.send("INTERACTION_CREATE", button(BOB, `tr:agree:${desk.id}`, messageId)),
    );
    expect(answer).toMatchObject({
      ephemeral: true,
      content: expect.stringMatching(/locked at .* hindsight/),
    });
    h.send("MESSAGE_REACTION_ADD", reactionAdd(BOB, messageId, "⬇️"));
    await h.fake.waitFor((r) => r.method === "DELETE" && r.path.endsWith(`/reactions/⬇️/${BOB.id}`));
    const notice = await h.fake.waitFor(
      (r) =>
        r.method === "POST" &&
        r.path === `/channels/${CHANNEL_ID}/messages` &&
        Boolean(r.body?.message_reference),
    );
    expect(notice.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(String(notice.body?.content)).not.toContain(BOB.id);
    expect(await responses()).toHaveLength(before);
  });

  it("at the lock the post re-renders with Agree and Fade closed and Counter-call open", async () => {
    const lockUpdate = await db.prisma.delivery.findUniqueOrThrow({
      where: { dedupeKey: `update:discord:lock:${desk.id}` },
    });
    // Due on the wall clock when the desk's clock reaches the lock: this test's desk clock is frozen.
    expect(lockUpdate.status).toBe("pending");
    await h.surface.deliver({ ...lockUpdate, reclaimed: false });
    const edits = h.fake.requests.filter(
      (r) => r.method === "PATCH" && r.path.endsWith(`/messages/${messageId}`),
    );
    const rows = edits.at(-1)?.body?.components as { components: { label: string; disabled: boolean }[] }[];
    expect(rows[0]?.components.map((b) => b.disabled)).toEqual([true, true, false]);
  });

  it("a resolved call updates the post and replies with the verdict", async () => {
    h.clock.set(new Date(desk.deadline.getTime() + 5 * 86_400_000));
    // The deadline falls on Good Friday (2026-04-03): the verdict waits for the next session's data.
    await h.runtime.sweep();
    const resolved = await db.prisma.call.findUniqueOrThrow({ where: { id: desk.id } });
    expect(resolved.status).not.toBe("open");
    await h.runtime.outbox.drain();
    const reply = await h.fake.waitFor(
      (r) => r.method === "POST" && String(r.body?.content ?? "").startsWith(`CALL #${desk.id} resolved`),
    );
    expect(reply.body).toMatchObject({ message_reference: { message_id: messageId }, enforce_nonce: true });
    await h.runtime.sweep();
    expect(await db.prisma.delivery.count({ where: { kind: "verdict", callId: desk.id } })).toBe(1);
  });
});
