import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { ackUnderway, afterAck } from "../../src/bot/after-ack.ts";
import { responseCache, sharedInFlight } from "../../src/bot/web/cache.ts";
import { concurrencyLimit } from "../../src/bot/web/limits.ts";
import { acksFirst } from "../../src/bot/web/load.ts";

/** A promise the test settles when it chooses. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Lets every already-queued callback run, so requests reach the point they wait at. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the response cache", () => {
  function cachedApp(version: { value: string }, render: () => Promise<void> = async () => {}) {
    let renders = 0;
    const app = new Hono();
    app.use(
      responseCache({
        version: async () => version.value,
        skip: (path) => path === "/live",
        versionMaxAgeMs: 0,
      }),
    );
    app.get("/chart.png", async (c) => {
      renders += 1;
      await render();
      return c.body(new Uint8Array([renders, 1, 2, 3]), 200, { "Content-Type": "image/png" });
    });
    app.get("/live", (c) => {
      renders += 1;
      return c.text(`live ${renders}`);
    });
    app.get("/missing", (c) => {
      renders += 1;
      return c.text("no", 404);
    });
    return { app, renders: () => renders };
  }

  const bytes = async (res: Response) => [...new Uint8Array(await res.arrayBuffer())];

  it("serves the same bytes until the data version changes, then renders once more", async () => {
    const version = { value: "v1" };
    const { app, renders } = cachedApp(version);
    const first = await app.request("/chart.png");
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(await bytes(first)).toEqual([1, 1, 2, 3]);
    expect(await bytes(await app.request("/chart.png"))).toEqual([1, 1, 2, 3]);
    expect(renders()).toBe(1);

    version.value = "v2";
    expect(await bytes(await app.request("/chart.png"))).toEqual([2, 1, 2, 3]);
    expect(await bytes(await app.request("/chart.png"))).toEqual([2, 1, 2, 3]);
    expect(renders()).toBe(2);
    // A different query string is a different page.
    await app.request("/chart.png?server=b");
    expect(renders()).toBe(3);
  });

  it("renders once for a burst of misses, and keeps neither errors nor skipped routes", async () => {
    const version = { value: "v1" };
    const release = gate();
    const { app, renders } = cachedApp(version, () => release.opened);
    const burst = [1, 2, 3, 4, 5].map(() => app.request("/chart.png"));
    await settle();
    release.open();
    for (const res of await Promise.all(burst)) expect(await bytes(res)).toEqual([1, 1, 2, 3]);
    expect(renders()).toBe(1);

    await app.request("/missing");
    await app.request("/missing");
    expect(renders()).toBe(3);
    expect(await (await app.request("/live")).text()).toBe("live 4");
    expect(await (await app.request("/live")).text()).toBe("live 5");
  });

  it("answers the previous bytes while a changed page is being rebuilt", async () => {
    const version = { value: "v1" };
    let hold: Promise<void> = Promise.resolve();
    const { app, renders } = cachedApp(version, () => hold);
    await app.request("/chart.png");
    const release = gate();
    hold = release.opened;
    version.value = "v2";
    const rebuilding = app.request("/chart.png");
    await settle();
    expect(await bytes(await app.request("/chart.png"))).toEqual([1, 1, 2, 3]);
    release.open();
    expect(await bytes(await rebuilding)).toEqual([2, 1, 2, 3]);
    expect(await bytes(await app.request("/chart.png"))).toEqual([2, 1, 2, 3]);
    expect(renders()).toBe(2);
  });

  it("reads the version at most once per window, however many requests come", async () => {
    let clock = 0;
    let reads = 0;
    let version = "v1";
    const app = new Hono();
    app.use(
      responseCache({
        version: async () => {
          reads += 1;
          return version;
        },
        versionMaxAgeMs: 1000,
        now: () => clock,
      }),
    );
    let renders = 0;
    app.get("/page", (c) => c.text(`render ${++renders}`));
    for (let i = 0; i < 5; i += 1) expect(await (await app.request("/page")).text()).toBe("render 1");
    expect(reads).toBe(1);
    version = "v2";
    clock = 999;
    expect(await (await app.request("/page")).text()).toBe("render 1");
    clock = 1000;
    expect(await (await app.request("/page")).text()).toBe("render 2");
    expect(reads).toBe(2);
  });
});

describe("the render limit", () => {
  it("answers 503 with Retry-After beyond its bound while the probe answers at once", async () => {
    const release = gate();
    const app = new Hono();
    app.use(concurrencyLimit({ max: 1, queue: 1, retryAfterSeconds: 7, skip: (p) => p === "/healthz" }));
    let started = 0;
    app.get("/desk", async (c) => {
      started += 1;
      await release.opened;
      return c.text("desk");
    });
    app.get("/healthz", (c) => c.json({ ok: true }));

    const running = app.request("/desk");
    const queued = app.request("/desk");
    await settle();
    expect(started).toBe(1); // the second waits its turn

    const refused = await app.request("/desk");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("7");
    expect(started).toBe(1);

    const health = await app.request("/healthz");
    expect(health.status).toBe(200);

    release.open();
    expect(await (await running).text()).toBe("desk");
    expect(await (await queued).text()).toBe("desk");
    expect(started).toBe(2);
    // Slots are given back: the limit is free again.
    expect((await app.request("/desk")).status).toBe(200);
  });

  it("gives a slot back when the page fails", async () => {
    const app = new Hono();
    app.onError((_err, c) => c.text("failed", 500));
    app.use(concurrencyLimit({ max: 1, queue: 0, retryAfterSeconds: 1 }));
    app.get("/broken", () => {
      throw new Error("boom");
    });
    app.get("/fine", (c) => c.text("fine"));
    expect((await app.request("/broken")).status).toBe(500);
    expect((await app.request("/fine")).status).toBe(200);
  });
});

describe("sharing a run in flight", () => {
  it("gives callers during a run its result, and runs again afterwards", async () => {
    const release = gate();
    let runs = 0;
    const shared = sharedInFlight(async (key) => {
      runs += 1;
      await release.opened;
      return `${key}:${runs}`;
    });
    const [a, b, other] = [shared("full"), shared("full"), shared("quick")];
    release.open();
    expect(await Promise.all([a, b, other])).toEqual(["full:2", "full:2", "quick:2"]);
    expect(await shared("full")).toBe("full:3");
  });
});

describe("acks first", () => {
  it("holds work after acks and pages while an ack is under way, and lets them go once it is given", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const app = new Hono();
      app.use(acksFirst);
      app.get("/page", (c) => c.text("page"));
      const order: string[] = [];
      const acked = ackUnderway();
      const work = afterAck(async () => order.push("work"));
      const page = Promise.resolve(app.request("/page")).then(async (res) => order.push(await res.text()));
      await vi.advanceTimersByTimeAsync(500);
      expect(order).toEqual([]);
      acked();
      acked(); // twice is once
      // A burst's next ack may follow at once: the rest waits for a short quiet spell.
      await vi.advanceTimersByTimeAsync(10);
      expect(order).toEqual([]);
      await vi.advanceTimersByTimeAsync(10);
      await Promise.all([work, page]);
      expect(order.sort()).toEqual(["page", "work"]);
      // Nothing under way: nothing waits.
      await afterAck(async () => order.push("again"));
      expect(order).toContain("again");
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops holding once acks have been under way for a second without a pause", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const acked = ackUnderway();
      let ran = false;
      const work = afterAck(async () => {
        ran = true;
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(ran).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await work;
      expect(ran).toBe(true);
      // Past the hold, the next work does not wait for this ack either.
      await afterAck(async () => undefined);
      acked();
      await vi.advanceTimersByTimeAsync(20);
    } finally {
      vi.useRealTimers();
    }
  });
});
