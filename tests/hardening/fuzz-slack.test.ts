import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CLAIM_NAMES } from "../../src/domain/claims.ts";
import type { Database } from "../../src/store/database.ts";
import { SlackHarness, seedDispatch } from "../slack/harness.ts";
import { openMigrated, testDatabases } from "../support/databases.ts";
import type { Params } from "../support/fake-slack.ts";
import { PATIENT } from "../support/process.ts";
import {
  expectNoLiveMention,
  expectSpecificError,
  fingerprint,
  hostileString,
  runs,
} from "./fuzz-support.ts";

const target = testDatabases()[0];
if (!target) throw new Error("no test database");

/** Any JSON a forged or future payload could carry where Slack puts a string. */
const wire = fc.oneof({ weight: 3, arbitrary: hostileString }, fc.jsonValue({ maxDepth: 2 }));

const select = (choices: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...choices).map((value) => ({ selected_option: { value } })) },
    { weight: 1, arbitrary: wire.map((value) => ({ selected_option: { value } })) },
    { weight: 1, arbitrary: fc.constant({ selected_option: null }) },
  );
const input = (plausible: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...plausible).map((value) => ({ value })) },
    { weight: 2, arbitrary: wire.map((value) => ({ value })) },
    { weight: 1, arbitrary: fc.constant({ value: null }) },
  );

