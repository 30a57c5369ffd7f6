import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { vi } from "vitest";

/** Asks the OS for a port nobody is listening on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/**
 * How long a real `start` may take to serve /healthz and publish its first dispatch on a loaded
 * 2-core machine: tsx compiles the app, PGlite starts and migrates, the first cycle runs.
 */
export const DESK_STARTUP_MS = 180_000;

/** vi.waitFor options for a loaded 2-core machine: vi.waitFor's own default gives up after one second. */
export const PATIENT = { timeout: 30_000, interval: 20 };

/**
 * Polls `attempt` until it returns a value (errors count as "not yet"): waiting on the condition
 * itself, never a fixed sleep. On timeout the error names what was awaited and the last failure.
 * `desk`: the process being waited on; its exit ends the wait at once, and its last output goes into
 * the error, so a desk that died or never listened explains itself.
 */
export async function until<T>(
  what: string,
  timeoutMs: number,
  attempt: () => Promise<T | null>,
  desk?: StartedDesk,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "";
  const told = () => (desk ? `; the desk's last output:\n${desk.output().slice(-3000)}` : "");
  for (;;) {
    const value = await attempt().catch((error: unknown) => {
      lastProblem = ` (last: ${error instanceof Error ? error.message : String(error)})`;
      return null;
    });
    if (value !== null) return value;
    if (desk && desk.child.exitCode !== null)
      throw new Error(
        `the desk exited (${desk.child.exitCode}) while waiting for ${what}${lastProblem}${told()}`,
      );
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastProblem}${told()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface StartedDesk {
  child: ChildProcess;
  base: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Runs the real `start` with an empty data folder, a free port and only the given extra environment. */
export async function startDesk(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<StartedDesk> {
  const port = await freePort();
  let output = "";
  // A bare environment: nothing from the shell running the tests leaks in.
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "start"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: {
      PATH: process.env.PATH,
      HOME: dataDir,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_FORMAT: "json",
      // No test reaches a public Time-Stamp Authority; the anchor tests run their own.
      TSA_URL: "off",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}

export interface Captured<T> {
  result: T;
  stdout: string;
  stderr: string;
}

/**
 * Runs `work` in this process with `env` laid over the environment, keeping what it writes to
 * stdout and stderr: a CLI command tested without paying for a process. Unstubs every env stub after.
 */
export async function captureOutput<T>(
  work: () => Promise<T>,
  env: Record<string, string> = {},
): Promise<Captured<T>> {
  const written = { stdout: "", stderr: "" };
  const spies = (["stdout", "stderr"] as const).map((stream) =>
    vi.spyOn(process[stream], "write").mockImplementation((chunk: string | Uint8Array) => {
      written[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    }),
  );
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  try {
    const result = await work();
    return { result, ...written };
  } finally {
    for (const spy of spies) spy.mockRestore();
    vi.unstubAllEnvs();
  }
}
