import {
  type ButtonInteraction,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from "discord.js";
import { predictCommand } from "../../commands/predict.ts";
import { agreeCommand, counterCommand, fadeCommand } from "../../commands/stance.ts";
import { answerCommand } from "./command-answers.ts";
import { type DiscordDeps, invocationOf } from "./context.ts";
import { customId, parseCustomId } from "./dispatch-post.ts";
import { errorReply } from "./replies.ts";
import { send } from "./respond.ts";

/** Agree, Fade or Counter-call… under a dispatch post; the call id rides in the button's id. */
export async function button(deps: DiscordDeps, interaction: ButtonInteraction<"cached" | "raw">) {
  const parsed = parseCustomId(interaction.customId);
  if (!parsed || parsed.action === "counter-call")
    return send(interaction, errorReply("This button is no longer supported."));
  if (parsed.action === "counter") return counterForm(deps, interaction, parsed.callId);
  const command = parsed.action === "agree" ? agreeCommand : fadeCommand;
  await answerCommand(deps, interaction, command, { callId: parsed.callId, source: "button" });
}

/** The counter-call form, prefilled with the fade of the desk's call; a modal must be the first answer. */
async function counterForm(
  deps: DiscordDeps,
  interaction: ButtonInteraction<"cached" | "raw">,
  callId: number,
) {
  const result = await deps.core.run(counterCommand, await invocationOf(deps, interaction), { callId });
  if (!result.ok) return send(interaction, errorReply(result.error));
  const { deskCallId, suggestion } = result.view;
  await interaction.showModal({
    custom_id: customId("counter-call", deskCallId),
    title: `Counter-call on #${deskCallId}`,
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
}

/** The counter-call form submitted: the member's own call, as `/predict` would make it from text. */
export async function counterCall(deps: DiscordDeps, interaction: ModalSubmitInteraction<"cached" | "raw">) {
  if (parseCustomId(interaction.customId)?.action !== "counter-call")
    return send(interaction, errorReply("This form is no longer supported."));
  // discord.js throws on a missing field; a form from an older registration may lack it.
  const text = readTextField(interaction);
  if (text === null)
    return send(
      interaction,
      errorReply("The form arrived without the call's text: open Counter-call again."),
    );
  await answerCommand(deps, interaction, predictCommand, { text, source: "modal" });
}

function readTextField(interaction: ModalSubmitInteraction<"cached" | "raw">): string | null {
  try {
    return interaction.fields.getTextInputValue("text");
  } catch {
    return null;
  }
}
