import { describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { APP_ID, CHANNEL_ID, GUILD_ID } from "../support/fake-discord.ts";
import { PATIENT } from "../support/process.ts";
import { withDiscordDesk } from "./desk.ts";
import { answerTo, autocomplete, opt, resolvedChannel, slash } from "./events.ts";
import { ADA, BOB, type DiscordHarness, MOD } from "./harness.ts";

describe("Discord slash commands through a fake Discord", () => {
  let db: Database;
  let h: DiscordHarness;

  withDiscordDesk((desk) => ({ db, h } = desk));

  const memberCalls = () => db.prisma.call.findMany({ where: { authorType: "member" } });

  it("creates the guild's server with its system channel when the guild arrives", async () => {
    await vi.waitFor(async () => {
      const server = await db.prisma.server.findUnique({
        where: { platform_externalId: { platform: "discord", externalId: GUILD_ID } },
      });
      expect(server?.channelId).toBe(CHANNEL_ID);
    }, PATIENT);
    // A new server is scheduled at once.
    expect(h.rescheduled.map((server) => server.externalId)).toContain(GUILD_ID);
  });

  it("/predict with valid options stores the member's call and answers publicly", async () => {
    const event = h.send(
      "INTERACTION_CREATE",
      slash(ADA, "predict", [
        opt("symbol", "qqq"),
        opt("claim", "down"),
        opt("probability", 65),
        opt("horizon", 48),
      ]),
    );
    const answer = await answerTo(h.fake, event);
    expect(answer.ephemeral).toBe(false);
    expect(answer.content).toMatch(/ada calls #\d+ ↓ QQQ lower .* 65%/);
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    const [call] = await memberCalls();
    expect(call).toMatchObject({ symbol: "QQQ", direction: "down", probability: 0.65, source: "predict" });
    expect(call?.interactionId).toBe(event.id);
  });

  it.each([
    [
      "an unknown symbol",
      [opt("symbol", "ZZZZ"), opt("claim", "up"), opt("probability", 60), opt("horizon", 24)],
      /ZZZZ is not tracked/,
    ],
    [
      "probability 120",
      [opt("symbol", "SPY"), opt("claim", "up"), opt("probability", 120), opt("horizon", 24)],
      /120 is too high/,
    ],
    [
      "a past deadline",
      [opt("symbol", "SPY"), opt("claim", "up"), opt("probability", 60), opt("deadline", "2026-03-01")],
      /deadline/i,
    ],
  ])("/predict with %s answers privately and stores nothing", async (_, options, message) => {
    const before = (await memberCalls()).length;
    const answer = await answerTo(h.fake, h.send("INTERACTION_CREATE", slash(BOB, "predict", options)));
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(message);
    expect(await memberCalls()).toHaveLength(before);
  });

  it("/predict is acknowledged before its work: Discord has the deferral before the quote is asked", async () => {
    const options = [opt("symbol", "IWM"), opt("claim", "up"), opt("probability", 70), opt("horizon", 24)];
    const event = slash(BOB, "predict", options);
    const ackedAtQuote: boolean[] = [];
    h.quoteControl.onQuote = () =>
      ackedAtQuote.push(h.fake.requests.some((r) => r.path.startsWith(`/interactions/${event.id}/`)));
    try {
      const answer = await answerTo(h.fake, h.send("INTERACTION_CREATE", event));
      expect(answer).toMatchObject({
        type: 5,
        ephemeral: false,
        content: expect.stringMatching(/bob calls #\d+ ↑ IWM/),
      });
      expect(ackedAtQuote).toEqual([true]);
      expect(await db.prisma.call.count({ where: { interactionId: event.id } })).toBe(1);
    } finally {
      h.quoteControl.onQuote = null;
    }
  });

  it("slow work is deferred in time: a public defer, then the edit; an error then goes private", async () => {
    h.quoteControl.delayMs = 2_500;
    try {
      const options = [opt("symbol", "SPY"), opt("claim", "up"), opt("probability", 55), opt("horizon", 24)];
      const slow = await answerTo(h.fake, h.send("INTERACTION_CREATE", slash(ADA, "predict", options)));
      expect(slow).toMatchObject({
        type: 5,
        ephemeral: false,
        content: expect.stringMatching(/ada calls #\d+ ↑ SPY/),
      });
      h.quoteControl.failing = true;
      const event = h.send("INTERACTION_CREATE", slash(BOB, "predict", options));
      const failed = await answerTo(h.fake, event);
      expect(failed).toMatchObject({
        type: 5,
        ephemeral: true,
        content: expect.stringMatching(/No price for SPY/),
      });
      const deleted = h.fake.requests.filter((r) => r.method === "DELETE" && r.path.includes(event.token));
      expect(deleted.map((r) => r.path)).toEqual([`/webhooks/${APP_ID}/${event.token}/messages/@original`]);
    } finally {
      h.quoteControl.delayMs = 0;
      h.quoteControl.failing = false;
    }
  });

  it("autocompletes /predict symbols from the server's list", async () => {
    const event = h.send(
      "INTERACTION_CREATE",
      autocomplete(ADA, "predict", [{ ...opt("symbol", "Q"), focused: true }]),
    );
    const callback = await h.fake.waitFor((r) => r.path.startsWith(`/interactions/${event.id}/`));
    expect(callback.body).toMatchObject({ type: 8 });
    const choices = (callback.body as { data: { choices: { value: string }[] } }).data.choices.map(
      (c) => c.value,
    );
    expect(choices).toContain("QQQ");
    expect(choices.every((c) => c.includes("Q"))).toBe(true);
  });

  it("autocompletes /leaderboard seasons from the desk's clock", async () => {
    const event = h.send(
      "INTERACTION_CREATE",
      autocomplete(ADA, "leaderboard", [{ ...opt("season", "2026"), focused: true }]),
    );
    const callback = await h.fake.waitFor((r) => r.path.startsWith(`/interactions/${event.id}/`));
    const choices = (callback.body as { data: { choices: { value: string }[] } }).data.choices.map(
      (c) => c.value,
    );
    expect(choices).toEqual(["2026-04", "2026-03", "2026-02", "2026-01"]);
  });

  it("/cycle now by a non-moderator is refused privately and runs nothing", async () => {
    const answer = await answerTo(h.fake, h.send("INTERACTION_CREATE", slash(ADA, "cycle", [], "now")));
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(/Only moderators can use \/cycle now/);
    expect(await db.prisma.cycle.count()).toBe(0);
  });

  it("/cycle now by a moderator posts a dispatch embed with buttons and reactions", async () => {
    const answer = await answerTo(h.fake, h.send("INTERACTION_CREATE", slash(MOD, "cycle", [], "now")));
    // A cycle is always slow: it is deferred at once, privately.
    expect(answer.type).toBe(5);
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(/Dispatch #\d+ written, posting to <#\d+>/);
    await h.runtime.outbox.drain();
    const post = await h.fake.waitFor(
      (r) => r.method === "POST" && r.path === `/channels/${CHANNEL_ID}/messages`,
    );
    const body = post.body as Record<string, unknown>;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.enforce_nonce).toBe(true);
    expect(String(body.nonce).length).toBeLessThanOrEqual(25);
    const [embed] = body.embeds as {
      title: string;
      url: string;
      description: string;
      fields: { name: string; value: string }[];
    }[];
    expect(embed?.url).toMatch(/^https:\/\/desk\.example\.com\/read\/\d+$/);
    expect(embed?.description).toContain("Full dispatch & trail");
    const calls = await db.prisma.call.findMany({ where: { authorType: "desk" } });
    if (calls.length > 0) {
      expect(embed?.fields[0]?.name).toMatch(/^CALL 1 [↑↓↔↕] /);
      expect(embed?.fields[0]?.value).toMatch(
        /locks <t:\d+:R> · decided by \w+'s close \((16:00 New York|midnight UTC)\) · resolves <t:\d+:f>/,
      );
      const rows = body.components as { components: { custom_id: string; label: string }[] }[];
      expect(rows[0]?.components.map((b) => b.custom_id)).toEqual([
        `tr:agree:${calls[0]?.id}`,
        `tr:fade:${calls[0]?.id}`,
        `tr:counter:${calls[0]?.id}`,
      ]);
      await h.fake.waitFor((r) => r.method === "PUT" && r.path.includes("/reactions/⬆️/@me"));
    }
    await vi.waitFor(async () => {
      const delivery = await db.prisma.delivery.findFirst({ where: { target: "discord", kind: "dispatch" } });
      expect(delivery).toMatchObject({ status: "sent", platformMessageId: expect.any(String) });
    }, PATIENT);
  });

  it("/trail renders a member's record and a call's chain", async () => {
    const mine = await answerTo(h.fake, h.send("INTERACTION_CREATE", slash(ADA, "trail")));
    expect(mine.ephemeral).toBe(false);
    expect(mine.embeds[0]).toMatchObject({ title: "Trail · ada" });
    expect(String(mine.embeds[0]?.description)).toMatch(/QQQ lower/);
    const [call] = await memberCalls();
    const chain = await answerTo(
      h.fake,
      h.send("INTERACTION_CREATE", slash(BOB, "trail", [opt("call", call?.id ?? 0)])),
    );
    expect(chain.embeds[0]).toMatchObject({ title: `Trail · call #${call?.id}` });
    const unknown = await answerTo(
      h.fake,
      h.send("INTERACTION_CREATE", slash(BOB, "trail", [opt("call", 99999)])),
    );
    expect(unknown).toMatchObject({ ephemeral: true, content: expect.stringMatching(/no call #99999/) });
  });

  it("/trail with a member option shows that member's record", async () => {
    const user = { id: ADA.id, username: ADA.username, discriminator: "0", global_name: null, avatar: null };
    const theirs = await answerTo(
      h.fake,
      h.send(
        "INTERACTION_CREATE",
        slash(BOB, "trail", [opt("member", ADA.id, 6)], undefined, { users: { [ADA.id]: user } }),
      ),
    );
    expect(theirs.embeds[0]).toMatchObject({ title: "Trail · ada" });
  });

  it("an option of another type than registered is a stale registration, answered privately", async () => {
    const options = [opt("symbol", "SPY"), opt("claim", "up"), opt("probability", "sixty")];
    const answer = await answerTo(h.fake, h.send("INTERACTION_CREATE", slash(ADA, "predict", options)));
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(
      /^⚠️ The options Discord sent do not match this command \(.*probability.*\): it was probably just updated, so try again in a few minutes\.$/,
    );
  });

  it("/leaderboard renders the season with the desk in place", async () => {
    const answer = await answerTo(
      h.fake,
      h.send("INTERACTION_CREATE", slash(ADA, "leaderboard", [opt("season", "all")])),
    );
    expect(answer.ephemeral).toBe(false);
    expect(answer.embeds[0]).toMatchObject({ title: "Leaderboard · all time" });
    expect(String(answer.embeds[0]?.description)).toContain("**Desk**");
    expect(answer.files).toEqual(["leaderboard.png"]);
    expect(answer.embeds[0]).toMatchObject({ image: { url: "attachment://leaderboard.png" } });
  });

  it("/config by a moderator saves a channel and shows the next cycles", async () => {
    const answer = await answerTo(
      h.fake,
      h.send(
        "INTERACTION_CREATE",
        slash(
          MOD,
          "config",
          [opt("schedule", "0 15 * * 1-5"), opt("channel", CHANNEL_ID, 7)],
          undefined,
          resolvedChannel(CHANNEL_ID),
        ),
      ),
    );
    expect(answer.ephemeral).toBe(true);
    expect(answer.embeds[0]).toMatchObject({ description: "Saved: channelId, schedule." });
    // A changed schedule takes effect at once: the server's cycles follow the new one.
    expect(h.rescheduled.at(-1)).toMatchObject({ externalId: GUILD_ID, schedule: "0 15 * * 1-5" });
  });

  it("/config sets the reactions and verdict threads, and a refused emoji changes nothing", async () => {
    const saved = await answerTo(
      h.fake,
      h.send(
        "INTERACTION_CREATE",
        slash(MOD, "config", [
          opt("agree_emoji", "👍"),
          opt("fade_emoji", "👎"),
          opt("verdict_in_thread", true, 5),
        ]),
      ),
    );
    expect(String(saved.embeds[0]?.description)).toMatch(
      /^Saved: agreeEmoji, fadeEmoji, verdictInThread\. New dispatches/,
    );
    expect(saved.embeds[0]?.fields).toEqual(
      expect.arrayContaining([
        { name: "Reactions", value: "👍 agree · 👎 fade", inline: true },
        { name: "Verdicts", value: "in a thread", inline: true },
      ]),
    );
    const refused = await answerTo(
      h.fake,
      h.send("INTERACTION_CREATE", slash(MOD, "config", [opt("agree_emoji", "bull")])),
    );
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toMatch(/agreeEmoji: a single emoji/);
    const server = await db.prisma.server.findFirstOrThrow({ where: { platform: "discord" } });
    expect(server).toMatchObject({ agreeEmoji: "👍", fadeEmoji: "👎", verdictInThread: true });
  });
});
