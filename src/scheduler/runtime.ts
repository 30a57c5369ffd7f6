import { setTimeout as sleep } from "node:timers/promises";
import schedule from "node-schedule";
import { type CycleResult, runCycle } from "../agents/cycle/service.ts";
import type { DeskEngine } from "../agents/types.ts";
import type { CyclePort, RunNowResult } from "../commands/context.ts";
import type { Server } from "../domain/server.ts";
import type { Logger } from "../log.ts";
import { isTradingDay, type MarketSource, newYorkDate } from "../market/index.ts";
import { type SettleReport, settleDueCalls } from "../resolution/settle.ts";
import type { Database } from "../store/database.ts";
import type { Clock } from "./clock.ts";
import { type CycleLock, cycleLockFor, type Locked } from "./cycle-lock.ts";
import { metrics } from "./metrics.ts";
import { OutboxWorker, type Surface } from "./outbox.ts";
import { VirtualCron } from "./virtual-cron.ts";

export interface RuntimeOptions {
  db: Database;
  market: MarketSource;
  engine: DeskEngine;
  engineName: string;
  clock: Clock;
  lockShare: number;
  graceHours: number;
  surfaces: Surface[];
  log: Logger;
  /** Real milliseconds between resolution sweeps and between outbox passes. */
  sweepEveryMs?: number;
  outboxEveryMs?: number;
  /**
   * What each periodic pass (sweep, outbox) waits for before it starts: the chat bots' acks under
   * way (acksSettled), so a pass's work never lands inside a burst of commands. Nothing by default.
   */
  beforeEachPass?: () => Promise<void>;
  /**
   * Real milliseconds to wait before each retry of a failed cycle; one retry per entry. A dropped
   * database connection or a model hiccup usually clears within a minute.
   */
  cycleRetryDelaysMs?: readonly number[];
}

export const DEFAULT_CYCLE_RETRY_DELAYS_MS: readonly number[] = [10_000, 60_000];

/**
 * The scheduler: cycles per server on their own schedule, the resolution sweep, and the outbox. It is
 * the commands' cycle port: `/cycle now` runs through it and `/config` reschedules through it.
 */
export class DeskRuntime implements CyclePort {
  readonly lock: CycleLock;
  readonly outbox: OutboxWorker;
  private readonly jobs = new Map<string, { cancel(): unknown }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  /** Cuts a retry's wait short when the runtime stops. */
  private readonly stopped = new AbortController();
  lastSweepAt: Date | null = null;

  constructor(private readonly options: RuntimeOptions) {
    this.lock = cycleLockFor(options.db);
    this.outbox = new OutboxWorker({
      db: options.db,
      surfaces: options.surfaces,
      now: () => new Date(),
      onDelivered: (d, id) => {
        metrics.deliveries.inc({ target: d.target });
        options.log.debug({ delivery: d.id, target: d.target, id }, "delivered");
      },
      onFailed: (d, error, final) => {
        metrics.deliveryFailures.inc({ target: d.target, final: String(final) });
        options.log.warn(
          { delivery: d.id, target: d.target, attempts: d.attempts, final, error: error.message },
          "delivery failed",
        );
      },
    });
  }

  get running(): boolean {
    return !this.stopping && this.timers.length > 0;
  }

  /** Runs a cycle for the server now (with the same retries) unless one is already running anywhere. */
  async runNow(server: Server): Promise<RunNowResult> {
    if (this.stopping) return { status: "already_running" };
    const outcome = await this.track(this.cycleWithRetries(server, this.options.clock.now()));
    if (!outcome.ran) return { status: "already_running" };
    const result = outcome.value;
    if (result.skipped)
      return {
        status: "skipped",
        cycleNumber: result.cycle.number,
        sinceDispatch: result.since.dispatchNumber,
        sinceAt: result.since.asOf.toISOString(),
        reason: result.reason,
      };
    return { status: "started", dispatchNumber: result.dispatch.number };
  }

  /**
   * Resolves due calls (their verdict posts queued with them) and reports each verdict, then the desk
   * learns from every verdict not learned from yet, including any an earlier crash left behind.
   */
  async sweep(): Promise<SettleReport> {
    const { db, log } = this.options;
    const now = this.options.clock.now();
    const verdictTargets = this.options.surfaces
      .filter((s) => s.kinds?.includes("verdict"))
      .map((s) => s.target);
    const report = await this.track(
      settleDueCalls({
        db,
        quotes: this.options.market.quotes,
        now,
        graceHours: this.options.graceHours,
        verdictTargets,
        onSwept: ({ resolved }) => {
          for (const verdict of resolved) {
            metrics.resolutions.inc({ status: verdict.status });
            log.info(
              { call: verdict.callId, status: verdict.status },
              `Call #${verdict.callId} resolved ${verdict.status.toUpperCase()} · ${verdict.evidence}`,
            );
          }
        },
      }),
    );
    const { learned } = report;
    if (learned.lessons || learned.adopted.length || learned.lifted.length)
      log.info(learned, "the desk learned");
    this.lastSweepAt = now;
    return report;
  }

