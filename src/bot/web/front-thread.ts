/**
 * The web view's front door, on a worker thread of its own (serve.ts starts it). It answers what the
 * response cache holds without the bots' thread, and hands the rest, a few at a time, to the full
 * app there. A flood of visitors then costs the bots one version question per second and the
 * renders the cache lacks, never a turn of their event loop per request. Plain node:http and no
 * framework: the thread costs about 12 MB of the desk's memory, not 22.
 */
import { readlinkSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type CachedResponse, responseStore } from "./cache.ts";
import { isProbe, uncacheable } from "./freshness.ts";
import { admission } from "./limits.ts";
import type { FromFront, FrontInput, ToFront } from "./thread-protocol.ts";

if (!parentPort) throw new Error("front-thread.ts is the web view's worker thread: serve.ts starts it");
const bots = parentPort;
const input = workerData as FrontInput;

/**
 * On a machine with a core or two, a flood served at full speed would still take the CPU the bots'
 * thread acknowledges on. Linux keeps a nice value per thread: this one yields to the bots when
 * both want the CPU, and has it all when they do not. Elsewhere it runs at normal priority.
 */
function yieldCpuToBots(): void {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), input.nice);
  } catch {
    // not Linux: no per-thread priority to set
  }
}
yieldCpuToBots();

const waiting = new Map<number, (answer: ToFront) => void>();
let asked = 0;
/** A question to the bots' thread; undefined when it does not answer within `timeoutMs`. */
function ask(question: (id: number) => FromFront, timeoutMs: number) {
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
    bots.postMessage(question(id));
  });
}

const cached = responseStore({
  versionMaxAgeMs: input.versionMaxAgeMs,
  async version() {
    const answer = await ask((id) => ({ kind: "version", id }), input.pageTimeoutMs);
    if (answer?.kind === "version" && answer.version !== null) return answer.version;
    throw new Error("no data version"); // the request then goes through uncached
  },
});
const forwards = admission(input.forwards);

/** This thread's own answers, with the headers every page carries. */
const said = (
  status: number,
  type: string,
  text: string,
  extra: [string, string][] = [],
): CachedResponse => ({
  status,
  headers: [...input.pageHeaders, ["content-type", type], ...extra],
  body: new TextEncoder().encode(text),
});
const busy = () => said(503, "text/plain; charset=UTF-8", "busy: try again shortly", [["retry-after", "2"]]);

/** This connection's own headers and the body's: neither goes with the request. */
const NOT_CARRIED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"]);

/**
 * The app's answer on the bots' thread, or this thread's own when it has none in time. The web view
 * is read-only (Slack's events have a port of their own), so a request's body is never carried:
 * Node discards it, and the app answers any other method 404 as before.
 */
async function forward(request: IncomingMessage, path: string): Promise<CachedResponse> {
  const probe = isProbe(path);
  if (!probe && !(await forwards.enter())) return busy();
  try {
    const url = `http://${request.headers.host ?? "localhost"}${request.url ?? "/"}`;
    const headers = Object.entries(request.headers).flatMap(([name, value]) =>
      value === undefined || NOT_CARRIED.has(name)
        ? []
        : [[name, Array.isArray(value) ? value.join(", ") : value] as [string, string]],
    );
    const answer = await ask(
      (id) => ({ kind: "request", id, method: request.method ?? "GET", url, headers }),
      path === "/healthz" ? input.healthTimeoutMs : input.pageTimeoutMs,
    );
    if (answer?.kind === "response") return { ...answer, body: new Uint8Array(answer.body) };
    if (path !== "/healthz") return busy();
    const reason = { ok: false, reason: "the desk's thread did not answer in time" };
    return said(503, "application/json", JSON.stringify(reason));
  } finally {
    if (!probe) forwards.leave();
  }
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = new URL(request.url ?? "/", "http://front");
  const path = target.pathname;
  const answer =
    request.method === "GET" && !uncacheable(path)
      ? await cached(path + target.search, () => forward(request, path))
      : await forward(request, path);
  response.statusCode = answer.status;
  for (const [name, value] of answer.headers) response.appendHeader(name, value);
  response.end(answer.body);
}

const server = createServer((request, response) => {
  handle(request, response).catch(() => response.destroy());
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
server.listen(input.port, input.hostname);

bots.on("message", (received: ToFront) => {
  if (received.kind !== "stop") {
    waiting.get(received.id)?.(received);
    return;
  }
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
