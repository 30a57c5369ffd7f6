import { createHash, randomBytes } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { PKIStatus, TimeStampResp } from "@peculiar/asn1-tsp";
import { reasonOf, TokenError, type TokenFacts, timeStampRequest, verifyToken } from "./token.ts";

/** Signs a preimage's SHA-256 with an RFC 3161 Time-Stamp Authority; the token comes back checked. */
export interface TimeStamper {
  url: string;
  /** `signal` ends the request early (a shutdown), besides the client's own timeout. */
  timestamp(preimage: Uint8Array, signal?: AbortSignal): Promise<{ token: Uint8Array; facts: TokenFacts }>;
}

export interface TsaOptions {
  /** A TSA that accepts the connection and never answers must not hold an anchoring attempt forever. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** RFC 3161 over HTTP (section 3.4): POST application/timestamp-query, read a TimeStampResp. */
export function tsaClient(url: string, options: TsaOptions = {}): TimeStamper {
  const { timeoutMs = 30_000, fetch = globalThis.fetch } = options;
  return {
    url,
    async timestamp(preimage, signal) {
      const digest = createHash("sha256").update(preimage).digest();
      const nonce = positiveNonce();
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/timestamp-query", Accept: "application/timestamp-reply" },
        body: timeStampRequest(digest, nonce),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]),
      }).catch((error: unknown) => {
        throw new TokenError(`the TSA at ${url} did not answer: ${reasonOf(error)}`);
      });
      if (!response.ok) throw new TokenError(`the TSA at ${url} answered HTTP ${response.status}`);
      const token = grantedToken(new Uint8Array(await response.arrayBuffer()));
      return { token, facts: await verifyToken(token, preimage, nonce) };
    },
  };
}

/** The token of a granted TimeStampResp; a rejection names the TSA's own reason. */
function grantedToken(body: Uint8Array): Uint8Array {
  let reply: TimeStampResp;
  try {
    reply = AsnConvert.parse(body, TimeStampResp);
  } catch (error) {
    throw new TokenError(`the TSA's reply is not a TimeStampResp: ${reasonOf(error)}`);
  }
  const { status, statusString } = reply.status;
  if (status !== PKIStatus.granted && status !== PKIStatus.grantedWithMods) {
    const text = statusString?.join("; ");
    throw new TokenError(
      `the TSA refused the request (${PKIStatus[status] ?? status}${text ? `: ${text}` : ""})`,
    );
  }
  if (!reply.timeStampToken) throw new TokenError("the TSA granted the request but sent no token");
  // The SignedData inside is kept byte for byte (ContentInfo.content is an ANY), so its signature holds.
  return new Uint8Array(AsnConvert.serialize(reply.timeStampToken));
}

/** 8 random bytes as a positive INTEGER with no leading zero byte (DER's minimal form). */
function positiveNonce(): Uint8Array {
  const nonce = new Uint8Array(randomBytes(8));
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x40;
  return nonce;
}
