import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Accept the request and never answer: the client's timeout has to end it. */
  hang?: boolean;
}

/** A request the fake accepts and never answers. */
export const hang: FakeReply = { body: null, hang: true };

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    max_tokens: number;
    system: { type: string; text: string; cache_control?: { type: string } }[];
    tools: { name: string; input_schema: Record<string, unknown> }[];
    tool_choice: { type: string; name: string };
    messages: { role: string; content: string }[];
  };
}

/**
 * A local stand-in for POST /v1/messages: answers queued replies in order and records every
 * request, so a test sees exactly what the real SDK put on the wire.
 */
export class FakeMessagesApi {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: FakeReply[] = [];
  private server: Server | undefined;

  enqueue(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk: Buffer) => {
        raw += chunk.toString("utf8");
      });
      req.on("end", () => {
        this.requests.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(raw) });
        const reply = this.queue.shift() ?? {
          status: 500,
          body: { type: "error", error: { type: "api_error", message: "fake: no reply queued" } },
        };
        if (reply.hang) return;
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let ids = 0;

/** A Messages API response whose only content block is a tool_use, as a forced tool call returns. */
export function toolUse(
  name: string,
  input: unknown,
  usage = { input: 900, output: 250, cacheRead: 0, cacheWrite: 0 },
): FakeReply {
  ids += 1;
  return {
    body: {
      id: `msg_fake_${ids}`,
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-6",
      content: [{ type: "tool_use", id: `toolu_fake_${ids}`, name, input }],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: {
        input_tokens: usage.input,
        output_tokens: usage.output,
        cache_creation_input_tokens: usage.cacheWrite,
        cache_read_input_tokens: usage.cacheRead,
      },
    },
  };
}

export function apiError(status: number, type: string, headers: Record<string, string> = {}): FakeReply {
  return { status, headers, body: { type: "error", error: { type, message: `fake ${type}` } } };
}
