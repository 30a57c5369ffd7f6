import { ConfigError } from "../config/index.ts";
import { UsageError } from "./command.ts";
import { commands } from "./commands/index.ts";

async function main(argv: string[]): Promise<number> {
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

process.exitCode = await main(process.argv.slice(2));
