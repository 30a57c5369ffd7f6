/** Probes answer at once, ahead of any page: a health check queued behind a flood would fail it. */
const PROBES = new Set(["/healthz", "/metrics"]);

/**
 * Read from the database on every request, never from a cache: /verify exists to notice rows
 * edited behind the desk's back, which no data version sees; anchors change status on their own.
 */
const LIVE = [/^\/(api\/)?verify$/, /^\/(api\/)?anchors(\/|$)/];

export const isProbe = (path: string): boolean => PROBES.has(path);

/** What no response cache may answer, in this thread or the web view's own (thread.ts). */
export const uncacheable = (path: string): boolean => isProbe(path) || LIVE.some((live) => live.test(path));
