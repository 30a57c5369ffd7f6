import type { z } from "zod";
import { HostRateLimiter, sleep } from "./rate-limiter.ts";

/** A provider failed: after retries, with a status it will not recover from, or with a bad body. */
export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    readonly provider: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** The provider answered, but has no value for what was asked (no bar yet, no such file): missing, not down. */
export class NoData extends ProviderError {
  override name = "NoData";
}

export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  /** First backoff; doubled each retry. A Retry-After header wins when it is shorter than maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  limiter: HostRateLimiter;
  userAgent: string;
}

export const DEFAULT_HTTP: Omit<HttpOptions, "limiter"> = {
  timeoutMs: 8_000,
  retries: 3,
  backoffMs: 500,
  maxBackoffMs: 10_000,
  userAgent: "Tapereader/0.1 (market-forecasting bot)",
};

/** SEC asks for at most 10 requests per second per client. */
export const PROVIDER_INTERVALS_MS: Record<string, number> = {
  "www.sec.gov": 110,
  "data.sec.gov": 110,
};

export function defaultHttp(overrides: Partial<HttpOptions> = {}): HttpOptions {
  return { ...DEFAULT_HTTP, limiter: new HostRateLimiter(PROVIDER_INTERVALS_MS), ...overrides };
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

/**
 * GET with a timeout, retries with exponential backoff on 429/5xx and network errors, and the
 * per-host rate limiter. Non-retryable statuses (403, 404) fail at once with the body's first line.
 */
export async function getText(
  provider: string,
  url: string,
  http: HttpOptions,
  headers: Record<string, string> = {},
): Promise<string> {
  const host = new URL(url).host;
  let lastProblem = "no attempt made";
  for (let attempt = 0; attempt <= http.retries; attempt++) {
    await http.limiter.acquire(host);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { "user-agent": http.userAgent, ...headers },
        signal: AbortSignal.timeout(http.timeoutMs),
      });
    } catch (error) {
      lastProblem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (attempt < http.retries) await backoff(http, attempt, null);
      continue;
    }
    const body = await response.text();
    if (response.ok) return body;
    lastProblem = `HTTP ${response.status} ${firstLine(body)}`;
    if (!RETRYABLE(response.status)) throw new ProviderError(provider, lastProblem, response.status);
    if (attempt < http.retries) await backoff(http, attempt, response.headers.get("retry-after"));
  }
  throw new ProviderError(provider, `down after ${http.retries + 1} attempts (${lastProblem})`);
}

/** GET, parse JSON and validate it; a body of the wrong shape is a provider failure, not a crash. */
export async function getJson<T>(
  provider: string,
  url: string,
  http: HttpOptions,
  schema: z.ZodType<T>,
  headers: Record<string, string> = {},
): Promise<T> {
  const text = await getText(provider, url, http, { accept: "application/json", ...headers });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError(provider, `answered with non-JSON: ${firstLine(text)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(
      provider,
      `unexpected response shape at ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

async function backoff(http: HttpOptions, attempt: number, retryAfter: string | null): Promise<void> {
  const exponential = Math.min(http.backoffMs * 2 ** attempt, http.maxBackoffMs);
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  const wait = Number.isFinite(seconds) ? Math.min(seconds * 1000, http.maxBackoffMs) : exponential;
  await sleep(wait);
}

function firstLine(text: string): string {
  const line = text
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
