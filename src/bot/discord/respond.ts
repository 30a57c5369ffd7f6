import { MessageFlags, type RepliableInteraction } from "discord.js";
import type { AnyCommand } from "../../commands/declaration.ts";
import { ackUnderway, afterAck } from "../after-ack.ts";
import type { Reply } from "./replies.ts";

/**
 * Discord drops an unanswered interaction after 3 s. Work that is quick (a refusal, a call on an idle
 * desk) is answered directly; anything slower is deferred early, because under a burst the event loop
 * itself lags and a late timer would eat the rest of the window.
 */
const DEFER_AFTER_MS = 100;

/**
 * Answers within Discord's window, as the command declares: deferred at once (the ack) when it is
 * always slow or stores a call, otherwise directly if the work is done in time (an error privately)
 * and deferred if not. A deferral is visible for commands whose success is public, and an error that
 * then arrives replaces the visible "thinking…" with a private message.
 *
 * Nothing needs to be durable before a Discord ack for a bet to count once: Discord never redelivers
 * an interaction, a gateway replay after a resume carries the same interaction id, and the call is
 * unique on that id, so a retried or replayed /predict stores one call. A crash after the ack and
 * before the call is stored leaves the deferral unanswered: the member sees the command fail and
 * nothing was counted (zero, never twice). A failed deferral is not a crash: the work still runs. So the ack goes first and the work after it, bounded
 * (afterAck), where a burst's transactions cannot hold up the next ack.
 */
export async function respond(
  interaction: RepliableInteraction,
  command: Pick<AnyCommand, "answers" | "defer">,
  work: () => Promise<Reply>,
): Promise<void> {
  // Until Discord has the answer or the deferral, other requests' work and the web view wait.
  const acked = ackUnderway();
  const started = command.defer === "when_slow" ? work() : undefined;
  // If the deferral itself fails, nobody awaits the work any more: its own failure must not go unhandled.
  started?.catch(() => undefined);
  let deferral: { error: unknown } | undefined;
  try {
    if (started) {
      let timer: NodeJS.Timeout | undefined;
      const slow = new Promise<"slow">((resolve) => {
        timer = setTimeout(() => resolve("slow"), DEFER_AFTER_MS);
      });
      const first = await Promise.race([started, slow]).finally(() => clearTimeout(timer));
      if (first !== "slow") return await send(interaction, first);
    }
    // A deferral that fails past discord.js's retries still lets the work finish: the member's call is
    // then saved once and the apology (the caller's) points to /trail instead of losing the bet.
    deferral = await interaction
      .deferReply(command.answers === "private" ? { flags: MessageFlags.Ephemeral } : {})
      .then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
  } finally {
    acked();
  }
  const reply = await (started ?? afterAck(work));
  if (deferral) throw deferral.error;
  if (command.answers === "public" && reply.ephemeral) {
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

/** A reply outside any command's window: a refusal before any work, or the apology after a failure. */
export async function send(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  if (interaction.deferred || interaction.replied) await interaction.followUp(payload(reply));
  else await interaction.reply(payload(reply));
}
