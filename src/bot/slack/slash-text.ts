import type { ConfigOptions } from "../../commands/config.ts";
import type { LeaderboardOptions } from "../../commands/leaderboard.ts";
import type { TrailOptions } from "../../commands/trail.ts";

/**
 * Slack slash commands arrive as one line of text; these turn it into the handlers' options. Calls
 * themselves use the shared call grammar inside `predict`; only the small command words live here.
 */

export const CONFIG_USAGE = [
  "Usage: `/config` shows the settings; change one at a time:",
  "`/config channel here` (or `#channel`) · `/config schedule 0 15 * * 1-5` · `/config timezone America/New_York`",
  "`/config symbols SPY, QQQ, BTC` · `/config moderators @group` (or `none`)",
].join("\n");

export const CYCLE_USAGE = "Usage: `/cycle now` runs the desk now (moderators only).";

/** Slack's escaped forms: <#C123|name>, <!subteam^S123|@group>; plain ids are accepted too. */
const CHANNEL = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{6,})$/;
const GROUP = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$|^(S[A-Z0-9]{6,})$/;

export function configOptionsOf(
  text: string,
  currentChannel: string,
): { ok: true; options: ConfigOptions } | { ok: false; error: string } {
  const [key = "", ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const value = rest.join(" ").replace(/^["'“]|["'”]$/g, "");
  const missing = { ok: false as const, error: CONFIG_USAGE };
  switch (key.toLowerCase()) {
    case "":
      return { ok: true, options: {} };
    case "channel": {
      if (value.toLowerCase() === "here") return { ok: true, options: { channelId: currentChannel } };
      const match = CHANNEL.exec(value);
      return match ? { ok: true, options: { channelId: (match[1] ?? match[2]) as string } } : missing;
    }
    case "schedule":
      return value ? { ok: true, options: { schedule: value } } : missing;
    case "timezone":
      return value ? { ok: true, options: { timezone: value } } : missing;
    case "symbols":
      return value ? { ok: true, options: { symbols: value } } : missing;
    case "moderators": {
      if (value.toLowerCase() === "none") return { ok: true, options: { moderatorRoleId: null } };
      const match = GROUP.exec(value);
      return match ? { ok: true, options: { moderatorRoleId: (match[1] ?? match[2]) as string } } : missing;
    }
    default:
      return missing;
  }
}

/** `/leaderboard`, `/leaderboard season`, `/leaderboard all`, `/leaderboard 2026-03`. */
export function leaderboardOptionsOf(text: string): LeaderboardOptions {
  const word = text.trim().toLowerCase();
  return { season: word === "" || word === "season" ? "current" : word };
}

/** `/trail` (yours), `/trail @member`, `/trail 1841`, `/trail desk`. */
export function trailOptionsOf(text: string): TrailOptions {
  const target = text.trim();
  return target ? { target } : {};
}
