import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  ComponentType,
  DiscordAPIError,
  HTTPError,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  RESTJSONErrorCodes,
  type RepliableInteraction,
  TextInputStyle,
} from "discord.js";
import { formatCallText } from "../../commands/format-call.ts";
import { predict } from "../../commands/predict.ts";
import { agree, fade, fadeOf } from "../../commands/stance.ts";
import { seasonOf, specOf } from "../../store/calls.ts";
import { enqueuePostUpdate, findServerById } from "../../store/dispatch-posts.ts";
import { findServerCall } from "../../store/member-calls.ts";
import { COMMAND_NAMES, type CommandName } from "./commands.ts";
import { actorOf, commandContext, type DiscordDeps, serverForGuild } from "./context.ts";
import { customId, parseCustomId } from "./dispatch-post.ts";
import { answer, executors } from "./execute.ts";
import { errorReply, predictReply, type Reply, stanceReply } from "./replies.ts";

/**
 * Discord drops an unanswered interaction after 3 s. Work that is quick (a refusal, a call on an idle
 * desk) is answered directly; anything slower is deferred early, because under a burst the event loop
 * itself lags and a late timer would eat the rest of the window.
 */
const DEFER_AFTER_MS = 100;

/** Errors that mean the interaction is already gone or answered: nothing to tell the member. */
const EXPECTED = new Set<number | string>([
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
]);

/** Routes one interaction to its handler; an unexpected failure becomes a private apology. */
export async function handleInteraction(deps: DiscordDeps, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isAutocomplete()) return await autocomplete(deps, interaction);
    if (!interaction.isRepliable()) return;
    if (!interaction.inGuild()) {
      await send(interaction, errorReply("Tapereader works inside a server, not in direct messages."));
      return;
    }
    if (interaction.isChatInputCommand()) return await slashCommand(deps, interaction);
    if (interaction.isButton()) return await button(deps, interaction);
    if (interaction.isModalSubmit()) return await counterCall(deps, interaction);
  } catch (error) {
    if (error instanceof DiscordAPIError && EXPECTED.has(error.code)) {
      deps.log.warn(
        { code: error.code, interaction: interaction.id },
        "interaction expired before the answer",
      );
      return;
    }
    deps.log.error({ err: error, interaction: interaction.id }, "interaction failed");
    if (!interaction.isRepliable()) return;
    // A public "thinking…" must not stay up over a private apology.
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
    await send(interaction, errorReply(apologyFor(error))).catch(() => undefined);
  }
}

/**
 * A failure of Discord's own API (a 5xx beyond discord.js's retries, a timeout) comes after the
 * desk's work, which may have saved the call: the apology must not say nothing was saved.
 */
function apologyFor(error: unknown): string {
  const discordFailed =
    error instanceof HTTPError ||
    error instanceof DiscordAPIError ||
    (error instanceof Error && error.name === "AbortError");
  return discordFailed
    ? "Discord did not take the desk's answer. What you sent may already be saved: check /trail before trying again."
    : "Something failed on the desk's side; nothing was saved. Try again shortly.";
}

async function contextOf(deps: DiscordDeps, interaction: Interaction<"cached" | "raw">) {
  const server = await serverForGuild(deps, interaction.guildId, interaction.guild);
  return commandContext(deps, server, actorOf(interaction, server), interaction.id);
}

async function slashCommand(deps: DiscordDeps, interaction: ChatInputCommandInteraction<"cached" | "raw">) {
  const name = interaction.commandName as CommandName;
  if (!COMMAND_NAMES.includes(name))
    return send(interaction, errorReply(`/${name} is not a Tapereader command.`));
  const executor = executors[name];
  const ctx = await contextOf(deps, interaction);
  await within(interaction, executor.answers, executor.execute(ctx, interaction.options, deps.publicUrl));
  if (name === "config") {
    // A changed schedule or timezone takes effect at once, wherever the scheduler runs.
    const server = await findServerById(deps.db.prisma, ctx.server.id);
    if (server) deps.onServerChanged(server);
  }
}

