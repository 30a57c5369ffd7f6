import type { Context, ErrorHandler, MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "../../log.ts";

/** The largest id a Postgres int4 column holds; a larger number cannot name a row, so it is a 404. */
const INT4_MAX = 2_147_483_647;

/** A path's numeric id, or null when it cannot be one of ours (out of int4, or not digits at all). */
export function int4Id(text: string | undefined): number | null {
  if (!text || !/^[0-9]{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n <= INT4_MAX ? n : null;
}

/** Something to say "not here" with: JSON under /api, a short text elsewhere. */
export const notFoundResponse = (c: Context) =>
  c.req.path.startsWith("/api/") ? c.json({ error: "not found" }, 404) : c.text("not found", 404);

/**
 * NUL has no place in a URL path and Postgres refuses it in text: answer 404 before any route
 * hands it to a query. Checked on the raw path, both encoded and decoded.
 */
export const refuseNul: MiddlewareHandler = async (c, next) => {
  const raw = new URL(c.req.url).pathname;
  if (/%00/i.test(raw) || raw.includes("\0")) return notFoundResponse(c);
  await next();
};

/**
 * Pages are static HTML with one inline <style> and images from this origin; no scripts at all,
 * so the CSP allows none. Styles need 'unsafe-inline' (the page shell carries its own <style>).
 */
export const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    imgSrc: ["'self'"],
    styleSrc: ["'unsafe-inline'"],
    scriptSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
});

/** Any error a route throws becomes one structured log line and a bare 500, never a stack on stderr. */
export function logErrors(log: Logger): ErrorHandler {
  return (err, c) => {
    log.error({ err, method: c.req.method, path: c.req.path }, "web request failed");
    return c.req.path.startsWith("/api/")
      ? c.json({ error: "internal error" }, 500)
      : c.text("internal error", 500);
  };
}
