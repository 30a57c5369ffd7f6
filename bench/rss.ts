import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { postgresDatabase } from "../tests/support/databases.ts";
import { type Figure, figure } from "./report.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** How long the desk sits idle (after its first dispatch) before its RSS is read, as the issue asks. */
const IDLE_MS = 60_000;
const STARTUP_MS = 300_000;

export interface RssTargets {
  postgres: number;
  pglite: number;
}
const TARGET_MB: RssTargets = { postgres: 200, pglite: 300 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** Resident set of a process in MB, from /proc (Linux). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/** The node process under `root` (itself or a descendant) running `script` (npm's shell runs it too). */
async function findNodeDescendant(root: number, script: string): Promise<number | undefined> {
  const parentOf = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    parentOf.set(Number(entry), ppid);
  }
  const descends = (pid: number): boolean => {
    for (let p: number | undefined = pid; p && p > 1; p = parentOf.get(p)) if (p === root) return true;
    return false;
  };
  for (const pid of parentOf.keys()) {
    if (!descends(pid)) continue;
    const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (path.basename(argv[0] ?? "") === "node" && argv.includes(script)) return pid;
  }
  return undefined;
}

async function healthy(base: string, deadline: number, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error("npm start did not become healthy");
    await sleep(500);
  }
}

/**
 * The real `npm start` (its prestart build included) with `home` as HOME and data folder: healthy,
 * then `idleMs` of nothing (0: until its first dispatch, to set a fresh folder or database up); the
 * RSS of the node process running the desk. Stopped with SIGTERM afterwards.
 */
async function runDesk(
  home: string,
  env: Record<string, string>,
  idleMs: number,
  log: (line: string) => void,
): Promise<number> {
  const port = await freePort();
  let output = "";
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      DATA_DIR: path.join(home, "data"),
      PORT: String(port),
      LOG_FORMAT: "json",
      TSA_URL: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so the whole tree stops with it
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  try {
    await healthy(`http://127.0.0.1:${port}`, Date.now() + STARTUP_MS, child);
    if (idleMs === 0) {
      while (!output.includes('"dispatch":')) {
        if (child.exitCode !== null) throw new Error("npm start exited before its first dispatch");
        await sleep(500);
      }
    } else {
      log(`  healthy; idle ${idleMs / 1000} s…`);
      await sleep(idleMs);
    }
    const pid = await findNodeDescendant(child.pid as number, "dist/cli/main.js");
    if (pid === undefined) throw new Error("no node process running dist/cli/main.js under npm start");
    return await rssMb(pid);
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
  }
}

/**
 * Idle RSS as a running desk has it: a first run sets the folder or database up and publishes a
 * dispatch, then the desk is restarted on it and left idle. A fresh PGlite folder's first run also
 * carries initdb's own Wasm memory, which a restart does not; that figure goes in the note.
 */
async function idleRss(env: Record<string, string>, log: (line: string) => void) {
  const home = await mkdtemp(path.join(tmpdir(), "tapereader-rss-"));
  try {
    const firstRun = await runDesk(home, env, 0, log);
    log(`  first run: ${firstRun} MB at its first dispatch; restarting`);
    return { firstRun, idle: await runDesk(home, env, IDLE_MS, log) };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** A bare Node process doing nothing: the floor every figure here stands on. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  try {
    await sleep(1000);
    return await rssMb(child.pid as number);
  } finally {
    child.kill();
  }
}

/** `rss-idle-pglite` always; `rss-idle-postgres` on a scratch database when a PostgreSQL URL is given. */
export async function benchIdleRss(
  adminUrl: string | undefined,
  log: (line: string) => void,
): Promise<{ figures: Figure[]; skipped: { item: string; reason: string }[] }> {
  const floor = await bareNodeRss();
  const rssFigure = (name: "pglite" | "postgres", { idle, firstRun }: { idle: number; firstRun: number }) =>
    figure({
      section: "memory",
      name: `rss-idle-${name}`,
      value: idle,
      unit: "MB",
      baseline: floor,
      baselineName: "bare node process",
      target: `< ${TARGET_MB[name]} MB`,
      met: idle < TARGET_MB[name],
      note: `the node process of a real \`npm start\` on ${name === "pglite" ? "embedded PGlite" : "PostgreSQL"}, restarted on its data and ${IDLE_MS / 1000} s idle; its first run on a fresh one: ${firstRun} MB at the first dispatch`,
    });
  const figures: Figure[] = [];
  const skipped: { item: string; reason: string }[] = [];
  log("npm start on PGlite, idle…");
  figures.push(rssFigure("pglite", await idleRss({}, log)));
  if (!adminUrl) {
    skipped.push({ item: "rss-idle-postgres", reason: "no TEST_DATABASE_URL" });
    return { figures, skipped };
  }
  log("npm start on PostgreSQL, idle…");
  const scratch = postgresDatabase(adminUrl, "tapereader_rss");
  await (await scratch.open()).close(); // creates the database; the desk migrates it itself
  try {
    figures.push(rssFigure("postgres", await idleRss({ DATABASE_URL: scratch.url as string }, log)));
  } finally {
    await scratch.dispose();
  }
  return { figures, skipped };
}
