import { describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { CHANNEL_ID } from "../support/fake-discord.ts";
import { withDiscordDesk } from "./desk.ts";
import type { DiscordHarness } from "./harness.ts";

const NEW_GUILD = "900000000000000111";
const NEW_CHANNEL = "900000000000000211";

describe("a guild that adds the bot", () => {
  let db: Database;
  let h: DiscordHarness;
  withDiscordDesk((desk) => ({ db, h } = desk));

  it("is welcomed in its system channel and gets its first dispatch at once, through the cycle and the outbox", async () => {
    h.send("GUILD_CREATE", h.fake.guild(NEW_GUILD, "New Guild", NEW_CHANNEL));
    const posted = (r: { method: string; path: string }) =>
      r.method === "POST" && r.path === `/channels/${NEW_CHANNEL}/messages`;
    const welcome = await h.fake.waitFor(
      (r) => posted(r) && String(r.body?.content).includes("Tapereader is here"),
    );
    expect(welcome.body?.allowed_mentions).toEqual({ parse: [] });
    // The dispatch post is the outbox's (an embed with the call buttons), not a second path's.
    const dispatch = await h.fake.waitFor((r) => posted(r) && Array.isArray(r.body?.embeds));
    expect(h.fake.requests.indexOf(dispatch)).toBeGreaterThan(h.fake.requests.indexOf(welcome));

    const server = await db.prisma.server.findFirstOrThrow({
      where: { platform: "discord", externalId: NEW_GUILD },
      include: { dispatches: true },
    });
    expect(server.channelId).toBe(NEW_CHANNEL);
    expect(server.dispatches).toHaveLength(1);
    const delivery = await db.prisma.delivery.findFirst({
      where: { dispatchId: server.dispatches[0]?.id, target: "discord", kind: "dispatch" },
    });
    expect(delivery).toMatchObject({ channelId: NEW_CHANNEL });
    // A guild the bot was already in, seen again at connect (GuildAvailable), gets no welcome.
    const welcomes = h.fake.requests.filter((r) => String(r.body?.content).includes("Tapereader is here"));
    expect(welcomes.map((r) => r.path)).toEqual([`/channels/${NEW_CHANNEL}/messages`]);
    expect(welcomes.map((r) => r.path)).not.toContain(`/channels/${CHANNEL_ID}/messages`);
  });
});
