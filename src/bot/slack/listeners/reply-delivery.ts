import type { RespondFn } from "@slack/bolt";
import type { Logger } from "../../../log.ts";
import { afterAck } from "../../after-ack.ts";
import { type Reply, unexpected } from "../render/replies.ts";
import type { SlackClient } from "../web-api.ts";

/**
 * Runs a listener's work after its ack() (bounded with every other's: afterAck) and sends the reply
 * through response_url. An unexpected failure (database down) is logged and the member told so,
 * instead of a silent spinner.
 */
export async function respondAfterAck(
  log: Logger,
  respond: RespondFn,
  work: () => Promise<Reply | null>,
): Promise<void> {
  let reply: Reply | null;
  try {
    reply = await afterAck(work);
  } catch (error) {
    log.error({ err: error }, "Slack listener failed");
    reply = unexpected();
  }
  if (reply) await respond(reply).catch((error: unknown) => log.warn({ err: error }, "Slack respond failed"));
}

/**
 * Where there is no response_url (view submissions, reactions): a public reply goes to the channel,
 * a private one to the member alone.
 */
export async function sendReply(
  log: Logger,
  client: SlackClient,
  where: { channel: string; user: string },
  reply: Reply,
): Promise<void> {
  const sent =
    reply.response_type === "in_channel"
      ? client.chat.postMessage({ channel: where.channel, text: reply.text, unfurl_links: false })
      : client.chat.postEphemeral({ channel: where.channel, user: where.user, text: reply.text });
  await sent.catch((error: unknown) => log.warn({ err: error }, "Slack reply failed"));
}
