import {
  App,
  type AppOptions,
  type Logger as BoltLogger,
  HTTPReceiver,
  LogLevel,
  type ReceiverEvent,
  SocketModeReceiver,
} from "@slack/bolt";
import type { CommandCore } from "../../commands/core.ts";
import type { SlackConfig } from "../../config/index.ts";
import type { Server } from "../../domain/server.ts";
import type { Logger } from "../../log.ts";
import type { DispatchPosts } from "../../scheduler/posts.ts";
import { ackUnderway } from "../after-ack.ts";
import type { InboxStore } from "../chat-platform.ts";
import { refuseFutureDated } from "./future-guard.ts";
import { SlackInbox } from "./inbox.ts";
import * as actions from "./listeners/actions.ts";
import * as commands from "./listeners/commands.ts";
import * as events from "./listeners/events.ts";
import { workspaceOf } from "./listeners/invocation.ts";
import type { ListenerDeps } from "./listeners/listener-deps.ts";
import * as views from "./listeners/views.ts";
import { SlackSurface } from "./surface.ts";

/** What the Slack bot is built from besides its configuration; the command core comes with `start`. */
export interface SlackBotDeps {
  /** Where requests that can store a call wait until their listener finished. */
  inbox: InboxStore;
  /** What the surface reads to render a dispatch post. */
  posts: DispatchPosts;
  /** The web view's address: dispatch and trail links point there. */
  publicUrl: string;
  log: Logger;
  /** The desk's clock: a post shows Agree and Fade until its calls lock by it. */
  now?: () => Date;
}

export interface SlackBot {
  app: App;
  /** HTTP mode only: tests serve its requestListener from a server they control. */
  receiver: HTTPReceiver | null;
  /** Give it to the runtime's outbox before the runtime starts. */
  surface: SlackSurface;
  /** Registers every listener, each translating its requests into commands on `core`; `start` does it too. */
  register(core: CommandCore): void;
  /**
   * Registers, connects (Socket Mode) or listens (HTTP), starts replaying the inbox, and returns the
   * workspace's server (created, and so scheduled by the core, the first time it is seen).
   */
  start(core: CommandCore): Promise<Server>;
  stop(): Promise<void>;
  /** Socket Mode: the WebSocket is open and Slack said hello. HTTP: the receiver is listening. */
  connected(): boolean;
}

/**
 * The Web API client's own retries (5xx, network errors, 429s after their Retry-After) stay short:
 * the outbox retries a delivery later with its own backoff, and a member's answer cannot wait. The
 * library's default retries for about half an hour, holding an outbox pass, and its lease, that long.
 */
const WEB_API_RETRIES = { retries: 2, factor: 2, minTimeout: 1_000, maxTimeout: 5_000 };

/**
 * The Slack app: Socket Mode by default (no public URL needed), HTTP with the signing secret when
 * configured. Wired by hand, one `register(app)` per listener kind, as Slack's starter template does.
 */
export function createSlackBot(config: SlackConfig, deps: SlackBotDeps): SlackBot {
  const logger = boltLogger(deps.log);
  const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: WEB_API_RETRIES };
  const receiver =
    config.mode === "http"
      ? new HTTPReceiver({
          signingSecret: config.signingSecret ?? "",
          endpoints: config.path,
          port: config.port,
          logger,
        })
      : null;
  if (receiver) receiver.requestListener = refuseFutureDated(receiver.requestListener, deps.log);
  // Made here rather than by App so that its WebClient (apps.connections.open) uses the same API base,
  // and so that its connection state can be watched for /healthz.
  const socket = receiver
    ? null
    : new SocketModeReceiver({
        appToken: config.appToken ?? "",
        logger,
        installerOptions: { clientOptions },
      });
  let connected = false;
  socket?.client.on("connected", () => {
    connected = true;
  });
  // "close" comes first when the socket drops; the client only says "reconnecting" after a delay.
  for (const state of ["close", "connecting", "reconnecting", "disconnected"]) {
    socket?.client.on(state, () => {
      connected = false;
    });
  }
  const inbox = new SlackInbox(deps.inbox, deps.log);
  const app = new InboxedApp(
    // Token checked in start(), not in Bolt's constructor: a failure there, awaited by nobody, ended the process.
    {
      token: config.botToken,
      receiver: receiver ?? socket ?? undefined,
      clientOptions,
      logger,
      deferInitialization: true,
    },
    inbox,
  );
  const surface = new SlackSurface(app.client, deps.posts, deps.publicUrl, deps.now);
  let listening: ListenerDeps | null = null;
  const register = (core: CommandCore): ListenerDeps => {
    if (listening) return listening;
    listening = { core, publicUrl: deps.publicUrl, moderatorGroup: config.moderatorGroup, log: deps.log };
    for (const kind of [commands, actions, views, events]) kind.register(app, listening);
    return listening;
  };
  return {
    app,
    receiver,
    surface,
    register,
    async start(core) {
      const listeners = register(core);
      await app.init();
      await (receiver ? app.start(config.port) : app.start());
      if (receiver) connected = true;
      // After the listeners exist: what a crashed process acknowledged but never handled runs now.
      inbox.start((event) => app.processEvent(event));
      const auth = await app.client.auth.test();
      return workspaceOf(listeners, auth.team_id ?? "", auth.team);
    },
    async stop() {
      connected = false;
      await inbox.stop();
      await app.stop();
    },
    connected: () => connected,
  };
}

/** Bolt's App with the inbox at its door: every request passes it before anything can ack it. */
class InboxedApp extends App {
  constructor(
    options: AppOptions,
    private readonly inbox: SlackInbox,
  ) {
    super(options);
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    // Until the request is acknowledged, other requests' work and the web view wait. The event
    // itself is kept (not copied): the inbox knows its own replays by identity.
    const acked = ackUnderway();
    const ack = event.ack;
    event.ack = async (response) => {
      try {
        await ack(response);
      } finally {
        acked();
      }
    };
    try {
      await this.inbox.receive(event, (e) => super.processEvent(e));
    } finally {
      acked();
    }
  }
}

/** Bolt's logger interface over pino; Bolt's chatty info lines become debug. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: "slack" });
  const line = (parts: unknown[]) =>
    parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(" ");
  // Bolt logs at debug on every request and ack: the text is made only when debug is on.
  const debug = (m: unknown[]) => {
    if (child.isLevelEnabled("debug")) child.debug(line(m));
  };
  return {
    debug: (...m: unknown[]) => debug(m),
    info: (...m: unknown[]) => debug(m),
    warn: (...m: unknown[]) => child.warn(line(m)),
    error: (...m: unknown[]) => child.error(line(m)),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}
