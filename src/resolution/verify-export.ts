import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { readRecords } from "../store/chain.ts";
import type { Database } from "../store/database.ts";
import { listServers } from "../store/public-pages.ts";

/** Records read per query: a long chain streams out in pages instead of one large array. */
const PAGE = 5_000;

/**
 * Writes every server's chain of calls and verdicts as JSON lines (chain-<server>.jsonl: seq, kind,
 * call id, prevHash, hash and the committed content), so anyone can re-hash it without our database.
 */
export async function exportChains(db: Database, dir: string): Promise<{ servers: number; records: number }> {
  await mkdir(dir, { recursive: true });
  let records = 0;
  const servers = await listServers(db.prisma);
  for (const server of servers) {
    const out = createWriteStream(path.join(dir, `chain-${server.id}.jsonl`));
    for (let afterSeq = 0; ; ) {
      const page = await readRecords(db.prisma, server.id, { afterSeq, take: PAGE });
      for (const r of page) {
        const line = { seq: r.seq, kind: r.kind, callId: r.callId, prevHash: r.prevHash, hash: r.hash };
        const content = r.content === null ? null : JSON.parse(r.content);
        if (!out.write(`${JSON.stringify({ ...line, content })}\n`)) await once(out, "drain");
      }
      records += page.length;
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      afterSeq = last.seq;
    }
    out.end();
    await once(out, "finish");
  }
  await writeFile(path.join(dir, "CHAINS.txt"), CHAINS_NOTE);
  return { servers: servers.length, records };
}

const CHAINS_NOTE = `Tapereader hash chains
======================

chain-<server>.jsonl holds one record per line, in sequence: a call as made, or a verdict on one.
Each record's hash is SHA-256 (hex) of the canonical JSON of its content with "prevHash" added:
object keys sorted at every level, no spaces, undefined members left out. The first record's
prevHash is 64 zeros; each later one's is the hash of the record before it. The last hash of a
chain must equal that server's head in the anchors' heads files (anchor-N.heads.json) at the seq
the anchor covers. Records with "content": null predate verdict records: they were chained by the
older call hash, which covers the call's question, author, times and entry.
`;
