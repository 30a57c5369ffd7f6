import { parseArgs } from "node:util";
import type { Actor } from "../../commands/context.ts";
import type { AnyCommand } from "../../commands/declaration.ts";
import { predictCommand } from "../../commands/predict.ts";
import { agreeCommand, fadeCommand } from "../../commands/stance.ts";
import { loadConfig } from "../../config/index.ts";
import { type CliCommand, Mistake, UsageError } from "../command.ts";
import { withLocalDesk } from "../local-desk.ts";

/**
 * A person at the terminal, named by --as: the same member every time they give that name. The
 * "cli:" prefix keeps them apart from Discord and Slack ids, which are digits and U….
 */
export function cliActor(name: string | undefined): Actor {
  const displayName = name?.trim() ?? "";
  if (displayName === "") throw new UsageError('--as names who you are, e.g. --as "Ada".');
  if (displayName.length > 40) throw new UsageError("--as takes a name of at most 40 characters.");
  const slug = displayName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  if (slug === "") throw new UsageError(`--as "${displayName}" needs at least one letter or digit.`);
  return { externalId: `cli:${slug}`, displayName, isModerator: false };
}

/** Runs one member command on the local desk through the command core, as Discord and Slack do. */
async function runAsMember(command: AnyCommand, actor: Actor, options: unknown): Promise<number> {
  const config = loadConfig();
  return withLocalDesk(config, async ({ core, server }) => {
    const result = await core.run(command, { server, actor, surface: "cli" }, options);
    if (!result.ok) throw new Mistake(result.error);
    process.stdout.write(`${command.text(result.view)}\n`);
    return 0;
  });
}

export const predictCliCommand: CliCommand = {
  name: "predict",
  summary: 'Make your own call on the local desk, as /predict does: predict "QQQ down 48h 65%" --as NAME',
  usage: 'predict "<call text>" --as <name>',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { as: { type: "string" } },
    });
    const text = positionals.join(" ").trim();
    if (text === "") throw new UsageError('predict needs the call text, e.g. "QQQ down 48h 65%".');
    return runAsMember(predictCommand, cliActor(values.as), { text, source: "predict" });
  },
};

function stanceCliCommand(command: typeof agreeCommand | typeof fadeCommand): CliCommand {
  const verb = command.name;
  return {
    name: verb,
    summary: `${verb === "agree" ? "Agree with" : "Fade"} a desk call on the local desk, as the ${verb === "agree" ? "Agree" : "Fade"} button does: ${verb} N --as NAME [--probability 70]`,
    usage: `${verb} <call number> --as <name> [--probability <50-99>]`,
    async run(args) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { as: { type: "string" }, probability: { type: "string" } },
      });
      const [callText, ...rest] = positionals;
      const callId = Number(callText?.replace(/^#/, ""));
      if (callText === undefined || rest.length > 0 || !Number.isInteger(callId) || callId < 1)
        throw new UsageError(`${verb} needs one desk call number, e.g. \`${verb} 12 --as Ada\`.`);
      const probability = values.probability === undefined ? undefined : Number(values.probability);
      if (probability !== undefined && Number.isNaN(probability))
        throw new UsageError(`--probability takes a number such as 70, not "${values.probability}".`);
      // The CLI's press is an explicit answer to one call, as a button press is.
      const options = { callId, source: "button", ...(probability !== undefined && { probability }) };
      return runAsMember(command, cliActor(values.as), options);
    },
  };
}

export const agreeCliCommand = stanceCliCommand(agreeCommand);
export const fadeCliCommand = stanceCliCommand(fadeCommand);
