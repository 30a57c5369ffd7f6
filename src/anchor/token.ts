import { createHash } from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  id_ct_tstInfo,
  MessageImprint,
  PKIStatus,
  PKIStatusInfo,
  TimeStampReq,
  TimeStampResp,
  TimeStampToken,
  TSTInfo,
} from "@peculiar/asn1-tsp";
import { AlgorithmIdentifier } from "@peculiar/asn1-x509";
import * as pkijs from "pkijs";

export const SHA256_OID = "2.16.840.1.101.3.4.2.1";
const EXTENDED_KEY_USAGE_OID = "2.5.29.37";
const TIME_STAMPING_OID = "1.3.6.1.5.5.7.3.8";

/** A token or response the anchor refuses: what was wrong, in words an operator can act on. */
export class TokenError extends Error {
  override name = "TokenError";
}

/** An RFC 3161 request for a SHA-256 imprint, asking for the TSA's certificate in the token. */
export function timeStampRequest(digest: Uint8Array, nonce: Uint8Array): Uint8Array {
  const request = new TimeStampReq({
    version: 1,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_OID }),
      hashedMessage: new OctetString(digest),
    }),
    nonce: copy(nonce),
    certReq: true,
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

/** What a checked token says. */
export interface TokenFacts {
  genTime: Date;
  serial: string;
  policy: string;
}

/**
 * Checks a DER TimeStampToken over `preimage`: a CMS SignedData of a TSTInfo whose SHA-256 imprint
 * is the preimage's hash (and whose nonce is `nonce`, when given), signed by the certificate the
 * token carries, which must be a time-stamping certificate. Trust in that certificate is the
 * reader's call (openssl ts -verify -CAfile); this proves the token is intact and about our root.
 */
export async function verifyToken(
  token: Uint8Array,
  preimage: Uint8Array,
  nonce?: Uint8Array,
): Promise<TokenFacts> {
  const signed = signedDataOf(token);
  const info = tstInfoOf(signed);
  const digest = createHash("sha256").update(preimage).digest();
  const imprint = info.messageImprint;
  if (imprint.hashAlgorithm.algorithm !== SHA256_OID)
    throw new TokenError(`the token's imprint is not SHA-256 (${imprint.hashAlgorithm.algorithm})`);
  if (!sameBytes(new Uint8Array(imprint.hashedMessage.buffer), digest))
    throw new TokenError("the token's imprint is not the hash of the anchored root");
  if (nonce && !(info.nonce && sameBytes(new Uint8Array(info.nonce), nonce)))
    throw new TokenError("the token's nonce is not the one we sent");
  await verifySignature(signed, preimage);
  return {
    genTime: info.genTime,
    serial: Buffer.from(info.serialNumber).toString("hex"),
    policy: info.policy,
  };
}

/**
 * The token as a granted TimeStampResp, the form `.tsr` files and application/timestamp-reply carry
 * and `openssl ts -verify -in` reads; the token inside is byte for byte the stored one.
 */
export function grantedReply(token: Uint8Array): Uint8Array {
  const reply = new TimeStampResp({
    status: new PKIStatusInfo({ status: PKIStatus.granted }),
    timeStampToken: AsnConvert.parse(token, TimeStampToken),
  });
  return new Uint8Array(AsnConvert.serialize(reply));
}

/** The certificates a token carries, as PEM: who signed it, to compare with the TSA's published CA. */
export function tokenCertificatesPem(token: Uint8Array): string {
  const certificates = signedDataOf(token).certificates ?? [];
  return certificates
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => certificatePem(c.toSchema(true).toBER(false)))
    .join("");
}

export function certificatePem(der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The token's SignedData (pkijs reads BER too: a TSA may chunk the content as a constructed OCTET STRING). */
function signedDataOf(token: Uint8Array): pkijs.SignedData {
  try {
    const content = pkijs.ContentInfo.fromBER(copy(token));
    if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA)
      throw new TokenError("the token is not CMS SignedData");
    return new pkijs.SignedData({ schema: content.content });
  } catch (error) {
    if (error instanceof TokenError) throw error;
    throw new TokenError(`the token is not a CMS SignedData: ${reasonOf(error)}`);
  }
}

function tstInfoOf(signed: pkijs.SignedData): TSTInfo {
  const { eContentType, eContent } = signed.encapContentInfo;
  if (eContentType !== id_ct_tstInfo || !eContent) throw new TokenError("the token does not carry a TSTInfo");
  try {
    return AsnConvert.parse(eContent.getValue(), TSTInfo);
  } catch (error) {
    throw new TokenError(`the token's TSTInfo does not parse: ${reasonOf(error)}`);
  }
}

async function verifySignature(signed: pkijs.SignedData, preimage: Uint8Array): Promise<void> {
  let result: pkijs.SignedDataVerifyResult;
  try {
    result = await signed.verify({ signer: 0, data: copy(preimage), checkChain: false, extendedMode: true });
  } catch (error) {
    throw new TokenError(`the token's signature does not verify: ${reasonOf(error)}`);
  }
  if (!result.signatureVerified) throw new TokenError("the token's signature does not verify");
  const usage = result.signerCertificate?.extensions?.find((e) => e.extnID === EXTENDED_KEY_USAGE_OID);
  const purposes = (usage?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  if (!purposes.includes(TIME_STAMPING_OID))
    throw new TokenError("the token's signer is not a time-stamping certificate");
}

export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

/** A fresh ArrayBuffer holding exactly these bytes (a Buffer views Node's shared pool, and its slice() does not copy). */
function copy(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}