/** What Slack shows the member for a refusal: ":warning: " and the handler's sentence, mrkdwn-escaped. */
function refusalText(text: string): string {
  expect(text).toMatch(/^:warning: /);
  // The apology for a failure on the desk's side is no answer to bad input.
  expect(text).not.toMatch(/unexpected error/);
  return text
    .replace(/^:warning: /, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("Slack payloads fuzzed through the real Bolt app", () => {
  let db: Database;
  let h: SlackHarness;
  let views = 0;

  beforeAll(async () => {
    db = await openMigrated(target);
    h = new SlackHarness(db);
    await h.start();
    await h.workspace();
  });
  afterAll(async () => {
    await h?.stop();
    await db?.close();
    await target.dispose();
  });

  /** Messages the app sent through the Web API since `from`: posts and ephemerals. */
  const sentSince = (from: number) =>
    h.fake.calls
      .slice(from)
      .filter((c) => c.method === "chat.postMessage" || c.method === "chat.postEphemeral");

  it("predict modal: an error under the field, a specific ephemeral or a stored call; never a 500", async () => {
    const values = fc.record(
      {
        symbol: select(["QQQ", "SPY", "IWM", "TSLA"]),
        claim: select(CLAIM_NAMES),
        level: input(["600", "0", "-5", "1e400", "abc", "650.5"]),
        versus: select(["SPY", "IWM", "QQQ"]),
        horizon: input(["48h", "5d", "0h", "99999d", "eod", "friday", "2026-04-10", "2026-03-01", "soon"]),
        probability: input(["60", "50", "99", "49", "100", "abc", "65.5"]),
        note: input(["why not", "<!channel> buy", "@everyone look"]),
      },
      { requiredKeys: [] },
    );
    const metadata = fc.oneof(
      { weight: 4, arbitrary: fc.constant('{"channelId":"CGENERAL"}') },
      { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '{"channelId":42}', "not json") },
    );
    await fc.assert(
      fc.asyncProperty(values, metadata, async (fields, privateMetadata) => {
        const before = await fingerprint(db);
        const from = h.fake.calls.length;
        const sent = await h.submitModal(fields, `VFUZZ${++views}`, "UBO", privateMetadata);
        expect(sent.status).toBe(200);
        if (sent.body !== "") {
          // Answered in the ack: the modal stays open with a message under each bad field.
          const answer = JSON.parse(sent.body) as { response_action: string; errors: Record<string, string> };
          expect(answer.response_action).toBe("errors");
          const messages = Object.values(answer.errors);
          expect(messages.length).toBeGreaterThan(0);
          for (const message of messages) expect(message.trim().length).toBeGreaterThan(10);
          expect(await fingerprint(db)).toEqual(before);
          return;
        }
        await vi.waitFor(() => expect(sentSince(from)).toHaveLength(1), PATIENT);
        const [reply] = sentSince(from) as { method: string; params: Params }[];
        const text = String(reply?.params.text);
        expectNoLiveMention(text);
        if (reply?.method === "chat.postMessage") {
          expect((await fingerprint(db)).calls).toBe(before.calls + 1);
        } else {
          expectSpecificError(refusalText(text));
          expect(await fingerprint(db)).toEqual(before);
        }
      }),
      {
        ...runs(40),
        // Found by this property: a non-string value answered 500, unreadable metadata left the member
        // without any answer, and an unknown claim ("toString") read as a prototype method.
        examples: [
          [{ level: { value: [1, { a: null }] }, claim: { selected_option: { value: "above" } } }, "{}"],
          [{ symbol: { selected_option: { value: "QQQ" } }, horizon: { value: "48h" } }, "not json"],
          [
            {
              symbol: { selected_option: { value: "QQQ" } },
              claim: { selected_option: { value: "toString" } },
            },
            "{}",
          ],
          // U+0000 could not be recorded in the Slack inbox (PostgreSQL JSON), which answered 500.
          [{ symbol: { selected_option: { value: "QQQ" } }, note: { value: "QQQ \u0000" } }, "{}"],
        ],
      },
    );
  });

  it("dispatch buttons with any value: an answer or the modal, never the generic failure or silence", async () => {
    const server = await h.workspace();
    const { calls } = await seedDispatch(db, server);
    const value = fc.oneof(
      fc.constantFrom(...calls.map((c) => String(c.id))),
      fc.constantFrom("0", "-1", "1.5", "2147483648", "1e21", "NaN", "", "12abc"),
      hostileString,
    );
    const action = fc.constantFrom("tapereader_agree", "tapereader_fade", "tapereader_counter");
    await fc.assert(
      fc.asyncProperty(action, value, async (actionId, v) => {
        const before = await fingerprint(db);
        const opened = h.fake.called("views.open").length;
        // The harness writes the value with String(): a string goes through as it is.
        const { id, sent } = h.click(actionId, v as unknown as number, "1775070000.000100");
        expect((await sent).status).toBe(200);
        await vi.waitFor(
          () => expect(h.answers(id).length + h.fake.called("views.open").length - opened).toBe(1),
          PATIENT,
        );
        const [answer] = h.answers(id);
        if (answer?.text.startsWith(":warning: ")) {
          expectSpecificError(refusalText(answer.text));
          expect(await fingerprint(db)).toEqual(before);
        }
      }),
      {
        ...runs(40),
        // Found by this property: a value past PostgreSQL's integer range was a database error (the
        // generic apology), and on Counter-call no answer at all.
        examples: [
          ["tapereader_agree", "2147483648"],
          ["tapereader_counter", "2147483648"],
        ],
      },
    );
  });

  it("slash commands: one answer each, a refusal is specific and private and changes nothing", async () => {
    const command = fc.oneof(
      fc.record({
        name: fc.constant("/predict"),
        text: fc.oneof(
          fc.constantFrom("QQQ down 48h 65%", "SPY up by friday", "IWM touches 260 5d", "QQQ 120% up"),
          hostileString,
        ),
      }),
      fc.record({
        name: fc.constantFrom("/trail", "/leaderboard", "/cycle", "/config"),
        text: fc.oneof(
          fc.constantFrom("desk", "#1", "<@UBO|bo>", "all", "2026-03", "now", "channel here"),
          fc.constantFrom(
            "schedule 0 15 * * 1-5",
            "schedule * * * * *",
            "timezone Mars/Base",
            "symbols SPY, ZZZZ",
          ),
          fc.constantFrom(
            "moderators none",
            "moderators <!subteam^S0MODS|@mods>",
            "channel <#C0123456|desk>",
          ),
          hostileString,
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(command, fc.constantFrom("UBO", "UADMIN"), async ({ name, text }, user) => {
        const before = await fingerprint(db);
        const { id, sent } = h.command(name, text, user);
        // ack() answers at once, empty; everything else goes through response_url.
        expect(await sent).toEqual({ status: 200, body: "" });
        if (name === "/predict" && text.trim() === "") return; // opens the form instead
        await vi.waitFor(() => expect(h.answers(id)).toHaveLength(1), PATIENT);
        const [answer] = h.answers(id);
        // Private answers may name the moderator group on purpose; nothing public may ping.
        if (answer?.response_type === "in_channel") expectNoLiveMention(answer.text);
        if (answer?.response_type === "ephemeral" && answer.text.startsWith(":warning: ")) {
          expectSpecificError(refusalText(answer.text));
          expect(await fingerprint(db)).toEqual(before);
        }
      }),
      {
        ...runs(50),
        // U+0000 could not be recorded in the Slack inbox: "could not take this right now" in the ack.
        examples: [[{ name: "/predict", text: "QQQ up 48h \u0000" }, "UBO"]],
      },
    );
  });
});
