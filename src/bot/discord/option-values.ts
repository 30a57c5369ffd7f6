import { type ChatInputCommandInteraction, DiscordjsErrorCodes } from "discord.js";
import { fail, type Refusal } from "../../commands/context.ts";
import type { OptionSpec, OptionValues } from "../../commands/declaration.ts";

type Options = ChatInputCommandInteraction["options"];
type Value = OptionValues[string];

/** How each declared type is read; a required option that is missing throws, as one of another type does. */
const READERS: Record<OptionSpec["type"], (options: Options, name: string, required: boolean) => Value> = {
  string: (options, name, required) => options.getString(name, required) ?? undefined,
  integer: (options, name, required) => options.getInteger(name, required) ?? undefined,
  number: (options, name, required) => options.getNumber(name, required) ?? undefined,
  boolean: (options, name, required) => options.getBoolean(name, required) ?? undefined,
  user: (options, name, required) => options.getUser(name, required)?.id,
  channel: (options, name, required) => options.getChannel(name, required)?.id,
  role: (options, name, required) => options.getRole(name, required)?.id,
};

/** discord.js's errors for options that are missing or of another type than declared. */
const OPTION_MISMATCH = new Set<string>([
  DiscordjsErrorCodes.CommandInteractionOptionNotFound,
  DiscordjsErrorCodes.CommandInteractionOptionType,
  DiscordjsErrorCodes.CommandInteractionOptionEmpty,
]);

/**
 * Every declared option's value as Discord sent it, by name. Discord checks options against the
 * registered command, so a mismatch with the declaration means the registration is stale (a global
 * update takes up to an hour to reach every client): the member is told that, not a generic failure.
 */
export function optionValuesOf(options: Options, declared: readonly OptionSpec[]): OptionValues | Refusal {
  const values: Record<string, Value> = {};
  try {
    for (const spec of declared)
      values[spec.name] = READERS[spec.type](options, spec.name, spec.required ?? false);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && OPTION_MISMATCH.has(String(error.code)))) throw error;
    return fail(
      `The options Discord sent do not match this command (${error.message}): it was probably just updated, so try again in a few minutes.`,
    );
  }
  return values;
}