  /** Schedules every server's cycles, the sweep and the outbox; `runFirstCycle` starts one at once. */
  async start(servers: Server[], runFirstCycle: Server | null): Promise<void> {
    for (const server of servers) this.reschedule(server);
    const every = (ms: number, work: () => Promise<unknown>) => {
      const pass = async () => {
        await this.options.beforeEachPass?.();
        return work();
      };
      this.timers.push(setInterval(() => void this.guard(pass), ms));
    };
    every(this.options.sweepEveryMs ?? 60_000, () => this.sweep());
    every(this.options.outboxEveryMs ?? 1_000, () => this.outbox.drain());
    // At once, and even with nothing due: it also finishes learning that a crash interrupted.
    await this.guard(() => this.sweep());
    if (runFirstCycle) this.fireCycle(runFirstCycle, this.options.clock.now());
  }

  /** (Re)schedules one server's cycles from its settings; called again after /config changes them. */
  reschedule(server: Server): void {
    this.jobs.get(server.id)?.cancel();
    const fire = (at: Date) => {
      // Cycles run on trading days only; a holiday is a recorded non-event, not a cycle on stale data.
      if (isTradingDay(newYorkDate(at))) this.fireCycle(server, at);
    };
    const { clock } = this.options;
    const job =
      clock.speed === 1
        ? schedule.scheduleJob({ rule: server.schedule, tz: server.timezone }, (when) => fire(when))
        : new VirtualCron(server.schedule, server.timezone, clock).start(fire);
    if (job) this.jobs.set(server.id, job);
  }

  /** Stops taking work, lets running cycles finish, flushes the outbox once more. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    for (const job of this.jobs.values()) job.cancel();
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.inFlight]);
    await this.guard(() => this.outbox.drain());
  }

  /** A cycle in the background, with retries; its failures are logged by the retries themselves. */
  private fireCycle(server: Server, at: Date): void {
    void this.track(this.cycleWithRetries(server, at)).catch(() => undefined);
  }

  /**
   * The server's cycle under the lock. A failed attempt (its cycle row already marked failed, none
   * of its writes kept) is logged and retried after a pause; the last failure is logged as final,
   * counted, and rethrown. Another instance holding the lock ends the attempts: it is doing the work.
   */
  private async cycleWithRetries(server: Server, at: Date): Promise<Locked<CycleResult>> {
    const { log } = this.options;
    const delays = this.options.cycleRetryDelaysMs ?? DEFAULT_CYCLE_RETRY_DELAYS_MS;
    const attempts = delays.length + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.lock.run(server.id, () => this.cycle(server, at));
      } catch (error) {
        const delay = delays[attempt - 1];
        const final = delay === undefined;
        metrics.cycleFailures.inc({ final: String(final) });
        const fields = { server: server.id, at, attempt, attempts, final, err: error };
        if (final) {
          log.error(
            fields,
            `Cycle for ${server.name} failed ${attempts} times; giving up until its next slot`,
          );
          throw error;
        }
        log.warn(
          { ...fields, retryInMs: delay },
          `Cycle for ${server.name} failed (attempt ${attempt} of ${attempts}); retrying in ${delay} ms`,
        );
        // Shutdown starts no new work: a stop ends the wait and the retries.
        await sleep(delay, undefined, { signal: this.stopped.signal }).catch(() => undefined);
        if (this.stopping) throw error;
      }
    }
  }

  private async cycle(server: Server, at: Date): Promise<CycleResult> {
    const { log } = this.options;
    metrics.cyclesStarted.inc();
    const result = await runCycle(this.options, server, at).catch((error: unknown) => {
      metrics.cycles.inc({ outcome: "failed" });
      throw error;
    });
    if (result.skipped) {
      metrics.cycles.inc({ outcome: "skipped" });
      log.info(
        { cycle: result.cycle.number, since: result.since.dispatchNumber },
        `Cycle ${result.cycle.number} for ${server.name} skipped: ${result.reason}`,
      );
      return result;
    }
    const { dispatch, calls } = result;
    metrics.cycles.inc({ outcome: calls.length ? "published" : "no_call" });
    metrics.calls.inc({ author: "desk" }, calls.length);
    log.info(
      { dispatch: dispatch.number, calls: calls.length },
      `Dispatch #${dispatch.number}: ${dispatch.title} (${calls.length} call${calls.length === 1 ? "" : "s"})`,
    );
    void this.guard(() => this.outbox.drain());
    return result;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    return promise.finally(() => this.inFlight.delete(promise));
  }

  /** Background work never crashes the process: a failure is logged, and the next tick tries again. */
  private async guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.options.log.error({ err: error }, "background work failed");
      return undefined;
    }
  }
}
