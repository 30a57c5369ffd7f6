import { describe, expect, it } from "vitest";
import { customId, dispatchPost, parseCustomId } from "../../src/bot/discord/dispatch-post.ts";
import type { DispatchRecord } from "../../src/domain/dispatch.ts";

/** Only the fields the embed reads; a dispatch without calls needs no call rows. */
const dispatch = (body: string) =>
  ({
    number: 7,
    title: "T".repeat(300),
    body,
    debateLine: "Debate: aligned_bearish | Conviction 41%",
    flags: [],
    createdAt: new Date("2026-04-01T15:00:00Z"),
    calls: [],
    cycle: { number: 3, regime: "choppy", marketSource: "replay" },
  }) as unknown as DispatchRecord;

describe("the dispatch embed", () => {
  it("fits Discord's limits with a long essay, cut with a link to the full dispatch", () => {
    const paragraph = `${"The tape is thin. ".repeat(40)}\n\n`;
    const { embeds } = dispatchPost(
      dispatch(paragraph.repeat(20)),
      new Map(),
      "https://desk.example.com",
      new Date(),
    );
    const [embed] = embeds;
    const total = [embed?.title, embed?.description, embed?.author?.name, embed?.footer?.text]
      .concat((embed?.fields ?? []).flatMap((f) => [f.name, f.value]))
      .join("").length;
    expect(embed?.title).toHaveLength(256);
    expect(embed?.description?.length).toBeLessThanOrEqual(4096);
    expect(total).toBeLessThanOrEqual(6000);
    expect(embed?.description).toMatch(
      /…\n\n\[Full dispatch & trail →\]\(https:\/\/desk\.example\.com\/read\/7\)$/,
    );
  });

  it("leaves the debate line to the footer and the call list to the fields", () => {
    const body = "Opening.\n\nCALL 1  ↓ QQQ lower in 48h · 57%\n\nDebate: aligned_bearish | Conviction 41%";
    const [embed] = dispatchPost(dispatch(body), new Map(), "https://d", new Date()).embeds;
    expect(embed?.description).toBe("Opening.\n\n[Full dispatch & trail →](https://d/read/7)");
    expect(embed?.footer?.text).toContain("Debate: aligned_bearish");
  });
});

describe("button ids", () => {
  it("carry the action and call id, and nothing else parses", () => {
    expect(parseCustomId(customId("fade", 1841))).toEqual({ action: "fade", callId: 1841 });
    expect(parseCustomId(customId("counter-call", 2))).toEqual({ action: "counter-call", callId: 2 });
    expect(parseCustomId("tr:delete:1")).toBeNull();
    expect(parseCustomId("tr:agree:1; drop")).toBeNull();
  });
});
