import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { Hono } from "hono";
import type { CommandSettings } from "../../commands/context.ts";
import type { Logger } from "../../log.ts";
import type { QuotePort } from "../../market/ports.ts";
import type { Clock } from "../../scheduler/clock.ts";
import { dataVersion } from "../../store/data-version.ts";
import type { Database } from "../../store/database.ts";
import { createWebApp, type HealthParts } from "./app.ts";
import { pageHeaders } from "./guards.ts";
import type { FromFront, FrontInput, ToFront } from "./thread-protocol.ts";

export interface WebViewOptions {
  db: Database;
  port: number;
  hostname?: string;
  log: Logger;
  clock: Clock;
  publicUrl?: string;
  settings?: CommandSettings;
  /** The simulated market (demo mode), whose daily closes call charts may draw: it answers without a request. */
  market?: QuotePort;
  health: () => HealthParts;
  /** How long a data version read is reused (ms): a page may show a change this late. 1 s when left out. */
  versionMaxAgeMs?: number;
}

export interface WebView {
  port: number;
  /** The front thread serving now. */
  thread(): Worker;
  close(): Promise<void>;
}

const FRONT = {
  /** /healthz answers 503 past this: well inside Docker's 5 s check. */
  healthTimeoutMs: 2000,
  pageTimeoutMs: 30_000,
  /** The app's own guards queue 8 behind 2 renders; a few more in flight keep it fed. */
  forwards: { max: 16, queue: 64 },
  /** Its CPU weight a tenth of the bots' when both want it (CFS: about 1.25x per step of nice). */
  nice: 10,
};
/** A crashed front thread is started again after this long, on the same port. */
const RESTART_AFTER_MS = 1000;

/**
 * The public web view: the app on this thread, behind a front door on a worker thread of its own
 * (front-thread.ts) that serves cached pages and charts by itself. The database, PGlite included,
 * stays with this thread; the front only ever sees responses.
 */
export async function serveWebView(options: WebViewOptions): Promise<WebView> {
  const versionMaxAgeMs = options.versionMaxAgeMs ?? 1000;
  const app = createWebApp({
    db: options.db,
    log: options.log,
    clock: options.clock,
    health: options.health,
    ...(options.market && { market: options.market }),
    ...(options.publicUrl !== undefined && { publicUrl: options.publicUrl }),
    ...(options.settings && { settings: options.settings }),
    load: { versionMaxAgeMs },
  });
  const headers = await pageHeaderList();
  const input = (port: number): FrontInput => ({
    port,
    pageHeaders: headers,
    ...(options.hostname && { hostname: options.hostname }),
    versionMaxAgeMs,
    ...FRONT,
  });
  let stopping = false;
  let current = await startFront(app, options, input(options.port));
  const { port } = current;
  const restartOnExit = (worker: Worker) =>
    worker.once("exit", (code) => {
      if (stopping) return;
      options.log.error(
        { code },
        `the web view's front thread stopped; starting it again in ${RESTART_AFTER_MS} ms`,
      );
      setTimeout(() => {
        if (stopping) return;
        startFront(app, options, input(port)).then(
          (started) => {
            if (stopping) return stop(started.worker);
            current = started;
            restartOnExit(started.worker);
          },
          (error: unknown) => options.log.error({ err: error }, "the web view could not be started again"),
        );
      }, RESTART_AFTER_MS).unref();
    });
  restartOnExit(current.worker);
  return {
    port,
    thread: () => current.worker,
    close() {
      stopping = true;
      return stop(current.worker);
    },
  };
}

/** Asks the front to close its connections and end; a thread already ended is left as it is. */
async function stop(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return; // Node's mark of a thread that has exited
  const exited = once(worker, "exit");
  worker.postMessage({ kind: "stop" } satisfies ToFront);
  await exited;
}

/** Starts the front and answers it; resolves once it listens, rejects as a server that cannot would. */
async function startFront(app: Hono, options: WebViewOptions, input: FrontInput) {
  const worker = spawnFront(input);
  worker.on("error", (error) => options.log.error({ err: error }, "the web view's front thread failed"));
  worker.on("message", async (message: FromFront) => {
    if (message.kind === "version") {
      const version = await dataVersion(options.db.prisma).catch(() => null);
      worker.postMessage({ kind: "version", id: message.id, version } satisfies ToFront);
    } else if (message.kind === "request") {
      const answer = await appAnswer(app, message).catch((error: unknown) => {
        // Hono turns a route's error into a 500 itself; this is a body that failed while being read.
        options.log.error({ err: error, url: message.url }, "web request failed");
        const failed: AppAnswer = {
          status: 500,
          headers: [["content-type", "text/plain"]],
          body: new ArrayBuffer(0),
        };
        return failed;
      });
      worker.postMessage({ kind: "response", id: message.id, ...answer } satisfies ToFront, [answer.body]);
    }
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.on("message", (message: FromFront) => {
      if (message.kind === "listening") resolve(message.port);
      if (message.kind === "failed")
        reject(Object.assign(new Error(message.message), { code: message.code, port: input.port }));
    });
    worker.once("exit", (code) =>
      reject(new Error(`the web view's front thread exited (${code}) before listening`)),
    );
  });
  return { worker, port };
}

type AppAnswer = Omit<Extract<ToFront, { kind: "response" }>, "kind" | "id">;

/** The app's whole answer to a request the front handed over, its body in one buffer to transfer. */
async function appAnswer(app: Hono, request: Extract<FromFront, { kind: "request" }>): Promise<AppAnswer> {
  const { method, url, headers } = request;
  const response = await app.fetch(new Request(url, { method, headers }));
  const bytes = await response.arrayBuffer();
  return { status: response.status, headers: [...response.headers], body: bytes };
}

/** The compiled front-thread.js beside this file under `npm start`; the TypeScript source through tsx otherwise. */
function spawnFront(input: FrontInput): Worker {
  const here = fileURLToPath(import.meta.url);
  const entry = pathToFileURL(path.join(path.dirname(here), `front-thread${path.extname(here)}`));
  const common = { workerData: input };
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, common);
  // tsx is a development dependency: only tests, benchmarks and `npm run cli` run the sources.
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const load = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(load, { ...common, eval: true });
}

/** tsx's ESM API file: require.resolve would pick its CommonJS twin, which cannot load it in a worker. */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports: { "./esm/api": { import: { default: string } } };
  };
  return path.join(path.dirname(manifest), exports["./esm/api"].import.default);
}

/** The headers guards.ts puts on every page, as the front must put them on its own answers. */
async function pageHeaderList(): Promise<[string, string][]> {
  const probe = new Hono().use(pageHeaders).get("/", (c) => c.body(null, 204));
  const response = await probe.request("/");
  return [...response.headers];
}
