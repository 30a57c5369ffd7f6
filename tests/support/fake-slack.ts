import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlan, sendFault } from "./faults.ts";

export type Params = Record<string, unknown>;

export interface FakeMessage {
  ts: string;
  channel: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
}

export interface FakeUser {
  name: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

/**
 * A local Slack Web API in Slack's wire format: WebClient posts form-encoded bodies to
 * `<slackApiUrl><method>`, and this answers `{ ok: true, ... }` as Slack does. It records every call,
 * keeps posted messages per channel (with metadata, for conversations.history), and records what
 * listeners send to a command's `response_url`.
 */
export class FakeSlack {
  readonly calls: { method: string; params: Params }[] = [];
  readonly responses: { id: string; body: Params }[] = [];
  readonly messages: FakeMessage[] = [];
  users: Record<string, FakeUser> = {};
  groups: Record<string, string[]> = {};
  /** Method → how many more calls answer 429 ratelimited (with Retry-After: 1). */
  rateLimited: Record<string, number> = {};
  /** Method → a Slack error code every call answers with. */
  failing: Record<string, string> = {};
  /** Injected HTTP failures (5xx, 429 with chosen headers), matched against the method name. */
  readonly faults = new FaultPlan();
  /** Socket Mode: where `apps.connections.open` sends the app (a FakeSlackSocket's url). */
  socketUrl: string | null = null;
  private server: Server | null = null;
  private nextTs = 1_775_070_000;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  called(method: string): Params[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req)
        .then((params) => {
          const path = req.url ?? "";
          if (path.startsWith("/response/")) {
            this.responses.push({ id: path.slice("/response/".length), body: params });
            res.writeHead(200, { "content-type": "text/plain" }).end("ok");
            return;
          }
          const method = path.replace(/^\/api\//, "").split("?")[0] as string;
          this.calls.push({ method, params });
          const fault = this.faults.take(method);
          if (fault) return sendFault(res, fault);
          if ((this.rateLimited[method] ?? 0) > 0) {
            this.rateLimited[method] = (this.rateLimited[method] ?? 0) - 1;
            res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
            res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
            return;
          }
          const failure = this.failing[method];
          const answer = failure ? { ok: false, error: failure } : this.answer(method, params);
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
        })
        // A client killed mid-request (the kill test's SIGKILL) sent half a body: nothing was said.
        .catch(() => res.destroy());
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answer(method: string, p: Params): Params {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://acme.slack.com/",
          team: "Acme",
          user: "tapereader",
          team_id: "T1",
          user_id: "UBOT",
          bot_id: "BBOT",
        };
      case "users.info": {
        const id = String(p.user);
        const user = this.users[id];
        if (!user) return { ok: false, error: "user_not_found" };
        const { name, ...flags } = user;
        return { ok: true, user: { id, name, real_name: name, profile: { display_name: name }, ...flags } };
      }
      case "usergroups.users.list":
        return { ok: true, users: this.groups[String(p.usergroup)] ?? [] };
      case "chat.postMessage": {
        const message: FakeMessage = {
          ts: `${this.nextTs++}.000100`,
          channel: String(p.channel),
          ...(p.text !== undefined && { text: String(p.text) }),
          ...(Array.isArray(p.blocks) && { blocks: p.blocks }),
          ...(p.metadata !== undefined && { metadata: p.metadata as FakeMessage["metadata"] }),
          ...(p.thread_ts !== undefined && { thread_ts: String(p.thread_ts) }),
        };
        this.messages.push(message);
        return {
          ok: true,
          channel: message.channel,
          ts: message.ts,
          message: { type: "message", ...message },
        };
      }
      case "chat.update": {
        const message = this.messages.find((m) => m.channel === p.channel && m.ts === p.ts);
        if (!message) return { ok: false, error: "message_not_found" };
        Object.assign(message, { text: p.text, blocks: p.blocks });
        return { ok: true, channel: message.channel, ts: message.ts, text: p.text };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: `${this.nextTs++}.000200` };
      case "conversations.history":
      case "conversations.replies": {
        const inThread = method === "conversations.replies";
        const messages = this.messages
          .filter((m) => m.channel === p.channel && (inThread ? m.thread_ts === p.ts : !m.thread_ts))
          .map(({ metadata, ...m }) => ({
            type: "message",
            ...m,
            ...(p.include_all_metadata === true && metadata ? { metadata } : {}),
          }))
          .reverse();
        return { ok: true, messages, has_more: false };
      }
      case "apps.connections.open":
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: "invalid_auth" };
      case "views.open":
      case "views.publish":
        return { ok: true, view: { id: `V${this.calls.length}`, ...(p.view as Params) } };
      default:
        return { ok: true };
    }
  }
}

/** WebClient sends form fields, with objects (blocks, view, metadata) as JSON strings; respond() sends JSON. */
async function readBody(req: IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) return raw ? JSON.parse(raw) : {};
  const params: Params = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = /^[[{]/.test(value) ? JSON.parse(value) : value === "true" ? true : value;
  }
  return params;
}
