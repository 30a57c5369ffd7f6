import { setTimeout as sleep } from "node:timers/promises";
import schedule from "node-schedule";
import { type AnchorOutcome, anchorChains } from "../anchor/job.ts";
import type { TimeStamper } from "../anchor/tsa.ts";
import type { Logger } from "../log.ts";
import { latestAnchored } from "../store/anchors.ts";
import type { Database } from "../store/database.ts";

export interface AnchorScheduleOptions {
  db: Database;
  stamper: TimeStamper;
  log: Logger;
  now?: () => Date;
  /** Cron rule, UTC: daily a few minutes after midnight. */
  rule?: string;
  /** Waits before each retry of a failed anchor; after the last, the next daily run tries again. */
  retryDelaysMs?: readonly number[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ANCHOR_RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
];

/**
 * Anchors every chain's head daily, and at start when the last anchor is over a day old. It runs on
 * its own, beside the cycles, never under their lock: a TSA that is down or slow costs a stored
 * failed attempt and a retry with backoff, never a cycle.
 */
export class AnchorSchedule {
  private job: schedule.Job | null = null;
  private loop: Promise<AnchorOutcome | null> | null = null;
  private readonly stopped = new AbortController();

  constructor(private readonly options: AnchorScheduleOptions) {}

  async start(): Promise<void> {
    this.job = schedule.scheduleJob({ rule: this.options.rule ?? "5 0 * * *", tz: "UTC" }, () => {
      void this.anchorNow();
    });
    const latest = await latestAnchored(this.options.db.prisma);
    if (!latest || this.now().getTime() - latest.attemptedAt.getTime() > DAY_MS) void this.anchorNow();
  }

  /**
   * Anchors now, retrying after a failure until one succeeds or the delays run out; a call while
   * that runs joins it. Null when the database itself failed (logged; the next run tries again).
   */
  anchorNow(): Promise<AnchorOutcome | null> {
    this.loop ??= this.withRetries()
      .catch((error: unknown) => {
        this.options.log.error({ err: error }, "Anchoring the chains failed on the database");
        return null;
      })
      .finally(() => {
        this.loop = null;
      });
    return this.loop;
  }

  async stop(): Promise<void> {
    this.job?.cancel();
    this.stopped.abort();
    await this.loop;
  }

  private async withRetries(): Promise<AnchorOutcome> {
    const { log, db, stamper } = this.options;
    const delays = this.options.retryDelaysMs ?? DEFAULT_ANCHOR_RETRY_DELAYS_MS;
    for (let attempt = 1; ; attempt++) {
      const outcome = await anchorChains({ db, stamper, now: () => this.now(), signal: this.stopped.signal });
      if (outcome.status === "anchored") {
        const { id, root, servers, tsaUrl } = outcome.anchor;
        log.info(
          { anchor: id, root, servers },
          `Chains anchored: root ${root.slice(0, 12)}… signed by ${tsaUrl}`,
        );
      }
      if (outcome.status !== "failed" || this.stopped.signal.aborted) return outcome;
      const { id, tsaUrl, error } = outcome.anchor;
      const fields = { anchor: id, tsa: tsaUrl, error, attempt };
      const delay = delays[attempt - 1];
      if (delay === undefined) {
        log.error(fields, `Anchoring the chains failed (${error}); giving up until the next daily anchor`);
        return outcome;
      }
      log.warn(
        { ...fields, retryInMs: delay },
        `Anchoring the chains failed (${error}); retrying in ${delay} ms`,
      );
      await sleep(delay, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      if (this.stopped.signal.aborted) return outcome;
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
