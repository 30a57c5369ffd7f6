import { z } from "zod";

/** What the web view's front thread is started with (its workerData): plain data, checked on arrival. */
export const frontInput = z.object({
  port: z.number().int().min(0).max(65_535),
  hostname: z.string().optional(),
  /** A data version read from the bots' thread is reused this long (ms) before it is asked again. */
  versionMaxAgeMs: z.number().int().min(0),
  /** Past this, /healthz answers 503: the bots' thread did not answer. */
  healthTimeoutMs: z.number().int().positive(),
  /** Past this, any other request answers 503 with Retry-After. */
  pageTimeoutMs: z.number().int().positive(),
  /** Requests handed to the bots' thread at once; more wait, and more than `queue` are told to retry. */
  forwards: z.object({ max: z.number().int().positive(), queue: z.number().int().min(0) }),
});
export type FrontInput = z.infer<typeof frontInput>;

const headers = z.array(z.tuple([z.string(), z.string()]));

/** From the front thread to the bots' thread. */
export const fromFront = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("listening"), port: z.number().int() }),
  z.object({ kind: z.literal("failed"), message: z.string(), code: z.string().optional() }),
  z.object({ kind: z.literal("version"), id: z.number().int() }),
  z.object({
    kind: z.literal("request"),
    id: z.number().int(),
    method: z.string(),
    url: z.string(),
    headers,
    body: z.instanceof(ArrayBuffer).nullable(),
  }),
]);
export type FromFront = z.infer<typeof fromFront>;

/** From the bots' thread to the front thread. */
export const toFront = z.discriminatedUnion("kind", [
  // null: the version could not be read (the database is down); the request goes through uncached.
  z.object({ kind: z.literal("version"), id: z.number().int(), version: z.string().nullable() }),
  z.object({
    kind: z.literal("response"),
    id: z.number().int(),
    status: z.number().int(),
    headers,
    body: z.instanceof(ArrayBuffer),
  }),
  z.object({ kind: z.literal("stop") }),
]);
export type ToFront = z.infer<typeof toFront>;
