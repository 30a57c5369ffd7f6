import type { ReceiverEvent } from "@slack/bolt";
import { z } from "zod";
import { SLASH_COMMANDS } from "../../commands/registry.ts";
import type { Logger } from "../../log.ts";
import { acksSettled } from "../after-ack.ts";
import type { InboxStore } from "../chat-platform.ts";
import { REACTIONS } from "./listeners/events.ts";
import { ACTIONS } from "./render/dispatch.ts";
import { PREDICT_VIEW } from "./render/modal.ts";
import { alreadyDone, notTaken } from "./render/replies.ts";

const PLATFORM = "slack";
/** Slack accepts answers on a response_url for 30 minutes: an older request can no longer be answered. */
const ANSWERABLE_MS = 30 * 60_000;
/**
 * How long the handler holding a request (the live one, then a replayer) has before another may take
 * it over. A handler slower than this is only duplicated, never doubled: the handlers are idempotent.
 */
const LEASE_MS = 30_000;
const REPLAY_EVERY_MS = 10_000;
const BATCH = 20;
/** Done rows are kept a day, for inspection; a later redelivery is answered by the handlers' idempotency. */
const KEEP_MS = 24 * 3_600_000;
/** Pruning scans the done rows: hourly is often enough. */
const PRUNE_EVERY_MS = 3_600_000;

/** Bolt's processEvent: Bolt's own, which acks and runs the listeners. */
export type Process = (event: ReceiverEvent) => Promise<void>;

const key = (kind: string, id: string) => ({ kind, key: `slack:${kind}:${id}` });

/**
 * Kinds whose listeners ack with nothing (a slash command, a button): once recorded they are acked
 * here, and Bolt routes them to their listener after the burst's acks. A modal submission is not one:
 * its ack carries the form's errors. Events are acked by Bolt before any middleware runs anyway.
 */
const ACKED_WHEN_RECORDED = new Set(["command", "action"]);

/**
 * Moderator slash commands (/cycle, /config) act on the desk: a signed request replayed within Slack's
 * five minutes would act twice, so each runs once per trigger_id and a repeat is answered "already done".
 */
const MODERATOR_SLASH = SLASH_COMMANDS.filter((c) => c.access === "moderator").map((c) => `/${c.name}`);
const moderatorSlash = z
  .object({ command: z.string().refine((c) => MODERATOR_SLASH.includes(c)), trigger_id: z.string().min(1) })
  .transform((b) => ({ ...key("command", b.trigger_id), once: true }));

/**
 * The requests that can store a call, with the key they are recorded under: /predict with text (the
 * key its handler stores the call under), Agree/Fade, the predict modal's submission, ⬆️/⬇️ reactions.
 */
const storing = z.union([
  z
    .object({ command: z.literal("/predict"), text: z.string().regex(/\S/), trigger_id: z.string().min(1) })
    .transform((b) => key("command", b.trigger_id)),
  z
    .object({
      type: z.literal("block_actions"),
      trigger_id: z.string().min(1),
      actions: z.tuple([z.object({ action_id: z.enum([ACTIONS.agree, ACTIONS.fade]) })], z.unknown()),
    })
    .transform((b) => key("action", b.trigger_id)),
  z
    .object({
      type: z.literal("view_submission"),
      view: z.object({ id: z.string().min(1), callback_id: z.literal(PREDICT_VIEW) }),
    })
    .transform((b) => key("view", b.view.id)),
  z
    .object({
      type: z.literal("event_callback"),
      event_id: z.string().min(1),
      event: z.object({
        type: z.literal("reaction_added"),
        reaction: z.string().refine((r) => r in REACTIONS),
      }),
    })
    .transform((b) => key("event", b.event_id)),
]);

/** Built once: a schema made per request was most of the cost of reading one. */
const inboxEntry = storing.or(moderatorSlash);

/**
 * The inbox key and kind of a request that can store a call or is a moderator command (`once`: a
 * repeat is refused rather than run again); null for every other request.
 */
