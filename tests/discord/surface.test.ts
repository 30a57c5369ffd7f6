import { describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { MEMBER_PERMISSIONS } from "../support/fake-discord.ts";
import { withDiscordDesk } from "./desk.ts";
import { answerTo, opt, slash } from "./events.ts";
import type { DiscordHarness } from "./harness.ts";

/** A nick that is a masked link, wrapped in a right-to-left override and its pop. */
const MALLORY = {
  id: "900000000000001009",
  username: "mallory",
  nick: "\u202E[Support](https://evil.example)\u202C",
  permissions: MEMBER_PERMISSIONS,
  roles: [],
};

describe("what a member's name can do in the bot's Discord replies", () => {
  let db: Database;
  let h: DiscordHarness;
  withDiscordDesk((desk) => ({ db, h } = desk));

  it("a markdown-link nick is escaped, bidi controls are stripped, and stored names are clean", async () => {
    const answer = await answerTo(
      h.fake,
      h.send(
        "INTERACTION_CREATE",
        slash(MALLORY, "predict", [
          opt("symbol", "qqq"),
          opt("claim", "down"),
          opt("probability", 65),
          opt("horizon", 48),
          opt("note", "\u2067trust me\u2069"),
        ]),
      ),
    );
    expect(answer.ephemeral).toBe(false);
    // An escaped bracket is no masked link: Discord shows the text as typed.
    expect(answer.content).toContain("📌 \\[Support](https://evil.example) calls");
    expect(answer.content).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);

    const member = await db.prisma.member.findFirstOrThrow({ where: { externalId: MALLORY.id } });
    expect(member.displayName).toBe("[Support](https://evil.example)");
    const call = await db.prisma.call.findFirstOrThrow({ where: { memberId: member.id } });
    expect(call.note).toBe("trust me");

    const trail = await answerTo(h.fake, h.send("INTERACTION_CREATE", slash(MALLORY, "trail")));
    expect(trail.embeds[0]?.title).toBe("Trail · \\[Support](https://evil.example)");

    // The embed links to the member's real web page, and that page shows the clean name.
    const url = new URL(String(trail.embeds[0]?.url));
    // Loaded here, not at the top: the web app first would load discord.js's modules in another order.
    const { createWebApp } = await import("../../src/bot/web/app.ts");
    const web = createWebApp({ db, health: () => ({ scheduler: true, surfaces: {} }) });
    const page = await web.request(url.pathname);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("<h1>[Support](https://evil.example)</h1>");
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
});
