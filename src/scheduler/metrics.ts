import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * One registry per process, served at /metrics. Module-level on purpose: the runtime, the web view
 * and the chat adapters all count into it without threading it through every constructor.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: "tapereader_" });

const registers = [metricsRegistry];

export const metrics = {
  cyclesStarted: new Counter({
    name: "tapereader_cycles_started_total",
    help: "Desk cycles started",
    registers,
  }),
  cycles: new Counter({
    name: "tapereader_cycles_total",
    help: "Desk cycles finished, by outcome (published, no_call, skipped, failed)",
    labelNames: ["outcome"] as const,
    registers,
  }),
  cycleFailures: new Counter({
    name: "tapereader_cycle_failures_total",
    help: "Failed cycle attempts (the database or lock included); final=true when the runtime gave up",
    labelNames: ["final"] as const,
    registers,
  }),
  calls: new Counter({
    name: "tapereader_calls_total",
    help: "Calls stored, by author (desk, member)",
    labelNames: ["author"] as const,
    registers,
  }),
  resolutions: new Counter({
    name: "tapereader_resolutions_total",
    help: "Calls resolved, by verdict (right, wrong, void)",
    labelNames: ["status"] as const,
    registers,
  }),
  deliveries: new Counter({
    name: "tapereader_deliveries_total",
    help: "Outbox deliveries posted, by target",
    labelNames: ["target"] as const,
    registers,
  }),
  deliveryFailures: new Counter({
    name: "tapereader_delivery_failures_total",
    help: "Failed outbox delivery attempts, by target; final=true when the delivery was given up",
    labelNames: ["target", "final"] as const,
    registers,
  }),
  commandDuration: new Histogram({
    name: "tapereader_command_duration_seconds",
    help: "Time to answer a command or page, by command and surface (discord, slack, web)",
    labelNames: ["command", "surface"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }),
};

/** Times one command for the latency histogram, failures included (a slow error is still slow). */
export async function timeCommand<T>(command: string, surface: string, work: () => Promise<T>): Promise<T> {
  const end = metrics.commandDuration.startTimer({ command, surface });
  try {
    return await work();
  } finally {
    end();
  }
}
