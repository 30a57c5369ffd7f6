import type { Config } from "../config/index.ts";
import type { CommandSettings } from "./context.ts";

/** The rules every surface applies to member commands, from one configuration. */
export function commandSettings(config: Pick<Config, "lockShare" | "members">): CommandSettings {
  return {
    lockShare: config.lockShare,
    defaultProbability: config.members.defaultProbability,
    leaderboardMinResolved: config.members.leaderboardMinResolved,
    maxOpenCallsPerMember: config.members.maxOpenCalls,
    rateLimit: config.members.rateLimit,
  };
}
