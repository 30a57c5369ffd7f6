import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import pino from "pino";
import type { Database } from "../src/store/database.ts";
import { SECRET, SlackHarness } from "../tests/slack/harness.ts";
import { AckRounds, Platform } from "./ack-platform.ts";
import { ackFigures, type Figure } from "./report.ts";

/**
 * The platform path without our work: Bolt's own HTTP receiver (signature check, parsing, ack) with
 * a /predict listener that only acks. No inbox: recording the request is part of what is measured.
 */
async function noopSlack(apiUrl: string) {
  const receiver = new HTTPReceiver({
    signingSecret: SECRET,
    endpoints: "/slack/events",
    logLevel: LogLevel.ERROR,
  });
  const app = new App({ token: "xoxb-test", receiver, clientOptions: { slackApiUrl: apiUrl } });
  app.command("/predict", async ({ ack }) => {
    await ack();
  });
  const http = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    port: (http.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

/** /predict acks (the 200 answering Slack's POST) through the real app against Bolt acking at once. */
export async function benchSlackAck(db: Database, levels: number[]): Promise<Figure[]> {
  const platform = await Platform.start();
  const figures: Figure[] = [];
  try {
    const h = new SlackHarness(db, pino({ level: "silent" }));
    await h.start(await platform.slack("real"));
    await h.workspace();
    const noop = await noopSlack(await platform.slack("noop"));
    try {
      const rounds = new AckRounds(
        platform,
        "slack",
        { noop: { name: "noop", port: noop.port }, real: { name: "real", port: h.port } },
        100_000,
      );
      figures.push(...(await ackFigures("ack slack", "ack-slack", levels, (c) => rounds.level(c))));
      const stored = await db.prisma.call.count({
        where: { source: "predict", server: { platform: "slack" } },
      });
      figures[0] = {
        ...(figures[0] as Figure),
        note: `${stored} /predict calls stored of ${rounds.realSent} sent to the real Slack app (120 members); fakes, sender and clock in their own process`,
      };
    } finally {
      await noop.close();
      await h.stop();
    }
  } finally {
    await platform.stop();
  }
  return figures;
}
