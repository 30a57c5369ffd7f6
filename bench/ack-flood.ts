import { Agent, request } from "node:http";
import { setPriority } from "node:os";

/**
 * The web flood for the ack bench, in a process of its own: `connections` keep-alive connections
 * each requesting `url` again as soon as the last answer arrived. "pause" lets the requests under
 * way finish and sends no new ones ("paused" once none is left), "resume" starts again
 * ("flooding"), "stop" ends it and reports how many answers came back, by status.
 *
 * At the lowest CPU priority: the flood's clients stand for visitors on other machines. On a 2-core
 * bench machine, at normal priority they would also take a core from the platform process that
 * sends the commands and times the acks, which measures the bench machine, not the bot.
 */
setPriority(19);
const [url, connections] = [process.argv[2] as string, Number(process.argv[3] ?? 200)];
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const statuses: Record<string, number> = {};
let running = false;
let underway = 0;
let onIdle: (() => void) | null = null;

function settled(): void {
  underway -= 1;
  if (running) loop();
  else if (underway === 0) onIdle?.();
}

function loop(): void {
  underway += 1;
  const req = request(url, { agent }, (res) => {
    res.resume();
    res.on("end", () => {
      statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
      settled();
    });
  });
  req.on("error", () => {
    statuses.error = (statuses.error ?? 0) + 1;
    setTimeout(settled, 50);
  });
  req.end();
}

function start(): void {
  running = true;
  for (let i = underway; i < connections; i += 1) loop();
  process.send?.("flooding");
}

function pause(then: () => void): void {
  running = false;
  onIdle = () => {
    onIdle = null;
    then();
  };
  if (underway === 0) onIdle();
}

process.on("message", (message: string) => {
  if (message === "pause") pause(() => process.send?.("paused"));
  if (message === "resume") start();
  if (message === "stop")
    pause(() =>
      process.send?.(statuses, () => {
        agent.destroy();
        process.disconnect();
      }),
    );
});
start();
