import { runCli } from "./command.ts";
import { commands } from "./commands/index.ts";

process.exitCode = await runCli(commands, process.argv.slice(2));
