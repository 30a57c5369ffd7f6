/**
 * How many acknowledged requests do their work at once. The work (a call's transaction, under its
 * server's chain lock) holds database connections; unbounded, a burst of 200 commands takes the
 * whole pool (10 connections) and the next request's ack waits behind it: on Slack the durable
 * inbox row is written before the ack. Below the pool size, the ack path always finds a connection;
 * the work, serialised on the chain lock anyway, loses no throughput.
 */
const CONCURRENT_WORK = 4;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs work that follows an ack once fewer than CONCURRENT_WORK others are running, in arrival order. */
export async function afterAck<T>(work: () => Promise<T>): Promise<T> {
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
