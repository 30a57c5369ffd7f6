import { ConfigError, loadConfig } from "../config/index.ts";
import { answerFor } from "./answers.ts";

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

/** A user mistake that is not about the command line (no data, nothing there): its message only, exit 1. */
export class Mistake extends Error {
  override name = "Mistake";
}

/** A command line Node's parseArgs refused (unknown option, missing value): a usage mistake. */
function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS_")
  );
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
    if (error instanceof UsageError || isParseArgsError(error)) {
      // parseArgs explains how to pass a value starting with "-" at length; its first sentence is the point.
      const message = error instanceof UsageError ? error.message : `${error.message.split(". ")[0]}.`;
      process.stderr.write(`${message.replace(/\.\.$/, ".")}\nUsage: npm run cli -- ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    const answer = error instanceof Mistake ? error.message : answerFor(error);
    if (answer !== undefined) {
      process.stderr.write(`${answer}\n`);
      return 1;
    }
    // A genuine bug: its stack is for a developer who asks for it; everyone else gets one line.
    if (debugging()) throw error;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `${command.name} failed unexpectedly: ${message} (LOG_LEVEL=debug shows the stack trace).\n`,
    );
    return 1;
  }
}

function debugging(): boolean {
  try {
    const { logLevel } = loadConfig();
    return logLevel === "debug" || logLevel === "trace";
  } catch {
    return false;
  }
}
