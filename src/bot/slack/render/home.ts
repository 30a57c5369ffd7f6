import type { types } from "@slack/bolt";
import type { LeaderboardView } from "../../../commands/leaderboard.ts";
import type { MemberTrailView } from "../../../commands/trail.ts";
import type { DeskRecord } from "../../../resolution/records.ts";
import { link } from "../mrkdwn.ts";
import type { Block } from "../web-api.ts";
import { section } from "./dispatch.ts";
import { leaderboardText, memberTrailText, summaryLine } from "./replies.ts";

export interface HomeInput {
  member: MemberTrailView | null;
  board: LeaderboardView | null;
  desk: DeskRecord | null;
  publicUrl: string;
  /** The member's calibration chart, when the web view is reachable from Slack's image fetcher. */
  chartUrl: string | null;
}

const header = (text: string): Block => ({ type: "header", text: { type: "plain_text", text } });

/** App Home: the member's record, the workspace's top five, and the desk's record. */
export function homeView(input: HomeInput): types.View {
  const { member, board, desk, publicUrl } = input;
  const blocks: Block[] = [header("Your record")];
  blocks.push(
    section(member ? memberTrailText(member, publicUrl) : "_Your record is unavailable right now._"),
  );
  if (input.chartUrl && member?.summary.resolved) {
    blocks.push({
      type: "image",
      image_url: input.chartUrl,
      alt_text: "Your calibration: stated probability against how often it came true",
    });
  }
  blocks.push({ type: "divider" }, header("Leaderboard · top five"));
  blocks.push(section(board ? leaderboardText(board) : "_The leaderboard is unavailable right now._"));
  blocks.push({ type: "divider" }, header("The desk"));
  blocks.push(
    section(
      `${desk ? summaryLine(desk.overall) : "_The desk's record is unavailable right now._"}\n${link(`${publicUrl}/`, "Every dispatch and trail →")}`,
    ),
  );
  return { type: "home", blocks };
}