async function button(deps: DiscordDeps, interaction: ButtonInteraction<"cached" | "raw">) {
  const parsed = parseCustomId(interaction.customId);
  if (!parsed) return send(interaction, errorReply("This button is no longer supported."));
  const ctx = await contextOf(deps, interaction);
  if (parsed.action === "counter") {
    // A modal must be the first answer, so the lookup stays small: one indexed row.
    const desk = await findServerCall(deps.db.prisma, ctx.server.id, parsed.callId);
    if (!desk) return send(interaction, errorReply(`There is no call #${parsed.callId} on this server.`));
    const suggestion = formatCallText({ ...fadeOf(specOf(desk)), note: undefined });
    await interaction.showModal({
      custom_id: customId("counter-call", parsed.callId),
      title: `Counter-call on #${parsed.callId}`,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.TextInput,
              custom_id: "text",
              label: "Your call (symbol, claim, horizon, %)",
              style: TextInputStyle.Short,
              value: suggestion.slice(0, 400),
              max_length: 400,
              required: true,
            },
          ],
        },
      ],
    });
    return;
  }
  const respond = parsed.action === "agree" ? agree : fade;
  const work = respond(ctx, { callId: parsed.callId, source: "button" }).then(async (result) => {
    if (result.ok && !result.view.replayed)
      await enqueuePostUpdate(deps.db.prisma, "discord", parsed.callId, interaction.id);
    return answer(result, stanceReply);
  });
  await within(interaction, "private", work);
}

async function counterCall(deps: DiscordDeps, interaction: ModalSubmitInteraction<"cached" | "raw">) {
  if (parseCustomId(interaction.customId)?.action !== "counter-call")
    return send(interaction, errorReply("This form is no longer supported."));
  // discord.js throws on a missing field; a form from an older registration may lack it.
  const text = readTextField(interaction);
  if (text === null)
    return send(
      interaction,
      errorReply("The form arrived without the call's text: open Counter-call again."),
    );
  const ctx = await contextOf(deps, interaction);
  await within(
    interaction,
    "public",
    predict(ctx, { text, source: "modal" }).then((r) => answer(r, predictReply)),
  );
}

function readTextField(interaction: ModalSubmitInteraction<"cached" | "raw">): string | null {
  try {
    return interaction.fields.getTextInputValue("text");
  } catch {
    return null;
  }
}

async function autocomplete(deps: DiscordDeps, interaction: AutocompleteInteraction) {
  if (!interaction.inGuild()) return interaction.respond([]);
  const focused = interaction.options.getFocused(true);
  const typed = focused.value.trim().toUpperCase();
  let values: string[];
  if (focused.name === "season") {
    const now = deps.clock.now();
    const months = [0, 1, 2, 3, 4, 5].map((back) =>
      seasonOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))),
    );
    values = ["current", "all", ...months].filter((v) => v.toUpperCase().startsWith(typed));
  } else {
    const server = await serverForGuild(deps, interaction.guildId, interaction.guild);
    values = server.symbols.filter((s) => s.includes(typed));
  }
  await interaction.respond(values.slice(0, 25).map((v) => ({ name: v, value: v })));
}

/**
 * Answers within Discord's window. Work done in time is answered directly (an error privately);
 * slower work is deferred, visibly for commands whose success is public, and an error that then
 * arrives replaces the visible "thinking…" with a private message.
 */
async function within(
  interaction: RepliableInteraction,
  answers: "public" | "private",
  work: Promise<Reply>,
) {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<"slow">((resolve) => {
    timer = setTimeout(() => resolve("slow"), DEFER_AFTER_MS);
  });
  const first = await Promise.race([work, slow]).finally(() => clearTimeout(timer));
  if (first !== "slow") return send(interaction, first);
  await interaction.deferReply(answers === "private" ? { flags: MessageFlags.Ephemeral } : {});
  const reply = await work;
  if (answers === "public" && reply.ephemeral) {
    await interaction.deleteReply();
    await interaction.followUp(payload(reply));
    return;
  }
  // The deferral already decided who sees the answer.
  const { flags: _decided, ...edit } = payload(reply);
  await interaction.editReply(edit);
}

function payload(reply: Reply) {
  return {
    content: reply.content,
    embeds: reply.embeds ?? [],
    files: reply.files ?? [],
    allowedMentions: { parse: [] },
    ...(reply.ephemeral && { flags: MessageFlags.Ephemeral as const }),
  };
}

async function send(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  if (interaction.deferred || interaction.replied) await interaction.followUp(payload(reply));
  else await interaction.reply(payload(reply));
}
