import { Agent, request } from "node:http";

/**
 * The web flood for the ack bench, in a process of its own: `connections` keep-alive connections
 * each requesting `url` again as soon as the last answer arrived, until the bench says stop. Then it
 * reports how many answers came back, by status.
 */
const [url, connections] = [process.argv[2] as string, Number(process.argv[3] ?? 200)];
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const statuses: Record<string, number> = {};
let running = true;

function loop(): void {
  if (!running) return;
  const req = request(url, { agent }, (res) => {
    res.resume();
    res.on("end", () => {
      statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
      loop();
    });
  });
  req.on("error", () => {
    statuses.error = (statuses.error ?? 0) + 1;
    if (running) setTimeout(loop, 50);
  });
  req.end();
}

process.on("message", (message: string) => {
  if (message !== "stop") return;
  running = false;
  process.send?.(statuses, () => {
    agent.destroy();
    process.disconnect();
  });
});
for (let i = 0; i < connections; i += 1) loop();
process.send?.("flooding");
