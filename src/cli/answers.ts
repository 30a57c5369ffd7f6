import { MissingDataFile } from "../market/csv-bars.ts";
import { ProviderError } from "../market/http.ts";

/** Node's network failures that mean "nothing answered there": a user's network or URL, not a bug. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
]);

/**
 * One sentence for an error a user can fix (no data file, no network, a refusing API); undefined for
 * a genuine bug, which runCli reports as unexpected.
 */
export function answerFor(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof MissingDataFile) {
    return `${capitalised(error.message)}: download it with \`npm run cli -- history --symbols SYMBOL --from 2024-01-01 --out <dir>\`, or point --data at a folder of SYMBOL.csv files.`;
  }
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  if (code === "EADDRINUSE")
    return `Port ${port ?? "for the web view"} is already in use (another \`npm start\`?): stop that process or set PORT to a free port.`;
  const unreachable = unreachableCause(error);
  if (unreachable)
    return `Could not reach ${unreachable}: check the network connection (or the service's *_URL setting) and try again.`;
  if (error instanceof ProviderError) {
    // The market layer keeps only the last problem's text; a failed fetch means nothing answered.
    if (/fetch failed|timed? ?out|abort/i.test(error.message) && error.status === undefined) {
      return `Could not reach ${error.provider} (${error.message.slice(error.provider.length + 2)}): check the network connection (or the service's *_URL setting) and try again.`;
    }
    return `${capitalised(error.message)}.`;
  }
  // discord.js (and other REST clients) carry the HTTP status of a refusal: a bad token is not a bug.
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status >= 400) {
    const hint = status === 401 || status === 403 ? ": check the token in your environment" : "";
    return `The service refused the request (HTTP ${status}, ${error.message})${hint}.`;
  }
  return undefined;
}

/** "host:port (ECONNREFUSED)" when `error` or one of its causes is a failed connection. */
function unreachableCause(error: Error): string | undefined {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const { code, address, port, hostname } = cause as NodeJS.ErrnoException & {
      address?: string;
      port?: number;
      hostname?: string;
    };
    if (code && UNREACHABLE.has(code)) {
      const host = hostname ?? (address ? `${address}${port ? `:${port}` : ""}` : "the server");
      return `${host} (${code})`;
    }
    // undici aggregates one failure per address it tried (IPv4 and IPv6): the first says enough.
    cause =
      cause instanceof AggregateError && cause.errors[0] instanceof Error ? cause.errors[0] : cause.cause;
  }
  return undefined;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
