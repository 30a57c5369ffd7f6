import type { Surface } from "../../scheduler/outbox.ts";
import type { ClaimedDelivery } from "../../scheduler/posts.ts";

/**
 * The web feed reads dispatches straight from the database, so delivering to it only records the
 * permalink: the outbox row then shows the dispatch as published on the web.
 */
export const webFeedSurface: Surface = {
  target: "web",
  async deliver(delivery: ClaimedDelivery) {
    const { dispatchNumber } = delivery.payload as { dispatchNumber?: number };
    return { platformMessageId: dispatchNumber ? `/read/${dispatchNumber}` : null };
  },
};
