import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export interface SocketEnvelope {
  type: "slash_commands" | "interactive" | "events_api";
  payload: Record<string, unknown>;
  /** Slack's retry of an events_api delivery carries the attempt number. */
  retryAttempt?: number;
}

/**
 * Slack's Socket Mode endpoint in its wire format: `apps.connections.open` (answered by FakeSlack
 * with `url`) leads here; each connection gets `hello`, envelopes are JSON frames with an
 * `envelope_id`, and the app acknowledges with `{ envelope_id, payload }` on the same socket.
 */
export class FakeSlackSocket {
  /** Every connection the app opened, in order: a reconnect shows up as a second one. */
  readonly connections: WebSocket[] = [];
  private server: WebSocketServer | null = null;
  private readonly pending = new Map<string, (payload: Record<string, unknown>) => void>();

  get url(): string {
    if (!this.server) throw new Error("start the fake Socket Mode endpoint first");
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/link/?ticket=fake`;
  }

  async start(): Promise<void> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", resolve));
    server.on("connection", (socket) => {
      this.connections.push(socket);
      socket.on("message", (data) => {
        const frame = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
        if (frame.envelope_id) this.pending.get(frame.envelope_id)?.(frame.payload ?? {});
      });
      socket.send(
        JSON.stringify({
          type: "hello",
          num_connections: 1,
          debug_info: { host: "applink-fake", approximate_connection_time: 3600 },
          connection_info: { app_id: "A1" },
        }),
      );
    });
    this.server = server;
  }

  /** Sends an envelope on the newest open connection and resolves with the app's acknowledgement payload. */
  deliver(envelope: SocketEnvelope, envelopeId = randomUUID()): Promise<Record<string, unknown>> {
    const socket = this.connections.findLast((s) => s.readyState === s.OPEN);
    if (!socket) return Promise.reject(new Error("the app has no open Socket Mode connection"));
    const acked = new Promise<Record<string, unknown>>((resolve) => this.pending.set(envelopeId, resolve));
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type: envelope.type,
        payload: envelope.payload,
        accepts_response_payload: envelope.type !== "events_api",
        ...(envelope.retryAttempt !== undefined && {
          retry_attempt: envelope.retryAttempt,
          retry_reason: "timeout",
        }),
      }),
    );
    return acked;
  }

  /** Drops every open connection without a goodbye, as a network failure would. */
  dropAll(): void {
    for (const socket of this.connections) socket.terminate();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
