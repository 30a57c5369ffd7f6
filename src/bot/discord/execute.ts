import { type ChatInputCommandInteraction, DiscordjsErrorCodes } from "discord.js";
import { configure } from "../../commands/config.ts";
import type { CommandContext, CommandResult } from "../../commands/context.ts";
import { cycleNow } from "../../commands/cycle.ts";
import { leaderboard } from "../../commands/leaderboard.ts";
import { predict } from "../../commands/predict.ts";
import { trail } from "../../commands/trail.ts";
import { CLAIMS, type CommandName } from "./commands.ts";
import {
  configReply,
  cycleReply,
  errorReply,
  leaderboardReply,
  predictReply,
  type Reply,
  trailReply,
} from "./replies.ts";

type Options = ChatInputCommandInteraction["options"];

export interface Executor {
  /** Private commands defer ephemerally; public ones defer visibly and turn an error private. */
  answers: "public" | "private";
  execute(ctx: CommandContext, options: Options, publicUrl: string): Promise<Reply>;
}

/** discord.js's errors for options that are missing or of another type than the code reads. */
const OPTION_MISMATCH = new Set<string>([
  DiscordjsErrorCodes.CommandInteractionOptionNotFound,
  DiscordjsErrorCodes.CommandInteractionOptionType,
  DiscordjsErrorCodes.CommandInteractionOptionEmpty,
]);

/**
 * Discord checks options against the registered command, so a mismatch means the registration is
 * stale (a global update takes up to an hour to reach every client): the member is told that, not
 * handed the generic failure.
 */
function optionsChecked(executor: Executor): Executor {
  return {
    ...executor,
    execute: (ctx, options, publicUrl) =>
      executor.execute(ctx, options, publicUrl).catch((error: unknown) => {
        if (!(error instanceof Error && "code" in error && OPTION_MISMATCH.has(String(error.code))))
          throw error;
        return errorReply(
          `The options Discord sent do not match this command (${error.message}): it was probably just updated, so try again in a few minutes.`,
        );
      }),
  };
}

/** Each command's options, as Discord sent them, handed to its platform-neutral handler. */
const handlers: Record<CommandName, Executor> = {
  predict: {
    answers: "public",
    async execute(ctx, options) {
      const claim = CLAIMS[options.getString("claim", true) as keyof typeof CLAIMS];
      if (!claim) return errorReply("claim: pick one of the listed choices");
      const given = <T>(key: string, value: T | null) => (value === null ? {} : { [key]: value });
      return answer(
        await predict(ctx, {
          symbol: options.getString("symbol", true).toUpperCase(),
          ...claim,
          probability: options.getInteger("probability", true),
          ...given("horizonHours", options.getInteger("horizon")),
          ...given("deadline", options.getString("deadline")),
          ...given("level", options.getNumber("level")),
          ...given("versus", options.getString("versus")?.toUpperCase() ?? null),
          ...given("note", options.getString("note")),
        }),
        predictReply,
      );
    },
  },
  trail: {
    answers: "public",
    async execute(ctx, options, publicUrl) {
      const call = options.getInteger("call");
      const member = options.getUser("member");
      const target = options.getBoolean("desk") ? "desk" : call !== null ? String(call) : member?.id;
      const result = await trail(ctx, target === undefined ? {} : { target });
      return result.ok ? trailReply(result.view, publicUrl) : errorReply(result.error);
    },
  },
  leaderboard: {
    answers: "public",
    async execute(ctx, options, publicUrl) {
      const season = options.getString("season");
      const result = await leaderboard(ctx, season === null ? {} : { season });
      return result.ok ? leaderboardReply(result.view, publicUrl) : errorReply(result.error);
    },
  },
  cycle: {
    answers: "private",
    async execute(ctx) {
      return answer(await cycleNow(ctx), (view) => cycleReply(view, ctx.server.channelId));
    },
  },
  config: {
    answers: "private",
    async execute(ctx, options) {
      const text = (name: string) => options.getString(name) ?? undefined;
      const role = options.getBoolean("clear_moderator_role") ? null : options.getRole("moderator_role")?.id;
      return answer(
        await configure(ctx, {
          channelId: options.getChannel("channel")?.id,
          schedule: text("schedule"),
          timezone: text("timezone"),
          symbols: text("symbols"),
          moderatorRoleId: role,
          agreeEmoji: text("agree_emoji"),
          fadeEmoji: text("fade_emoji"),
          verdictInThread: options.getBoolean("verdict_in_thread") ?? undefined,
        }),
        configReply,
      );
    },
  },
};

export const executors = Object.fromEntries(
  Object.entries(handlers).map(([name, executor]) => [name, optionsChecked(executor)]),
) as Record<CommandName, Executor>;

export function answer<View>(result: CommandResult<View>, render: (view: View) => Reply): Reply {
  return result.ok ? render(result.view) : errorReply(result.error);
}
