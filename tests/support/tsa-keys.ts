import { webcrypto } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { certificatePem } from "../../src/anchor/token.ts";

const TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

export interface TsaIdentity {
  privateKey: webcrypto.CryptoKey;
  certificate: pkijs.Certificate;
  /** The certificate as PEM, the -CAfile an `openssl ts -verify` trusts. */
  pem: string;
}

/** A fresh RSA key and a self-signed time-stamping certificate (critical EKU timeStamping, as RFC 3161 asks). */
export async function tsaIdentity(name = "Tapereader test TSA"): Promise<TsaIdentity> {
  const keys = await webcrypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ value: Date.now() % 1_000_000 });
  for (const names of [certificate.issuer, certificate.subject]) {
    names.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({ type: "2.5.4.3", value: new asn1js.Utf8String({ value: name }) }),
    );
  }
  certificate.notBefore.value = new Date("2020-01-01T00:00:00Z");
  certificate.notAfter.value = new Date("2040-01-01T00:00:00Z");
  const usage = new pkijs.ExtKeyUsage({ keyPurposes: [TIME_STAMPING] });
  certificate.extensions = [
    new pkijs.Extension({
      extnID: "2.5.29.37",
      critical: true,
      extnValue: usage.toSchema().toBER(false),
      parsedValue: usage,
    }),
  ];
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
  await certificate.sign(keys.privateKey, "SHA-256");
  return {
    privateKey: keys.privateKey,
    certificate,
    pem: certificatePem(certificate.toSchema(true).toBER(false)),
  };
}
