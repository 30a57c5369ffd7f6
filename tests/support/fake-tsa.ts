import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  Accuracy,
  id_ct_tstInfo,
  MessageImprint,
  PKIStatus,
  PKIStatusInfo,
  TimeStampReq,
  TimeStampResp,
  TSTInfo,
} from "@peculiar/asn1-tsp";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { grantedReply } from "../../src/anchor/token.ts";
import { type TsaIdentity, tsaIdentity } from "./tsa-keys.ts";

/** What the next answers get wrong, for the refusal tests; "none" signs honestly. */
export type TsaFault = "none" | "http_500" | "rejection" | "wrong_nonce" | "wrong_imprint";

export interface FakeTsa {
  url: string;
  identity: TsaIdentity;
  fault: TsaFault;
  /** The next this-many requests get HTTP 500 whatever `fault` says: a TSA down for a while. */
  failNext: number;
  /** Requests received, answered or not. */
  readonly requests: number;
  close(): Promise<void>;
}

const OID = {
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
};

/**
 * An RFC 3161 Time-Stamp Authority over HTTP on loopback: it parses real TimeStampReqs and answers
 * with real TimeStampResps whose tokens its own generated key signs, the way a public TSA does (CMS
 * SignedData with content-type, message-digest and ESS signing-certificate-v2 attributes), so
 * `openssl ts -verify` accepts them too.
 */
export async function fakeTsa(now: () => Date = () => new Date()): Promise<FakeTsa> {
  const identity = await tsaIdentity();
  let requests = 0;
  let serial = 0;
  const tsa: FakeTsa = {
    url: "",
    identity,
    fault: "none",
    failNext: 0,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer(async (req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (tsa.fault === "http_500" || tsa.failNext > 0) {
      tsa.failNext = Math.max(0, tsa.failNext - 1);
      res.writeHead(500).end("time source unavailable");
      return;
    }
    serial += 1;
    const request = AsnConvert.parse(Buffer.concat(chunks), TimeStampReq);
    const reply = await answer(identity, request, tsa.fault, serial, now());
    res.writeHead(200, { "Content-Type": "application/timestamp-reply" }).end(Buffer.from(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/tsr`;
  return tsa;
}

async function answer(
  identity: TsaIdentity,
  request: TimeStampReq,
  fault: TsaFault,
  serial: number,
  genTime: Date,
): Promise<Uint8Array> {
  if (fault === "rejection") {
    const refusal = new TimeStampResp({ status: new PKIStatusInfo({ status: PKIStatus.rejection }) });
    return new Uint8Array(AsnConvert.serialize(refusal));
  }
  const imprint =
    fault === "wrong_imprint"
      ? new MessageImprint({
          hashAlgorithm: request.messageImprint.hashAlgorithm,
          hashedMessage: new OctetString(createHash("sha256").update("something else").digest()),
        })
      : request.messageImprint;
  const info = new TSTInfo({
    version: 1,
    policy: "1.3.6.1.4.1.99999.1",
    messageImprint: imprint,
    serialNumber: new Uint8Array([serial]).buffer,
    genTime,
    accuracy: new Accuracy({ seconds: 1 }),
    nonce: fault === "wrong_nonce" ? new Uint8Array([0x42, 1, 2, 3]).buffer : request.nonce,
  });
  return grantedReply(
    new Uint8Array(await signedToken(identity, new Uint8Array(AsnConvert.serialize(info)))),
  );
}

async function signedToken(identity: TsaIdentity, tstInfo: Uint8Array): Promise<ArrayBuffer> {
  const { certificate, privateKey } = identity;
  const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest());
  const certHash = sha256(new Uint8Array(certificate.toSchema(true).toBER(false)));
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, ESSCertIDv2 with SHA-256 (the default).
  const essCertificate = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash })] })],
      }),
    ],
  });
  const signer = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
    }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({
          type: OID.contentType,
          values: [new asn1js.ObjectIdentifier({ value: id_ct_tstInfo })],
        }),
        new pkijs.Attribute({
          type: OID.messageDigest,
          values: [new asn1js.OctetString({ valueHex: sha256(tstInfo) })],
        }),
        new pkijs.Attribute({ type: OID.signingCertificateV2, values: [essCertificate] }),
      ],
    }),
  });
  const content = new pkijs.EncapsulatedContentInfo({ eContentType: id_ct_tstInfo });
  // Set after construction: pkijs's constructor would chunk it into a constructed (BER) OCTET STRING,
  // which real TSAs do not send and pkijs's own TSTInfo check then cannot read.
  content.eContent = new asn1js.OctetString({ valueHex: tstInfo });
  const signed = new pkijs.SignedData({
    version: 3,
    encapContentInfo: content,
    signerInfos: [signer],
    certificates: [certificate],
  });
  await signed.sign(privateKey, 0, "SHA-256");
  return new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) })
    .toSchema()
    .toBER(false);
}
