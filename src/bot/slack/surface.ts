import { NO_RESPONSES } from "../../domain/dispatch.ts";
import { PermanentDeliveryError, type Surface } from "../../scheduler/outbox.ts";
import type { ClaimedDelivery, DispatchPosts } from "../../scheduler/posts.ts";
import { dispatchMessage, verdictReply } from "./render/dispatch.ts";
import type { Block, SlackClient } from "./web-api.ts";

/** Marks our posts so a reclaimed delivery can find the message an earlier attempt already posted. */
const METADATA_EVENT = "tapereader_delivery";
/** Errors no retry can fix: the channel is gone or the app was removed from it. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "missing_scope",
  "msg_too_long",
  "invalid_blocks",
]);
/** How far back a reclaimed delivery looks for its own post; a lease ends within minutes. */
const HISTORY_LIMIT = 100;

interface Payload {
  dispatchNumber?: number;
  callId?: number;
}

/**
 * The outbox's Slack side: posts a dispatch in Block Kit (with the agree/fade reactions members can
 * click), edits it with fresh counts ("update"), and edits it and replies in its thread ("verdict").
 */
export class SlackSurface implements Surface {
  readonly target = "slack";
  readonly kinds = ["dispatch", "update", "verdict"];

  constructor(
    private readonly client: SlackClient,
    private readonly posts: DispatchPosts,
    private readonly publicUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async deliver(delivery: ClaimedDelivery): Promise<{ platformMessageId: string | null }> {
    try {
      return await this.send(delivery);
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code && PERMANENT.has(code)) throw new PermanentDeliveryError(`Slack: ${code}`);
      throw error;
    }
  }

  private async send(delivery: ClaimedDelivery): Promise<{ platformMessageId: string | null }> {
    const { dispatchNumber, callId } = delivery.payload as Payload;
    const dispatch = dispatchNumber === undefined ? null : await this.posts.dispatch(dispatchNumber);
    if (!dispatch) throw new PermanentDeliveryError(`no dispatch #${dispatchNumber} to deliver`);
    const counts = await this.posts.counts(dispatch.calls.map((c) => c.id));
    const message = dispatchMessage(dispatch, counts, { publicUrl: this.publicUrl, now: this.now() });

    if (delivery.kind === "dispatch") {
      if (!delivery.channelId)
        throw new PermanentDeliveryError("no Slack channel configured: /config channel here");
      const ts = await this.post(delivery, delivery.channelId, message);
      await this.addReactions(delivery.channelId, ts);
      return { platformMessageId: ts };
    }
    if (delivery.kind !== "update" && delivery.kind !== "verdict") {
      throw new PermanentDeliveryError(`Slack cannot show a "${delivery.kind}" delivery`);
    }
    const post = await this.posts.post(this.target, dispatch.id);
    // Not posted yet (its own delivery is still pending): a plain error, so the outbox retries later.
    if (!post?.platformMessageId || !post.channelId)
      throw new Error(`dispatch #${dispatch.number} is not posted yet`);
    await this.client.chat.update({ channel: post.channelId, ts: post.platformMessageId, ...message });
    const index = dispatch.calls.findIndex((c) => c.id === callId);
    const call = dispatch.calls[index];
    if (delivery.kind === "update" || !call) return { platformMessageId: post.platformMessageId };
    const reply = verdictReply(
      call,
      index,
      counts.get(call.id) ?? NO_RESPONSES,
      await this.posts.sideBySide(call),
    );
    const ts = await this.post(delivery, post.channelId, { text: reply }, post.platformMessageId);
    return { platformMessageId: ts };
  }

  /** Posts once: a reclaimed delivery first looks for the message an earlier attempt posted. */
  private async post(
    delivery: ClaimedDelivery,
    channel: string,
    message: { text: string; blocks?: Block[] },
    threadTs?: string,
  ): Promise<string> {
    if (delivery.reclaimed) {
      const earlier = await this.findPosted(channel, delivery.id, threadTs);
      if (earlier) return earlier;
    }
    const posted = await this.client.chat.postMessage({
      channel,
      ...message,
      ...(threadTs && { thread_ts: threadTs }),
      unfurl_links: false,
      unfurl_media: false,
      metadata: { event_type: METADATA_EVENT, event_payload: { delivery_id: delivery.id } },
    });
    if (!posted.ts) throw new Error("Slack answered chat.postMessage without a ts");
    return posted.ts;
  }

  private async findPosted(channel: string, deliveryId: string, threadTs?: string): Promise<string | null> {
    const page = threadTs
      ? await this.client.conversations.replies({
          channel,
          ts: threadTs,
          include_all_metadata: true,
          limit: HISTORY_LIMIT,
        })
      : await this.client.conversations.history({
          channel,
          include_all_metadata: true,
          limit: HISTORY_LIMIT,
        });
    const mine = page.messages?.find((m) => {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      return m.metadata?.event_type === METADATA_EVENT && payload?.delivery_id === deliveryId;
    });
    return mine?.ts ?? null;
  }

  /** The same reactions as Discord: clicking one is the member's agree or fade on CALL 1. */
  private async addReactions(channel: string, ts: string): Promise<void> {
    for (const name of ["arrow_up", "arrow_down"]) {
      // Already there (a reclaimed post) or reactions not allowed: the buttons still work.
      await this.client.reactions.add({ channel, timestamp: ts, name }).catch(() => undefined);
    }
  }
}
