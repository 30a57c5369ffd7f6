import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import { assetClassOf, type Bar } from "../../src/domain/bars.ts";
import { SimulatedMarket } from "../../src/market/simulated/market.ts";

export interface SilentServer {
  url: string;
  /** Connections accepted so far: each is a request the client sent and never got an answer to. */
  readonly connections: number;
  close(): Promise<void>;
}

/** A provider that accepts connections and never answers: only the client's timeout ends a request. */
export async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FakeYahoo {
  url: string;
  /** Symbols whose chart requests hang (never answered). */
  hanging: Set<string>;
  /** Chart requests per symbol, answered or not. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Yahoo's v8 chart API over the seeded simulation's bars, in Yahoo's own JSON, so the real adapter
 * parses them; a symbol in `hanging` gets its connection accepted and no answer, ever.
 */
export async function fakeYahoo(seed: number, hanging: Iterable<string> = []): Promise<FakeYahoo> {
  const quotes = new SimulatedMarket(seed).source().quotes;
  const state = { hanging: new Set(hanging), requests: new Map<string, number>() };
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const symbol = decodeURIComponent(url.pathname.replace(/^\/v8\/finance\/chart\//, ""));
    state.requests.set(symbol, (state.requests.get(symbol) ?? 0) + 1);
    if (state.hanging.has(symbol)) return;
    const [from, to] = ["period1", "period2"].map((p) => new Date(Number(url.searchParams.get(p)) * 1000));
    const day = (d: Date) => d.toISOString().slice(0, 10);
    quotes.dailyBars(symbol, { from: day(from as Date), to: day(to as Date) }, to as Date).then(
      ({ bars }) => res.writeHead(200, { "content-type": "application/json" }).end(chartJson(symbol, bars)),
      (error: Error) =>
        res.writeHead(404).end(
          JSON.stringify({
            chart: { result: null, error: { code: "Not Found", description: error.message } },
          }),
        ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    ...state,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Daily rows stamped inside their session (the adapter dates them in the exchange's zone). */
function chartJson(symbol: string, bars: readonly Bar[]): string {
  const crypto = assetClassOf(symbol) === "crypto";
  const column = (pick: (bar: Bar) => number | undefined) => bars.map((bar) => pick(bar) ?? null);
  return JSON.stringify({
    chart: {
      result: [
        {
          meta: { symbol, exchangeTimezoneName: crypto ? "UTC" : "America/New_York" },
          timestamp: bars.map((bar) => Date.parse(`${bar.date}T${crypto ? "00:00" : "14:30"}:00Z`) / 1000),
          indicators: {
            quote: [
              {
                open: column((b) => b.open),
                high: column((b) => b.high),
                low: column((b) => b.low),
                close: column((b) => b.close),
                volume: column((b) => b.volume),
              },
            ],
          },
        },
      ],
      error: null,
    },
  });
}
