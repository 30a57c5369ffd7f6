import { describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { PATIENT } from "../support/process.ts";
import { withSlackDesk } from "./desk.ts";
import { type SlackHarness, slashCommandBody } from "./harness.ts";

const FORM = "application/x-www-form-urlencoded";
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

describe("Slack requests an attacker could replay or forge ahead, and names that reorder text", () => {
  let db: Database;
  let h: SlackHarness;

  withSlackDesk((desk) => ({ db, h } = desk));

  it("a replayed signed /cycle now (same body, same signature) is answered 'already done' and runs no second cycle", async () => {
    const body = slashCommandBody({
      command: "/cycle",
      text: "now",
      user: "UADMIN",
      responseUrl: h.fake.responseUrl("cycle-once"),
      triggerId: "trigger.cycle-once",
    });
    const timestamp = Math.floor(Date.now() / 1000);
    expect(await h.send(body, FORM, { timestamp })).toEqual({ status: 200, body: "" });
    await vi.waitFor(() => expect(h.answers("cycle-once")).toHaveLength(1), PATIENT);
    expect(h.runs).toHaveLength(1);

    const replay = await h.send(body, FORM, { timestamp });
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ text: expect.stringContaining("Already done") });
    // A later signed command is answered: anything the replay set off has run by then.
    const next = h.command("/trail", "", "UBO");
    await vi.waitFor(() => expect(h.answers(next.id)).toHaveLength(1), PATIENT);
    expect(h.runs).toHaveLength(1);
    expect(h.answers("cycle-once")).toHaveLength(1);
  });

  it("refuses a validly signed request dated ten minutes ahead (401) and runs nothing", async () => {
    const before = h.fake.calls.length;
    const ahead = h.command("/cycle", "now", "UADMIN", {
      timestamp: Math.floor(Date.now() / 1000) + 10 * 60,
    });
    expect((await ahead.sent).status).toBe(401);
    // Four minutes ahead is clock skew, not an attack: still accepted.
    const skewed = h.command("/trail", "", "UBO", { timestamp: Math.floor(Date.now() / 1000) + 4 * 60 });
    expect((await skewed.sent).status).toBe(200);
    await vi.waitFor(() => expect(h.answers(skewed.id)).toHaveLength(1), PATIENT);
    expect(h.answers(ahead.id)).toHaveLength(0);
    expect(h.fake.calls.slice(before).map((c) => c.method)).toEqual(["users.info"]);
  });

  it("strips bidi controls from a member's name and note before they are stored or shown", async () => {
    h.fake.users.UEVE = { name: "\u202Eevil\u202C Eve" };
    const sent = h.command("/predict", "QQQ down 48h 65% -- \u2067reversed\u2069 note", "UEVE");
    expect((await sent.sent).status).toBe(200);
    await vi.waitFor(() => expect(h.answers(sent.id)).toHaveLength(1), PATIENT);
    const answer = h.answers(sent.id)[0]?.text ?? "";
    expect(answer).toContain("evil Eve");
    expect(answer).not.toMatch(BIDI);
    const member = await db.prisma.member.findFirstOrThrow({ where: { externalId: "UEVE" } });
    expect(member.displayName).toBe("evil Eve");
    const call = await db.prisma.call.findFirstOrThrow({ where: { memberId: member.id } });
    expect(call.note).toBe("reversed note");
  });
});
