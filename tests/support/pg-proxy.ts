import { connect, createServer, type Socket } from "node:net";

/** What a cut looked like: the SQL that triggered it and how many connections it dropped. */
export interface Cut {
  matched: string;
  connections: number;
}

export interface PgProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  url: string;
  /**
   * Once: the moment any client sends bytes matching `pattern`, every open connection is dropped
   * (both sides, the triggering bytes never forwarded). Resolves when that has happened.
   */
  cutOn(pattern: RegExp): Promise<Cut>;
  /** The database is unreachable: open connections are dropped and new ones closed on arrival. */
  down(): void;
  up(): void;
  /** Connections accepted so far (refused ones included). */
  readonly accepted: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy between an app's pg pool and PostgreSQL that can drop connections the way a network
 * failure does. The wire protocol carries SQL text in plain bytes (Parse and Query messages), so a
 * statement is recognised by its text; a short tail of each connection's previous bytes is kept so
 * a statement split across two TCP chunks is still seen.
 */
export async function startPgProxy(databaseUrl: string): Promise<PgProxy> {
  const target = new URL(databaseUrl);
  const pairs = new Set<[Socket, Socket]>();
  let trap: { pattern: RegExp; sprung: (cut: Cut) => void } | null = null;
  let isDown = false;
  let accepted = 0;

  const dropAll = (): number => {
    const count = pairs.size;
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    return count;
  };

  const server = createServer((client) => {
    accepted += 1;
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    let tail = "";
    client.on("data", (chunk: Buffer) => {
      const text = tail + chunk.toString("latin1");
      tail = text.slice(-256);
      const match = trap ? text.match(trap.pattern) : null;
      if (trap && match) {
        const { sprung } = trap;
        trap = null;
        sprung({ matched: match[0], connections: dropAll() });
        return;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on("close", end);
      socket.on("error", end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  return {
    url: url.toString(),
    cutOn: (pattern) =>
      new Promise<Cut>((sprung) => {
        trap = { pattern, sprung };
      }),
    down() {
      isDown = true;
      dropAll();
    },
    up() {
      isDown = false;
    },
    get accepted() {
      return accepted;
    },
    close() {
      dropAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
