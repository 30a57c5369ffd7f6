import type { ServerResponse } from "node:http";

/** A canned failure as a platform sends it: status, headers and a JSON (or plain text) body. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as text/html (a proxy's 502 page). */
  body?: unknown;
}

/**
 * Failures a fake server injects: "answer the next N requests to route R with fault F". A fake
 * matches each request's own key against the routes (Discord: "POST /channels/1/messages", Slack:
 * the Web API method), so tests count exactly what the client library sent while it failed.
 */
export class FaultPlan {
  private readonly rules: { route: RegExp | string; fault: Fault; left: number }[] = [];

  /** A string route matches a key that starts with it; a RegExp is tested against the key. */
  failNext(route: RegExp | string, times: number, fault: Fault): void {
    this.rules.push({ route, fault, left: times });
  }

  /** The fault this request gets, if any, counted against its rule. */
  take(key: string): Fault | undefined {
    const rule = this.rules.find(
      (r) => r.left > 0 && (typeof r.route === "string" ? key.startsWith(r.route) : r.route.test(key)),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    return rule.fault;
  }

  clear(): void {
    this.rules.length = 0;
  }
}

export function sendFault(res: ServerResponse, fault: Fault): void {
  const text = typeof fault.body === "string";
  res
    .writeHead(fault.status, {
      "content-type": text ? "text/html" : "application/json",
      ...fault.headers,
    })
    .end(text ? fault.body : JSON.stringify(fault.body ?? {}));
}
