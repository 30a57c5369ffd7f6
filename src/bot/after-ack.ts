/**
 * How many acknowledged requests do their work at once. The work (a call's transaction, under its
 * server's chain lock) holds database connections; unbounded, a burst of 200 commands takes the
 * whole pool (10 connections) and the next request's ack waits behind it: on Slack the durable
 * inbox row is written before the ack. Below the pool size, the ack path always finds a connection;
 * the work, serialised on the chain lock anyway, loses no throughput.
 */
const CONCURRENT_WORK = 4;

/**
 * The longest acks under way hold back the rest (work after acks, web pages). A burst of 200 is
 * acknowledged within a few hundred milliseconds even on a loaded machine; a steady stream of
 * commands that never leaves a pause must not starve the answers or the pages.
 */
const MAX_HOLD_MS = 1_000;

/**
 * How long no ack must be under way before the rest goes on: a burst reaches the bot in several
 * reads, and letting a whole flood of pages through between two of them would delay the next.
 */
const QUIET_MS = 20;

let running = 0;
const waiting: (() => void)[] = [];

/** Acks under way in this process, since when without a pause, and who waits for them to settle. */
let acking = 0;
let busySince = 0;
let quiet: NodeJS.Timeout | null = null;
let settled: { promise: Promise<void>; resolve(): void; timer: NodeJS.Timeout } | null = null;

/**
 * Marks an acknowledgement under way (a request received, its ack not yet given) until the returned
 * function is called; calling it again does nothing. The bot shares one event loop with the work
 * after acks and with the web view: while acks are under way, and QUIET_MS after, those wait
 * (acksSettled), so a burst's last ack is not queued behind its first ones' transactions or a flood
 * of page requests.
 */
export function ackUnderway(): () => void {
  if (acking === 0 && !quiet) busySince = performance.now();
  if (quiet) clearTimeout(quiet);
  quiet = null;
  acking += 1;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    acking -= 1;
    if (acking === 0)
      quiet = setTimeout(() => {
        quiet = null;
        release();
      }, QUIET_MS);
  };
}

function release(): void {
  if (!settled) return;
  clearTimeout(settled.timer);
  settled.resolve();
  settled = null;
}

/**
 * Resolves once no ack has been under way for QUIET_MS, or once acks have been under way MAX_HOLD_MS
 * without such a pause.
 */
export function acksSettled(): Promise<void> {
  if (acking === 0 && !quiet) return Promise.resolve();
  const left = busySince + MAX_HOLD_MS - performance.now();
  if (left <= 0) return Promise.resolve();
  if (!settled) {
    let resolve = () => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    settled = { promise, resolve, timer: setTimeout(release, left) };
  }
  return settled.promise;
}

/**
 * Runs work that follows an ack once no ack is under way (acksSettled) and fewer than
 * CONCURRENT_WORK others are running, in arrival order.
 */
export async function afterAck<T>(work: () => Promise<T>): Promise<T> {
  await acksSettled();
  if (running < CONCURRENT_WORK) running += 1;
  // A finishing work hands its slot straight to the next in line.
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}
