import { ConfigError } from "../config/index.ts";

/** One CLI command: metadata apart from code, wired by hand in commands/index.ts. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** A user mistake on the command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Runs the command `argv` names and returns the exit code: the command's own, 2 for a usage mistake,
 * 78 (EX_CONFIG) for a bad environment. main.ts is this plus process.exitCode; tests call it in-process.
 */
export async function runCli(commands: readonly CliCommand[], argv: string[]): Promise<number> {
  const [name = "help", ...args] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}". Run \`npm run cli -- help\` for the list.\n`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nUsage: npm run cli -- ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
}
