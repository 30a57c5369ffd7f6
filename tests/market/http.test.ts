import { beforeEach, describe, expect, it, vi } from "vitest";
import { getText, ProviderError } from "../../src/market/http.ts";
import { HostRateLimiter } from "../../src/market/rate-limiter.ts";
import { PATIENT } from "../support/process.ts";
import { fakeProvider, fastHttp, ManualClock } from "./fake-provider.ts";

const server = fakeProvider();

describe("provider HTTP", () => {
  beforeEach(() => server.reset());

  it("retries 5xx and honours a short Retry-After on 429", async () => {
    server.route(
      "/x",
      { status: 503, body: "Service Unavailable" },
      { status: 429, body: "slow down", headers: { "retry-after": "0" } },
      { body: "ok" },
    );
    expect(await getText("p", `${server.url}/x`, fastHttp())).toBe("ok");
    expect(server.hits("/x")).toHaveLength(3);
  });

  it("does not retry a 403 and keeps the status", async () => {
    server.route("/x", { status: 403, body: "<html><h1>Forbidden</h1></html>" });
    const error = (await getText("p", `${server.url}/x`, fastHttp()).catch(
      (e: unknown) => e,
    )) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.status).toBe(403);
    expect(error.message).toContain("HTTP 403 Forbidden");
    expect(server.hits("/x")).toHaveLength(1);
  });

  it("times out a provider that never answers and calls it down", async () => {
    server.route("/slow", { body: "late", delayMs: 300 });
    const error = await getText("p", `${server.url}/slow`, fastHttp({ timeoutMs: 50, retries: 1 })).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/down after 2 attempts \(TimeoutError/);
  });

  it("sends the configured User-Agent", async () => {
    server.route("/x", { body: "ok" });
    await getText("p", `${server.url}/x`, fastHttp({ userAgent: "Desk ops@example.com" }));
    expect(server.seen[0]!.headers["user-agent"]).toBe("Desk ops@example.com");
  });
});

describe("per-host rate limiter", () => {
  it("spaces requests to a limited host and leaves other hosts alone", async () => {
    const clock = new ManualClock();
    const limiter = new HostRateLimiter({ "www.sec.gov": 40 }, 0, clock);
    let through = 0;
    const sec = Array.from({ length: 6 }, () => limiter.acquire("www.sec.gov").then(() => through++));
    // The first goes now; the other five are scheduled 40 ms apart.
    expect(clock.pending()).toEqual([40, 80, 120, 160, 200]);
    await Promise.all(Array.from({ length: 6 }, () => limiter.acquire("example.com")));
    expect(clock.pending()).toHaveLength(5);
    clock.advance(199);
    await vi.waitFor(() => expect(through).toBe(5), PATIENT);
    expect(clock.pending()).toEqual([200]);
    clock.advance(1);
    await Promise.all(sec);
    expect(through).toBe(6);
    // Once the host has been quiet for its interval, the next request does not wait.
    clock.advance(40);
    await limiter.acquire("www.sec.gov");
    expect(clock.pending()).toEqual([]);
  });
});
