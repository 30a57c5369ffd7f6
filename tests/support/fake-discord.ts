import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { FaultPlan, sendFault } from "./faults.ts";

/**
 * A local Discord for tests: the REST routes the bot uses and a gateway on the same port, speaking
 * Discord's wire format so the real discord.js client runs against it. Every REST call is recorded.
 */

export interface Recorded {
  method: string;
  /** Decoded path without the /api/v10 prefix, e.g. /webhooks/app/tok/messages/@original */
  path: string;
  /** JSON body, or a multipart request's payload_json. */
  body: Record<string, unknown> | null;
  files: string[];
  /** The status the fake answered with. */
  status?: number;
}

export interface FakeUser {
  id: string;
  username: string;
  /** Permission bitfield as Discord sends it (a decimal string). */
  permissions: string;
  roles: string[];
  /** The member's server nickname, which Discord shows (and the bot names them by) over the username. */
  nick?: string;
}

export const APP_ID = "900000000000000001";
export const GUILD_ID = "900000000000000100";
export const CHANNEL_ID = "900000000000000200";
export const MOD_ROLE_ID = "900000000000000300";
/** ManageGuild (1 << 5) plus the everyday ones; members get only the everyday ones. */
export const MODERATOR_PERMISSIONS = String((1n << 5n) | (1n << 10n) | (1n << 11n));
export const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n));
const BOT = {
  id: APP_ID,
  username: "Tapereader",
  discriminator: "0",
  global_name: null,
  avatar: null,
  bot: true,
};

let snowflake = 1_000_000_000_000_000_000n;
export const nextId = () => String(++snowflake);

export class FakeDiscord {
  readonly requests: Recorded[] = [];
  readonly messages = new Map<string, Record<string, unknown>>();
  /** Injected failures, matched against "METHOD /path" (the path without /api/v10). */
  readonly faults = new FaultPlan();
  private readonly nonces = new Map<string, Record<string, unknown>>();
  private readonly sockets = new Set<WebSocket>();
  private readonly http: Server;
  private readonly gateway: WebSocketServer;
  private seq = 0;
  port = 0;

  constructor(readonly members: FakeUser[]) {
    this.http = createServer((req, res) => void this.route(req, res));
    // Discord keeps a client's connections open; Node's 5 s default would make a burst after a pause
    // open new ones, a cost of this fake rather than of the bot.
    this.http.keepAliveTimeout = 60_000;
    this.gateway = new WebSocketServer({ server: this.http });
    this.gateway.on("connection", (socket) => this.connect(socket));
  }

