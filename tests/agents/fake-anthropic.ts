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
    tools?: { name: string; input_schema: Record<string, unknown> }[];
    tool_choice?: { type: string; name?: string };
    output_config?: { format?: { type: string; schema: Record<string, unknown> }; effort?: string };
    thinking?: { type: string; budget_tokens?: number };
    temperature?: number;
    top_p?: number;
    top_k?: number;
    messages: { role: string; content: string }[];
  };
}

type RequestBody = RecordedRequest["body"];

/**
 * What the real API answers with a 400 for current models, per their migration guides: Sonnet 5.5
 * refuses a forced tool choice, both 5.5 models refuse turning thinking off or giving it a budget,
 * and sampling parameters are refused since Sonnet 5 and Opus 4.7. Older models accept all of it.
 */
const REJECTED: Record<string, ((body: RequestBody) => string | undefined)[]> = {
  "claude-sonnet-5-5": [forcedToolChoice, thinkingDisabled, thinkingBudget, sampling],
  "claude-opus-5-5": [thinkingDisabled, thinkingBudget, sampling],
};

function forcedToolChoice(body: RequestBody): string | undefined {
  const type = body.tool_choice?.type;
  return type === "tool" || type === "any"
    ? `tool_choice.type "${type}" is not supported for this model: forced tool use is unavailable. Use tool_choice "auto" or structured outputs (output_config.format).`
    : undefined;
}
function thinkingDisabled(body: RequestBody): string | undefined {
  return body.thinking?.type === "disabled"
    ? '"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.'
    : undefined;
}
function thinkingBudget(body: RequestBody): string | undefined {
  return body.thinking?.type === "enabled"
    ? '"thinking.type.enabled" with budget_tokens is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort".'
    : undefined;
}
function sampling(body: RequestBody): string | undefined {
  const set = (["temperature", "top_p", "top_k"] as const).filter((k) => body[k] !== undefined);
  return set.length ? `${set.join(", ")}: sampling parameters are not supported for this model.` : undefined;
}

/** Structured outputs take closed objects only: the API refuses a schema with an open one. */
function openObject(schema: unknown, path = "schema"): string | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const node = schema as Record<string, unknown>;
  if (node.type === "object" && node.additionalProperties !== false)
    return `output_config.format.${path}: For 'object' type, 'additionalProperties' must be explicitly set to false`;
  for (const [key, child] of Object.entries(node)) {
    const found = Array.isArray(child)
      ? child.map((c, i) => openObject(c, `${path}.${key}.${i}`)).find(Boolean)
      : openObject(child, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** The 400 the real API would answer this request with, or undefined when it would accept it. */
export function rejectionOf(body: RequestBody): string | undefined {
  for (const rule of REJECTED[body.model] ?? []) {
    const message = rule(body);
    if (message) return message;
  }
  const format = body.output_config?.format;
  if (format && format.type !== "json_schema") return `output_config.format.type: unknown "${format.type}"`;
  return format ? openObject(format.schema) : undefined;
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
        const body = JSON.parse(raw) as RequestBody;
        this.requests.push({ path: req.url ?? "", headers: req.headers, body });
        const rejected = rejectionOf(body);
        // Rejected before any queued reply is used, as the real API answers before the model runs.
        const reply: FakeReply | undefined = rejected
          ? {
              status: 400,
              body: { type: "error", error: { type: "invalid_request_error", message: rejected } },
            }
          : undefined;
        const next = reply ??
          this.queue.shift() ?? {
            status: 500,
            body: { type: "error", error: { type: "api_error", message: "fake: no reply queued" } },
          };
        if (next.hang) return;
        const answer = next.body as { model?: string } | null;
        // The response names the model that answered, as the real API does.
        if (answer && typeof answer === "object" && answer.model === ANY_MODEL) answer.model = body.model;
        res.writeHead(next.status ?? 200, { "content-type": "application/json", ...next.headers });
        res.end(JSON.stringify(next.body));
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
const ANY_MODEL = "(the model asked for)";

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}
const USAGE: Usage = { input: 900, output: 250, cacheRead: 0, cacheWrite: 0 };

/** A Messages API response with the given content blocks and stop reason. */
export function message(content: unknown[], stopReason: string, usage: Usage = USAGE): FakeReply {
  ids += 1;
  return {
    body: {
      id: `msg_fake_${ids}`,
      type: "message",
      role: "assistant",
      model: ANY_MODEL,
      content,
      stop_reason: stopReason,
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

/**
 * A structured-output answer: the JSON as the text block, after a thinking block as current
 * models send by default (adaptive thinking), so code that reads content by position fails.
 */
export function jsonAnswer(value: unknown, usage: Usage = USAGE): FakeReply {
  return message(
    [
      { type: "thinking", thinking: "", signature: "sig_fake" },
      { type: "text", text: JSON.stringify(value) },
    ],
    "end_turn",
    usage,
  );
}

/** An answer that stopped early: `max_tokens` cuts the JSON mid-way, `refusal` declines. */
export function stopped(stopReason: "max_tokens" | "refusal", usage: Usage = USAGE): FakeReply {
  const text = stopReason === "max_tokens" ? '{"stances":[{"abstained":false,"symbol":"SPY","dir' : "";
  return message(text ? [{ type: "text", text }] : [], stopReason, usage);
}

export function apiError(status: number, type: string, headers: Record<string, string> = {}): FakeReply {
  return { status, headers, body: { type: "error", error: { type, message: `fake ${type}` } } };
}
