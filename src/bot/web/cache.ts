import type { MiddlewareHandler } from "hono";

export interface ResponseCacheOptions {
  /** The data's version: a page rendered at one version is served until the version changes. */
  version: () => Promise<string>;
  /** Requests this cache leaves alone (they go straight to the next handler). */
  skip?: (path: string) => boolean;
  /** Entries kept, least recently used dropped first: a query string makes a new key. */
  maxEntries?: number;
  /** Total body bytes kept. */
  maxBytes?: number;
  /**
   * What the version does not see (a member renamed) still shows after this long. Milliseconds, on
   * `now`'s clock.
   */
  maxAgeMs?: number;
  /**
   * A version read is reused for this long (milliseconds; 0, the default: read on every request): a
   * flood of hits then costs no query at all, and a change shows at most this late.
   */
  versionMaxAgeMs?: number;
  now?: () => number;
}

/** A response as the cache keeps it: no stream, no framework object, so either thread can hold one. */
export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

interface Entry extends CachedResponse {
  version: string;
  at: number;
}

/**
 * `fn` with calls made while one is running sharing that one's result (per key), so a burst of
 * identical requests costs one run.
 */
export function sharedInFlight<T>(fn: (key: string) => Promise<T>): (key?: string) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  return (key = "") => {
    let run = running.get(key);
    if (!run) {
      run = fn(key).finally(() => running.delete(key));
      running.set(key, run);
    }
    return run;
  };
}

const respond = (entry: CachedResponse) =>
  new Response(entry.body, { status: entry.status, headers: new Headers(entry.headers) });

/**
 * Answers a key from memory while the data's version is unchanged, so a page costs one render per
 * change of the data rather than one per request. Only 200s are kept. Concurrent misses on one key
 * share a single render; while a changed page is being rebuilt, the others get the previous bytes
 * instead of waiting for it. Without a version (the database is down) every request renders.
 */
export function responseStore(
  options: Omit<ResponseCacheOptions, "skip">,
): (key: string, render: () => Promise<CachedResponse>) => Promise<CachedResponse> {
  const { maxEntries = 500, maxBytes = 64 * 1024 * 1024, maxAgeMs = 60_000, now = Date.now } = options;
  const { versionMaxAgeMs = 0 } = options;
  const entries = new Map<string, Entry>();
  const rendering = new Map<string, Promise<Entry | undefined>>();
  let bytes = 0;

  // One version query at a time, whatever the traffic: requests arriving meanwhile share its answer.
  const readVersion = sharedInFlight(options.version);
  let lastRead: { version: string; at: number } | undefined;
  const currentVersion = async () => {
    if (lastRead && now() - lastRead.at < versionMaxAgeMs) return lastRead.version;
    const at = now();
    const version = await readVersion();
    lastRead = { version, at };
    return version;
  };

  const forget = (key: string) => {
    const old = entries.get(key);
    if (old) bytes -= old.body.byteLength;
    entries.delete(key);
  };
  const keep = (key: string, entry: Entry) => {
    forget(key);
    if (entry.body.byteLength > maxBytes) return;
    entries.set(key, entry);
    bytes += entry.body.byteLength;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      forget(oldest);
    }
  };

  return async (key, render) => {
    let version: string;
    try {
      version = await currentVersion();
    } catch {
      return render(); // the database is down: the page answers (or fails) on its own
    }
    const cached = entries.get(key);
    if (cached && cached.version === version && now() - cached.at < maxAgeMs) {
      entries.delete(key); // most recently used goes last
      entries.set(key, cached);
      return cached;
    }
    const pending = rendering.get(key);
    if (pending) {
      if (cached) return cached;
      // The shared render did not produce a page: this request tries its own.
      return (await pending) ?? render();
    }

    let done: (entry: Entry | undefined) => void = () => {};
    rendering.set(key, new Promise((resolve) => (done = resolve)));
    let entry: Entry | undefined;
    try {
      const response = await render();
      if (response.status === 200) {
        entry = { ...response, version, at: now() };
        keep(key, entry);
      }
      return response;
    } finally {
      rendering.delete(key);
      done(entry);
    }
  };
}

/** responseStore as Hono middleware, for GETs not skipped. */
export function responseCache(options: ResponseCacheOptions): MiddlewareHandler {
  const answer = responseStore(options);
  return async (c, next) => {
    if (c.req.method !== "GET" || options.skip?.(c.req.path)) return next();
    const url = new URL(c.req.url);
    let rendered = false;
    const response = await answer(url.pathname + url.search, async () => {
      rendered = true;
      await next();
      const body = new Uint8Array(await c.res.arrayBuffer());
      return { status: c.res.status, headers: [...c.res.headers], body };
    });
    if (!rendered) return respond(response);
    c.res = respond(response); // its body was read into the cache: a fresh one over the same bytes
  };
}
