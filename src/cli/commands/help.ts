import type { CliCommand } from "../command.ts";

export const helpCommand: CliCommand = {
  name: "help",
  summary: "List the commands",
  usage: "help",
  async run() {
    // Imported lazily: the list imports this command.
    const { commands } = await import("./index.ts");
    const width = Math.max(...commands.map((c) => c.usage.length));
    const lines = commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
    process.stdout.write(`Tapereader CLI: npm run cli -- <command> [args]\n\n${lines.join("\n")}\n`);
    return 0;
  },
};
