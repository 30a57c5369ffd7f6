/**
 * The web view's front door, on a worker thread of its own (serve.ts starts it). It answers what the
 * response cache holds without the bots' thread, and hands the rest, a few at a time, to the full
 * app there. A flood of visitors then costs the bots one version question per second and the
 * renders the cache lacks, never a turn of their event loop per request.
 */
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { responseCache } from "./cache.ts";
import { isProbe, uncacheable } from "./freshness.ts";
import { pageHeaders } from "./guards.ts";
import { concurrencyLimit } from "./limits.ts";
import type { FromFront, FrontInput, ToFront } from "./thread-protocol.ts";

if (!parentPort) throw new Error("front-thread.ts is the web view's worker thread: serve.ts starts it");
const bots = parentPort;
const input = workerData as FrontInput;

const waiting = new Map<number, (answer: ToFront) => void>();
let asked = 0;
/** A question to the bots' thread; undefined when it does not answer within `timeoutMs`. */
function ask(question: (id: number) => FromFront, timeoutMs: number, transfer: ArrayBuffer[] = []) {
  const id = asked++;
  return new Promise<ToFront | undefined>((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      resolve(undefined);
    }, timeoutMs);
    waiting.set(id, (answer) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(answer);
    });
    bots.postMessage(question(id), transfer);
  });
}

async function dataVersion(): Promise<string> {
  const answer = await ask((id) => ({ kind: "version", id }), input.pageTimeoutMs);
  if (answer?.kind === "version" && answer.version !== null) return answer.version;
  throw new Error("no data version"); // the cache then lets the request through
}

const app = new Hono();
app.use(pageHeaders); // on this thread's own answers (503s); the app's pass through unchanged
app.use(responseCache({ version: dataVersion, versionMaxAgeMs: input.versionMaxAgeMs, skip: uncacheable }));
app.use(concurrencyLimit({ ...input.forwards, retryAfterSeconds: 2, skip: isProbe }));
app.all("*", async (c) => {
  const request = c.req.raw;
  const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
  const health = c.req.path === "/healthz";
  const answer = await ask(
    (id) => ({
      kind: "request",
      id,
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body,
    }),
    health ? input.healthTimeoutMs : input.pageTimeoutMs,
    body ? [body] : [],
  );
  if (answer?.kind === "response")
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  if (health) return c.json({ ok: false, reason: "the desk's thread did not answer in time" }, 503);
  c.header("Retry-After", "2");
  return c.text("busy: try again shortly", 503);
});

const server = serve({
  fetch: app.fetch,
  port: input.port,
  ...(input.hostname && { hostname: input.hostname }),
});
server.once("listening", () =>
  bots.postMessage({ kind: "listening", port: (server.address() as AddressInfo).port } satisfies FromFront),
);
server.once("error", (error: NodeJS.ErrnoException) => {
  bots.postMessage({
    kind: "failed",
    message: error.message,
    ...(error.code && { code: error.code }),
  } satisfies FromFront);
  process.exit(1);
});

bots.on("message", (received: ToFront) => {
  if (received.kind !== "stop") {
    waiting.get(received.id)?.(received);
    return;
  }
  if ("closeAllConnections" in server) server.closeAllConnections();
  server.close(() => process.exit(0));
});