export function inboxEntryOf(body: unknown): { key: string; kind: string; once?: boolean } | null {
  const parsed = inboxEntry.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * The transactional inbox: a request that can store a call is recorded before Slack is told it
 * arrived, and marked processed once its listener finished, so a crash in between is replayed (on
 * start and every few seconds) through the same listeners, answering on the stored response_url.
 */
export class SlackInbox {
  /** Keys this process is handling now: its own replayer leaves them alone. */
  private readonly live = new Set<string>();
  /** Events this inbox is replaying itself: already recorded, so never a repeat to refuse. */
  private readonly replaying = new WeakSet<ReceiverEvent>();
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private prunedAt = 0;

  constructor(
    private readonly store: InboxStore,
    private readonly log: Logger,
    /** Wall time, not the desk's clock: a response_url lapses in real minutes. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records, then acks (ACKED_WHEN_RECORDED) or lets the listener ack, runs the listener, then marks
   * processed.
   */
  async receive(event: ReceiverEvent, process: Process): Promise<void> {
    const found = inboxEntryOf(event.body);
    if (!found) return process(event);
    const { once, ...entry } = found;
    const at = this.now();
    // The verification token is not needed again (requests are verified by signature): not stored.
    const { token: _token, ...payload } = event.body as Record<string, unknown>;
    // PostgreSQL cannot store U+0000 in JSON. Such a request goes to its listener unrecorded (no
    // replay after a crash) rather than failing: a handler refuses the character by name.
    if (JSON.stringify(payload).includes("\\u0000")) return process(event);
    try {
      const fresh = await this.store.record(
        { platform: PLATFORM, ...entry, payload },
        at,
        this.after(at, LEASE_MS),
      );
      if (once && !fresh && !this.replaying.has(event)) {
        this.log.warn({ key: entry.key }, "Slack moderator command repeated: answered, not run again");
        return event.ack(alreadyDone());
      }
    } catch (error) {
      this.log.error({ err: error, key: entry.key }, "Slack request refused: the inbox could not record it");
      // A slash command's ack can carry an answer. Anything else fails unacknowledged (HTTP 500, no
      // Socket Mode ack), so Slack shows the member the failure or redelivers the event.
      if (entry.kind === "command") return event.ack(notTaken());
      throw error;
    }
    this.live.add(entry.key);
    try {
      if (ACKED_WHEN_RECORDED.has(entry.kind) && !this.replaying.has(event)) await this.ackRecorded(event);
      await process(event);
    } catch (error) {
      await this.store
        .markFailed(entry.key, String(error))
        .catch((e: unknown) =>
          this.log.warn({ err: e, key: entry.key }, "Slack inbox: could not record a failure"),
        );
      throw error;
    } finally {
      this.live.delete(entry.key);
    }
    // Left pending if this fails: the replay then answers "already saved".
    await this.store
      .markProcessed(entry.key, this.now())
      .catch((error: unknown) =>
        this.log.warn({ err: error, key: entry.key }, "Slack inbox: could not mark a request processed"),
      );
  }

  /**
   * Before the ack only what must be durable: the row is, so Slack is answered now. Bolt's routing
   * (every listener's middleware, for every request) and the listener wait for the burst's acks, as
   * the listener's work would; its own ack() then answers nothing, already answered.
   */
  private async ackRecorded(event: ReceiverEvent): Promise<void> {
    await event.ack();
    event.ack = async () => {};
    await acksSettled();
  }

  /**
   * One pass: expires what can no longer be answered (logged), replays what no handler finished
   * through `process` (the app's processEvent, so recording is a no-op), prunes old done rows.
   */
  async replay(process: Process): Promise<number> {
    const now = this.now();
    const since = this.after(now, -ANSWERABLE_MS);
    for (const row of await this.store.expire(PLATFORM, since, now)) {
      this.log.error(row, "Slack request expired unanswered in the inbox: its response_url has lapsed");
    }
    let replayed = 0;
    for (;;) {
      const rows = await this.store.claim(PLATFORM, since, now, this.after(now, LEASE_MS), BATCH);
      const mine = rows.filter((row) => !this.live.has(row.key));
      await Promise.all(
        mine.map((row) =>
          // Nobody waits for an ack any more; the listener answers on the stored response_url.
          this.replayed({ body: row.payload as Record<string, unknown>, ack: async () => {} }, process),
        ),
      );
      replayed += mine.length;
      if (rows.length < BATCH) break;
    }
    if (replayed > 0) this.log.info({ replayed }, "Slack requests replayed from the inbox");
    if (now.getTime() - this.prunedAt >= PRUNE_EVERY_MS) {
      await this.store.prune(this.after(now, -KEEP_MS));
      this.prunedAt = now.getTime();
    }
    return replayed;
  }

  private async replayed(event: ReceiverEvent, process: Process): Promise<void> {
    this.replaying.add(event);
    // Nobody waits for an ack any more; the listener answers on the stored response_url.
    await process(event).catch((error: unknown) =>
      this.log.error({ err: error, key: inboxEntryOf(event.body)?.key }, "Slack inbox replay failed"),
    );
  }

  /**
   * A pass now, then every few seconds; passes never overlap, and each waits for the acks under way
   * (acksSettled): a replay is work after an ack like any other, never ahead of a member's ack.
   */
  start(process: Process): void {
    const tick = () => {
      this.pass ??= acksSettled()
        .then(() => this.replay(process))
        .then(() => {})
        .catch((error: unknown) => this.log.error({ err: error }, "Slack inbox replay pass failed"))
        .finally(() => {
          this.pass = null;
        });
    };
    tick();
    this.timer = setInterval(tick, REPLAY_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pass;
  }

  private after(at: Date, ms: number): Date {
    return new Date(at.getTime() + ms);
  }
}
