import type { CliCommand } from "../command.ts";
import { anchorCommand } from "./anchor.ts";
import { backtestCommand } from "./backtest.ts";
import { cycleCommand } from "./cycle.ts";
import { helpCommand } from "./help.ts";
import { historyCommand } from "./history.ts";
import { inviteUrlCommand } from "./invite-url.ts";
import { migrateCommand } from "./migrate.ts";
import { observeCommand } from "./observe.ts";
import { parseCallCommand } from "./parse-call.ts";
import { agreeCliCommand, fadeCliCommand, predictCliCommand } from "./play.ts";
import { registerCommandsCommand } from "./register-commands.ts";
import { resolveCallCommand } from "./resolve-call.ts";
import { startCommand } from "./start.ts";
import { verifyCommand } from "./verify.ts";

export const commands: CliCommand[] = [
  helpCommand,
  startCommand,
  migrateCommand,
  resolveCallCommand,
  parseCallCommand,
  observeCommand,
  historyCommand,
  cycleCommand,
  predictCliCommand,
  agreeCliCommand,
  fadeCliCommand,
  backtestCommand,
  registerCommandsCommand,
  inviteUrlCommand,
  verifyCommand,
  anchorCommand,
];
