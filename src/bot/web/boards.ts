import { leaderboard } from "../../commands/leaderboard.ts";
import { seasonOf } from "../../store/calls.ts";
import type { ServerRow } from "../../store/client.ts";
import type { WebDeps } from "./deps.ts";
import { visitorContext, WEB_SETTINGS } from "./scope.ts";

/** `?season=` is "YYYY-MM" or "all"; the current month when left out. */
export function seasonParam(value: string | undefined): string {
  return value?.trim() || seasonOf(new Date());
}

/** The chat command's leaderboard, so web and chat rank with the same floor and the same code. */
export function boardFor(deps: WebDeps, server: ServerRow, season: string) {
  return leaderboard(visitorContext(deps.db, server, deps.settings ?? WEB_SETTINGS), { season, limit: 25 });
}
