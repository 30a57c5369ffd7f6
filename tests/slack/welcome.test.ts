import { describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { PATIENT } from "../support/process.ts";
import { withSlackDesk } from "./desk.ts";
import { type SlackHarness, TEAM } from "./harness.ts";

const joined = (user: string, channel: string) => ({
  type: "member_joined_channel",
  user,
  channel,
  channel_type: "C",
  team: TEAM,
  event_ts: "1.1",
});

describe("a Slack workspace the bot joins", () => {
  let db: Database;
  let h: SlackHarness;
  withSlackDesk((desk) => ({ db, h } = desk), { installed: false });

  const welcomes = () =>
    h.fake.called("chat.postMessage").filter((m) => String(m.text).includes("Tapereader is here"));

  it("takes the first channel the bot is added to as its dispatch channel: a welcome there, then its first dispatch through the cycle port", async () => {
    // A person joining a channel is not the bot arriving.
    await h.event(joined("UBO", "CFIRST"), "Ev0");
    expect((await h.event(joined("UBOT", "CFIRST"), "Ev1")).status).toBe(200);
    await vi.waitFor(() => expect(h.runs).toHaveLength(1), PATIENT);
    expect(welcomes().map((m) => m.channel)).toEqual(["CFIRST"]);
    const server = await db.prisma.server.findFirstOrThrow({
      where: { platform: "slack", externalId: TEAM },
    });
    expect(server.channelId).toBe("CFIRST");
    expect(h.runs[0]?.id).toBe(server.id);
  });

  it("a later channel, or Slack's retry of the join, changes nothing and runs nothing", async () => {
    // Each bot join looks its workspace up first; once both lookups are answered, both were decided.
    const lookups = vi.spyOn(h.core.servers, "ensure");
    await h.event(joined("UBOT", "CFIRST"), "Ev1", { retryNum: 1 });
    await h.event(joined("UBOT", "CLATER"), "Ev2");
    await vi.waitFor(
      () => expect(lookups.mock.settledResults.filter((r) => r.type === "fulfilled")).toHaveLength(2),
      PATIENT,
    );
    await new Promise((resolve) => setImmediate(resolve));
    const server = await db.prisma.server.findFirstOrThrow({
      where: { platform: "slack", externalId: TEAM },
    });
    expect(server.channelId).toBe("CFIRST");
    expect(h.runs).toHaveLength(1);
    expect(welcomes()).toHaveLength(1);
  });
});
