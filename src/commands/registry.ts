import { configCommand } from "./config.ts";
import { cycleCommand } from "./cycle.ts";
import type { AnyCommand } from "./declaration.ts";
import { leaderboardCommand } from "./leaderboard.ts";
import { predictCommand } from "./predict.ts";
import { agreeCommand, counterCommand, fadeCommand } from "./stance.ts";
import { trailCommand } from "./trail.ts";

/**
 * Every command, once. Discord registers and routes the ones with a slash form in this order, Slack
 * listens for them, and the fuzz tests run them all: a new command is its file and a line here.
 */
export const COMMANDS = [
  predictCommand,
  trailCommand,
  leaderboardCommand,
  cycleCommand,
  configCommand,
  agreeCommand,
  fadeCommand,
  counterCommand,
] as const satisfies readonly AnyCommand[];

export type Command = (typeof COMMANDS)[number];
export type CommandName = Command["name"];

/** The commands members type, in the order chat clients list them. */
export const SLASH_COMMANDS: readonly AnyCommand[] = COMMANDS.filter(
  (command) => command.slash !== undefined,
);

export function commandNamed(name: string): AnyCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
