import type { IncomingMessage, RequestListener } from "node:http";
import type { Logger } from "../../log.ts";

/** Slack's own window for a request's age; Bolt refuses older ones, and this the same span ahead. */
const MAX_AHEAD_S = 5 * 60;

/** True when the request says it was signed further in the future than any clock skew explains. */
export function datedAhead(req: IncomingMessage, nowMs: number): boolean {
  const header = req.headers["x-slack-request-timestamp"];
  const at = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(at) && at > Math.floor(nowMs / 1000) + MAX_AHEAD_S;
}

/**
 * Bolt checks a signature's staleness only: a request signed with a timestamp ten minutes ahead
 * stays replayable for fifteen. Such a request is refused (401) before Bolt reads it.
 */
export function refuseFutureDated(
  listener: RequestListener,
  log: Logger,
  now: () => number = Date.now,
): RequestListener {
  return (req, res) => {
    if (!datedAhead(req, now())) return listener(req, res);
    log.warn(
      { timestamp: req.headers["x-slack-request-timestamp"] },
      "Slack request dated in the future: refused",
    );
    // Drain the body so the connection is left clean, then answer as Bolt answers a bad signature.
    req.resume();
    res.writeHead(401).end();
  };
}
