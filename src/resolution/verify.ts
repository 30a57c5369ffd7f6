import type { Server } from "../domain/server.ts";
import { type ChainCheck, type ChainCheckOptions, checkChain } from "../store/chain-verify.ts";
import type { Database } from "../store/database.ts";
import { listServers } from "../store/public-pages.ts";

export type { ChainCheck };

export interface ServerChainCheck {
  server: Pick<Server, "id" | "platform" | "name">;
  check: ChainCheck;
}

export interface ChainReport {
  ok: boolean;
  servers: ServerChainCheck[];
}

export interface VerifyOptions extends ChainCheckOptions {
  /** One server, by id or platform id; every server when left out. */
  server?: string;
}

/**
 * Verifies every server's chain (or one), each from its last checkpoint unless `full`. Undefined when
 * the named server does not exist. One server at a time: a check on a large chain is I/O-bound.
 */
export async function verifyChains(
  db: Database,
  options: VerifyOptions = {},
): Promise<ChainReport | undefined> {
  const all = await listServers(db.prisma);
  const servers = options.server
    ? all.filter((s) => s.id === options.server || s.externalId === options.server)
    : all;
  if (options.server && servers.length === 0) return undefined;
  const checks: ServerChainCheck[] = [];
  for (const server of servers) {
    const check = await checkChain(db.prisma, server.id, { full: options.full });
    checks.push({ server: { id: server.id, platform: server.platform, name: server.name }, check });
  }
  return { ok: checks.every((c) => c.check.ok), servers: checks };
}

/** One line per server: OK with its length and head, or the first broken link and why. */
export function describeCheck({ server, check }: ServerChainCheck): string {
  const who = `server ${server.name} (${server.id})`;
  return check.ok
    ? `${who}: OK · ${check.length} records · head ${check.head} · ${check.hashed} re-hashed from record ${check.from}`
    : `${who}: BROKEN at ${check.record}: ${check.problem}`;
}
