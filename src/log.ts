import { createRequire } from "node:module";
import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
const REDACTED = [
  "token",
  "apiKey",
  "password",
  "secret",
  "signingSecret",
  "authorization",
  "*.token",
  "*.apiKey",
  "*.secret",
];

/** pino-pretty is a development dependency: a production install (`npm ci --omit=dev`) lacks it. */
function prettyInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("pino-pretty");
    return true;
  } catch {
    return false;
  }
}

/**
 * Structured logs: JSON lines in production, readable terminal lines otherwise (when pino-pretty
 * is installed; without it, JSON lines whatever the format asked).
 */
export function createLogger(options: { level: string; format: "pretty" | "json" }): Logger {
  return pino({
    level: options.level,
    redact: { paths: REDACTED, censor: "[redacted]" },
    transport:
      options.format === "pretty" && prettyInstalled()
        ? {
            target: "pino-pretty",
            options: {
              colorize: process.stdout.isTTY,
              translateTime: "SYS:HH:MM:ss",
              ignore: "pid,hostname",
            },
          }
        : undefined,
  });
}
