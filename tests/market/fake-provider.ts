import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { defaultHttp, type HttpOptions } from "../../src/market/http.ts";
import type { LimiterClock } from "../../src/market/rate-limiter.ts";

export interface Reply {
  status?: number;
  body: string;
  headers?: Record<string, string>;
  /** Hold the answer back, to exercise timeouts. */
  delayMs?: number;
}

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  at: number;
}

type Route = (request: SeenRequest) => Reply;

/**
 * A local HTTP server standing in for a provider: routes answer recorded bodies in the provider's
 * own format, and every request is kept so tests can check retries, headers and spacing.
 */
export function fakeProvider() {
  const routes = new Map<string, Route>();
  const seen: SeenRequest[] = [];
  let server: Server;
  const state = {
    url: "",
    seen,
    /** Answer requests whose path (without query) is `path`; replies are served in turn, the last repeats. */
    route(path: string, ...replies: (Reply | Route)[]) {
      let calls = 0;
      routes.set(path, (request) => {
        const reply = replies[Math.min(calls++, replies.length - 1)]!;
        return typeof reply === "function" ? reply(request) : reply;
      });
    },
    reset() {
      routes.clear();
      seen.length = 0;
    },
    hits(path: string) {
      return seen.filter((r) => r.path.split("?")[0] === path);
    },
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const request = { path: req.url ?? "/", headers: req.headers, at: Date.now() };
      seen.push(request);
      const route = routes.get(request.path.split("?")[0]!);
      const reply = route ? route(request) : { status: 404, body: "not found" };
      const send = () => {
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        res.end(reply.body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return state;
}

/** Fast retries so error paths run in milliseconds. */
export function fastHttp(overrides: Partial<HttpOptions> = {}): HttpOptions {
  return defaultHttp({ retries: 2, backoffMs: 5, maxBackoffMs: 20, timeoutMs: 1_000, ...overrides });
}

/**
 * A limiter clock that only moves when told: each sleep is held until `advance` reaches its wake
 * time, so tests check the spacing the limiter schedules without measuring wall-clock time.
 */
export class ManualClock implements LimiterClock {
  private time = 0;
  private sleepers: { wakeAt: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ wakeAt: this.time + ms, wake }));
  }

  /** Wake times of the sleeps still held, earliest first. */
  pending(): number[] {
    return this.sleepers.map((s) => s.wakeAt).sort((a, b) => a - b);
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.wakeAt <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.time);
    for (const sleeper of due) sleeper.wake();
  }
}
