import type { CommandContext, CommandSettings } from "../../commands/context.ts";
import { leaderboard } from "../../commands/leaderboard.ts";
import { seasonOf } from "../../domain/call-record.ts";
import type { Server } from "../../domain/server.ts";
import type { Database } from "../../store/database.ts";
import type { WebDeps } from "./deps.ts";

export const WEB_SETTINGS: CommandSettings = {
  lockShare: 0.25,
  defaultProbability: 0.6,
  leaderboardMinResolved: 5,
  maxOpenCallsPerMember: 50,
  rateLimit: { calls: 30, windowMs: 600_000 },
};

const readOnly = () => Promise.reject(new Error("the web view is read-only"));

/**
 * The web view runs the read-only command handlers (leaderboard) as an anonymous visitor, so the
 * web and chat show the same numbers from the same code. Nothing here can write or fetch prices.
 */
export function visitorContext(db: Database, server: Server, settings: CommandSettings): CommandContext {
  return {
    db,
    server,
    settings,
    now: () => new Date(),
    actor: { externalId: "web-visitor", displayName: "web visitor", isModerator: false },
    quotes: { name: "none", latestQuote: readOnly, dailyBars: readOnly },
    cycles: { runNow: readOnly, reschedule: () => {} },
    posts: { refresh: readOnly },
  };
}

/** `?season=` is "YYYY-MM" or "all"; the current month when left out. */
export function seasonParam(value: string | undefined): string {
  return value?.trim() || seasonOf(new Date());
}

/** The chat command's leaderboard, so web and chat rank with the same floor and the same code. */
export function boardFor(deps: WebDeps, server: Server, season: string) {
  return leaderboard(visitorContext(deps.db, server, deps.settings ?? WEB_SETTINGS), { season, limit: 25 });
}
