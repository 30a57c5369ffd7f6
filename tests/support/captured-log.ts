import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose JSON lines are kept in memory, so a test can read what an operator would see. */
export function capturedLogger(): { log: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim()) entries.push(JSON.parse(line) as LogEntry);
      }
      done();
    },
  });
  return { log: pino({ level: "debug" }, sink), entries };
}

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;