  get apiUrl() {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<this> {
    this.http.listen(0, "127.0.0.1");
    await once(this.http, "listening");
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.gateway.close();
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }

  /** Sends a gateway dispatch (op 0) to every connected client. */
  dispatch(type: string, data: unknown): void {
    const frame = JSON.stringify({ op: 0, t: type, s: ++this.seq, d: data });
    for (const socket of this.sockets) socket.send(frame);
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  async waitFor(match: (r: Recorded) => boolean, timeoutMs = 60_000): Promise<Recorded> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no matching request; saw ${this.requests.map((r) => `${r.method} ${r.path}`).join(", ")}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private connect(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on("message", (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) this.identify(socket);
    });
  }

  private identify(socket: WebSocket): void {
    const send = (t: string, d: unknown) => socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
    send("READY", {
      v: 10,
      user: BOT,
      guilds: [{ id: GUILD_ID, unavailable: true }],
      session_id: "session-1",
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      application: { id: APP_ID, flags: 0 },
      shard: [0, 1],
    });
    send("GUILD_CREATE", this.guild());
  }

  /** A guild as GUILD_CREATE carries it: the test guild, or another one that adds the bot later. */
  guild(id = GUILD_ID, name = "Test Guild", systemChannelId = CHANNEL_ID) {
    const role = (id: string, name: string, permissions: string, position: number) => ({
      id,
      name,
      permissions,
      position,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
      flags: 0,
    });
    return {
      id,
      name,
      owner_id: this.members[0]?.id,
      unavailable: false,
      system_channel_id: systemChannelId,
      member_count: this.members.length + 1,
      large: false,
      joined_at: new Date().toISOString(),
      features: [],
      emojis: [],
      stickers: [],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      roles: [
        role(id, "@everyone", MEMBER_PERMISSIONS, 0),
        role(MOD_ROLE_ID, "Desk mods", MEMBER_PERMISSIONS, 1),
      ],
      channels: [
        { id: systemChannelId, type: 0, name: "desk", guild_id: id, position: 0, permission_overwrites: [] },
      ],
      members: [BOT, ...this.members].map((u) => memberOf(u)),
    };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ""));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { body, files } = await parseBody(req, Buffer.concat(chunks));
    const recorded: Recorded = { method: req.method ?? "GET", path, body, files };
    this.requests.push(recorded);
    const json = (status: number, value: unknown) => {
      recorded.status = status;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    };
    // discord.js throws on a JSON content type with an empty body: 204s carry neither.
    const empty = () => {
      recorded.status = 204;
      res.writeHead(204).end();
    };
    const key = `${req.method} ${path}`;
    const fault = this.faults.take(key);
    if (fault) {
      recorded.status = fault.status;
      return sendFault(res, fault);
    }
    if (key === "GET /gateway/bot")
      return json(200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    if (key === "GET /applications/@me") return json(200, { id: APP_ID, name: "Tapereader", bot: BOT });
    if (/^PUT \/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(key))
      return json(
        200,
        ((body as unknown as unknown[]) ?? []).map((c) => ({
          ...(c as object),
          id: nextId(),
          application_id: APP_ID,
        })),
      );
    if (/^POST \/interactions\/\d+\/[^/]+\/callback$/.test(key)) return empty();
    if (/^(PATCH|POST) \/webhooks\//.test(key) || /^POST \/channels\/\d+\/messages$/.test(key))
      return json(200, this.message(path, body));
    if (/^DELETE \/webhooks\//.test(key)) return empty();
    const message = /^\/channels\/(\d+)\/messages\/(\d+)/.exec(path);
    if (req.method === "PATCH" && message) return json(200, this.message(path, body, message[2]));
    if (req.method === "GET" && message && !path.includes("/reactions"))
      return json(
        200,
        this.messages.get(message[2] as string) ?? messageOf(message[2] as string, message[1] as string, {}),
      );
    if (/^(PUT|DELETE) \/channels\/\d+\/messages\/\d+\/reactions\//.test(key)) return empty();
    if (/^POST \/channels\/\d+\/messages\/\d+\/threads$/.test(key))
      return json(201, {
        id: message?.[2],
        type: 11,
        guild_id: GUILD_ID,
        parent_id: message?.[1],
        name: body?.name,
      });
    json(404, { message: `Unknown route ${key}`, code: 0 });
  }

  /** A posted or edited message; with enforce_nonce, a repeated nonce returns the first message. */
  private message(path: string, body: Record<string, unknown> | null, id?: string) {
    const nonce = body?.enforce_nonce ? String(body.nonce) : undefined;
    const earlier = nonce ? this.nonces.get(nonce) : undefined;
    if (earlier) return earlier;
    const channel = /^\/channels\/(\d+)/.exec(path)?.[1] ?? CHANNEL_ID;
    const stored = messageOf(id ?? nextId(), channel, { ...(id ? this.messages.get(id) : {}), ...body });
    this.messages.set(stored.id as string, stored);
    if (nonce) this.nonces.set(nonce, stored);
    return stored;
  }
}

export function memberOf(user: Omit<FakeUser, "permissions" | "roles"> & Partial<FakeUser>) {
  return {
    user: { id: user.id, username: user.username, discriminator: "0", global_name: null, avatar: null },
    roles: user.roles ?? [],
    joined_at: "2026-01-01T00:00:00.000Z",
    nick: user.nick ?? null,
    deaf: false,
    mute: false,
    flags: 0,
  };
}

export function messageOf(
  id: string,
  channelId: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    type: 0,
    content: "",
    embeds: [],
    components: [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    flags: 0,
    edited_timestamp: null,
    timestamp: new Date().toISOString(),
    author: BOT,
    guild_id: GUILD_ID,
    ...fields,
    id,
    channel_id: channelId,
  };
}

async function parseBody(req: IncomingMessage, raw: Buffer) {
  const type = req.headers["content-type"] ?? "";
  if (raw.length === 0) return { body: null, files: [] };
  if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://local", {
      method: "POST",
      headers: { "content-type": type },
      body: raw,
    }).formData();
    const files = [...form.values()].flatMap((v) => (typeof v === "string" ? [] : [v.name]));
    const payload = form.get("payload_json");
    return {
      body: typeof payload === "string" ? (JSON.parse(payload) as Record<string, unknown>) : null,
      files,
    };
  }
  return { body: JSON.parse(raw.toString("utf8")) as Record<string, unknown>, files: [] };
}
