import { createHash } from "node:crypto";
import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from "discord.js";
import { NO_RESPONSES } from "../../domain/dispatch.ts";
import type { Clock } from "../../scheduler/clock.ts";
import { PermanentDeliveryError, type Surface } from "../../scheduler/outbox.ts";
import type { ClaimedDelivery, DispatchPosts } from "../../scheduler/posts.ts";
import { dispatchPost, verdictLine } from "./dispatch-post.ts";

export interface DiscordSurfaceOptions {
  /** A bare REST client: the surface needs no gateway, so it also runs in a sharding manager. */
  rest: REST;
  posts: DispatchPosts;
  publicUrl: string;
  /** The desk's clock, which may run faster than the outbox's wall clock (demo mode). */
  clock: Clock;
}

/** Errors no retry can fix: the channel, message or the bot's access to them is gone. */
const PERMANENT = new Set<number | string>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

/** Nobody is pinged by anything the desk writes: dispatches carry model-written text. */
const NO_MENTIONS = { parse: [] };

/**
 * Discord's nonce (at most 25 characters) from the outbox row: with enforce_nonce, a second POST
 * with the same nonce within a few minutes returns the first message instead of posting again, so
 * a delivery reclaimed after a crash mid-post cannot double-post.
 */
export const nonceOf = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 25);

/** Posts dispatches to a guild channel, edits them as members answer, and replies with verdicts. */
export function discordSurface(options: DiscordSurfaceOptions): Surface {
  const { rest, posts } = options;

  async function render(delivery: ClaimedDelivery) {
    const { dispatchNumber } = delivery.payload as { dispatchNumber?: number };
    const dispatch = dispatchNumber === undefined ? null : await posts.dispatch(dispatchNumber);
    if (!dispatch) throw new PermanentDeliveryError(`dispatch #${dispatchNumber} does not exist`);
    const counts = await posts.counts(dispatch.calls.map((c) => c.id));
    return {
      dispatch,
      counts,
      message: dispatchPost(dispatch, counts, options.publicUrl, options.clock.now()),
    };
  }

  /** The posted dispatch a later update edits; not posted yet is a retry, not a failure. */
  async function postOf(delivery: ClaimedDelivery) {
    const post = delivery.dispatchId ? await posts.post("discord", delivery.dispatchId) : null;
    if (post?.status === "failed")
      throw new PermanentDeliveryError("the dispatch itself could not be posted");
    if (!post?.platformMessageId || !post.channelId) throw new Error("the dispatch is not posted yet");
    return { channelId: post.channelId, messageId: post.platformMessageId };
  }

  async function post(delivery: ClaimedDelivery): Promise<string> {
    if (!delivery.channelId) throw new PermanentDeliveryError("no Discord channel configured");
    const { dispatch, message } = await render(delivery);
    const posted = (await rest.post(Routes.channelMessages(delivery.channelId), {
      body: { ...message, allowed_mentions: NO_MENTIONS, nonce: nonceOf(delivery.id), enforce_nonce: true },
    })) as { id: string };
    const server = await posts.server(delivery.serverId);
    const open = dispatch.calls.filter((c) => c.status === "open");
    // The reactions members press to agree or fade; only worth adding while a call is open.
    if (server && open.length > 0) {
      for (const emoji of [server.agreeEmoji, server.fadeEmoji]) {
        await rest.put(
          Routes.channelMessageOwnReaction(delivery.channelId, posted.id, encodeURIComponent(emoji)),
        );
      }
    }
    // At each lock the post re-renders with that call's Agree/Fade closed. The outbox runs on the
    // wall clock, so the desk-clock lock time is translated (they differ in demo mode).
    const { clock } = options;
    for (const call of open) {
      const wallLock = new Date(Date.now() + (call.lockAt.getTime() - clock.now().getTime()) / clock.speed);
      await posts.refreshAt("discord", call.id, `lock:${call.id}`, wallLock);
    }
    return posted.id;
  }

  async function edit(delivery: ClaimedDelivery) {
    const target = await postOf(delivery);
    const rendered = await render(delivery);
    await rest.patch(Routes.channelMessage(target.channelId, target.messageId), {
      body: { ...rendered.message, allowed_mentions: NO_MENTIONS },
    });
    return { target, ...rendered };
  }

  /** The post shows the verdict, and a short reply (in a thread if the server prefers) announces it. */
  async function verdict(delivery: ClaimedDelivery): Promise<string> {
    const { target, dispatch, counts } = await edit(delivery);
    const call = dispatch.calls.find((c) => c.id === delivery.callId);
    if (!call || call.status === "open")
      throw new PermanentDeliveryError(`call #${delivery.callId} is not resolved`);
    const server = await posts.server(delivery.serverId);
    let channel = target.channelId;
    if (server?.verdictInThread) {
      await rest
        .post(Routes.threads(target.channelId, target.messageId), {
          body: { name: `Dispatch #${dispatch.number}` },
        })
        .catch((error: unknown) => {
          // A thread started by an earlier verdict is where this one goes too.
          if (
            !(
              error instanceof DiscordAPIError &&
              error.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage
            )
          )
            throw error;
        });
      channel = target.messageId; // a message's thread has the message's id
    }
    const reply = (await rest.post(Routes.channelMessages(channel), {
      body: {
        content: verdictLine(call, counts.get(call.id) ?? NO_RESPONSES, await posts.sideBySide(call)),
        allowed_mentions: NO_MENTIONS,
        nonce: nonceOf(delivery.id),
        enforce_nonce: true,
        ...(channel === target.channelId && {
          message_reference: { message_id: target.messageId, fail_if_not_exists: false },
        }),
      },
    })) as { id: string };
    return reply.id;
  }

  return {
    target: "discord",
    kinds: ["dispatch", "update", "verdict"],
    async deliver(delivery) {
      try {
        if (delivery.kind === "dispatch") return { platformMessageId: await post(delivery) };
        if (delivery.kind === "update") return { platformMessageId: (await edit(delivery)).target.messageId };
        if (delivery.kind === "verdict") return { platformMessageId: await verdict(delivery) };
        throw new PermanentDeliveryError(`Discord cannot deliver a "${delivery.kind}"`);
      } catch (error) {
        if (error instanceof DiscordAPIError && PERMANENT.has(error.code))
          throw new PermanentDeliveryError(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  };
}
