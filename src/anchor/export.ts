import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AnchorRecord } from "../domain/anchor.ts";
import { anchoredWithTokens } from "../store/anchors.ts";
import type { Database } from "../store/database.ts";
import { grantedReply, tokenCertificatesPem } from "./token.ts";

/** The command that checks one exported anchor with nothing but OpenSSL and the TSA's CA certificate. */
export function opensslVerifyCommand(id: number, caFile = "<tsa-cacert.pem>"): string {
  return `openssl ts -verify -data anchor-${id}.heads.json -in anchor-${id}.tsr -CAfile ${caFile}`;
}

/**
 * Writes every anchored root so anyone can re-check it offline: per anchor the TSA's reply
 * (anchor-N.tsr), the exact bytes its imprint hashes (anchor-N.heads.json: the chain heads it
 * covers), the certificates inside the token (anchor-N.tsa.pem), and README.txt saying how.
 */
export async function exportAnchors(
  db: Database,
  dir: string,
): Promise<{ anchors: number; files: string[] }> {
  await mkdir(dir, { recursive: true });
  const anchored = await anchoredWithTokens(db.prisma);
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    await writeFile(path.join(dir, name), data);
    files.push(name);
  };
  for (const { anchor, token } of anchored) {
    await write(`anchor-${anchor.id}.tsr`, grantedReply(token));
    await write(`anchor-${anchor.id}.heads.json`, anchor.preimage);
    await write(`anchor-${anchor.id}.tsa.pem`, tokenCertificatesPem(token));
  }
  await write("README.txt", note(anchored.map((a) => a.anchor)));
  return { anchors: anchored.length, files };
}

function note(anchors: readonly AnchorRecord[]): string {
  const rows = anchors.map(
    (a) =>
      `  #${a.id}  ${a.genTime?.toISOString() ?? "?"}  root ${a.root}  ${a.servers} chain(s)  ${a.tsaUrl}\n    ${opensslVerifyCommand(a.id)}`,
  );
  return `Tapereader chain anchors
========================

Each anchor is a Time-Stamp Authority's RFC 3161 signature over one root: the SHA-256 of
anchor-N.heads.json, the head (server, seq, hash) of every server's hash chain at that moment.

  anchor-N.heads.json  the exact bytes the TSA's imprint hashes (canonical JSON, no trailing newline)
  anchor-N.tsr         the TSA's reply (a TimeStampResp holding the signed token)
  anchor-N.tsa.pem     the certificates inside the token; trust the TSA's own published CA instead

To check a token, fetch the TSA's CA certificate from the TSA itself (for freetsa.org:
https://freetsa.org/files/cacert.pem) and run:

  ${opensslVerifyCommand(1)}

"Verification: OK" means the TSA signed these heads at the time in the token. Then check the heads
against the exported chain: each server's record at that seq must still have that hash.

${rows.length ? `Anchors:\n${rows.join("\n")}` : "No anchor yet."}
`;
}
