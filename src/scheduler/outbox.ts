import type { Database } from "../store/database.ts";
import { type ClaimedDelivery, claimDeliveries, markAttemptFailed, markDelivered } from "../store/outbox.ts";

/** A place deliveries go: a chat platform or the web feed. Each renders the payload its own way. */
export interface Surface {
  readonly target: string;
  /**
   * Delivery kinds this surface renders; left out, "dispatch" only. The runtime enqueues verdicts
   * ("verdict") only for surfaces that list them, so a surface never receives a kind it cannot show.
   */
  readonly kinds?: readonly string[];
  /** Posts the delivery; on a reclaimed delivery it first checks whether the post already exists. */
  deliver(delivery: ClaimedDelivery): Promise<{ platformMessageId: string | null }>;
}

/** Thrown by a surface for a failure no retry can fix (channel gone, bot removed). */
export class PermanentDeliveryError extends Error {
  override name = "PermanentDeliveryError";
}

export interface OutboxOptions {
  db: Database;
  surfaces: Surface[];
  now?: () => Date;
  leaseMs?: number;
  maxAttempts?: number;
  batch?: number;
  onDelivered?: (delivery: ClaimedDelivery, platformMessageId: string | null) => void;
  onFailed?: (delivery: ClaimedDelivery, error: Error, final: boolean) => void;
}

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_CAP_MS = 10 * 60_000;

/** Delivers what cycles and verdicts wrote to the outbox, with retries and backoff. */
export class OutboxWorker {
  private readonly surfaces: Map<string, Surface>;

  constructor(private readonly options: OutboxOptions) {
    this.surfaces = new Map(options.surfaces.map((s) => [s.target, s]));
  }

  /** One pass: claims due deliveries and attempts each once. Returns how many were attempted. */
  async drain(): Promise<number> {
    const { db } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    const claimed = await claimDeliveries(
      db.prisma,
      [...this.surfaces.keys()],
      now,
      this.options.leaseMs ?? 60_000,
      this.options.batch ?? 20,
    );
    await Promise.all(claimed.map((delivery) => this.attempt(delivery, now)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery, now: Date): Promise<void> {
    const { db } = this.options;
    const surface = this.surfaces.get(delivery.target) as Surface;
    try {
      const { platformMessageId } = await surface.deliver(delivery);
      await markDelivered(db.prisma, delivery.id, platformMessageId, now);
      this.options.onDelivered?.(delivery, platformMessageId);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const final =
        err instanceof PermanentDeliveryError || delivery.attempts >= (this.options.maxAttempts ?? 8);
      const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (delivery.attempts - 1));
      await markAttemptFailed(
        db.prisma,
        delivery.id,
        err.message,
        final ? null : new Date(now.getTime() + delay),
      );
      this.options.onFailed?.(delivery, err, final);
    }
  }
}
