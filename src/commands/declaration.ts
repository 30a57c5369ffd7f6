import type { z } from "zod";
import {
  type CommandContext,
  type CommandResult,
  parseOptions,
  type Refusal,
  requireModerator,
} from "./context.ts";

/**
 * One option of a chat command, described once for every surface: Discord builds its slash command
 * from it and reads the values back by it; Slack and the CLI take the command as text instead.
 */
export type OptionSpec = { name: string; description: string; required?: boolean } & (
  | {
      type: "string";
      choices?: readonly { name: string; value: string }[];
      maxLength?: number;
      /** Offered as the member types: the server's symbols, or recent seasons. */
      autocomplete?: "symbols" | "seasons";
    }
  | { type: "integer"; choices?: readonly { name: string; value: number }[]; min?: number; max?: number }
  | { type: "number"; min?: number }
  | { type: "boolean" }
  /** A member, a text channel or a role: the value is its platform id. */
  | { type: "user" | "channel" | "role" }
);

/** Option values as a surface read them, by option name; members, channels and roles as ids. */
export type OptionValues = Readonly<Record<string, string | number | boolean | undefined>>;

/** Typed reads of option values; a value of another type reads as not given, and the schema says what is missing. */
export const optionValue = {
  string: (values: OptionValues, name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  },
  number: (values: OptionValues, name: string) => {
    const value = values[name];
    return typeof value === "number" ? value : undefined;
  },
  boolean: (values: OptionValues, name: string) => {
    const value = values[name];
    return typeof value === "boolean" ? value : undefined;
  },
};

/** A command members type: `/name`, its options, and how text (Slack, the CLI) becomes options. */
export interface SlashCommand<Options> {
  description: string;
  /** Discord shows the command under this subcommand: /cycle now. */
  subcommand?: { name: string; description: string };
  options: readonly OptionSpec[];
  /** Option values, as Discord sends them, into the handler's options. */
  fromOptions(values: OptionValues): Options | Refusal;
  /** One line of text into the handler's options; `channelId` is where it was typed ("here"). */
  fromText(text: string, where: { channelId: string }): Options | Refusal;
  /** Shown, privately, when the text cannot be read. */
  usage: string;
}

/**
 * Everything about one command, declared once: its options schema and handler, who may run it, how
 * it answers (public: everyone sees a success, a refusal stays private; private: only the asker),
 * and whether it is slow enough that a surface should say "working on it" at once.
 */
export interface CommandDeclaration<Name extends string, Schema extends z.ZodType, View> {
  name: Name;
  schema: Schema;
  access: "member" | "moderator";
  answers: "public" | "private";
  defer: "when_slow" | "at_once";
  run(ctx: CommandContext, options: z.output<Schema>): Promise<CommandResult<View>>;
  /** The answer as plain text, for a surface without a rendering of its own for this command. */
  text(view: View): string;
  /** Absent for commands reached only through buttons and reactions (agree, fade, counter-call). */
  slash?: SlashCommand<z.input<Schema>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of declarations of differing schemas and views.
export type AnyCommand = CommandDeclaration<string, z.ZodType, any>;

/** Identity, typed: keeps each declaration's literal name and view type for the registry. */
export function declareCommand<Name extends string, Schema extends z.ZodType, View>(
  declaration: CommandDeclaration<Name, Schema, View>,
): CommandDeclaration<Name, Schema, View> {
  return declaration;
}

/** How a command is named to members in messages: "/config", "/cycle now". */
export function slashName(command: AnyCommand): string {
  return `/${command.name}${command.slash?.subcommand ? ` ${command.slash.subcommand.name}` : ""}`;
}

/**
 * Runs a command the one way every surface does: its precondition first (a moderator command refuses
 * anyone else before reading a single option), then its options through the schema, then the handler.
 */
export async function invoke<Schema extends z.ZodType, View>(
  command: CommandDeclaration<string, Schema, View>,
  ctx: CommandContext,
  options: unknown,
): Promise<CommandResult<View>> {
  if (command.access === "moderator") {
    const refused = requireModerator(ctx, slashName(command as AnyCommand));
    if (refused) return refused;
  }
  const parsed = parseOptions(command.schema, options);
  if (!parsed.ok) return parsed;
  return command.run(ctx, parsed.value);
}

export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === "object" && value !== null && (value as Refusal).ok === false;
