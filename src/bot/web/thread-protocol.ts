/**
 * What the bots' thread and the web view's front thread say to each other. Plain types, not zod:
 * both ends are this program, posting values these types check at compile time (`satisfies`), and
 * zod would cost the front thread about 11 MB of its 20.
 */

/** What the front thread is started with (its workerData). */
export interface FrontInput {
  port: number;
  hostname?: string;
  /** A data version read from the bots' thread is reused this long (ms) before it is asked again. */
  versionMaxAgeMs: number;
  /** Past this, /healthz answers 503: the bots' thread did not answer. */
  healthTimeoutMs: number;
  /** Past this, any other request answers 503 with Retry-After. */
  pageTimeoutMs: number;
  /** Requests handed to the bots' thread at once; more wait, and more than `queue` are told to retry. */
  forwards: { max: number; queue: number };
  /** The front thread's nice value (Linux): higher yields the CPU to the bots' thread. */
  nice: number;
  /** The security headers every page carries (guards.ts), for the front's own answers. */
  pageHeaders: [string, string][];
}

type Headers = [string, string][];

/** From the front thread to the bots' thread. */
export type FromFront =
  | { kind: "listening"; port: number }
  | { kind: "failed"; message: string; code?: string }
  | { kind: "version"; id: number }
  | { kind: "request"; id: number; method: string; url: string; headers: Headers };

/** From the bots' thread to the front thread. */
export type ToFront =
  // null: the version could not be read (the database is down); the request goes through uncached.
  | { kind: "version"; id: number; version: string | null }
  | { kind: "response"; id: number; status: number; headers: Headers; body: ArrayBuffer }
  | { kind: "stop" };
