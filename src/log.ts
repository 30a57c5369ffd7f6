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

/** Structured logs: JSON lines in production, readable terminal lines otherwise. */
export function createLogger(options: { level: string; format: "pretty" | "json" }): Logger {
  return pino({
    level: options.level,
    redact: { paths: REDACTED, censor: "[redacted]" },
    transport:
      options.format === "pretty"
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
