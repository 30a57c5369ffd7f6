import { describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { findServer } from "../../src/store/servers.ts";
import { PATIENT } from "../support/process.ts";
import { withSlackDesk } from "./desk.ts";
import { type SlackHarness, SPY_ABOVE_600, TEAM } from "./harness.ts";

describe("Slack slash commands through the real Bolt app (HTTP mode, signed requests, fake Web API)", () => {
  let db: Database;
  let h: SlackHarness;
  const memberCalls = () => db.prisma.call.count({ where: { authorType: "member" } });

  withSlackDesk((desk) => ({ db, h } = desk));

  it("rejects a bad signature and a stale timestamp, and changes nothing", async () => {
    const before = h.fake.calls.length;
    const forged = h.command("/predict", "QQQ down 48h 65%", "UBO", { secret: "not-the-secret" });
    expect((await forged.sent).status).toBe(401);
    const stale = h.command("/predict", "QQQ down 48h 65%", "UBO", {
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect((await stale.sent).status).toBe(401);
    // A signed command sent after them: once it is answered, anything the rejected ones set off has run.
    const next = h.command("/predict", "QQQ sideways maybe");
    await vi.waitFor(() => expect(h.answers(next.id)).toHaveLength(1), PATIENT);
    // Only the signed command reached the app: its own author lookup is the one Web API call (besides
    // the auth.test Bolt makes the first time it authorizes a request, which depends on test order).
    const since = h.fake.calls.slice(before).map((c) => c.method);
    expect(since.filter((method) => method !== "auth.test")).toEqual(["users.info"]);
    expect(h.fake.responses.map((r) => r.id)).toEqual([next.id]);
    expect(await memberCalls()).toBe(0);
  });

  it("/predict with text stores the member's call and announces it; a retried delivery stores nothing new", async () => {
    const first = h.command("/predict", "QQQ down 48h 65%", "UBO", { triggerId: "trigger.same" });
    // ack() comes back as the HTTP response at once, empty: the answer follows through response_url.
    expect(await first.sent).toEqual({ status: 200, body: "" });
    await vi.waitFor(() => expect(h.answers(first.id)).toHaveLength(1), PATIENT);
    const [answer] = h.answers(first.id);
    expect(answer?.response_type).toBe("in_channel");
    expect(answer?.text).toContain("QQQ lower in 48h");
    expect(answer?.text).toContain("65%");

    const retry = h.command("/predict", "QQQ down 48h 65%", "UBO", {
      triggerId: "trigger.same",
      retryNum: 1,
    });
    expect((await retry.sent).status).toBe(200);
    await vi.waitFor(() => expect(h.answers(retry.id)).toHaveLength(1), PATIENT);
    expect(h.answers(retry.id)[0]?.text).toContain("Already saved");
    const calls = await db.prisma.call.findMany({ where: { authorType: "member" } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      symbol: "QQQ",
      direction: "down",
      probability: 0.65,
      source: "predict",
    });
    expect(calls[0]?.interactionId).toBe("slack:command:trigger.same");
  });

  it("/predict with unreadable text answers privately with a valid example and stores nothing", async () => {
    const before = await memberCalls();
    const bad = h.command("/predict", "QQQ sideways maybe");
    await bad.sent;
    await vi.waitFor(() => expect(h.answers(bad.id)).toHaveLength(1), PATIENT);
    const [answer] = h.answers(bad.id);
    expect(answer?.response_type).toBe("ephemeral");
    expect(answer?.text).toMatch(/Example: QQQ down 48h 65%/);
    const untracked = h.command("/predict", "TSLA up 24h 60%");
    await vi.waitFor(() => expect(h.answers(untracked.id)).toHaveLength(1), PATIENT);
    expect(h.answers(untracked.id)[0]?.text).toContain("not tracked on this server");
    expect(await memberCalls()).toBe(before);
  });

  it("/predict alone opens the modal with the server's symbols; a submission stores one call", async () => {
    const open = h.command("/predict", "");
    await open.sent;
    await vi.waitFor(() => expect(h.fake.called("views.open")).toHaveLength(1), PATIENT);
    const view = h.fake.called("views.open")[0]?.view as {
      callback_id: string;
      blocks: { block_id: string }[];
    };
    expect(view.callback_id).toBe("tapereader_predict");
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      "symbol",
      "claim",
      "level",
      "versus",
      "horizon",
      "probability",
      "note",
    ]);
    expect(JSON.stringify(view.blocks[0])).toContain('"value":"IWM"');

    const before = await memberCalls();
    const values = SPY_ABOVE_600;
    const submitted = await h.submitModal(values, "VMODAL1");
    expect(submitted).toEqual({ status: 200, body: "" });
    await vi.waitFor(async () => expect(await memberCalls()).toBe(before + 1), PATIENT);
    // Slack redelivers the same view submission: still one call.
    await h.submitModal(values, "VMODAL1", "UBO");
    await vi.waitFor(() => expect(h.fake.called("chat.postEphemeral").length).toBeGreaterThan(0), PATIENT);
    expect(await memberCalls()).toBe(before + 1);
    const call = await db.prisma.call.findFirstOrThrow({ where: { interactionId: "slack:view:VMODAL1" } });
    expect(call).toMatchObject({
      kind: "threshold",
      comparator: "above",
      level: 600,
      horizonHours: 120,
      probability: 0.7,
      source: "modal",
    });
    expect(h.fake.called("chat.postMessage").some((p) => String(p.text).includes("SPY"))).toBe(true);
  });

  it("a modal missing a field the claim needs is answered in the ack, under that field", async () => {
    const before = await memberCalls();
    const sent = await h.submitModal(
      {
        symbol: { type: "static_select", selected_option: { value: "SPY" } },
        claim: { type: "static_select", selected_option: { value: "touches_above" } },
        horizon: { type: "plain_text_input", value: "48h" },
      },
      "VMODAL2",
    );
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toEqual({
      response_action: "errors",
      errors: { level: "This claim needs a price level." },
    });
    expect(await memberCalls()).toBe(before);
  });

  it("/cycle now runs for an admin and for the moderator group, and is refused to a member", async () => {
    const member = h.command("/cycle", "now", "UBO");
    await vi.waitFor(() => expect(h.answers(member.id)).toHaveLength(1), PATIENT);
    expect(h.answers(member.id)[0]).toMatchObject({ response_type: "ephemeral" });
    expect(h.answers(member.id)[0]?.text).toContain("Only moderators can use /cycle now");
    expect(h.runs).toHaveLength(0);

    const admin = h.command("/cycle", "now", "UADMIN");
    await vi.waitFor(() => expect(h.answers(admin.id)).toHaveLength(1), PATIENT);
    expect(h.answers(admin.id)[0]?.text).toContain("dispatch #7");
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]?.externalId).toBe(TEAM);

    const setGroup = h.command("/config", "moderators <!subteam^SMODS|@mods>", "UADMIN");
    await vi.waitFor(() => expect(h.answers(setGroup.id)).toHaveLength(1), PATIENT);
    const grouped = h.command("/cycle", "now", "UMOD");
    await vi.waitFor(() => expect(h.answers(grouped.id)).toHaveLength(1), PATIENT);
    expect(h.runs).toHaveLength(2);
    expect(h.fake.called("usergroups.users.list").at(-1)).toMatchObject({ usergroup: "SMODS" });

    const typo = h.command("/cycle", "later", "UADMIN");
    await vi.waitFor(() => expect(h.answers(typo.id)).toHaveLength(1), PATIENT);
    expect(h.answers(typo.id)[0]?.text).toContain("Usage: `/cycle now`");
    expect(h.runs).toHaveLength(2);
  });

  it("/config changes the channel and reschedules after a schedule change; members cannot", async () => {
    const member = h.command("/config", "channel here", "UBO");
    await vi.waitFor(() => expect(h.answers(member.id)).toHaveLength(1), PATIENT);
    expect(h.answers(member.id)[0]?.text).toContain("Only moderators");

    const channel = h.command("/config", "channel <#CNEW|desk-2>", "UADMIN");
    await vi.waitFor(() => expect(h.answers(channel.id)).toHaveLength(1), PATIENT);
    expect(h.answers(channel.id)[0]?.text).toContain("Saved channelId");
    expect((await findServer(db.prisma, "slack", TEAM))?.channelId).toBe("CNEW");
    expect(h.scheduled).toHaveLength(0);

    const schedule = h.command("/config", "schedule 30 14 * * 1-5", "UADMIN");
    await vi.waitFor(() => expect(h.answers(schedule.id)).toHaveLength(1), PATIENT);
    expect(h.scheduled.at(-1)?.schedule).toBe("30 14 * * 1-5");
  });

  it("/trail and /leaderboard answer privately from the shared handlers", async () => {
    const mine = h.command("/trail", "", "UBO");
    await vi.waitFor(() => expect(h.answers(mine.id)).toHaveLength(1), PATIENT);
    expect(h.answers(mine.id)[0]).toMatchObject({ response_type: "ephemeral" });
    expect(h.answers(mine.id)[0]?.text).toContain("QQQ lower in 48h");

    const theirs = h.command("/trail", "<@UBO|bo>", "UCY");
    await vi.waitFor(() => expect(h.answers(theirs.id)).toHaveLength(1), PATIENT);
    expect(h.answers(theirs.id)[0]?.text).toContain("*Bo*");

    const board = h.command("/leaderboard", "all", "UCY");
    await vi.waitFor(() => expect(h.answers(board.id)).toHaveLength(1), PATIENT);
    expect(h.answers(board.id)[0]?.text).toContain("Leaderboard · all");
    // The board now ranks by shrunk skill, with the desk (0, the reference), crowd and always up as rows.
    expect(h.answers(board.id)[0]?.text).toContain("_Desk_ · 0.0 vs desk");
    expect(h.answers(board.id)[0]?.text).toContain("_Crowd (median member)_");
    expect(h.answers(board.id)[0]?.text).toContain("_Always up (55%)_");

    const wrong = h.command("/leaderboard", "last year", "UCY");
    await vi.waitFor(() => expect(h.answers(wrong.id)).toHaveLength(1), PATIENT);
    expect(h.answers(wrong.id)[0]?.text).toContain("a season");
  });
});
